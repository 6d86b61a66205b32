"""Fetching: the :class:`Fetcher` seam every source goes through, and its value types.

Implementations: :class:`tools.fetching.live.LiveFetcher` (HTTP), :class:`tools.archive.ReplayFetcher`
(a WARC archive, no network) and :class:`tools.archive.WarcRecorder` (records what another fetches).
"""

from tools.fetching._types import (
    REDACTED,
    CachedResponse,
    Fetcher,
    FetchError,
    FetchRequest,
    FetchResponse,
    ValidatorCache,
)

__all__ = [
    "REDACTED",
    "CachedResponse",
    "FetchError",
    "FetchRequest",
    "FetchResponse",
    "Fetcher",
    "ValidatorCache",
]
