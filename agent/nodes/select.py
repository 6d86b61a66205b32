"""select: the edition's items (see agent.selection), and the leaderboards' week-on-week moves."""

from __future__ import annotations

from datetime import date
from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.models import Item, LeaderboardMove, Section
from agent.moves import compute_moves
from agent.selection import select_items
from agent.state import DraftState

__all__ = ["select"]


def _leaderboard_moves(
    run_id: str, edition_date: date, boards: list[Item], deps: Deps
) -> list[LeaderboardMove]:
    moves: list[LeaderboardMove] = []
    for item in boards:
        if item.leaderboard is None:
            continue
        previous = deps.store.previous_leaderboard(item.leaderboard.name, before=edition_date)
        moves.extend(compute_moves(item.leaderboard, previous[1] if previous else None))
        # Saved per run and date: a resumed or repeated select overwrites, never duplicates.
        deps.store.save_leaderboard(run_id, edition_date, item.leaderboard)
    deps.store.save_moves(run_id, moves)
    return moves


async def select(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    options = state["options"]
    edition_date = date.fromisoformat(options["edition_date"])
    items = [Item.model_validate(i) for i in state.get("items", [])]
    focus_by_source = {s["name"]: s.get("focus", []) for s in state["sources"]}
    covered = deps.store.covered_in([i.id for i in items], before=edition_date)
    selected = select_items(
        items,
        edition_date=edition_date,
        window_days=options["window_days"],
        focus_by_source=focus_by_source,
        covered=covered,
    )
    moves = _leaderboard_moves(options["run_id"], edition_date, selected[Section.BENCHMARKS], deps)
    by_id = {i.id: i for section in selected.values() for i in section}
    # Only what reaches readers counts as covered in later editions (extract saved everything gathered).
    deps.store.mark_selected(options["run_id"], list(by_id))
    deps.progress(
        "select", ", ".join(f"{section.value} {len(chosen)}" for section, chosen in selected.items())
    )
    return {
        # Selected items replace the raw list: relevance and covered_in are now set on them.
        "items": [i.model_dump(mode="json") for i in by_id.values()],
        "selected": {section.value: [i.id for i in chosen] for section, chosen in selected.items()},
        "moves": [m.model_dump(mode="json") for m in moves],
    }
