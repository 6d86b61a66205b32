"""An in-memory :class:`ValidatorCache`: for tests and one-off runs (the SQLite store persists them)."""

from __future__ import annotations

from tools.fetching._types import CachedResponse

__all__ = ["MemoryValidatorCache"]


class MemoryValidatorCache:
    def __init__(self) -> None:
        self._entries: dict[str, CachedResponse] = {}

    def get(self, url: str) -> CachedResponse | None:
        return self._entries.get(url)

    def put(self, cached: CachedResponse) -> None:
        self._entries[cached.url] = cached

    def __len__(self) -> int:
        return len(self._entries)
