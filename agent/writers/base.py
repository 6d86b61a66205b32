"""The writer seam: the extractive writer and the Claude writer implement :class:`Writer`.

A writer returns sentences as :class:`~agent.domain.models.Claim` objects with their citations; the
write node assigns the final claim ids and assembles the :class:`~agent.domain.models.Draft`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, runtime_checkable

from agent.domain.models import Claim, Item, LeaderboardMove, PromptRef, Usage

__all__ = ["LeadRequest", "RevisionNote", "SelectionHelper", "WriteResult", "Writer"]


@dataclass(frozen=True, slots=True)
class RevisionNote:
    """A claim that did not hold up (or a reviewer's comment), sent back to the writer."""

    text: str
    reasons: tuple[str, ...] = ()


@dataclass(slots=True)
class WriteResult:
    """One writer call's output. ``claims`` have ``block``/``paragraph``/``text``/``citations`` set;
    their ``id`` may be provisional. ``error`` is set when the call failed for good (the run goes on)."""

    claims: list[Claim] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    prompts: list[PromptRef] = field(default_factory=list)
    error: str | None = None
    # True when --max-cost stopped this call before it was made.
    skipped_for_budget: bool = False
    # Recorded, not fatal: e.g. a citation whose cited_text differs from the document at its range.
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LeadRequest:
    edition_date: date
    items: Sequence[Item]  # the selected items of every section, best first within a section
    moves: Sequence[LeaderboardMove] = ()
    # The leaderboard moves rendered as a citable text document (id "moves:<date>").
    moves_document: Item | None = None
    # The week's figures (items per section) as a citable document (id "week:<date>").
    week_document: Item | None = None
    focus: Sequence[str] = ()
    theme: str | None = None
    revision_notes: Sequence[RevisionNote] = ()
    reviewer_comment: str | None = None


@runtime_checkable
class SelectionHelper(Protocol):
    """Optional help for the select stage (the Claude writer's structured-output calls).

    Both raise :class:`~agent.domain.errors.WriterError` (or ``BudgetExceeded``) when they cannot answer; the
    select stage then keeps its own ranking."""

    async def rank_items(self, items: Sequence[Item], focus: Sequence[str]) -> list[tuple[str, float]]: ...

    async def name_theme(self, items: Sequence[Item]) -> str: ...


class Writer(Protocol):
    name: str

    async def summarize_papers(
        self, papers: Sequence[Item], *, notes: dict[str, list[RevisionNote]] | None = None
    ) -> dict[str, WriteResult]:
        """One summary per paper (keyed by item id), 3-6 cited sentences each, block ``paper:<id>``."""
        ...

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        """The lead essay, 3-5 paragraphs, block ``lead``; ``Claim.paragraph`` numbers from 0."""
        ...
