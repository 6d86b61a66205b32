"""Decisions and corrections: the reviewer's act that resumes a run, beside the runs API.

    outcome = await decide(settings, run_id, DecisionRequest(decision="approve", reviewer="ana"))
    # An approved edition is never edited in place: a correction is a new revision, reviewed anew.
    outcome = await start_correction(settings, run_id, reviewer="ana", comment="the round was $40M")

The rules a decision must pass are :mod:`agent.review`'s; this module applies them to the stored
revision, records the decision, moves the run's status and resumes the run's LangGraph interrupt (a
new process may do it: the thread id is the run id). The terminal (``agent.cli_review``) and the
review page (``agent.web``) both call these, so the same rules apply wherever a decision is made.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from agent.deps import Clock, ProgressFn, ignore_progress, utc_now
from agent.domain.errors import ConfigError, MissingCredentialError, ReviewError
from agent.publishing import check_site_url
from agent.review import (
    DecisionRequest,
    check_awaiting_review,
    check_decision,
    check_fresh,
    ledger_claims,
)
from agent.runs import Factories, check_can_write, continue_run, resume_draft, run_settings, run_state
from agent.settings import Settings
from agent.store import STATUS_AFTER_DECISION, DraftRecord, Review, RunRecord, RunStatus, Store

__all__ = ["DecisionOutcome", "check_what_follows", "decide", "start_correction"]


@dataclass(frozen=True)
class DecisionOutcome:
    review: Review
    status: str  # the run's status once the graph stopped again
    outputs: dict[str, str] = field(default_factory=dict)
    published: dict[str, Any] | None = None


def _decided_hash(store: Store, run_id: str, request: DecisionRequest, latest: DraftRecord) -> str:
    """The hash named in the request (the short form ``review`` prints is enough when it matches the
    latest revision), else the revision this reviewer last viewed, else the latest."""
    given = request.revision_hash
    if given:
        # "sha256:" and 8 hex digits at least: one in four billion to match a different revision.
        if latest.revision_hash.startswith(given) and len(given) >= len("sha256:") + 8:
            return latest.revision_hash
        return given
    seen = store.last_view(run_id, request.reviewer)
    return seen.revision_hash if seen is not None else latest.revision_hash


def check_what_follows(settings: Settings, run_id: str, decision: str, options: dict[str, Any]) -> None:
    """A decision is recorded only when what follows it can run here.

    A request for changes (or a correction) redrafts with the run's writer: without its key it is
    refused before anything is recorded. An approval with auto-publish publishes: without the site's
    address it is refused. Approving and rejecting never need the writer's key."""
    if decision == "request_changes":
        try:
            check_can_write(settings, options)
        except MissingCredentialError as exc:
            raise MissingCredentialError(
                f"run {run_id} is written (or judged) by Claude, and a request for changes redrafts it, "
                "but ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) is not set here: nothing was recorded. "
                "Set the key and ask again; --approve and --reject need no key"
            ) from exc
    # Auto-publish is the run's own, kept from when it was drafted (run_settings), not this process's.
    if decision == "approve" and run_settings(settings, options).auto_publish:  # type: ignore[arg-type]
        try:
            check_site_url(settings)
        except ConfigError as exc:
            raise ConfigError(
                f"auto-publish is on for run {run_id}, and {exc}: nothing was recorded. Set the site "
                "address and approve again"
            ) from exc


def _unfinished_decision(
    settings: Settings, store: Store, run: RunRecord, request: DecisionRequest
) -> Review | None:
    """A decision that was recorded but whose resume never ran (the process died in between).

    Repeating the same decision finishes it; a different one is refused like any decided run."""
    run_id = run.run_id
    if run.status not in STATUS_AFTER_DECISION.values() or run.status == RunStatus.PUBLISHED:
        return None
    reviews = store.reviews(run_id)
    latest = store.latest_draft(run_id)
    if not reviews or latest is None or reviews[-1].revision_hash != latest.revision_hash:
        return None
    if STATUS_AFTER_DECISION[reviews[-1].decision] != run.status or not run_state(settings, run_id)[1]:
        return None
    if reviews[-1].decision != request.decision:
        raise ReviewError(
            f"run {run_id} was decided ({reviews[-1].decision.replace('_', ' ')} by {reviews[-1].reviewer}) "
            "but the "
            f"run did not continue: repeat that decision to continue it"
        )
    return reviews[-1]


