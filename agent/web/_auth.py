"""Access to the review page: the reviewer token, a signed session cookie and per-session CSRF tokens.

Pure functions over a :class:`Keys` value; the app (``_app``) applies them to requests. Sessions are
stateless: the cookie holds a random session id and its issue time, signed with a key derived from
the review token, so restarting the server with the same token keeps reviewers logged in and a new
token logs everyone out.

The login form has a CSRF token of its own (against login CSRF: another site logging the browser in
to a session it chose): showing the form sets a short-lived signed pre-login cookie, and the form's
hidden field must carry the token derived from it. The pre-login cookie is signed for another purpose
than the session cookie, so one can never be taken for the other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "LOGIN_COOKIE",
    "LOGIN_FORM_MAX_AGE_S",
    "SESSION_COOKIE",
    "SESSION_MAX_AGE_S",
    "Keys",
    "Session",
    "safe_next",
]

SESSION_COOKIE = "ir_session"
# A working day: a reviewer logs in once per sitting, and a stolen cookie does not live for weeks.
SESSION_MAX_AGE_S = 12 * 3600
LOGIN_COOKIE = "ir_login"
# An hour to type the token in: a login page left open longer is reloaded (the 403 page says so).
LOGIN_FORM_MAX_AGE_S = 3600


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

    def _signed(self, purpose: str, now: datetime) -> str:
        """A random id and its issue time, signed for ``purpose``: ``id.issued.signature``."""
        payload = f"{secrets.token_urlsafe(18)}.{int(now.timestamp())}"
        return f"{payload}.{self._mac(purpose, payload)}"

    def _read_signed(self, purpose: str, value: str | None, now: datetime, max_age_s: int) -> Session | None:
        if not value or value.count(".") != 2:
            return None
        random_id, issued, signature = value.split(".")
        if not hmac.compare_digest(signature, self._mac(purpose, f"{random_id}.{issued}")):
            return None
        try:
            issued_at = int(issued)
        except ValueError:
            return None
        age = now.timestamp() - issued_at
        if age < 0 or age > max_age_s:
            return None
        return Session(session_id=random_id, issued_at=issued_at)

    def new_cookie(self, now: datetime) -> str:
        return self._signed("session", now)

    def read_cookie(self, value: str | None, now: datetime) -> Session | None:
        """The session a cookie carries, or None when it is missing, forged or expired."""
        return self._read_signed("session", value, now, SESSION_MAX_AGE_S)

    def login_form_tokens(self, cookie: str | None, now: datetime) -> tuple[str, str]:
        """(pre-login cookie, the form's hidden field) for a login form: the live cookie is kept, so two
        tabs showing the login page both work; a missing, forged or expired one is replaced."""
        pre_login = self.read_login_cookie(cookie, now)
        if cookie is None or pre_login is None:
            cookie = self._signed("login", now)
            pre_login = Session(session_id=cookie.split(".")[0], issued_at=int(now.timestamp()))
        return cookie, self.login_csrf_token(pre_login)

    def read_login_cookie(self, value: str | None, now: datetime) -> Session | None:
        """The pre-login cookie's value, or None when it is missing, forged or older than the form may be."""
        return self._read_signed("login", value, now, LOGIN_FORM_MAX_AGE_S)

    def login_csrf_token(self, pre_login: Session) -> str:
        """The login form's hidden field for this pre-login cookie."""
        return self._mac("login-csrf", pre_login.session_id)

    def login_csrf_matches(self, cookie: str | None, candidate: str | None, now: datetime) -> bool:
        """Whether a login POST carries a live pre-login cookie and the form field made for it."""
        pre_login = self.read_login_cookie(cookie, now)
        return (
            pre_login is not None
            and bool(candidate)
            and hmac.compare_digest(self.login_csrf_token(pre_login), str(candidate))
        )

    def csrf_token(self, session: Session) -> str:
        return self._mac("csrf", session.session_id)

    def csrf_matches(self, session: Session, candidate: str | None) -> bool:
        return bool(candidate) and hmac.compare_digest(self.csrf_token(session), str(candidate))


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never ``//host`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
