"""The write node's pure parts: what a round writes, how the writer's results fold into the run's
bookkeeping, and the draft assembled from the blocks. No I/O: the node (:mod:`agent.nodes.write`)
calls the writer and the store around them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from agent.domain.models import Claim, Draft, Item, PaperSummary
from agent.state import DraftState
from agent.writers.base import RevisionNote, WriteResult

__all__ = ["Bookkeeping", "WritePlan", "assemble_draft", "fold_results", "plan_write"]


@dataclass(frozen=True)
class WritePlan:
    """What one round of ``write`` writes, and under which revision."""

    previous: Draft | None
    # The reviewer's comment the new text must follow (None on a first draft).
    comment: str | None
    revision: int
    notes: dict[str, list[RevisionNote]]
    to_summarize: list[Item]
    write_lead: bool


def _notes(state: DraftState) -> dict[str, list[RevisionNote]]:
    return {
        block: [RevisionNote(text=n["text"], reasons=tuple(n.get("reasons", ()))) for n in notes]
        for block, notes in (state.get("revision_notes") or {}).items()
    }


def plan_write(state: DraftState, papers: Sequence[Item]) -> WritePlan:
    """First round, or a new revision: everything is written. A grounding revise round: only the
    blocks with revision notes, under the same revision."""
    notes = _notes(state)
    previous = Draft.model_validate(state["draft"]) if state.get("draft") else None
    # A first draft answers no reviewer: whatever the state holds, no comment can apply to it.
    comment = state.get("reviewer_comment") if previous is not None else None
    # The round a comment arrives on (the review node and a correction set revise_round to 0 with it)
    # starts a new revision; a grounding revise round keeps that revision and its comment.
    new_revision = previous is not None and bool(comment) and state.get("revise_round", 0) == 0
    rewrite_all = previous is None or new_revision
    return WritePlan(
        previous=previous,
        comment=comment,
        revision=1 if previous is None else previous.revision + (1 if new_revision else 0),
        notes=notes,
        to_summarize=[p for p in papers if rewrite_all or f"paper:{p.id}" in notes],
        write_lead=rewrite_all or "lead" in notes,
    )


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


@dataclass
class Bookkeeping:
    """The blocks' claims and what the run report keeps about the writer, after a round."""

    claims_by_block: dict[str, list[Claim]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    prompts: dict[str, dict[str, Any]] = field(default_factory=dict)


def fold_results(
    state: DraftState, previous: Draft | None, results: Mapping[str, WriteResult]
) -> Bookkeeping:
    """The previous draft's blocks, with the blocks written this round replacing theirs; the state's
    failures, skips and problems of those blocks replaced by this round's."""
    kept = Bookkeeping(
        failures=[f for f in state.get("failures", []) if f["block"] not in results],
        skipped=[b for b in state.get("skipped", []) if b not in results],
        problems=[p for p in state.get("writer_problems", []) if p["block"] not in results],
        prompts={p["sha256"]: p for p in state.get("prompts", [])},
    )
    for claim in previous.claims if previous is not None else []:
        kept.claims_by_block.setdefault(claim.block, []).append(claim)
    for block, result in results.items():
        kept.prompts.update({p.sha256: p.model_dump() for p in result.prompts})
        # Non-fatal: e.g. a quote the model gave that differs from the document (the document's text is
        # what the ledger keeps). The reviewer sees them in the run report.
        for problem in result.problems:
            if {"block": block, "problem": problem} not in kept.problems:
                kept.problems.append({"block": block, "problem": problem})
        if result.skipped_for_budget:
            kept.skipped.append(block)
        elif result.error:
            kept.failures.append({"block": block, "error": result.error})
        if result.claims or not result.error:
            kept.claims_by_block[block] = _renumber(result.claims, block)
        else:
            kept.claims_by_block.pop(block, None)
    return kept


def assemble_draft(
    plan: WritePlan,
    books: Bookkeeping,
    papers: Sequence[Item],
    *,
    edition_date: date,
    byline: str,
    writer: str,
) -> Draft:
    """The draft: the lead's paragraphs, one summary per paper (or its error), every claim in order."""
    lead = books.claims_by_block.get("lead", [])
    paragraphs = sorted({c.paragraph for c in lead})
    return Draft(
        edition_date=edition_date,
        byline=byline,
        writer=writer,
        revision=plan.revision,
        lead_paragraphs=[[c.id for c in lead if c.paragraph == p] for p in paragraphs],
        papers=[
            PaperSummary(
                item_id=p.id,
                claim_ids=[c.id for c in books.claims_by_block.get(f"paper:{p.id}", [])],
                error=next((f["error"] for f in books.failures if f["block"] == f"paper:{p.id}"), None),
            )
            for p in papers
        ],
        claims=[
            c
            for block in ["lead", *(f"paper:{p.id}" for p in papers)]
            for c in books.claims_by_block.get(block, [])
        ],
    )
