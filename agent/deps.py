"""Dependencies of a run, passed to every node through LangGraph's runtime context.

Nothing here is created at import time: :mod:`agent.runs` builds a ``Deps`` per run from settings,
and tests build one from fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from agent.domain.models import Claim, Item, LeaderboardMove
from agent.llm import CostMeter
from agent.settings import Settings
from agent.writers.base import SelectionHelper, Writer
from tools.fetching import Fetcher

if TYPE_CHECKING:
    from agent.store import Store

__all__ = ["Checker", "Clock", "Deps", "ProgressFn", "ignore_progress", "utc_now"]


class Checker(Protocol):
    def __call__(
        self, claims: Sequence[Claim], *, items: Mapping[str, Item], moves: Sequence[LeaderboardMove] = ()
    ) -> list[Claim]: ...


Clock = Callable[[], datetime]
# (stage, message): a node reports what it did; the CLI shows it.
ProgressFn = Callable[[str, str], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


def ignore_progress(stage: str, message: str) -> None:
    return None


@dataclass
class Deps:
    settings: Settings
    store: Store
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
    # Counters a test or the report can read: how many fetches and writer calls this process made.
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n
