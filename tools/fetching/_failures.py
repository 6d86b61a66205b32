"""How a failed exchange is told: a reader's sentence for each failure, and which ones are transient.

Pure: no I/O. :mod:`tools.fetching.live` raises :class:`Transient` for failures worth another
attempt (connect errors, timeouts, resets, 408, 429, 5xx) and :class:`FetchError` for the rest.
"""

from __future__ import annotations

import email.utils
import ssl
from datetime import UTC, datetime
from http import HTTPStatus

import httpx

from tools.fetching.policy import FetchPolicy

__all__ = [
    "TRANSIENT_STATUSES",
    "Transient",
    "describe_transport_error",
    "parse_retry_after",
    "status_text",
    "tls_verify_error",
]

TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504}) | frozenset(range(505, 600))


class Transient(Exception):
    """A failure worth another attempt; becomes a FetchError when the attempts run out."""

    def __init__(self, reason: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def describe_transport_error(exc: httpx.HTTPError, policy: FetchPolicy) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting (connect timeout {policy.connect_timeout:g} s)"
    if isinstance(exc, httpx.ReadTimeout):
        return f"timed out waiting for data (read timeout {policy.read_timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect: {str(exc) or 'connection refused or unreachable'}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection mid-response: {exc}"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return f"connection lost: {str(exc) or 'connection reset by peer'}"
    return f"{type(exc).__name__}: {exc}"


def tls_verify_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
