"""What the review module keeps beside the store's tables: which revision each reviewer looked at, and
the status change that claims a run for one decision.

Both live in the store's SQLite file, on a connection of their own (the store has no methods for
them yet; they belong in its schema as a numbered migration once it settles).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from agent.models import Draft

__all__ = ["ReviewLedger", "SeenRevision"]

# Same reasoning as the store's: another process may hold the write lock briefly; 10 s is far above
# any single write here.
_BUSY_TIMEOUT_S = 10.0

_SCHEMA = """CREATE TABLE IF NOT EXISTS review_views (
    run_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    revision INTEGER NOT NULL,
    revision_hash TEXT NOT NULL,
    draft TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    PRIMARY KEY (run_id, reviewer)
)"""


@dataclass(frozen=True, slots=True)
class SeenRevision:
    run_id: str
    reviewer: str
    revision: int
    revision_hash: str
    draft: Draft
    viewed_at: datetime


class ReviewLedger:
    """Open with :meth:`open`; a context manager. One short transaction per method."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    @classmethod
    def open(cls, path: Path) -> ReviewLedger:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_TIMEOUT_S, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute(_SCHEMA)
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReviewLedger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def record_view(
        self, run_id: str, reviewer: str, *, revision: int, revision_hash: str, draft: Draft, at: datetime
    ) -> None:
        """Remember the revision ``reviewer`` last looked at (and its content, to say later what changed)."""
        self._db.execute(
            "INSERT INTO review_views (run_id, reviewer, revision, revision_hash, draft, viewed_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, reviewer) DO UPDATE SET"
            " revision = excluded.revision, revision_hash = excluded.revision_hash,"
            " draft = excluded.draft, viewed_at = excluded.viewed_at",
            (run_id, reviewer, revision, revision_hash, draft.model_dump_json(), _iso(at)),
        )

    def last_view(self, run_id: str, reviewer: str) -> SeenRevision | None:
        row = self._db.execute(
            "SELECT * FROM review_views WHERE run_id = ? AND reviewer = ?", (run_id, reviewer)
        ).fetchone()
        if row is None:
            return None
        return SeenRevision(
            run_id=row["run_id"],
            reviewer=row["reviewer"],
            revision=row["revision"],
            revision_hash=row["revision_hash"],
            draft=Draft.model_validate_json(row["draft"]),
            viewed_at=datetime.fromisoformat(row["viewed_at"]),
        )

    def seen_draft(self, run_id: str, revision_hash: str) -> Draft | None:
        """Any reviewer's stored copy of the revision with this hash (to describe what changed since)."""
        row = self._db.execute(
            "SELECT draft FROM review_views WHERE run_id = ? AND revision_hash = ? LIMIT 1",
            (run_id, revision_hash),
        ).fetchone()
        return None if row is None else Draft.model_validate_json(row["draft"])

    def transition(self, run_id: str, *, expected: str, new: str, at: datetime) -> bool:
        """Move the run from ``expected`` to ``new`` status atomically; False when another process
        changed it first (two reviewers deciding at once: only one wins)."""
        cursor = self._db.execute(
            "UPDATE runs SET status = ?, updated_at = ? WHERE run_id = ? AND status = ?",
            (new, _iso(at), run_id, expected),
        )
        return cursor.rowcount == 1


def _iso(moment: datetime) -> str:
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).isoformat()
