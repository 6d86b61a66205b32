"""A Fetcher that writes every fetch (response or failure) of the fetcher it wraps to a WARC file."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from tools.archive._files import complete_prefix
from tools.archive._records import (
    RecordIds,
    failure_records,
    random_record_id,
    success_records,
    warcinfo_record,
)
from tools.fetching import Fetcher, FetchError, FetchRequest, FetchResponse

__all__ = ["WarcRecorder"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class WarcRecorder:
    """Delegates each fetch to ``inner`` and appends what happened to ``path`` (``.warc.gz``).

    Records are compressed and appended in a worker thread; a lock held only around the write
    serialises appends, so concurrent fetches proceed in parallel and their records never
    interleave. Each record is its own gzip member: a killed run leaves a readable archive prefix,
    and the cut member it may leave at the end is dropped before the first append (a resumed run
    appends to the same file, and readers stop at the first member that does not check out).
    """

    def __init__(
        self,
        inner: Fetcher,
        path: Path,
        *,
        clock: Callable[[], datetime] = _utc_now,
        record_ids: RecordIds = random_record_id,
        info: Mapping[str, str] | None = None,
    ) -> None:
        self._inner = inner
        self.path = path
        self._clock = clock
        self._record_ids = record_ids
        self._info = dict(info or {})
        self._lock = threading.Lock()
        self._tail_checked = False
        self.responses_recorded = 0
        self.failures_recorded = 0

    @property
    def fetch_count(self) -> int:
        """Fetches delegated to the inner fetcher and recorded: responses plus failures."""
        return self.responses_recorded + self.failures_recorded

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        try:
            response = await self._inner.fetch(request)
        except FetchError as error:
            failed_at = self._clock()
            await asyncio.to_thread(self._record_failure, request, error, failed_at)
            raise
        # Compressing a body of several MB takes tens of milliseconds: off the event loop.
        await asyncio.to_thread(self._record_success, request, response)
        return response

    def _record_success(self, request: FetchRequest, response: FetchResponse) -> None:
        self._append(success_records(request, response, self._record_ids), failure=False)

    def _record_failure(self, request: FetchRequest, error: FetchError, failed_at: datetime) -> None:
        self._append(failure_records(request, error, failed_at, self._record_ids), failure=True)

    def _append(self, data: bytes, *, failure: bool) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self._tail_checked:
                _drop_cut_tail(self.path)
                self._tail_checked = True
            with self.path.open("ab") as out:
                if out.tell() == 0:
                    out.write(warcinfo_record(self.path.name, self._clock(), self._record_ids, self._info))
                out.write(data)
            if failure:
                self.failures_recorded += 1
            else:
                self.responses_recorded += 1


def _drop_cut_tail(path: Path) -> None:
    """Truncate a gzip archive to its complete members; a file that is not gzip is left alone."""
    try:
        with path.open("rb") as stream:
            head = stream.read(2)
    except FileNotFoundError:
        return
    # A file cut inside the first member's magic is still ours.
    if not b"\x1f\x8b".startswith(head):
        return
    end = complete_prefix(path)
    if end < path.stat().st_size:
        with path.open("r+b") as stream:
            stream.truncate(end)
