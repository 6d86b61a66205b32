"""A year of history: 52 weekly editions (about 3,000 items and 2,000 claims) seeded from the sample
edition, then the reads a week's work does, timed on SQLite and on PostgreSQL (median of --runs each):

- the review list (``list_pending``: runs awaiting review, their claims counted),
- an edition view (``open_for_review``: draft, ledger, items and moves of one run),
- ``covered_in`` for a new week's items (which earlier editions showed them),
- the leaderboard moves (each board's previous snapshot, then the moves against it).

    .venv/bin/python scripts/bench_history.py [--runs 7] [--database-url postgresql://...]

Without --database-url a throwaway PostgreSQL cluster is started (tests/pg_server.py: Debian's server
binaries, run as the postgres user when root); when none can be started only SQLite is timed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import Claim, Draft, Item, Leaderboard, LeaderboardMove  # noqa: E402
from agent.moves import compute_moves  # noqa: E402
from agent.review import list_pending, open_for_review  # noqa: E402
from agent.store import RunStatus, Store  # noqa: E402

WEEKS = 52
ITEMS_PER_WEEK = 58  # x 52 = 3,016
CLAIMS_PER_WEEK = 39  # x 52 = 2,028
# A week's items: about a third were shown in an edition a month before (a paper still on the list, a
# repository still trending), the rest are new.
CARRIED_OVER = 20
AWAITING = 3  # the newest weeks wait for review


class Sample:
    """The sample edition's draft, items, boards and moves, drafted once offline."""

    def __init__(self, home: Path) -> None:
        from agent.runs import DraftOptions, start_draft
        from agent.settings import load_settings

        settings = load_settings({}, home=home)
        outcome = asyncio.run(start_draft(settings, DraftOptions(sample=True, writer="extractive")))
        with Store.open(settings.database) as store:
            record = store.latest_draft(outcome.run_id)
            assert record is not None
            self.draft: Draft = record.draft
            self.claims: list[Claim] = store.claims(outcome.run_id, record.revision)
            self.items: list[Item] = store.items(outcome.run_id)
            self.moves: list[LeaderboardMove] = store.moves(outcome.run_id)
        self.boards: list[Leaderboard] = [i.leaderboard for i in self.items if i.leaderboard is not None]


def _week_items(sample: Sample, week: int) -> list[Item]:
    """``ITEMS_PER_WEEK`` items: the sample's, with ids that repeat a selected item of four weeks before
    for the first ``CARRIED_OVER`` and are new for the rest."""
    items: list[Item] = []
    for n in range(ITEMS_PER_WEEK):
        earlier = week - 1 - AWAITING
        source_week, m = (earlier, n + CARRIED_OVER) if n < CARRIED_OVER and earlier >= 0 else (week, n)
        base = sample.items[m % len(sample.items)]
        items.append(base.model_copy(update={"id": f"{base.id}#w{source_week}-{m}"}))
    return items


def _claims(sample: Sample) -> list[Claim]:
    return [
        sample.claims[n % len(sample.claims)].model_copy(update={"id": f"c{n}"})
        for n in range(CLAIMS_PER_WEEK)
    ]


def _board(board: Leaderboard, week: int) -> Leaderboard:
    # Scores drift by week so that every board has moves.
    rows = tuple(
        r.model_copy(update={"score": r.score + (week % 5) * 0.1 * (i % 3)}) for i, r in enumerate(board.rows)
    )
    return board.model_copy(update={"rows": rows})


def seed(store: Store, sample: Sample, first: date) -> list[tuple[str, date, list[Item]]]:
    weeks: list[tuple[str, date, list[Item]]] = []
    claims = _claims(sample)
    for week in range(WEEKS):
        day = first + timedelta(weeks=week)
        run_id = f"{day.isoformat()}-bench{week:02d}"
        status = RunStatus.AWAITING_REVIEW if week >= WEEKS - AWAITING else RunStatus.PUBLISHED
        store.create_run(run_id, edition_date=day, writer="extractive", status=status)
        items = _week_items(sample, week)
        store.save_items(run_id, items)
        selected = [i.id for i in items[:40]]
        store.mark_selected(run_id, selected)
        draft = sample.draft.model_copy(update={"edition_date": day, "claims": claims})
        sections: dict[str, list[str]] = {}
        for item in items[:40]:
            sections.setdefault(item.section.value, []).append(item.id)
        store.save_draft(run_id, draft, sections=sections)
        store.save_claims(run_id, 1, claims)
        for board in sample.boards:
            store.save_leaderboard(run_id, day, _board(board, week))
        store.save_moves(run_id, sample.moves)
        weeks.append((run_id, day, items))
    return weeks


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm: the first call pays connection and statement caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


def bench(target: str, sample: Sample, runs: int) -> dict[str, tuple[float, float]]:
    first = date(2025, 12, 4)
    with Store.open(target) as store:
        started = time.perf_counter()
        weeks = seed(store, sample, first)
        seeded = time.perf_counter() - started
        items = sum(len(store.items(r)) for r, _, _ in weeks[:1]) * WEEKS
        claims = CLAIMS_PER_WEEK * WEEKS
        print(f"  seeded {WEEKS} editions, {items} items, {claims} claims in {seeded:.1f} s")
        newest_run, _, _ = weeks[-1]
        next_week = first + timedelta(weeks=WEEKS)
        new_items = [i.id for i in _week_items(sample, WEEKS)]
        names = [b.name for b in sample.boards]

        def moves() -> list[LeaderboardMove]:
            found: list[LeaderboardMove] = []
            for board in sample.boards:
                previous = store.previous_leaderboard(board.name, next_week)
                found += compute_moves(board, previous[1] if previous else None)
            return found

        covered = store.covered_in(new_items, next_week)
        assert len(covered) == CARRIED_OVER, f"{len(covered)} of the carried-over items were covered"
        assert len(list_pending(store)) == AWAITING and names
        return {
            "review list": _median_ms(lambda: list_pending(store), runs),
            "edition view": _median_ms(lambda: open_for_review(store, newest_run), runs),
            "covered_in (new week)": _median_ms(lambda: store.covered_in(new_items, next_week), runs),
            "leaderboard moves": _median_ms(moves, runs),
        }


def _report(engine: str, results: dict[str, tuple[float, float]]) -> None:
    for name, (median, worst) in results.items():
        flag = "" if median < 100 else "  OVER 100 ms"
        print(f"  {engine:<10} {name:<24} median {median:7.2f} ms (max {worst:7.2f}){flag}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database to seed")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs is at least 5")
    with tempfile.TemporaryDirectory() as scratch:
        sample = Sample(Path(scratch) / "sample")
        print("sqlite:")
        _report("sqlite", bench(str(Path(scratch) / "history.sqlite"), sample, args.runs))
        if args.database_url:
            print("postgresql:")
            _report("postgresql", bench(args.database_url, sample, args.runs))
            return
        from tests.pg_server import pg_server

        with pg_server() as server:
            if isinstance(server, str):
                print(f"postgresql: skipped ({server})")
                return
            url = server.create_database()
            print("postgresql (throwaway cluster, fsync off):")
            _report("postgresql", bench(url, sample, args.runs))
            server.drop_database(url)


if __name__ == "__main__":
    main()
