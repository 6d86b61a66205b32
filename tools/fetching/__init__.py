"""Fetching: the :class:`Fetcher` seam and its implementations (live HTTP, WARC replay)."""

from tools.fetching._types import (
    CachedResponse,
    Fetcher,
    FetchError,
    FetchRequest,
    FetchResponse,
    ValidatorCache,
)

__all__ = ["CachedResponse", "FetchError", "FetchRequest", "FetchResponse", "Fetcher", "ValidatorCache"]
