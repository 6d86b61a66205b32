"""A Fetcher that serves every fetch from one or more WARC archives, with no network."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.archive._files import ArchiveError, iter_archive, iter_archive_spans, read_span
from tools.archive._records import ArchivedFailure, ArchivedFetch
from tools.fetching import FetchError, FetchRequest, FetchResponse

__all__ = ["ReplayFetcher", "read_archived"]


def _is_success(status: int) -> bool:
    return 200 <= status < 300


@dataclass(frozen=True, slots=True)
class _Where:
    path: Path
    span: tuple[int, int]
    url: str  # as requested when archived

    def read(self) -> FetchResponse:
        for fetch in read_span(self.path, self.span):
            if isinstance(fetch, FetchResponse) and fetch.url == self.url:
                return fetch
        raise ArchiveError(f"{self.path}: the record of {self.url} changed since it was indexed")


class ReplayFetcher:
    """Answers each request with what the archives recorded for its URL.

    A URL is found as it was requested or as a final URL after redirects. When a URL was fetched
    more than once, the last record wins (later archives after earlier ones), so an archive
    appended to by a resumed run replays its newest evidence.
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)
        # Requested and final URLs share one index filled in file order, so the newest record that
        # answered a URL either way is the one served. A response is indexed by where its record
        # lies and read again when asked for: memory holds no body, whatever the archive's size
        # (failures and plain-WARC records are small or rare, and kept whole).
        self._index: dict[str, ArchivedFetch | _Where] = {}
        for path in self.paths:
            for fetch, span in iter_archive_spans(path):
                where: ArchivedFetch | _Where = fetch
                if isinstance(fetch, FetchResponse) and span is not None:
                    where = _Where(path, span, fetch.url)
                self._index[fetch.url] = where
                if isinstance(fetch, FetchResponse):
                    self._index[fetch.final_url] = where
        # How often each URL was served: proves a resumed run fetched nothing twice.
        self.served: Counter[str] = Counter()

    @property
    def fetch_count(self) -> int:
        return sum(self.served.values())

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        self.served[request.url] += 1
        found = self._index.get(request.url)
        archived = found.read() if isinstance(found, _Where) else found
        if archived is None:
            names = ", ".join(p.name for p in self.paths) or "no archive"
            raise FetchError(f"{request.url} is not in the replay archive ({names})", url=request.url)
        if isinstance(archived, ArchivedFailure):
            raise archived.as_error()
        if not _is_success(archived.status) and archived.status not in request.accept_statuses:
            message = f"HTTP {archived.status} from {request.url} (replayed)"
            raise FetchError(message, url=request.url, status=archived.status)
        if archived.url != request.url:
            return dataclasses.replace(archived, url=request.url)
        return archived


def read_archived(path: Path, url: str) -> FetchResponse | None:
    """The last response archived in ``path`` for ``url`` (requested or final URL), or None."""
    found: FetchResponse | None = None
    for fetch in iter_archive(path):
        if isinstance(fetch, FetchResponse) and url in (fetch.url, fetch.final_url):
            found = fetch
    return found