def _validate_and_record(settings: Settings, store: Store, run_id: str, request: DecisionRequest) -> Review:
    run = store.get_run(run_id)
    state, paused = run_state(settings, run_id)
    options = state.get("options", {})
    unfinished = _unfinished_decision(settings, store, run, request)
    if unfinished is not None:
        check_what_follows(settings, run_id, request.decision, options)
        return unfinished
    check_awaiting_review(
        run_id, run.status.value, has_interrupt=paused and run.status == RunStatus.AWAITING_REVIEW
    )
    latest = store.latest_draft(run_id)
    if latest is None:
        raise ReviewError(f"run {run_id} has no draft to decide on")
    decided = _decided_hash(store, run_id, request, latest)
    check_fresh(
        run_id,
        decided_hash=decided,
        latest_hash=latest.revision_hash,
        seen=store.seen_draft(run_id, decided),
        latest=latest.draft,
    )
    check_decision(run_id, request, ledger_claims(store, latest))
    check_what_follows(settings, run_id, request.decision, options)
    review = store.claim_for_decision(
        run_id,
        expected=RunStatus.AWAITING_REVIEW,
        new=STATUS_AFTER_DECISION[request.decision],
        revision=latest.revision,
        revision_hash=latest.revision_hash,
        reviewer=request.reviewer,
        decision=request.decision,
        comment=request.comment or None,
        override_reason=request.override_reason or None,
    )
    if review is None:
        raise ReviewError(f"run {run_id} was decided by someone else a moment ago: look at it again")
    return review


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
    factories: Factories | None = None,
    progress: ProgressFn = ignore_progress,
) -> DecisionOutcome:
    """Apply the rules, record the decision and resume the run's review interrupt with it.

    ``factories`` and ``progress`` are passed to the resumed run; a request for changes runs
    write, check and render again before the run pauses for review anew.
    """

    def record() -> Review:
        with Store.open(settings.database, clock=clock) as store:
            return _validate_and_record(settings, store, run_id, request)

    # The checks read the store and the checkpoint synchronously: off the loop the review page serves.
    review = await asyncio.to_thread(record)
    outcome = await resume_draft(
        settings,
        run_id,
        factories=factories or Factories(clock=clock),
        progress=progress,
        resume_value=_resume_value(review),
        # Only a request for changes writes: an approval or a rejection builds no writer and needs no key.
        writes=review.decision == "request_changes",
    )
    return DecisionOutcome(
        review=review,
        status=outcome.status,
        outputs=outcome.outputs,
        published=outcome.published if request.decision == "approve" else None,
    )


_CORRECTABLE = (RunStatus.APPROVED, RunStatus.PUBLISHED)


def _claim_for_correction(
    settings: Settings, store: Store, run_id: str, *, reviewer: str, comment: str
) -> Review:
    """Check that ``run_id`` may be corrected and record the request on its approved revision."""
    if not comment.strip():
        raise ReviewError(
            f"a correction of run {run_id} needs --comment saying what to correct: the writer follows it"
        )
    run = store.get_run(run_id)
    if run.status not in _CORRECTABLE:
        raise ReviewError(
            f"run {run_id} is {run.status.value.replace('_', ' ')}, not approved or published: only a "
            "signed-off edition is corrected (decide this one with --approve, --reject or --request-changes)"
        )
    latest = store.latest_draft(run_id)
    approvals = [r for r in store.reviews(run_id) if r.decision == "approve"]
    if latest is None or not approvals or approvals[-1].revision != latest.revision:
        raise ReviewError(f"run {run_id} has no approved revision to correct")
    state, paused = run_state(settings, run_id)
    check_what_follows(settings, run_id, "request_changes", state.get("options", {}))
    if paused:
        raise ReviewError(
            f"run {run_id} was approved but the run did not continue: repeat the approval to continue it, "
            "then correct it"
        )
    # Recorded as a request for changes on the approved revision: the approval row stays as it was,
    # and the reviews table keeps its three decisions. The status moves to running in the same
    # transaction, so two corrections started at once cannot both continue the thread.
    review = store.claim_for_decision(
        run_id,
        expected=_CORRECTABLE,
        new=RunStatus.RUNNING,
        revision=latest.revision,
        revision_hash=latest.revision_hash,
        reviewer=reviewer,
        decision="request_changes",
        comment=comment.strip(),
    )
    if review is None:
        raise ReviewError(f"run {run_id} changed a moment ago (another correction?): look at it again")
    return review


async def start_correction(
    settings: Settings,
    run_id: str,
    *,
    reviewer: str,
    comment: str,
    clock: Clock = utc_now,
    factories: Factories | None = None,
    progress: ProgressFn = ignore_progress,
) -> DecisionOutcome:
    """Correct an approved (or published) edition: a new revision, written with ``comment`` as the
    reviewer's guidance, checked and rendered, that comes back for its own review.

    The approved revision, its ledger and its review stay as they are (the store refuses to change
    them); the run's thread continues from ``select`` so write, check and render run again.
    Raises :class:`ReviewError` for a run that is not approved or published, or without a comment.
    """

    def record() -> Review:
        with Store.open(settings.database, clock=clock) as store:
            return _claim_for_correction(settings, store, run_id, reviewer=reviewer, comment=comment)

    review = await asyncio.to_thread(record)
    # The same update the review node makes for a request for changes; "published" is cleared so
    # that the corrected revision's outcome never reports the earlier revision's files.
    update = {"reviewer_comment": review.comment, "revise_round": 0, "published": None}
    # Once the update is checkpointed, a correction stopped part-way continues with `resume`, like
    # any run (its status stays running).
    outcome = await continue_run(
        settings,
        run_id,
        update,
        as_node="select",
        factories=factories or Factories(clock=clock),
        progress=progress,
    )
    return DecisionOutcome(review=review, status=outcome.status, outputs=outcome.outputs)
