from __future__ import annotations

from datetime import date

import pytest

from agent.domain.errors import ReviewError, RunNotFound
from agent.domain.models import Citation, Claim, Draft, PaperSummary, Verdict
from agent.store import ImmutableRevision, Store, revision_hash

DAY = date(2026, 11, 26)


def _claims(verdict: Verdict | None = None) -> list[Claim]:
    return [
        Claim(
            id="lead:0:0",
            block="lead",
            paragraph=0,
            text="Hyperscalers will spend $725 billion on AI compute this year.",
            citations=[
                Citation(
                    item_id="https://example-news.com/capex",
                    start=0,
                    end=61,
                    quote="Hyperscalers will spend $725 billion on AI compute this year",
                    url="https://example-news.com/capex",
                    content_hash="sha256:00",
                )
            ],
            verdict=verdict,
            score=None if verdict is None else 1.0,
        ),
        Claim(
            id="lead:0:1",
            block="lead",
            paragraph=0,
            text="Kimi K2 Thinking jumped to 40.9.",
            verdict=None if verdict is None else Verdict.UNSUPPORTED,
            reasons=[] if verdict is None else ["the number 40.9 is not in the cited passage"],
            flagged=True,
        ),
    ]


def _draft(revision: int = 1, verdict: Verdict | None = None) -> Draft:
    return Draft(
        edition_date=DAY,
        byline="Grant Calloway",
        writer="extractive",
        revision=revision,
        lead_paragraphs=[["lead:0:0", "lead:0:1"]],
        papers=[PaperSummary(item_id="arxiv:2611.01234", error="timed out")],
        claims=_claims(verdict),
    )


@pytest.fixture
def run(store: Store) -> str:
    store.create_run("run-a", edition_date=DAY, writer="extractive")
    return "run-a"


def test_revision_hash_is_a_pure_function_of_the_content() -> None:
    assert revision_hash(_draft()) == revision_hash(_draft())
    assert revision_hash(_draft()).startswith("sha256:")
    assert revision_hash(_draft()) != revision_hash(_draft(verdict=Verdict.SUPPORTED))
    assert revision_hash(_draft()) != revision_hash(_draft(revision=2))


def test_save_draft_round_trips_and_is_idempotent(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft())
    assert store.save_draft(run, _draft()) == digest
    record = store.latest_draft(run)
    assert record is not None
    assert (record.revision, record.revision_hash, record.draft) == (1, digest, _draft())
    assert store._db.execute("SELECT COUNT(*) FROM editions").fetchone()[0] == 1


def test_an_unreviewed_revision_is_replaced_and_revisions_accumulate(store: Store, run: str) -> None:
    store.save_draft(run, _draft())
    checked = store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))  # check added verdicts
    second = store.save_draft(run, _draft(revision=2, verdict=Verdict.SUPPORTED))
    first = store.get_draft(run, 1)
    assert first is not None and first.revision_hash == checked
    latest = store.latest_draft(run)
    assert latest is not None and (latest.revision, latest.revision_hash) == (2, second)
    assert store.get_draft(run, 3) is None
    assert store.latest_draft("other") is None


def test_an_approved_revision_is_never_updated_in_place(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))
    store.record_review(
        run,
        revision=1,
        revision_hash=digest,
        reviewer="ana",
        decision="approve",
        override_reason="the 40.9 figure is in the AA table",
    )
    assert store.save_draft(run, _draft(verdict=Verdict.SUPPORTED)) == digest  # same content: fine
    with pytest.raises(ImmutableRevision, match="revision 2"):
        store.save_draft(run, _draft())
    correction = store.save_draft(run, _draft(revision=2))
    record = store.get_draft(run, 1)
    assert record is not None and record.revision_hash == digest
    assert correction != digest


def test_a_draft_for_an_unknown_run_is_refused(store: Store) -> None:
    with pytest.raises(RunNotFound):
        store.save_draft("nope", _draft())


def test_claims_ledger_per_revision(store: Store, run: str) -> None:
    store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))
    store.save_claims(run, 1, _claims(Verdict.SUPPORTED))
    store.save_claims(run, 1, _claims(Verdict.SUPPORTED))  # a re-run check: no duplicates
    store.save_claims(run, 2, _claims(Verdict.SUPPORTED)[:1])
    assert store.claims(run, 1) == _claims(Verdict.SUPPORTED)
    assert store.claims(run) == _claims(Verdict.SUPPORTED)[:1]  # latest revision
    ledger = store.claims(run, 1)
    assert ledger[1].reasons == ["the number 40.9 is not in the cited passage"]
    assert ledger[1].flagged is True
    assert ledger[0].citations[0].quote.startswith("Hyperscalers")
    assert store.claims("other") == []


