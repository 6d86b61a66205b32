"""A store in a temporary directory, with a clock that ticks one minute per reading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.store import Store


class TickingClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "report.sqlite"


@pytest.fixture
def store(database: str, clock: TickingClock) -> Iterator[Store]:
    """On each engine (the ``database`` fixture): SQLite, then PostgreSQL."""
    with Store.open(database, clock=clock) as opened:
        yield opened
