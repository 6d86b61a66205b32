"""Access to the review page: the reviewer token, signed session cookies, CSRF tokens, and the throttle
on failed logins.

Pure functions over a :class:`Keys` value; the app (``_context``, ``_login``) applies them to requests.
A session cookie is a random session id signed with a timestamp by itsdangerous, keyed by the review
token: restarting the server with the same token keeps reviewers logged in, a new token logs everyone
out, and logging out revokes that one session id in the store, wherever its cookie was copied to.

The login form has a CSRF token of its own (against login CSRF: another site logging the browser in
to a session it chose): showing the form sets a short-lived signed pre-login cookie, and the form's
hidden field must carry the token derived from it. Each kind of value is signed with its own salt, so
a pre-login cookie can never be taken for a session, nor a CSRF token for either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from itsdangerous import BadSignature, Signer, TimestampSigner

__all__ = [
    "LOGIN_COOKIE",
    "LOGIN_FORM_MAX_AGE_S",
    "MIN_TOKEN_LENGTH",
    "SESSION_COOKIE",
    "SESSION_MAX_AGE_S",
    "Keys",
    "LoginThrottle",
    "Session",
    "safe_next",
]

SESSION_COOKIE = "ir_session"
# A working day: a reviewer logs in once per sitting, and a stolen cookie does not live for weeks.
SESSION_MAX_AGE_S = 12 * 3600
LOGIN_COOKIE = "ir_login"
# An hour to type the token in: a login page left open longer is reloaded (the 403 page says so).
LOGIN_FORM_MAX_AGE_S = 3600
# The token is the only secret between the page and anyone who can reach it: 16 characters of a
# URL-safe alphabet are 96 bits, beyond any online guessing (the generated one has 43).
MIN_TOKEN_LENGTH = 16


@dataclass(frozen=True, slots=True)
class Session:
    session_id: str
    issued_at: int  # Unix seconds

    @property
    def reviewer(self) -> str | None:
        """The named reviewer whose token opened the session; None for the desk's shared token. The
        name is part of the signed id, so it cannot be changed without the key."""
        _, sep, encoded = self.session_id.partition("~")
        if not sep:
            return None
        try:
            return base64.urlsafe_b64decode(encoded.encode("ascii")).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None


class _SignerAt(TimestampSigner):
    """itsdangerous's timestamped signer on the app's clock rather than the wall clock."""

    def __init__(self, secret_key: str, *, salt: str, now: datetime) -> None:
        super().__init__(secret_key, salt=salt, digest_method=hashlib.sha256)
        self._now = int(now.timestamp())

    def get_timestamp(self) -> int:
        return self._now


@dataclass(frozen=True)
class Keys:
    """Everything derived from the review token."""

    token: str

    def _salt(self, purpose: str) -> str:
        return f"inference-report:{purpose}"

    def _signed(self, purpose: str, now: datetime, reviewer: str | None = None) -> str:
        """A random id (with the reviewer's name, base64, after ``~``) signed with its issue time for
        ``purpose``: ``id.timestamp.signature``."""
        value = secrets.token_urlsafe(18)
        if reviewer is not None:
            value += "~" + base64.urlsafe_b64encode(reviewer.encode("utf-8")).decode("ascii")
        return _SignerAt(self.token, salt=self._salt(purpose), now=now).sign(value).decode()

    def _read_signed(self, purpose: str, value: str | None, now: datetime, max_age_s: int) -> Session | None:
        if not value:
            return None
        signer = _SignerAt(self.token, salt=self._salt(purpose), now=now)
        try:
            random_id, issued = signer.unsign(value, max_age=max_age_s, return_timestamp=True)
        except BadSignature:  # forged, tampered, expired or issued in the future (SignatureExpired)
            return None
        return Session(session_id=random_id.decode(), issued_at=int(issued.replace(tzinfo=UTC).timestamp()))

    def _tag(self, purpose: str, value: str) -> str:
        return (
            Signer(self.token, salt=self._salt(purpose), digest_method=hashlib.sha256)
            .get_signature(value)
            .decode()
        )

    def _tag_matches(self, purpose: str, value: str, candidate: str | None) -> bool:
        # The exact text, in constant time: itsdangerous's own check decodes base64 first, and the last of
        # 43 characters carries 2 unused bits, so 4 spellings of one tag would all pass.
        return bool(candidate) and hmac.compare_digest(self._tag(purpose, value), str(candidate))

    def new_cookie(self, now: datetime, reviewer: str | None = None) -> str:
        """A session for the named ``reviewer``, or for the shared token (None)."""
        return self._signed("session", now, reviewer)

    def read_cookie(self, value: str | None, now: datetime) -> Session | None:
        """The session a cookie carries, or None when it is missing, forged or expired (revocation is
        the store's: see :meth:`agent.web._context.WebContext.session`)."""
        return self._read_signed("session", value, now, SESSION_MAX_AGE_S)

    def login_form_tokens(self, cookie: str | None, now: datetime) -> tuple[str, str]:
        """(pre-login cookie, the form's hidden field) for a login form: the live cookie is kept, so two
        tabs showing the login page both work; a missing, forged or expired one is replaced."""
        pre_login = self.read_login_cookie(cookie, now)
        if cookie is None or pre_login is None:
            cookie = self._signed("login", now)
            pre_login = self.read_login_cookie(cookie, now)
            assert pre_login is not None
        return cookie, self.login_csrf_token(pre_login)

    def read_login_cookie(self, value: str | None, now: datetime) -> Session | None:
        """The pre-login cookie's value, or None when it is missing, forged or older than the form may be."""
        return self._read_signed("login", value, now, LOGIN_FORM_MAX_AGE_S)

    def login_csrf_token(self, pre_login: Session) -> str:
        """The login form's hidden field for this pre-login cookie."""
        return self._tag("login-csrf", pre_login.session_id)

    def login_csrf_matches(self, cookie: str | None, candidate: str | None, now: datetime) -> bool:
        """Whether a login POST carries a live pre-login cookie and the form field made for it."""
        pre_login = self.read_login_cookie(cookie, now)
        return pre_login is not None and self._tag_matches("login-csrf", pre_login.session_id, candidate)

    def csrf_token(self, session: Session) -> str:
        return self._tag("csrf", session.session_id)

    def csrf_matches(self, session: Session, candidate: str | None) -> bool:
        return self._tag_matches("csrf", session.session_id, candidate)


@dataclass
class LoginThrottle:
    """Slows repeated failed logins from one client: after ``free`` failures in a row, each further
    attempt must wait twice as long as the last (1 s, 2 s, 4 s... up to ``cap_s``) after the latest
    failure. A right token resets the count. At the cap a guesser gets about 290 tries a day."""

    free: int = 3
    cap_s: float = 300.0
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def wait_s(self, client: str, now: float) -> float:
        """Seconds ``client`` must still wait before its next attempt is even checked (0: go ahead)."""
        count, last = self._failures.get(client, (0, 0.0))
        if count < self.free:
            return 0.0
        delay = min(self.cap_s, 2.0 ** (count - self.free))
        return max(0.0, last + delay - now)

    def failed(self, client: str, now: float) -> None:
        count, _ = self._failures.get(client, (0, 0.0))
        self._failures[client] = (count + 1, now)
        if len(self._failures) > 10_000:  # a flood of addresses: forget the quietest half
            for quiet in sorted(self._failures, key=lambda c: self._failures[c][1])[:5_000]:
                del self._failures[quiet]

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never ``//host`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
