"""The fetch seam every source goes through: live HTTP, the replay archive, or a test fake."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from agent.domain.errors import SourceError

__all__ = [
    "REDACTED",
    "CachedResponse",
    "FetchError",
    "FetchRequest",
    "FetchResponse",
    "Fetcher",
    "ValidatorCache",
]

REDACTED = "[redacted]"


class FetchError(SourceError):
    """A fetch that produced no usable response: network failure, bad status, cap, guard, replay miss.

    ``status`` is the HTTP status when there was one.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    # Lets a private, loopback or otherwise non-public address through the guard, for one host only:
    # ``private_host`` (the source's own, for the pages its feed links to), else the host of ``url``.
    # A redirect or link to any other host is judged as for any source.
    allow_private: bool = False
    private_host: str = ""
    # Header names (any case) that carry a credential: a source's ``api_key_header``. Their values are
    # never archived, logged or reported, whatever the name (see :meth:`redact`).
    secret_headers: frozenset[str] = frozenset()
    # The source this fetch serves (for per-source reporting and the archive).
    source: str = ""
    # Non-2xx statuses to hand back as responses instead of raising: the arXiv API explains a bad
    # query in a 400 answer's Atom body, which the adapter turns into a clear error.
    accept_statuses: frozenset[int] = frozenset()

    def is_secret_header(self, name: str) -> bool:
        return name.lower() in {n.lower() for n in self.secret_headers}

    def secret_values(self) -> list[str]:
        return [value for name, value in self.headers.items() if self.is_secret_header(name) and value]

    def redact(self, text: str) -> str:
        """``text`` with every secret header value replaced: for error messages a server could echo."""
        for value in self.secret_values():
            text = text.replace(value, REDACTED)
        return text


@dataclass(frozen=True, slots=True)
class FetchResponse:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...] = ()
    # True when a conditional GET answered 304 and ``body`` is the stored copy.
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class Fetcher(Protocol):
    """Fetches one URL. Raises :class:`FetchError` for anything that is not a usable 2xx answer."""

    async def fetch(self, request: FetchRequest) -> FetchResponse: ...


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """What a conditional GET needs from the last fetch of a URL, and the body a 304 reuses."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


class ValidatorCache(Protocol):
    """Stored HTTP validators (ETag / Last-Modified) per URL. The SQLite store implements it."""

    def get(self, url: str) -> CachedResponse | None: ...

    def put(self, cached: CachedResponse) -> None: ...
