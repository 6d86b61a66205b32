"""select: the edition's items (see agent.selection), and the leaderboards' week-on-week moves.

With the Claude writer, a model ranks the candidates against the focus topics and names the week's
theme (structured output, in requests of their own); when it cannot, the keyword ranking stands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.domain.errors import WriterError
from agent.domain.models import Item, LeaderboardMove, Section
from agent.moves import compute_moves
from agent.selection import Selection, select_items, select_with_reasons, window_bounds
from agent.state import DraftState, WindowSummary
from agent.writers.base import SelectionHelper

__all__ = ["select", "selected_items"]

# The model ranks at most this many candidates per prose section: enough to reorder well beyond the
# section caps (6-8), small enough to keep the ranking request around 10k tokens.
_RANKED_CANDIDATES = 30
_RANKED_SECTIONS = (Section.LABS, Section.WIRE, Section.PAPERS)


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


async def _model_help(
    helper: SelectionHelper,
    candidates: Mapping[Section, list[Item]],
    focus: Sequence[str],
    deps: Deps,
    run_id: str,
) -> tuple[dict[str, float], str | None, list[dict[str, str]]]:
    """The model's scores and theme; each call that fails is recorded and its part falls back."""
    pool = [i for section in _RANKED_SECTIONS for i in candidates.get(section, [])[:_RANKED_CANDIDATES]]
    scores: dict[str, float] = {}
    theme: str | None = None
    failures: list[dict[str, str]] = []
    try:
        scores = dict(await helper.rank_items(pool, focus))
    except WriterError as exc:
        failures.append({"block": "select:rank", "error": str(exc)})
    try:
        theme = await helper.name_theme(pool)
    except WriterError as exc:
        failures.append({"block": "select:theme", "error": str(exc)})
    deps.progress(
        "select", f"model ranking of {len(pool)} candidates" + (f"; theme: {theme}" if theme else "")
    )
    return scores, theme, failures


_ALL_OUTSIDE = (
    "every dated item ({n}) is outside the window: the edition holds only repositories and leaderboards;"
    " check --date and --window-days"
)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in counter.most_common())


def _window_summary(edition_date: date, days: int, selection: Selection) -> WindowSummary:
    start, end = window_bounds(edition_date, days)
    return WindowSummary(
        days=days,
        start=start.date().isoformat(),
        end=(end - timedelta(days=1)).date().isoformat(),
        dated_in_window=selection.dated_in_window,
        dated_outside=selection.dated_outside,
        all_outside=selection.all_outside_window,
    )


def selected_items(state: DraftState) -> dict[Section, list[Item]]:
    """The selection this stage stored, read back as items per section in its order."""
    by_id = {i["id"]: i for i in state.get("items", [])}
    chosen = state.get("selected", {})
    return {
        section: [Item.model_validate(by_id[i]) for i in chosen.get(section.value, []) if i in by_id]
        for section in Section
    }


async def select(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    options = state["options"]
    run_id = options["run_id"]
    edition_date = date.fromisoformat(options["edition_date"])
    items = [Item.model_validate(i) for i in state.get("items", [])]
    common: dict[str, Any] = {
        "edition_date": edition_date,
        "window_days": options["window_days"],
        "focus_by_source": {s["name"]: s.get("focus", []) for s in state["sources"]},
        "covered": deps.store.covered_in([i.id for i in items], before=edition_date),
    }
    scores: dict[str, float] = {}
    theme: str | None = None
    failures: list[dict[str, str]] = []
    if deps.selection_helper is not None:
        candidates = select_items(items, caps=dict.fromkeys(Section, _RANKED_CANDIDATES), **common)
        scores, theme, failures = await _model_help(
            deps.selection_helper, candidates, options["focus"], deps, run_id
        )
    selection = select_with_reasons(items, scores=scores, **common)
    selected = selection.sections
    moves = _leaderboard_moves(run_id, edition_date, selected[Section.BENCHMARKS], deps)
    by_id = {i.id: i for section in selected.values() for i in section}
    # The selected items as the edition shows them (relevance and earlier coverage set): the store is
    # what review and publishing read. Only what reaches readers counts as covered in later editions
    # (extract saved everything gathered).
    deps.store.save_items(run_id, by_id.values())
    deps.store.mark_selected(run_id, list(by_id))
    shown = ", ".join(f"{section.value} {len(chosen)}" for section, chosen in selected.items())
    reasons = Counter(d.reason.value.replace("_", " ") for d in selection.dropped)
    left_out = f"; {len(selection.dropped)} left out ({_counts(reasons)})" if selection.dropped else ""
    deps.progress("select", shown + left_out)
    if selection.all_outside_window:
        deps.progress("select", f"warning: {_ALL_OUTSIDE.format(n=selection.dated_outside)}")
    return {
        # Selected items replace the raw list: relevance and covered_in are now set on them.
        "items": [i.model_dump(mode="json") for i in by_id.values()],
        "selected": {section.value: [i.id for i in chosen] for section, chosen in selected.items()},
        "moves": [m.model_dump(mode="json") for m in moves],
        "theme": theme,
        # Every extracted item not in the edition, with its reason: the run report's ``dropped``.
        "dropped": [d.model_dump(mode="json") for d in selection.dropped],
        "window": _window_summary(edition_date, options["window_days"], selection),
        "unreadable_dates": [
            {"item_id": i.id, "source": i.source, "printed": str(i.extra["unreadable_date"])}
            for i in items
            if i.extra.get("unreadable_date")
        ],
        "failures": [*state.get("failures", []), *failures],
    }
