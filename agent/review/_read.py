"""Read models of review: the drafts awaiting review, and one revision as a reviewer sees it.

Everything is read from the store, the one record of a revision: the draft, its claim ledger, the
run's items, the order of the edition's sections (saved with the draft) and the leaderboard moves.
No checkpoint is read and no graph is built, so the terminal and the review page stay light.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from agent.domain.errors import ReviewError
from agent.domain.models import Claim, Draft, Item, Section, Verdict
from agent.report import SelectionAccount, selection_account
from agent.store import ClaimEditRecord, DraftRecord, Review, RunStatus, Store

if TYPE_CHECKING:
    from agent.deps import Clock
    from agent.render import EditionView

__all__ = [
    "DraftForReview",
    "PendingDraft",
    "edition_view",
    "ledger_claims",
    "list_pending",
    "open_for_review",
]


def utc_now() -> datetime:
    # Not agent.deps' own: importing agent.deps (the LLM adapter, the writers' base, the fetchers) cost
    # `review` 0.16 s of its start on the shared machine, for a one-line clock.
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class PendingDraft:
    run_id: str
    edition_date: date
    revision: int
    revision_hash: str
    verdicts: dict[str, int]
    flagged: int
    updated_at: datetime
    # The run report's warnings (every dated item outside the window): shown beside the run.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftForReview:
    """One run's latest revision with everything a reviewer looks at."""

    run_id: str
    status: str
    record: DraftRecord
    claims: list[Claim]
    items: dict[str, Item]
    view: EditionView
    reviews: list[Review] = field(default_factory=list)
    # What the edition left out and why, from the run report the store holds; None for older runs.
    selection: SelectionAccount | None = None
    edits: list[ClaimEditRecord] = field(default_factory=list)  # sentences edited by hand, oldest first

    @property
    def draft(self) -> Draft:
        return self.record.draft


def _verdict_counts(claims: list[Claim]) -> dict[str, int]:
    counts = Counter(c.verdict.value if c.verdict else "unchecked" for c in claims)
    return {v.value: counts.get(v.value, 0) for v in Verdict} | (
        {"unchecked": counts["unchecked"]} if counts.get("unchecked") else {}
    )


def ledger_claims(store: Store, record: DraftRecord) -> list[Claim]:
    """The revision's claim ledger: the checker's verdicts as stored, or the draft's own claims when
    the ledger row was never written (the run stopped between saving the draft and its ledger)."""
    return store.claims(record.run_id, record.revision) or list(record.draft.claims)


def list_pending(store: Store) -> list[PendingDraft]:
    """Runs awaiting review, newest first, with their claims counted by verdict."""
    pending: list[PendingDraft] = []
    for run in store.list_runs(RunStatus.AWAITING_REVIEW):
        record = store.latest_draft(run.run_id)
        if record is None:
            continue
        claims = ledger_claims(store, record)
        pending.append(
            PendingDraft(
                run_id=run.run_id,
                edition_date=run.edition_date,
                revision=record.revision,
                revision_hash=record.revision_hash,
                verdicts=_verdict_counts(claims),
                flagged=sum(1 for c in claims if c.flagged),
                updated_at=run.updated_at,
                warnings=tuple((run.report or {}).get("warnings") or ()),
            )
        )
    return pending


def _sections(store: Store, record: DraftRecord, items: list[Item]) -> dict[Section, list[Item]]:
    if record.sections is not None:
        by_id = {i.id: i for i in items}
        return {s: [by_id[i] for i in record.sections.get(s.value, []) if i in by_id] for s in Section}
    # A revision saved before the store kept the order (migration "revision_record") had it only in
    # the run's checkpoint: its selected items in the order they were gathered are a stable stand-in,
    # and the papers take the draft's own order (its summaries follow the selection's).
    sections: dict[Section, list[Item]] = {s: [] for s in Section}
    for item in store.items(record.run_id, selected_only=True):
        sections[item.section].append(item)
    paper_order = {p.item_id: n for n, p in enumerate(record.draft.papers)}
    sections[Section.PAPERS].sort(key=lambda i: paper_order.get(i.id, len(paper_order)))
    return sections


def edition_view(
    store: Store, record: DraftRecord, draft: Draft | None = None, *, items: list[Item] | None = None
) -> EditionView:
    """The revision as its draft files show it: ``draft`` (default: the stored one) among the
    edition's items per section, in their saved order, with the run's leaderboard moves.
    ``items``: the run's stored items, when the caller has read them already."""
    stored = store.items(record.run_id) if items is None else items
    sections = _sections(store, record, stored)
    # Here, not at the top: the renderer's Jinja2 environment is 0.07-0.09 s that listing drafts skips.
    from agent.render import EditionView

    return EditionView(draft=draft or record.draft, sections=sections, moves=store.moves(record.run_id))


def open_for_review(
    store: Store,
    run_id: str,
    *,
    reviewer: str | None = None,
    clock: Clock = utc_now,
) -> DraftForReview:
    """The run's latest revision; with ``reviewer``, remember that they saw this revision."""
    run = store.get_run(run_id)
    record = store.latest_draft(run_id)
    if record is None:
        failure = (run.report or {}).get("failure")
        why = f": {failure}" if failure else ""
        # Only a run that stopped on its way to review can be continued (the sample's seeded previous
        # week is published and has no draft at all).
        then = (
            f"; inference-report draft --resume {run_id} continues it"
            if run.status.value in ("failed", "running")
            else ""
        )
        raise ReviewError(f"run {run_id} has no draft yet (status: {run.status.value}{why}){then}")
    claims = ledger_claims(store, record)
    draft = record.draft.model_copy(update={"claims": claims})
    stored = store.items(run_id)
    view = edition_view(store, record, draft, items=stored)
    items = {i.id: i for chosen in view.sections.values() for i in chosen}
    for item in stored:
        items.setdefault(item.id, item)
    if reviewer:
        store.record_view(
            run_id,
            reviewer,
            revision=record.revision,
            revision_hash=record.revision_hash,
            draft=record.draft,
            at=clock(),
        )
    titles = {i.source: i.source_title for i in stored if i.source_title}
    return DraftForReview(
        run_id=run_id,
        status=run.status.value,
        record=record,
        claims=claims,
        items=items,
        view=view,
        reviews=store.reviews(run_id),
        selection=selection_account(run.report, source_titles=titles),
        edits=store.claim_edits(run_id),
    )
