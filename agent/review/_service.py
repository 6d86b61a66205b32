"""The decision service: list drafts awaiting review, open one for a reviewer, decide it.

The terminal (``agent.cli_review``) and the review page (``agent.web``) both call these, so the same
rules apply wherever a decision is made. Deciding records the review, moves the run's status and
resumes the run's LangGraph interrupt (a new process may do it: the thread id is the run id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from agent.deps import Clock, utc_now
from agent.errors import ReviewError
from agent.models import Claim, Draft, Item, Verdict
from agent.render import EditionView
from agent.review._queries import ReviewLedger
from agent.review._rules import (
    DecisionRequest,
    check_awaiting_review,
    check_decision,
    check_fresh,
)
from agent.settings import Settings
from agent.store import DraftRecord, Review, RunStatus, Store

__all__ = [
    "DecisionOutcome",
    "DraftForReview",
    "PendingDraft",
    "decide",
    "list_pending",
    "load_edition_view",
    "open_for_review",
    "run_state",
]

_STATUS_AFTER: dict[str, RunStatus] = {
    "approve": RunStatus.APPROVED,
    "reject": RunStatus.REJECTED,
    "request_changes": RunStatus.CHANGES_REQUESTED,
}


@dataclass(frozen=True, slots=True)
class PendingDraft:
    run_id: str
    edition_date: date
    revision: int
    revision_hash: str
    verdicts: dict[str, int]
    flagged: int
    updated_at: datetime


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

    @property
    def draft(self) -> Draft:
        return self.record.draft


@dataclass(frozen=True)
class DecisionOutcome:
    review: Review
    status: str  # the run's status once the graph stopped again
    outputs: dict[str, str] = field(default_factory=dict)
    published: dict[str, Any] | None = None


def _verdict_counts(claims: list[Claim]) -> dict[str, int]:
    counts = Counter(c.verdict.value if c.verdict else "unchecked" for c in claims)
    return {v.value: counts.get(v.value, 0) for v in Verdict} | (
        {"unchecked": counts["unchecked"]} if counts.get("unchecked") else {}
    )


def _claims_of(store: Store, record: DraftRecord) -> list[Claim]:
    # The ledger rows are the checker's verdicts; the draft carries the same claims when rendered.
    return store.claims(record.run_id, record.revision) or list(record.draft.claims)


def list_pending(store: Store) -> list[PendingDraft]:
    """Runs awaiting review, newest first, with their claims counted by verdict."""
    pending: list[PendingDraft] = []
    for run in store.list_runs(RunStatus.AWAITING_REVIEW):
        record = store.latest_draft(run.run_id)
        if record is None:
            continue
        claims = _claims_of(store, record)
        pending.append(
            PendingDraft(
                run_id=run.run_id,
                edition_date=run.edition_date,
                revision=record.revision,
                revision_hash=record.revision_hash,
                verdicts=_verdict_counts(claims),
                flagged=sum(1 for c in claims if c.flagged),
                updated_at=run.updated_at,
            )
        )
    return pending


def run_state(settings: Settings, run_id: str) -> tuple[dict[str, Any], bool]:
    """The run's checkpointed state and whether it is paused at an interrupt."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    from agent.graph import build_graph

    with SqliteSaver.from_conn_string(str(settings.database_path)) as saver:
        snapshot = (
            build_graph().compile(checkpointer=saver).get_state({"configurable": {"thread_id": run_id}})
        )
    paused = bool(snapshot.interrupts) or any(task.interrupts for task in snapshot.tasks)
    return dict(snapshot.values or {}), paused


def load_edition_view(settings: Settings, run_id: str, draft: Draft) -> EditionView:
    """The edition as the draft files show it: the run's selection (in its order) around ``draft``."""
    from agent.nodes.render import edition_view

    state, _ = run_state(settings, run_id)
    return edition_view(state, draft)  # type: ignore[arg-type]  # the checkpoint holds a DraftState


