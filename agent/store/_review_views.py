"""Which revision each reviewer last looked at, and the draft they saw (to say later what changed)."""

from __future__ import annotations

from datetime import datetime

from agent.domain.models import Draft
from agent.store._base import Tables, parse_time
from agent.store._dialect import Row
from agent.store._records import SeenRevision

__all__ = ["ReviewViewTables"]


def _seen(row: Row) -> SeenRevision:
    return SeenRevision(
        run_id=row["run_id"],
        reviewer=row["reviewer"],
        revision=row["revision"],
        revision_hash=row["revision_hash"],
        draft=Draft.model_validate_json(row["draft"]),
        viewed_at=parse_time(row["viewed_at"]),
    )


class ReviewViewTables(Tables):
    def record_view(
        self,
        run_id: str,
        reviewer: str,
        *,
        revision: int,
        revision_hash: str,
        draft: Draft,
        at: datetime | None = None,
    ) -> SeenRevision:
        """Remember that ``reviewer`` looked at this revision (replacing what they looked at before).
        ``at`` defaults to the store's clock."""
        viewed_at = self._now() if at is None else self._stamp(at)
        with self._write() as db:
            self._require_run(db, run_id)
            db.execute(
                "INSERT INTO review_views (run_id, reviewer, revision, revision_hash, draft, viewed_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, reviewer) DO UPDATE SET"
                " revision = excluded.revision, revision_hash = excluded.revision_hash,"
                " draft = excluded.draft, viewed_at = excluded.viewed_at",
                (run_id, reviewer, revision, revision_hash, draft.model_dump_json(), viewed_at),
            )
        return SeenRevision(run_id, reviewer, revision, revision_hash, draft, parse_time(viewed_at))

    def last_view(self, run_id: str, reviewer: str) -> SeenRevision | None:
        row = self._row("SELECT * FROM review_views WHERE run_id = ? AND reviewer = ?", (run_id, reviewer))
        return None if row is None else _seen(row)

    def seen_draft(self, run_id: str, revision_hash: str) -> Draft | None:
        """Any reviewer's stored copy of the revision with this hash (to describe what changed since)."""
        row = self._row(
            "SELECT draft FROM review_views WHERE run_id = ? AND revision_hash = ? LIMIT 1",
            (run_id, revision_hash),
        )
        return None if row is None else Draft.model_validate_json(row["draft"])
