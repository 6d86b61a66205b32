"""Human sign-off: the rules a decision must pass, the read models a reviewer looks at (read from
the store alone), and the terminal rendering. The review page (:mod:`agent.web`) uses the same.
Recording a decision and resuming the run is :mod:`agent.decisions`'s, beside the runs API.

    with Store.open(settings.database) as store:
        pending = list_pending(store)
        draft = open_for_review(store, run_id, reviewer="ana")
        view = edition_view(store, store.latest_draft(run_id))  # what the draft files show
"""

from agent.review._read import (
    DraftForReview,
    PendingDraft,
    edition_view,
    ledger_claims,
    list_pending,
    open_for_review,
)
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
    "DecisionRequest",
    "DraftForReview",
    "PendingDraft",
    "blocking_claims",
    "check_awaiting_review",
    "check_decision",
    "check_fresh",
    "check_override",
    "check_publishable",
    "decision_label",
    "describe_changes",
    "draft_renderable",
    "edition_view",
    "ledger_claims",
    "list_pending",
    "next_steps",
    "open_for_review",
    "pending_table",
    "short_hash",
    "writer_notes",
]
