"""Editing by hand: a reviewer rewrites or deletes one sentence of a draft awaiting review.

    outcome = edit_claim(settings, run_id, ClaimEdit(claim_id="lead:1:0", editor="ana", text="..."))

An edit is a new revision, never a change in place: the edited sentence is checked at once by the
grounding checker, the revision and its ledger are saved, the draft files are written again and the
edit (who, when, the old and the new text and citations) joins the run's audit trail. Approval rules do
not change: an edited sentence that is unsupported still needs an override. The run stays paused at its
review; the decision that follows applies to the edited revision, because the store is the one record
of a revision (the review node reads the latest one back before it routes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.deps import Clock, utc_now
from agent.domain.errors import ReviewError
from agent.domain.models import Citation, Claim, Draft, Item, LeaderboardMove, Verdict
from agent.moves import moves_document
from agent.render import render_html, render_markdown
from agent.review import check_awaiting_review, check_fresh, edition_view, ledger_claims
from agent.settings import Settings
from agent.store import ClaimEditRecord, DraftRecord, RunStatus, Store
from agent.week import week_document

__all__ = ["ClaimEdit", "EditOutcome", "edit_claim"]

Checker = Callable[..., list[Claim]]


@dataclass(frozen=True, slots=True)
class ClaimEdit:
    """One sentence rewritten (``text``) or deleted (``delete``). The citation is kept unless
    ``cite_item`` names an item of the run and ``quote`` a passage of its text to cite instead."""

    claim_id: str
    editor: str
    text: str | None = None
    delete: bool = False
    cite_item: str | None = None
    quote: str | None = None
    # The revision the editor looked at: an edit of a draft that moved on since is refused.
    revision_hash: str | None = None


@dataclass(frozen=True, slots=True)
class EditOutcome:
    record: ClaimEditRecord
    revision: int
    revision_hash: str
    claim: Claim | None  # the checked sentence; None when it was deleted


def _validate(edit: ClaimEdit) -> None:
    if edit.delete and (edit.text is not None or edit.cite_item or edit.quote):
        raise ReviewError("an edit either deletes the sentence or rewrites it, not both")
    if not edit.delete and not (edit.text or "").strip():
        raise ReviewError("an edit needs the new text (--text), or --delete to remove the sentence")
    if bool(edit.cite_item) != bool(edit.quote):
        raise ReviewError(
            "a new citation needs both the item (--cite ITEM_ID) and its passage (--quote TEXT)"
        )


def _citation(items: Mapping[str, Item], item_id: str, quote: str) -> Citation:
    item = items.get(item_id)
    if item is None:
        raise ReviewError(f"{item_id} is not an item of this run: cite one the review shows")
    at = item.text.find(quote)
    if at < 0:
        raise ReviewError(
            f"the passage is not in the text of {item_id}: quote it exactly as the source has it"
        )
    return Citation(
        item_id=item.id,
        start=at,
        end=at + len(quote),
        quote=quote,
        url=item.url,
        fetched_at=item.fetched_at,
        content_hash=item.content_hash,
    )


def _evidence(store: Store, record: DraftRecord) -> tuple[dict[str, Item], list[LeaderboardMove]]:
    """Every item a sentence of this revision may cite: the run's items and the documents write made
    from them (the moves, the week's figures), rebuilt as write built them."""
    items = {i.id: i for i in store.items(record.run_id)}
    moves = store.moves(record.run_id)
    day = record.draft.edition_date
    view = edition_view(store, record, items=list(items.values()))
    derived = [moves_document(moves, day)] if moves else []
    week = week_document({s: len(chosen) for s, chosen in view.sections.items()}, day)
    for document in [*derived, *([week] if week is not None else [])]:
        items[document.id] = document
    return items, moves


def _edited_draft(draft: Draft, claims: Sequence[Claim], claim_id: str, replacement: Claim | None) -> Draft:
    """The next revision: ``claim_id`` replaced by ``replacement`` (or gone), everything else kept."""
    kept = [replacement if c.id == claim_id else c for c in claims]
    new_claims = [c for c in kept if c is not None]
    ids = {c.id for c in new_claims}
    paragraphs = [[i for i in p if i in ids] for p in draft.lead_paragraphs]
    papers = [p.model_copy(update={"claim_ids": [i for i in p.claim_ids if i in ids]}) for p in draft.papers]
    return draft.model_copy(
        update={
            "revision": draft.revision + 1,
            "claims": new_claims,
            "lead_paragraphs": [p for p in paragraphs if p],
            "papers": papers,
        }
    )


def _rewrite_files(store: Store, run_id: str, record: DraftRecord) -> None:
    """The draft files the run report points at, written again for the edited revision."""
    report = store.get_run(run_id).report or {}
    outputs = report.get("outputs", {})
    view = edition_view(store, record)
    files = {
        "markdown": lambda: render_markdown(view),
        "html": lambda: render_html(view, mode="draft"),
        "claims": lambda: "".join(
            json.dumps(c.model_dump(mode="json"), ensure_ascii=False) + "\n" for c in record.draft.claims
        ),
    }
    for key, render in files.items():
        if key in outputs:
            path = Path(outputs[key])
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(render(), encoding="utf-8")
            tmp.replace(path)


def edit_claim(
    settings: Settings,
    run_id: str,
    edit: ClaimEdit,
    *,
    checker: Checker | None = None,
    clock: Clock = utc_now,
) -> EditOutcome:
    """Apply ``edit`` to the latest revision of a run awaiting review; see the module docstring.

    Raises :class:`ReviewError` for a run not awaiting review, a stale revision, an unknown claim, a
    citation that does not quote its item, or an edit that is neither a rewrite nor a deletion.
    """
    _validate(edit)
    if checker is None:
        from evals.grounding import check_claims

        checker = check_claims
    with Store.open(settings.database, clock=clock) as store:
        run = store.get_run(run_id)
        check_awaiting_review(run_id, run.status.value, has_interrupt=run.status == RunStatus.AWAITING_REVIEW)
        latest = store.latest_draft(run_id)
        if latest is None:
            raise ReviewError(f"run {run_id} has no draft to edit")
        if edit.revision_hash:
            check_fresh(
                run_id,
                decided_hash=edit.revision_hash,
                latest_hash=latest.revision_hash,
                seen=store.seen_draft(run_id, edit.revision_hash),
                latest=latest.draft,
            )
        claims = ledger_claims(store, latest)
        old = next((c for c in claims if c.id == edit.claim_id), None)
        if old is None:
            known = ", ".join(c.id for c in claims[:4])
            raise ReviewError(f"run {run_id} has no claim {edit.claim_id} (its claims are {known}, ...)")
        replacement: Claim | None = None
        if not edit.delete:
            items, moves = _evidence(store, latest)
            citations = (
                [_citation(items, edit.cite_item, edit.quote)]
                if edit.cite_item and edit.quote
                else old.citations
            )
            fresh = old.model_copy(
                update={"text": " ".join((edit.text or "").split()), "citations": citations, "flagged": False}
            )
            [replacement] = checker([fresh], items=items, moves=moves)
            # Flagged as a writer's sentence is after its last revise round: the approval rules do not
            # bend for a sentence a person wrote.
            blocking = replacement.verdict in (Verdict.UNSUPPORTED, Verdict.NO_CITATION)
            replacement = replacement.model_copy(update={"flagged": blocking})
        draft = _edited_draft(latest.draft, claims, edit.claim_id, replacement)
        digest = store.save_draft(run_id, draft, sections=latest.sections, source_urls=latest.source_urls)
        store.save_claims(run_id, draft.revision, draft.claims)
        record = store.record_edit(
            run_id,
            revision=draft.revision,
            claim_id=edit.claim_id,
            editor=edit.editor,
            old=old,
            new=replacement,
        )
        # The editor has seen what they wrote: their next decision applies to it without a second look.
        store.record_view(
            run_id, edit.editor, revision=draft.revision, revision_hash=digest, draft=draft, at=clock()
        )
        saved = store.latest_draft(run_id)
        if saved is not None:
            _rewrite_files(store, run_id, saved)
    return EditOutcome(record=record, revision=draft.revision, revision_hash=digest, claim=replacement)
