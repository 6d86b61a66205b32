"""The desk's named reviewers: a name, a role and the SHA-256 of their personal token (never the token)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent.store._base import Tables, parse_time
from agent.store._dialect import Row
from agent.store._records import StoreError

__all__ = ["ReviewerRecord", "ReviewerTables", "Role"]

Role = Literal["editor", "reviewer"]


@dataclass(frozen=True, slots=True)
class ReviewerRecord:
    name: str
    role: Role
    token_hash: str
    created_at: datetime


def _reviewer(row: Row) -> ReviewerRecord:
    return ReviewerRecord(
        name=row["name"],
        role=row["role"],
        token_hash=row["token_hash"],
        created_at=parse_time(row["created_at"]),
    )


class ReviewerTables(Tables):
    def add_reviewer(self, name: str, *, role: Role, token_hash: str) -> ReviewerRecord:
        """Raises :class:`StoreError` when the name is taken."""
        now = self._now()
        with self._write() as db:
            inserted = db.execute(
                "INSERT INTO reviewers (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                (name, role, token_hash, now),
            )
            if inserted.rowcount != 1:
                raise StoreError(f"there is a reviewer named {name!r} already: remove them first")
        return ReviewerRecord(name, role, token_hash, parse_time(now))

    def reviewers(self) -> list[ReviewerRecord]:
        """By name."""
        return [_reviewer(r) for r in self._rows("SELECT * FROM reviewers ORDER BY name")]

    def reviewer_by_token_hash(self, token_hash: str) -> ReviewerRecord | None:
        row = self._row("SELECT * FROM reviewers WHERE token_hash = ?", (token_hash,))
        return None if row is None else _reviewer(row)

    def reviewer(self, name: str) -> ReviewerRecord | None:
        row = self._row("SELECT * FROM reviewers WHERE name = ?", (name,))
        return None if row is None else _reviewer(row)

    def remove_reviewer(self, name: str) -> bool:
        """False when there was no such reviewer. Their decisions stay in the audit trail."""
        with self._write() as db:
            return db.execute("DELETE FROM reviewers WHERE name = ?", (name,)).rowcount == 1
