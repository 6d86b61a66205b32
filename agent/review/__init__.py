"""Human sign-off: the rules a decision must pass, the service that records it and resumes the run,
and the terminal rendering. The review page (:mod:`agent.web`) uses the same service.

    with Store.open(settings.database_path) as store:
        pending = list_pending(store)
        draft = open_for_review(settings, store, run_id, reviewer="ana")
    outcome = await decide(settings, run_id, DecisionRequest(decision="approve", reviewer="ana"))
    # An approved edition is never edited in place: a correction is a new revision, reviewed anew.
    outcome = await start_correction(settings, run_id, reviewer="ana", comment="the round was $40M")
"""

from agent.review._rules import (
    DECISIONS,
    DecisionKind,
    DecisionRequest,
    blocking_claims,
    check_awaiting_review,
    check_decision,
    check_fresh,
    check_override,
    check_publishable,
    describe_changes,
    short_hash,
)
from agent.review._service import (
    DecisionOutcome,
    DraftForReview,
    PendingDraft,
    decide,
    ledger_claims,
    list_pending,
    load_edition_view,
    open_for_review,
    run_state,
    start_correction,
)
from agent.review._terminal import (
    COMMAND,
    decision_label,
    draft_renderable,
    next_steps,
    pending_table,
    writer_notes,
)

__all__ = [
    "COMMAND",
    "DECISIONS",
    "DecisionKind",
    "DecisionOutcome",
    "DecisionRequest",
    "DraftForReview",
    "PendingDraft",
    "blocking_claims",
    "check_awaiting_review",
    "check_decision",
    "check_fresh",
    "check_override",
    "check_publishable",
    "decide",
    "decision_label",
    "describe_changes",
    "draft_renderable",
    "ledger_claims",
    "list_pending",
    "load_edition_view",
    "next_steps",
    "open_for_review",
    "pending_table",
    "run_state",
    "short_hash",
    "start_correction",
    "writer_notes",
]
