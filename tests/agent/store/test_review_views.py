"""What each reviewer last looked at, and the status compare-and-set that claims a run for one decision."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest

from agent.domain.errors import ReviewError, RunNotFound
from agent.domain.models import Draft
from agent.store import Review, RunStatus, Store

DAY = date(2026, 11, 26)


def _draft(revision: int = 1, byline: str = "Grant Calloway") -> Draft:
    return Draft(edition_date=DAY, byline=byline, writer="extractive", revision=revision)


@pytest.fixture
def run(store: Store) -> str:
    store.create_run("run-a", edition_date=DAY, writer="extractive", status=RunStatus.AWAITING_REVIEW)
    return "run-a"


def test_the_last_view_of_each_reviewer_is_kept_with_its_draft(store: Store, run: str) -> None:
    first = store.save_draft(run, _draft())
    second = store.save_draft(run, _draft(2, byline="Ana Ortiz"))
    store.record_view(run, "ana", revision=1, revision_hash=first, draft=_draft())
    at = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    store.record_view(run, "bo", revision=1, revision_hash=first, draft=_draft(), at=at)
    store.record_view(run, "ana", revision=2, revision_hash=second, draft=_draft(2, byline="Ana Ortiz"))

    ana = store.last_view(run, "ana")
    bo = store.last_view(run, "bo")
    assert ana is not None and (ana.revision, ana.revision_hash) == (2, second)
    assert ana.draft.byline == "Ana Ortiz"
    assert bo is not None and (bo.revision, bo.viewed_at) == (1, at)
    assert store.last_view(run, "cy") is None
    # Revision 1's content is still known (bo saw it), to describe what changed since.
    seen = store.seen_draft(run, first)
    assert seen is not None and seen.byline == "Grant Calloway"
    assert store.seen_draft(run, "sha256:unknown") is None


def test_a_view_of_an_unknown_run_is_refused(store: Store) -> None:
    with pytest.raises(RunNotFound):
        store.record_view("nope", "ana", revision=1, revision_hash="sha256:00", draft=_draft())


def test_compare_and_set_moves_the_status_only_from_the_expected_one(store: Store, run: str) -> None:
    assert store.compare_and_set_status(run, expected=RunStatus.AWAITING_REVIEW, new=RunStatus.REJECTED)
    assert not store.compare_and_set_status(run, expected="awaiting_review", new=RunStatus.APPROVED)
    assert store.get_run(run).status is RunStatus.REJECTED
    assert store.compare_and_set_status(
        run, expected=(RunStatus.APPROVED, RunStatus.REJECTED), new=RunStatus.RUNNING
    )
    assert store.get_run(run).status is RunStatus.RUNNING
    with pytest.raises(RunNotFound):
        store.compare_and_set_status("nope", expected="running", new="failed")


def _claim(store: Store, run: str, digest: str, reviewer: str) -> Review | None:
    return store.claim_for_decision(
        run,
        expected=RunStatus.AWAITING_REVIEW,
        new=RunStatus.APPROVED,
        revision=1,
        revision_hash=digest,
        reviewer=reviewer,
        decision="approve",
        override_reason="checked",
    )


def test_claim_for_decision_records_the_review_and_the_status_together(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft())
    review = _claim(store, run, digest, "ana")
    assert review is not None and review.override_reason == "checked"
    assert store.reviews(run) == [review]
    assert store.get_run(run).status is RunStatus.APPROVED
    # The second claim finds the status moved: nothing is written.
    assert _claim(store, run, digest, "bo") is None
    assert [r.reviewer for r in store.reviews(run)] == ["ana"]


def test_a_stale_claim_leaves_the_status_as_it_was(store: Store, run: str) -> None:
    store.save_draft(run, _draft())
    with pytest.raises(ReviewError, match="changed after it was reviewed"):
        _claim(store, run, "sha256:stale", "ana")
    assert store.get_run(run).status is RunStatus.AWAITING_REVIEW
    assert store.reviews(run) == []


def test_concurrent_claims_from_two_processes_have_one_winner(database: str) -> None:
    with Store.open(database) as setup:
        setup.create_run("run-a", edition_date=DAY, writer="extractive", status=RunStatus.AWAITING_REVIEW)
        digest = setup.save_draft("run-a", _draft())
    results: list[Review | None] = []
    start = threading.Barrier(6)

    def claim(reviewer: str) -> None:
        # One connection each, as separate processes would have.
        with Store.open(database) as own:
            start.wait()
            results.append(_claim(own, "run-a", digest, reviewer))

    threads = [threading.Thread(target=claim, args=(f"reviewer-{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r is not None]
    assert len(results) == 6 and len(winners) == 1
    with Store.open(database) as check:
        assert [r.reviewer for r in check.reviews("run-a")] == [winners[0].reviewer]
