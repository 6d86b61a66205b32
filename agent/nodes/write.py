"""write: paper summaries (in parallel, inside the writer), then the lead essay over the selection.

On a revise round only the blocks with revision notes are written again; every other block of the
previous draft is kept as it was.

A reviewer's comment (a request for changes, or a correction) starts a new revision: it arrives with
``revise_round`` 0 and everything is written again under a new revision number. It stays in the state
through that revision's grounding revise rounds, so a rewritten lead is still told what the reviewer
asked for; the next decision replaces it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.domain.models import Claim, Draft, LeaderboardMove, PaperSummary, Section
from agent.moves import moves_document
from agent.nodes.select import selected_items
from agent.state import DraftState
from agent.writers.base import LeadRequest, RevisionNote, WriteResult

__all__ = ["write"]


def _renumber(claims: list[Claim], block: str) -> list[Claim]:
    """Final ids: ``<block>:<paragraph>:<sentence>``, sentences counted within each paragraph."""
    counters: dict[int, int] = {}
    renumbered = []
    for claim in claims:
        index = counters.get(claim.paragraph, 0)
        counters[claim.paragraph] = index + 1
        renumbered.append(
            claim.model_copy(update={"id": f"{block}:{claim.paragraph}:{index}", "block": block})
        )
    return renumbered


def _notes(state: DraftState) -> dict[str, list[RevisionNote]]:
    return {
        block: [RevisionNote(text=n["text"], reasons=tuple(n.get("reasons", ()))) for n in notes]
        for block, notes in (state.get("revision_notes") or {}).items()
    }


async def write(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    options = state["options"]
    edition_date = date.fromisoformat(options["edition_date"])
    notes = _notes(state)
    previous = Draft.model_validate(state["draft"]) if state.get("draft") else None
    # A first draft answers no reviewer: whatever the state holds, no comment can apply to it.
    comment = state.get("reviewer_comment") if previous is not None else None
    # The round a comment arrives on (the review node and a correction set revise_round to 0 with it)
    # starts a new revision; a grounding revise round keeps that revision and its comment.
    new_revision = previous is not None and bool(comment) and state.get("revise_round", 0) == 0
    # First round, or a new revision: everything is written. A revise round: only noted blocks.
    rewrite_all = previous is None or new_revision
    sections = selected_items(state)
    papers = sections[Section.PAPERS]
    to_summarize = [p for p in papers if rewrite_all or f"paper:{p.id}" in notes]

    results: dict[str, WriteResult] = {}
    if to_summarize:
        paper_notes = {p.id: notes.get(f"paper:{p.id}", []) for p in to_summarize}
        for item_id, result in (await deps.writer.summarize_papers(to_summarize, notes=paper_notes)).items():
            results[f"paper:{item_id}"] = result
        deps.count("writer_calls", len(to_summarize))
        deps.progress("write", f"{len(to_summarize)} paper summaries")

    if rewrite_all or "lead" in notes:
        moves = [LeaderboardMove.model_validate(m) for m in state.get("moves", [])]
        lead_items = [i for section in Section for i in sections[section]]
        results["lead"] = await deps.writer.write_lead(
            LeadRequest(
                edition_date=edition_date,
                items=lead_items,
                moves=moves,
                moves_document=moves_document(moves, edition_date) if moves else None,
                focus=options["focus"],
                theme=state.get("theme"),
                revision_notes=notes.get("lead", []),
                reviewer_comment=comment,
            )
        )
        deps.count("writer_calls")
        deps.progress("write", "lead essay")

    claims_by_block: dict[str, list[Claim]] = {}
    if previous is not None:
        for claim in previous.claims:
            claims_by_block.setdefault(claim.block, []).append(claim)
    failures = [f for f in state.get("failures", []) if f["block"] not in results]
    skipped = [b for b in state.get("skipped", []) if b not in results]
    problems = [p for p in state.get("writer_problems", []) if p["block"] not in results]
    prompts = {p["sha256"]: p for p in state.get("prompts", [])}
    for block, result in results.items():
        # Usage goes to the store per call: the run report sums it across processes and stages.
        if result.usage.usd or result.usage.input_tokens:
            paper_id = block.removeprefix("paper:") if block.startswith("paper:") else None
            deps.store.record_usage(
                options["run_id"],
                stage="write",
                model=deps.settings.model,
                usage=result.usage,
                item_id=paper_id,
                prompts=result.prompts,
            )
        prompts.update({p.sha256: p.model_dump() for p in result.prompts})
        # Non-fatal: e.g. a quote the model gave that differs from the document (the document's text is
        # what the ledger keeps). The reviewer sees them in the run report.
        for problem in result.problems:
            if {"block": block, "problem": problem} not in problems:
                problems.append({"block": block, "problem": problem})
        if result.skipped_for_budget:
            skipped.append(block)
        elif result.error:
            failures.append({"block": block, "error": result.error})
        if result.claims or not result.error:
            claims_by_block[block] = _renumber(result.claims, block)
        else:
            claims_by_block.pop(block, None)

    lead = claims_by_block.get("lead", [])
    paragraphs = sorted({c.paragraph for c in lead})
    draft = Draft(
        edition_date=edition_date,
        byline=deps.settings.byline,
        writer=deps.writer.name,
        revision=1 if previous is None else previous.revision + (1 if new_revision else 0),
        lead_paragraphs=[[c.id for c in lead if c.paragraph == p] for p in paragraphs],
        papers=[
            PaperSummary(
                item_id=p.id,
                claim_ids=[c.id for c in claims_by_block.get(f"paper:{p.id}", [])],
                error=next((f["error"] for f in failures if f["block"] == f"paper:{p.id}"), None),
            )
            for p in papers
        ],
        claims=[
            c
            for block in ["lead", *(f"paper:{p.id}" for p in papers)]
            for c in claims_by_block.get(block, [])
        ],
    )
    return {
        "draft": draft.model_dump(mode="json"),
        "failures": failures,
        "skipped": skipped,
        "writer_problems": problems,
        "prompts": list(prompts.values()),
        "revision_notes": {},
        # Kept for this revision's revise rounds (see the module docstring).
        "reviewer_comment": comment,
    }
