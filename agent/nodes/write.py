"""write: paper summaries (in parallel, inside the writer), then the lead essay over the selection.

On a revise round only the blocks with revision notes are written again; every other block of the
previous draft is kept as it was.

A reviewer's comment (a request for changes, or a correction) starts a new revision: it arrives with
``revise_round`` 0 and everything is written again under a new revision number. It stays in the state
through that revision's grounding revise rounds, so a rewritten lead is still told what the reviewer
asked for; the next decision replaces it.

The node calls the writer, whose billed calls are recorded as they return (through the run's meter);
what to write, how results fold into the run's bookkeeping and how the draft is assembled are pure
functions (:mod:`agent.nodes._drafting`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.domain.models import Item, LeaderboardMove, Section
from agent.moves import moves_document
from agent.nodes._drafting import WritePlan, assemble_draft, fold_results, plan_write
from agent.nodes.select import selected_items
from agent.state import DraftState
from agent.week import week_document
from agent.writers.base import LeadRequest, WriteResult

__all__ = ["write"]


# A batch can take from minutes to a day, and nothing else is printed until it ends.
_BATCH_WAIT = "sent as a Message Batch (--batch): waiting for it to end, minutes and at most 24 h"


async def _summarize(deps: Deps, plan: WritePlan, *, batch: bool = False) -> dict[str, WriteResult]:
    if not plan.to_summarize:
        return {}
    if batch and deps.writer.name == "claude":
        deps.progress("write", f"{len(plan.to_summarize)} paper summaries {_BATCH_WAIT}")
    paper_notes = {p.id: plan.notes.get(f"paper:{p.id}", []) for p in plan.to_summarize}
    written = await deps.writer.summarize_papers(plan.to_summarize, notes=paper_notes)
    deps.count("writer_calls", len(plan.to_summarize))
    deps.progress("write", f"{len(plan.to_summarize)} paper summaries")
    return {f"paper:{item_id}": result for item_id, result in written.items()}


async def _write_lead(
    deps: Deps, state: DraftState, plan: WritePlan, sections: Mapping[Section, list[Item]]
) -> WriteResult:
    options = state["options"]
    if options.get("batch") and deps.writer.name == "claude":
        deps.progress("write", f"lead essay {_BATCH_WAIT}")
    edition_date = date.fromisoformat(options["edition_date"])
    moves = [LeaderboardMove.model_validate(m) for m in state.get("moves", [])]
    result = await deps.writer.write_lead(
        LeadRequest(
            edition_date=edition_date,
            items=[i for section in Section for i in sections[section]],
            moves=moves,
            moves_document=moves_document(moves, edition_date) if moves else None,
            week_document=week_document({s: len(sections[s]) for s in Section}, edition_date),
            focus=options["focus"],
            theme=state.get("theme"),
            revision_notes=plan.notes.get("lead", []),
            reviewer_comment=plan.comment,
        )
    )
    deps.count("writer_calls")
    deps.progress("write", "lead essay")
    return result


async def write(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    options = state["options"]
    sections = selected_items(state)
    papers = sections[Section.PAPERS]
    plan = plan_write(state, papers)
    results = await _summarize(deps, plan, batch=bool(options.get("batch")))
    if plan.write_lead:
        results["lead"] = await _write_lead(deps, state, plan, sections)
    books = fold_results(state, plan.previous, results)
    draft = assemble_draft(
        plan,
        books,
        papers,
        edition_date=date.fromisoformat(options["edition_date"]),
        byline=deps.settings.byline,
        writer=deps.writer.name,
    )
    return {
        "draft": draft.model_dump(mode="json"),
        "failures": books.failures,
        "skipped": books.skipped,
        "writer_problems": books.problems,
        "prompts": list(books.prompts.values()),
        "revision_notes": {},
        # Kept for this revision's revise rounds (see the module docstring).
        "reviewer_comment": plan.comment,
    }
