"""Last week's leaderboards for the sample edition, stored so that moves show from the first run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from agent.domain.models import Leaderboard, SourceKind
from agent.domain.sources import load_sources
from tools.archive import read_archived

if TYPE_CHECKING:
    from agent.store import Store

__all__ = ["SEED_RUN_ID", "previous_week_leaderboards", "seed_previous_week"]

SEED_RUN_ID = "sample-previous-week"


def previous_week_leaderboards(sources_path: Path, archive: Path) -> list[Leaderboard]:
    """Each leaderboard source of ``sources_path`` parsed from its response in ``archive``."""
    from tools.adapters import parse_response

    boards: list[Leaderboard] = []
    for spec in load_sources(sources_path).enabled():
        if spec.kind is not SourceKind.LEADERBOARD:
            continue
        response = read_archived(archive, str(spec.url))
        if response is None:
            continue
        boards.extend(item.leaderboard for item in parse_response(spec, response) if item.leaderboard)
    return boards


def seed_previous_week(store: Store, *, before: date) -> list[Leaderboard]:
    """Store the previous-week archive's leaderboards as a signed-off edition dated no later than ``before``.

    Idempotent: the seed run is created once and its snapshots are replaced on every call.
    """
    from agent.store import RunStatus
    from tools.sample import PREVIOUS_WEEK_ARCHIVE, PREVIOUS_WEEK_DATE, SAMPLE_SOURCES

    edition_date = min(PREVIOUS_WEEK_DATE, before)
    boards = previous_week_leaderboards(SAMPLE_SOURCES, PREVIOUS_WEEK_ARCHIVE)
    store.create_run(
        SEED_RUN_ID,
        edition_date=edition_date,
        writer="sample",
        sources_path=str(SAMPLE_SOURCES),
        # Signed off: the previous snapshot readers saw is the one moves are measured against.
        status=RunStatus.PUBLISHED,
    )
    for board in boards:
        store.save_leaderboard(SEED_RUN_ID, edition_date, board)
    return boards