def test_reviews_are_recorded_with_everything_the_rules_need(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))
    store.record_review(
        run,
        revision=1,
        revision_hash=digest,
        reviewer="ana",
        decision="request_changes",
        comment="Cite the 40.9 figure",
    )
    second = store.save_draft(run, _draft(revision=2, verdict=Verdict.SUPPORTED))
    approval = store.record_review(
        run,
        revision=2,
        revision_hash=second,
        reviewer="ben",
        decision="approve",
        override_reason="figure confirmed by phone",
    )
    reviews = store.reviews(run)
    assert [(r.revision, r.reviewer, r.decision) for r in reviews] == [
        (1, "ana", "request_changes"),
        (2, "ben", "approve"),
    ]
    assert reviews[0].comment == "Cite the 40.9 figure"
    assert reviews[1] == approval
    assert approval.override_reason == "figure confirmed by phone"
    assert approval.revision_hash == second
    assert approval.decided_at.tzinfo is not None


def test_a_review_of_a_stale_or_unknown_revision_is_refused(store: Store, run: str) -> None:
    seen = store.save_draft(run, _draft())
    store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))  # changed after the reviewer looked
    with pytest.raises(ReviewError, match="changed after"):
        store.record_review(run, revision=1, revision_hash=seen, reviewer="ana", decision="approve")
    with pytest.raises(ReviewError, match="no revision 7"):
        store.record_review(run, revision=7, revision_hash=seen, reviewer="ana", decision="approve")
    assert store.reviews(run) == []


def test_publication_needs_an_approval_and_is_idempotent(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))
    with pytest.raises(ReviewError, match="not approved"):
        store.record_publication(run, revision=1, paths={"markdown": "out/edition.md"})
    store.record_review(run, revision=1, revision_hash=digest, reviewer="ana", decision="approve")
    first = store.record_publication(run, revision=1, paths={"markdown": "out/edition.md"})
    again = store.record_publication(run, revision=1, paths={"markdown": "elsewhere/edition.md"})
    assert again.published_at == first.published_at
    assert again.paths == {"markdown": "elsewhere/edition.md"}
    assert store.publication(run) == again
    assert store.publications() == [again]
    assert store.publication("other") is None
    with pytest.raises(ImmutableRevision):
        store.save_draft(run, _draft())


def test_the_ledger_of_an_approved_revision_is_final(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft(verdict=Verdict.SUPPORTED))
    store.save_claims(run, 1, _claims(Verdict.SUPPORTED))
    store.record_review(run, revision=1, revision_hash=digest, reviewer="ana", decision="approve")
    store.save_claims(run, 1, _claims(Verdict.SUPPORTED))  # the same rows again: fine
    with pytest.raises(ImmutableRevision, match="ledger is final"):
        store.save_claims(run, 1, _claims(Verdict.SUPPORTED)[:1])
    assert store.claims(run, 1) == _claims(Verdict.SUPPORTED)


def test_an_unknown_decision_is_refused(store: Store, run: str) -> None:
    digest = store.save_draft(run, _draft())
    with pytest.raises(ValueError, match="decision must be one of"):
        store.record_review(run, revision=1, revision_hash=digest, reviewer="ana", decision="maybe")  # type: ignore[arg-type]


def test_edits_by_hand_are_kept_in_order_with_their_citations(store: Store, run: str) -> None:
    store.save_draft(run, _draft(1))
    store.save_draft(run, _draft(2))
    old, new = _claims()[0], _claims()[1].model_copy(update={"id": "lead:0:0"})
    store.record_edit(run, revision=2, claim_id="lead:0:0", editor="Ana", old=old, new=new)
    store.record_edit(run, revision=2, claim_id="lead:0:1", editor="Bo", old=_claims()[1], new=None)
    edits = store.claim_edits(run)
    assert [(e.editor, e.claim_id, e.new_text) for e in edits] == [
        ("Ana", "lead:0:0", new.text),
        ("Bo", "lead:0:1", None),
    ]
    assert edits[0].old_citations == old.citations
