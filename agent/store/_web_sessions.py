"""Review-page sessions ended by logging out: the cookie is signed, so only the store can end it."""

from __future__ import annotations

from datetime import datetime

from agent.store._base import Tables

__all__ = ["WebSessionTables"]


class WebSessionTables(Tables):
    def revoke_session(self, session_id: str, *, expires_at: datetime) -> None:
        """End a session for good; rows of sessions that have expired anyway are dropped."""
        now = self._now()
        with self._write() as db:
            db.execute("DELETE FROM revoked_sessions WHERE expires_at < ?", (now,))
            db.execute(
                "INSERT INTO revoked_sessions (session_id, revoked_at, expires_at) VALUES (?, ?, ?)"
                " ON CONFLICT (session_id) DO NOTHING",
                (session_id, now, self._stamp(expires_at)),
            )

    def session_revoked(self, session_id: str) -> bool:
        return self._row("SELECT 1 FROM revoked_sessions WHERE session_id = ?", (session_id,)) is not None
