"""Article extraction off the event loop: trafilatura is CPU-bound, so pages are extracted in worker
processes (one per core) while the fetcher keeps waiting on the network."""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor

from agent.domain.models import Item
from tools.adapters._context import AdapterContext
from tools.adapters._errors import ParseError
from tools.adapters.page import extract_page

__all__ = ["PageExtractor", "default_workers"]


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _watch_parent(parent: int) -> None:
    """A worker outlives a killed run otherwise: it waits for work forever and keeps the run's output
    pipes open (the resume test waits on them)."""
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _extract(body: bytes, ctx: AdapterContext, with_metadata: bool, known_title: str) -> Item | str:
    # A ParseError does not survive pickling (keyword-only fields): its message crosses instead.
    try:
        return extract_page(body, ctx, with_metadata=with_metadata, known_title=known_title)
    except ParseError as exc:
        return str(exc)


class PageExtractor:
    """``await extractor.extract(body, ctx)`` is :func:`tools.adapters.extract_page` in a worker process.

    ``workers=0`` extracts in the calling thread (tests, one-page runs). The pool starts with the
    first page, not before: a run with no article to extract pays nothing. Workers are forked, so
    they start in milliseconds with trafilatura already imported (a fork server or spawn would
    re-import it, and re-run an unguarded ``__main__``); they only ever run the extraction, never
    the parent's loop, store or sockets. ``close()`` (or ``async with``) stops them.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    async def extract(
        self, body: bytes, ctx: AdapterContext, *, with_metadata: bool = True, known_title: str = ""
    ) -> Item:
        if self.workers == 0:
            result = _extract(body, ctx, with_metadata, known_title)
        else:
            call = functools.partial(_extract, body, ctx, with_metadata, known_title)
            result = await asyncio.get_running_loop().run_in_executor(self._executor(), call)
        if isinstance(result, str):
            raise ParseError(result, url=ctx.url, source=ctx.source)
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def __aenter__(self) -> PageExtractor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
