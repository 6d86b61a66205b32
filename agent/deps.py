"""Dependencies of a run, passed to every node through LangGraph's runtime context.

Nothing here is created at import time: :mod:`agent.runs` builds a ``Deps`` per run from settings,
and tests build one from fakes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from agent.domain.models import Claim, Draft, Item, Leaderboard, LeaderboardMove, PromptRef, Usage
from agent.llm import CostMeter
from agent.settings import Settings
from agent.store import DraftRecord, RunStatus, UsageTotals
from agent.writers.base import SelectionHelper, Writer
from tools.fetching import Fetcher

if TYPE_CHECKING:
    from tools.adapters import AdapterContext

__all__ = [
    "Checker",
    "Clock",
    "Deps",
    "Extractor",
    "ProgressFn",
    "Publisher",
    "RunStore",
    "ignore_progress",
    "utc_now",
]


class Checker(Protocol):
    def __call__(
        self, claims: Sequence[Claim], *, items: Mapping[str, Item], moves: Sequence[LeaderboardMove] = ()
    ) -> list[Claim]: ...


class RunStore(Protocol):
    """What the nodes read from and write to the store while drafting: items, selection, leaderboards,
    usage, the revision and its ledger, the run's report and status. :class:`agent.store.Store`
    satisfies it; reviews, publications and the HTTP cache are none of a node's business."""

    def first_seen(self, seen: Mapping[str, datetime]) -> dict[str, datetime]: ...
    def save_items(self, run_id: str, items: Iterable[Item]) -> None: ...
    def mark_selected(self, run_id: str, item_ids: Sequence[str]) -> None: ...
    def covered_in(self, item_ids: Sequence[str], before: date) -> dict[str, list[str]]: ...
    def previous_leaderboard(self, name: str, before: date) -> tuple[date, Leaderboard] | None: ...
    def save_leaderboard(self, run_id: str, edition_date: date, leaderboard: Leaderboard) -> None: ...
    def save_moves(self, run_id: str, moves: Sequence[LeaderboardMove]) -> None: ...
    def record_usage(
        self,
        run_id: str,
        *,
        stage: str,
        model: str,
        usage: Usage,
        item_id: str | None = None,
        prompts: Sequence[PromptRef] = (),
    ) -> None: ...
    def usage_totals(self, run_id: str) -> UsageTotals: ...
    def save_draft(
        self,
        run_id: str,
        draft: Draft,
        *,
        sections: Mapping[str, Sequence[str]] | None = None,
        source_urls: Mapping[str, Sequence[str]] | None = None,
    ) -> str: ...
    def save_claims(self, run_id: str, revision: int, claims: Sequence[Claim]) -> None: ...
    # The review node reads the latest revision back: a hand edit (agent.edits) may have made one.
    def latest_draft(self, run_id: str) -> DraftRecord | None: ...
    def set_run_report(self, run_id: str, report: Mapping[str, Any]) -> None: ...
    def set_run_status(self, run_id: str, status: RunStatus | str) -> None: ...


class Extractor(Protocol):
    """Article text from a page's bytes (``tools.adapters.PageExtractor``: a process pool)."""

    async def extract(
        self, body: bytes, ctx: AdapterContext, *, with_metadata: bool = True, known_title: str = ""
    ) -> Item: ...


Clock = Callable[[], datetime]
# (stage, message): a node reports what it did; the CLI shows it.
ProgressFn = Callable[[str, str], None]
# Publishes (and with auto_send mails) the approved revision of a run: agent.release, bound by agent.runs
# to the run's store and settings.
Publisher = Callable[[str], dict[str, Any]]


def utc_now() -> datetime:
    return datetime.now(UTC)


def ignore_progress(stage: str, message: str) -> None:
    return None


@dataclass
class Deps:
    settings: Settings
    store: RunStore
    publish: Publisher
    # Fetches for this run; every response lands in ``archive_path`` (see tools.archive.WarcRecorder).
    fetcher: Fetcher
    archive_path: Path
    writer: Writer
    checker: Checker
    run_dir: Path
    clock: Clock = utc_now
    progress: ProgressFn = ignore_progress
    # Optional selection help (the claude writer's structured-output calls); None with the extractive writer.
    selection_helper: SelectionHelper | None = None
    # Every model call of the run is metered here against the run's budget.
    meter: CostMeter = field(default_factory=CostMeter)
    # Event-loop time by which every source of this run must be fetched (settings.run_deadline_seconds
    # from when this process took up the run); None: each source has only its own deadline.
    fetch_deadline: float | None = None
    # Where article pages are extracted; None: in the event loop's thread, one at a time.
    extractor: Extractor | None = None
    # Linked pages fetched but not yet extracted, at most this many at once; None: as the network
    # brings them. A replayed run "fetches" every page at once, and holding every body until its
    # turn in the extraction pool made peak RSS grow with the pages.
    pages_in_hand: asyncio.Semaphore | None = None
    # Counters a test or the report can read: how many fetches and writer calls this process made.
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n
