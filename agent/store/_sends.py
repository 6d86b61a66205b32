"""Every message sent to a reader: one row per recipient and attempt, with its Message-ID.

A send is claimed (``sending``) before the SMTP conversation and finished (``sent`` or ``failed``)
after it, so a second ``publish --send`` of the same revision skips whoever already has it, and a
process that died mid-send leaves a ``sending`` row that says so.
"""

from __future__ import annotations

from agent.store._base import Tables, parse_time
from agent.store._dialect import Row
from agent.store._records import SendRecord, SendStatus

__all__ = ["SendTables"]


def _send(row: Row) -> SendRecord:
    return SendRecord(
        send_id=row["send_id"],
        run_id=row["run_id"],
        revision=row["revision"],
        recipient=row["recipient"],
        message_id=row["message_id"],
        status=row["status"],
        error=row["error"],
        started_at=parse_time(row["started_at"]),
        finished_at=None if row["finished_at"] is None else parse_time(row["finished_at"]),
    )


class SendTables(Tables):
    def claim_send(
        self, run_id: str, *, revision: int, recipient: str, message_id: str, resend: bool = False
    ) -> tuple[SendRecord, bool]:
        """Record that ``recipient`` is about to be sent ``revision``: ``(row, True)``.

        ``(earlier row, False)``, with nothing written, when the recipient already has it (or a send
        to them is under way or was cut off) and ``resend`` is false. One transaction: two processes
        sending the same revision at once send it to each recipient once.
        """
        with self._write() as db:
            if not resend:
                earlier = db.execute(
                    "SELECT * FROM sends WHERE run_id = ? AND revision = ? AND recipient = ?"
                    " AND status IN ('sending', 'sent') ORDER BY send_id DESC LIMIT 1",
                    (run_id, revision, recipient),
                ).fetchone()
                if earlier is not None:
                    return _send(earlier), False
            row = db.execute(
                "INSERT INTO sends (run_id, revision, recipient, message_id, status, started_at)"
                " VALUES (?, ?, ?, ?, 'sending', ?) RETURNING *",
                (run_id, revision, recipient, message_id, self._now()),
            ).fetchone()
        return _send(row), True

    def finish_send(self, send_id: int, *, status: SendStatus, error: str | None = None) -> SendRecord:
        with self._write() as db:
            db.execute(
                "UPDATE sends SET status = ?, error = ?, finished_at = ? WHERE send_id = ?",
                (status, error, self._now(), send_id),
            )
            row = db.execute("SELECT * FROM sends WHERE send_id = ?", (send_id,)).fetchone()
        return _send(row)

    def sends(self, run_id: str, revision: int | None = None) -> list[SendRecord]:
        """Oldest first."""
        if revision is None:
            rows = self._rows("SELECT * FROM sends WHERE run_id = ? ORDER BY send_id", (run_id,))
        else:
            rows = self._rows(
                "SELECT * FROM sends WHERE run_id = ? AND revision = ? ORDER BY send_id", (run_id, revision)
            )
        return [_send(r) for r in rows]