def open_for_review(
    settings: Settings,
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
        raise ReviewError(f"run {run_id} has no draft yet (status: {run.status.value})")
    claims = _claims_of(store, record)
    draft = record.draft.model_copy(update={"claims": claims})
    view = load_edition_view(settings, run_id, draft)
    items = {i.id: i for chosen in view.sections.values() for i in chosen}
    for item in store.items(run_id):
        items.setdefault(item.id, item)
    if reviewer:
        with ReviewLedger.open(settings.database_path) as ledger:
            ledger.record_view(
                run_id,
                reviewer,
                revision=record.revision,
                revision_hash=record.revision_hash,
                draft=record.draft,
                at=clock(),
            )
    return DraftForReview(
        run_id=run_id,
        status=run.status.value,
        record=record,
        claims=claims,
        items=items,
        view=view,
        reviews=store.reviews(run_id),
    )


def _decided_hash(ledger: ReviewLedger, run_id: str, request: DecisionRequest, latest: DraftRecord) -> str:
    if request.revision_hash:
        return request.revision_hash
    seen = ledger.last_view(run_id, request.reviewer)
    return seen.revision_hash if seen is not None else latest.revision_hash


def _unfinished_decision(
    settings: Settings, store: Store, run_id: str, request: DecisionRequest
) -> Review | None:
    """A decision that was recorded but whose resume never ran (the process died in between).

    Repeating the same decision finishes it; a different one is refused like any decided run."""
    run = store.get_run(run_id)
    if run.status not in _STATUS_AFTER.values() or run.status == RunStatus.PUBLISHED:
        return None
    reviews = store.reviews(run_id)
    latest = store.latest_draft(run_id)
    if not reviews or latest is None or reviews[-1].revision_hash != latest.revision_hash:
        return None
    if _STATUS_AFTER[reviews[-1].decision] != run.status or not run_state(settings, run_id)[1]:
        return None
    if reviews[-1].decision != request.decision:
        raise ReviewError(
            f"run {run_id} was decided ({reviews[-1].decision.replace('_', ' ')} by {reviews[-1].reviewer}) "
            "but the "
            f"run did not continue: repeat that decision to continue it"
        )
    return reviews[-1]


def _validate_and_record(
    settings: Settings, store: Store, run_id: str, request: DecisionRequest, clock: Clock
) -> Review:
    unfinished = _unfinished_decision(settings, store, run_id, request)
    if unfinished is not None:
        return unfinished
    run = store.get_run(run_id)
    _, paused = run_state(settings, run_id) if run.status == RunStatus.AWAITING_REVIEW else ({}, False)
    check_awaiting_review(run_id, run.status.value, has_interrupt=paused)
    latest = store.latest_draft(run_id)
    if latest is None:
        raise ReviewError(f"run {run_id} has no draft to decide on")
    with ReviewLedger.open(settings.database_path) as ledger:
        decided = _decided_hash(ledger, run_id, request, latest)
        check_fresh(
            run_id,
            decided_hash=decided,
            latest_hash=latest.revision_hash,
            seen=ledger.seen_draft(run_id, decided),
            latest=latest.draft,
        )
        check_decision(run_id, request, _claims_of(store, latest))
        new_status = _STATUS_AFTER[request.decision]
        if not ledger.transition(
            run_id, expected=RunStatus.AWAITING_REVIEW.value, new=new_status.value, at=clock()
        ):
            raise ReviewError(f"run {run_id} was decided by someone else a moment ago: look at it again")
        try:
            return store.record_review(
                run_id,
                revision=latest.revision,
                revision_hash=latest.revision_hash,
                reviewer=request.reviewer,
                decision=request.decision,
                comment=request.comment or None,
                override_reason=request.override_reason or None,
            )
        except BaseException:
            ledger.transition(
                run_id, expected=new_status.value, new=RunStatus.AWAITING_REVIEW.value, at=clock()
            )
            raise


def _resume_value(review: Review) -> dict[str, Any]:
    return {
        "decision": review.decision,
        "comment": review.comment,
        "reviewer": review.reviewer,
        "override": review.override_reason,
        "revision": review.revision,
        "revision_hash": review.revision_hash,
        "decided_at": review.decided_at.isoformat(),
    }


async def decide(
    settings: Settings,
    run_id: str,
    request: DecisionRequest,
    *,
    clock: Clock = utc_now,
    factories: Any = None,
    progress: Any = None,
) -> DecisionOutcome:
    """Apply the rules, record the decision and resume the run's review interrupt with it.

    ``factories`` (``agent.runs.Factories``) and ``progress`` are passed to the resumed run; a
    request for changes runs write, check and render again before the run pauses for review anew.
    """
    from agent.runs import Factories, resume_draft

    with Store.open(settings.database_path) as store:
        review = _validate_and_record(settings, store, run_id, request, clock)
    kwargs: dict[str, Any] = {
        "factories": factories or Factories(clock=clock),
        "resume_value": _resume_value(review),
    }
    if progress is not None:
        kwargs["progress"] = progress
    outcome = await resume_draft(settings, run_id, **kwargs)
    state, _ = run_state(settings, run_id)
    published: Mapping[str, Any] | None = state.get("published") if request.decision == "approve" else None
    return DecisionOutcome(
        review=review,
        status=outcome.status,
        outputs=dict(outcome.outputs),
        published=dict(published) if published else None,
    )
