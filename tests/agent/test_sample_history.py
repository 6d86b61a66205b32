"""The sample's previous week is stored as a signed-off run, so moves show from the first sample draft."""

from __future__ import annotations

from pathlib import Path

from agent.domain.models import Leaderboard
from agent.sample_history import SEED_RUN_ID, seed_previous_week
from agent.store import RunStatus, Store
from tools.sample import PREVIOUS_WEEK_DATE, SAMPLE_DATE


def test_seed_previous_week_stores_snapshots_idempotently(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "report.db")
    boards: list[Leaderboard] = []
    for _ in range(2):
        boards = seed_previous_week(store, before=SAMPLE_DATE)
    run = store.get_run(SEED_RUN_ID)
    assert run.edition_date == PREVIOUS_WEEK_DATE
    assert run.status is RunStatus.PUBLISHED
    assert boards
    for board in boards:
        found = store.previous_leaderboard(board.name, before=SAMPLE_DATE)
        assert found == (PREVIOUS_WEEK_DATE, board)
