"""The sample edition's history in the product database: last week's run, signed off.

The sample's files (archives, sources, documents) live in :mod:`tools.sample`; writing them into a
:class:`~agent.store.Store` is the product's job, so it lives here and ``tools/`` stays below ``agent``.
"""

from __future__ import annotations

from datetime import date

from agent.domain.models import Leaderboard
from agent.store import RunStatus, Store
from tools.sample import PREVIOUS_WEEK_ARCHIVE, PREVIOUS_WEEK_DATE, SAMPLE_SOURCES, previous_week_leaderboards

__all__ = ["SEED_RUN_ID", "seed_previous_week"]

SEED_RUN_ID = "sample-previous-week"


def seed_previous_week(store: Store, *, before: date) -> list[Leaderboard]:
    """Store the previous-week archive's leaderboards as a signed-off edition dated no later than ``before``.

    Idempotent: the seed run is created once and its snapshots are replaced on every call.
    """
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
