"""The decision service against the real graph, store and checkpoints (a replayed fake feed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.decisions import decide
from agent.domain.errors import ReviewError
from agent.domain.models import Verdict
from agent.review import DecisionRequest, list_pending, open_for_review
from agent.runs import run_state
from agent.settings import Settings
from agent.store import ImmutableRevision, RunStatus, Store

OVERRIDE = "confirmed the figure with the company"


def fixed_clock() -> datetime:
    return datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_list_pending_counts_claims_by_verdict(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        [pending] = list_pending(store)
    assert pending.run_id == run_id
    assert pending.verdicts["unsupported"] == 1
    assert pending.verdicts["supported"] >= 1
    assert pending.revision == 1 and pending.revision_hash.startswith("sha256:")


def test_opening_a_draft_records_what_the_reviewer_saw(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        review = open_for_review(store, run_id, reviewer="ana", clock=fixed_clock)
    assert [c.verdict for c in review.claims].count(Verdict.UNSUPPORTED) == 1
    assert review.view.sections  # the run's selection, read from its checkpoint
    with Store.open(settings.database) as store:
        seen = store.last_view(run_id, "ana")
    assert seen is not None
    assert seen.revision_hash == review.record.revision_hash
    assert seen.viewed_at == fixed_clock()


async def test_approval_without_override_is_refused_and_nothing_is_recorded(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with pytest.raises(ReviewError, match="override"):
        await decide(settings, run_id, DecisionRequest(decision="approve", reviewer="ana"))
    with Store.open(settings.database) as store:
        assert store.reviews(run_id) == []
        assert store.get_run(run_id).status is RunStatus.AWAITING_REVIEW
    assert run_state(settings, run_id)[1]  # still paused at review


async def test_approval_with_override_is_recorded_in_full_and_resumes_the_run(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    request = DecisionRequest(
        decision="approve", reviewer="ana", comment="good week", override_reason=OVERRIDE
    )
    outcome = await decide(settings, run_id, request, clock=fixed_clock)
    assert outcome.status == "approved"
    with Store.open(settings.database) as store:
        [review] = store.reviews(run_id)
        latest = store.latest_draft(run_id)
    assert latest is not None
    assert (review.reviewer, review.decision, review.comment, review.override_reason) == (
        "ana",
        "approve",
        "good week",
        OVERRIDE,
    )
    assert review.revision_hash == latest.revision_hash
    assert review.decided_at == fixed_clock()  # the injected clock stamps the decision
    state, paused = run_state(settings, run_id)
    assert not paused
    assert state["review"]["decision"] == "approve" and state["review"]["override"] == OVERRIDE


async def test_deciding_twice_is_refused(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana", comment="off topic"))
    with pytest.raises(ReviewError, match="rejected, not awaiting review"):
        await decide(
            settings, run_id, DecisionRequest(decision="approve", reviewer="bo", override_reason="x")
        )


async def test_request_changes_sends_the_comment_to_the_writer_and_a_new_revision_comes_back(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        first = open_for_review(store, run_id, reviewer="ana")
    outcome = await decide(
        settings,
        run_id,
        DecisionRequest(decision="request_changes", reviewer="ana", comment="Cut the funding line"),
    )
    assert outcome.status == "awaiting_review"
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        [pending] = list_pending(store)
    assert latest is not None and latest.revision == first.record.revision + 1
    assert pending.revision_hash == latest.revision_hash
    assert run_state(settings, run_id)[1]
    # ana last looked at revision 1: deciding now without looking again is refused, saying what changed.
    with pytest.raises(ReviewError) as caught:
        await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana", comment="no"))
    assert "changed since you looked" in str(caught.value) and "revision 1 -> 2" in str(caught.value)
    # Looking again makes the decision fresh.
    with Store.open(settings.database) as store:
        open_for_review(store, run_id, reviewer="ana")
    outcome = await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana", comment="no"))
    assert outcome.status == "rejected"


async def test_an_explicit_stale_revision_hash_is_refused(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    stale = "sha256:" + "0" * 64
    with pytest.raises(ReviewError, match="changed since you looked"):
        await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="bo", revision_hash=stale))


async def test_two_reviewers_cannot_both_win(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        open_for_review(store, run_id, reviewer="ana")
        open_for_review(store, run_id, reviewer="bo")
        # bo claims the run first (the race itself: tests/agent/store/test_review_views.py).
        latest = store.latest_draft(run_id)
        assert latest is not None
        won = store.claim_for_decision(
            run_id,
            expected=RunStatus.AWAITING_REVIEW,
            new=RunStatus.REJECTED,
            revision=latest.revision,
            revision_hash=latest.revision_hash,
            reviewer="bo",
            decision="reject",
        )
        assert won is not None
    # bo's resume has not run yet (the graph is still paused): ana's decision is refused, not recorded.
    with pytest.raises(ReviewError, match="repeat that decision"):
        await decide(
            settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="x")
        )
    with Store.open(settings.database) as store:
        assert [r.reviewer for r in store.reviews(run_id)] == ["bo"]


async def test_a_decision_whose_resume_never_ran_is_finished_by_repeating_it(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    # As if the process died between recording and resuming.
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        assert latest is not None
        store.record_review(
            run_id,
            revision=latest.revision,
            revision_hash=latest.revision_hash,
            reviewer="ana",
            decision="reject",
            comment="off topic",
        )
        store.set_run_status(run_id, RunStatus.REJECTED)
    with pytest.raises(ReviewError, match="repeat that decision"):
        await decide(
            settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="x")
        )
    outcome = await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana"))
    assert outcome.status == "rejected"
    assert not run_state(settings, run_id)[1]
    with Store.open(settings.database) as store:
        assert len(store.reviews(run_id)) == 1


async def test_an_approved_revision_is_never_edited_in_place(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await decide(
        settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason=OVERRIDE)
    )
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        assert latest is not None
        edited = latest.draft.model_copy(update={"byline": "someone else"})
        with pytest.raises(ImmutableRevision):
            store.save_draft(run_id, edited)
        # A correction is a new revision, which is not approved until it has its own review.
        store.save_draft(run_id, edited.model_copy(update={"revision": latest.revision + 1}))
    from agent.publishing import publish_edition

    with Store.open(settings.database) as store, pytest.raises(ReviewError, match="its own review"):
        publish_edition(store, run_id, settings=settings)
