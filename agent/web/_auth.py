"""Access to the review page: the reviewer token, a signed session cookie and per-session CSRF tokens.

Pure functions over a :class:`Keys` value; the app (``_app``) applies them to requests. Sessions are
stateless: the cookie holds a random session id and its issue time, signed with a key derived from
the review token, so restarting the server with the same token keeps reviewers logged in and a new
token logs everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

__all__ = ["SESSION_COOKIE", "SESSION_MAX_AGE_S", "Keys", "Session", "safe_next"]

SESSION_COOKIE = "ir_session"
# A working day: a reviewer logs in once per sitting, and a stolen cookie does not live for weeks.
SESSION_MAX_AGE_S = 12 * 3600


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str
    issued_at: int  # Unix seconds


@dataclass(frozen=True)
class Keys:
    """Everything derived from the review token."""

    token: str

    def _key(self, purpose: str) -> bytes:
        return hashlib.sha256(f"inference-report:{purpose}:{self.token}".encode()).digest()

    def _mac(self, purpose: str, message: str) -> str:
        return hmac.new(self._key(purpose), message.encode("utf-8"), hashlib.sha256).hexdigest()

    def token_matches(self, candidate: str | None) -> bool:
        # Constant time: the comparison must not tell an attacker how many characters were right.
        return bool(candidate) and hmac.compare_digest(
            hashlib.sha256(str(candidate).encode()).digest(), hashlib.sha256(self.token.encode()).digest()
        )

    def bearer_matches(self, authorization: str | None) -> bool:
        if not authorization:
            return False
        scheme, _, value = authorization.partition(" ")
        return scheme.lower() == "bearer" and self.token_matches(value.strip())

    def new_cookie(self, now: datetime) -> str:
        session = Session(session_id=secrets.token_urlsafe(18), issued_at=int(now.timestamp()))
        payload = f"{session.session_id}.{session.issued_at}"
        return f"{payload}.{self._mac('session', payload)}"

    def read_cookie(self, value: str | None, now: datetime) -> Session | None:
        """The session a cookie carries, or None when it is missing, forged or expired."""
        if not value or value.count(".") != 2:
            return None
        session_id, issued, signature = value.split(".")
        if not hmac.compare_digest(signature, self._mac("session", f"{session_id}.{issued}")):
            return None
        try:
            issued_at = int(issued)
        except ValueError:
            return None
        age = now.timestamp() - issued_at
        if age < 0 or age > SESSION_MAX_AGE_S:
            return None
        return Session(session_id=session_id, issued_at=issued_at)

    def csrf_token(self, session: Session) -> str:
        return self._mac("csrf", session.session_id)

    def csrf_matches(self, session: Session, candidate: str | None) -> bool:
        return bool(candidate) and hmac.compare_digest(self.csrf_token(session), str(candidate))


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never ``//host`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
