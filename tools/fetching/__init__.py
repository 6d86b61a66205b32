"""Fetching: the :class:`Fetcher` seam and its implementations (live HTTP, WARC replay)."""

from tools.fetching._types import (
    CachedResponse,
    Fetcher,
    FetchError,
    FetchRequest,
    FetchResponse,
    ValidatorCache,
)
from tools.fetching.charset import decode_text

__all__ = [
    "CachedResponse",
    "FetchError",
    "FetchRequest",
    "FetchResponse",
    "Fetcher",
    "ValidatorCache",
    "decode_text",
]
