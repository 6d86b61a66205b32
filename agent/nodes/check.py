"""check: the grounding checker builds the claim ledger; unsupported claims go back to the writer.

At most ``MAX_REVISE_ROUNDS`` rounds. What is still not supported after them is flagged for the
reviewer (and blocks approval without an override), never kept silently; so is a claim resting on a
source sentence that addresses an AI or gives instructions.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from agent.deps import Deps
from agent.domain.models import Claim, Draft, Item, LeaderboardMove, Verdict
from agent.injection import marking_reason, suspicious_sentences
from agent.moves import moves_document
from agent.nodes.select import selected_items
from agent.state import DraftState
from agent.week import week_document

__all__ = ["MAX_REVISE_ROUNDS", "check"]

MAX_REVISE_ROUNDS = 2
_NEEDS_REVISION = frozenset({Verdict.UNSUPPORTED, Verdict.NO_CITATION})
# The report's skipped list holds the writer's blocks and, with this prefix, the model calls the budget
# refused during the check (the judge's). Every check round asks about every undecided claim again
# (answers already given are cached and free), so one round's refusals replace the previous round's.
_CHECK_SKIP = "check: "


def _revision_notes(claims: list[Claim]) -> dict[str, list[dict[str, Any]]]:
    notes: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        if claim.verdict in _NEEDS_REVISION:
            notes.setdefault(claim.block, []).append({"text": claim.text, "reasons": claim.reasons})
    return notes


async def check(state: DraftState, runtime: Runtime[Deps]) -> Command[Literal["write", "render"]]:
    deps = runtime.context
    draft = Draft.model_validate(state["draft"])
    items = {i["id"]: Item.model_validate(i) for i in state.get("items", [])}
    moves = [LeaderboardMove.model_validate(m) for m in state.get("moves", [])]
    for document in _derived_documents(state, moves):
        items[document.id] = document
    refused_before = len(deps.meter.skipped)
    # The checker is CPU-bound (and, with a judge, makes blocking model calls): off the event loop.
    checked = _mark_instructions(
        await asyncio.to_thread(deps.checker, draft.claims, items=items, moves=moves)
    )
    refused = [_CHECK_SKIP + label for label in deps.meter.skipped[refused_before:]]
    skipped = [s for s in state.get("skipped", []) if not s.startswith(_CHECK_SKIP)] + refused
    notes = _revision_notes(checked)
    rounds = state.get("revise_round", 0)
    counts = {v.value: sum(1 for c in checked if c.verdict is v) for v in Verdict}
    summary = ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in counts.items() if n)
    if refused:
        summary += f"; {len(refused)} not judged (budget reached)"
    deps.progress("check", f"{len(checked)} claims: {summary or 'none'}")
    if notes and rounds < MAX_REVISE_ROUNDS:
        draft = draft.model_copy(update={"claims": checked})
        return Command(
            goto="write",
            update={
                "draft": draft.model_dump(mode="json"),
                "revision_notes": notes,
                "revise_round": rounds + 1,
                "skipped": skipped,
            },
        )
    flagged = [
        c.model_copy(update={"flagged": c.verdict in _NEEDS_REVISION or bool(suspicious_sentences(c))})
        for c in checked
    ]
    draft = draft.model_copy(update={"claims": flagged})
    return Command(goto="render", update={"draft": draft.model_dump(mode="json"), "skipped": skipped})


def _mark_instructions(claims: list[Claim]) -> list[Claim]:
    """A claim resting on a source sentence that speaks to an AI carries the reason, quoting it; it is
    flagged for the reviewer whatever its verdict (a supported claim may be one the source dictated)."""
    marked = []
    for claim in claims:
        reason = marking_reason(claim)
        marked.append(
            claim if reason is None else claim.model_copy(update={"reasons": [*claim.reasons, reason]})
        )
    return marked


def _derived_documents(state: DraftState, moves: list[LeaderboardMove]) -> list[Item]:
    """The citable documents write generated (the moves, the week's figures), rebuilt exactly as write
    made them: they are cited but never fetched."""
    edition_date = date.fromisoformat(state["options"]["edition_date"])
    sections = selected_items(state)
    week = week_document({s: len(chosen) for s, chosen in sections.items()}, edition_date)
    documents = [moves_document(moves, edition_date)] if moves else []
    return documents + ([week] if week is not None else [])
