"""The Message Batches each run submitted (the Claude writer's ``--batch``), by a hash of their requests.

A batch is paid for when it is processed, whether or not anyone collects its results. The id is kept as
soon as the batch is created, so a run killed while it waits (minutes, at most 24 h) re-attaches to the
same batch on resume: the summaries are paid once.
"""

from __future__ import annotations

from agent.store._base import Tables

__all__ = ["BatchTables"]


class BatchTables(Tables):
    def submitted_batch(self, run_id: str, requests_hash: str) -> str | None:
        """The id of the batch ``run_id`` submitted for these requests, if it kept one."""
        row = self._row(
            "SELECT batch_id FROM message_batches WHERE run_id = ? AND requests_hash = ?",
            (run_id, requests_hash),
        )
        return None if row is None else str(row["batch_id"])

    def record_batch(self, run_id: str, requests_hash: str, batch_id: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO message_batches (run_id, requests_hash, batch_id, created_at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT (run_id, requests_hash) DO UPDATE SET batch_id = excluded.batch_id,"
                " created_at = excluded.created_at",
                (run_id, requests_hash, batch_id, self._now()),
            )

    def forget_batch(self, run_id: str, requests_hash: str) -> None:
        """The batch was cancelled or is gone: the next attempt submits anew."""
        with self._write() as db:
            db.execute(
                "DELETE FROM message_batches WHERE run_id = ? AND requests_hash = ?", (run_id, requests_hash)
            )
