from __future__ import annotations

from datetime import date

import pytest

from agent.domain.errors import ReviewError
from agent.domain.models import Citation, Claim, Draft, Verdict
from agent.review import (
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

H1 = "sha256:" + "1" * 64
H2 = "sha256:" + "2" * 64


def claim(
    claim_id: str, verdict: Verdict | None, *, text: str = "A sentence.", flagged: bool = False
) -> Claim:
    citation = Citation(item_id="i", start=0, end=len(text), quote=text)
    return Claim(
        id=claim_id,
        block="lead",
        paragraph=0,
        text=text,
        citations=[citation],
        verdict=verdict,
        flagged=flagged,
    )


def draft(*claims: Claim, revision: int = 1) -> Draft:
    return Draft(
        edition_date=date(2026, 11, 26),
        byline="desk",
        writer="extractive",
        revision=revision,
        lead_paragraphs=[[c.id for c in claims]],
        claims=list(claims),
    )


def test_blocking_claims_are_unsupported_uncited_flagged_or_unchecked() -> None:
    claims = [
        claim("a", Verdict.SUPPORTED),
        claim("b", Verdict.UNSUPPORTED),
        claim("c", Verdict.NO_CITATION),
        claim("d", Verdict.UNVERIFIABLE),
        claim("e", Verdict.SUPPORTED, flagged=True),
        claim("f", None),
    ]
    assert [c.id for c in blocking_claims(claims)] == ["b", "c", "e", "f"]


@pytest.mark.parametrize("verdict", [Verdict.UNSUPPORTED, Verdict.NO_CITATION])
def test_approving_over_a_bad_claim_needs_an_override(verdict: Verdict) -> None:
    claims = [claim("lead:0:0", Verdict.SUPPORTED), claim("lead:0:1", verdict)]
    with pytest.raises(ReviewError, match=r"1 claim\(s\) .*lead:0:1.*override"):
        check_override("approve", claims, None)
    with pytest.raises(ReviewError):
        check_override("approve", claims, "   ")  # blank is no reason
    check_override("approve", claims, "confirmed with the company by phone")


def test_flagged_claims_need_an_override_too() -> None:
    with pytest.raises(ReviewError):
        check_override("approve", [claim("x", Verdict.SUPPORTED, flagged=True)], None)


def test_rejecting_or_requesting_changes_needs_no_override() -> None:
    claims = [claim("x", Verdict.UNSUPPORTED)]
    check_override("reject", claims, None)
    check_override("request_changes", claims, None)


def test_a_clean_draft_is_approved_without_override() -> None:
    check_override("approve", [claim("x", Verdict.SUPPORTED), claim("y", Verdict.UNVERIFIABLE)], None)


def test_check_decision_wants_a_reviewer_a_known_decision_and_a_comment_for_changes() -> None:
    ok = [claim("x", Verdict.SUPPORTED)]
    with pytest.raises(ReviewError, match="reviewer"):
        check_decision("r", DecisionRequest(decision="approve", reviewer=" "), ok)
    with pytest.raises(ReviewError, match="unknown decision"):
        check_decision("r", DecisionRequest(decision="publish", reviewer="ana"), ok)  # type: ignore[arg-type]
    with pytest.raises(ReviewError, match="--comment"):
        check_decision("r", DecisionRequest(decision="request_changes", reviewer="ana"), ok)
    check_decision(
        "r", DecisionRequest(decision="request_changes", reviewer="ana", comment="shorter lead"), ok
    )


def test_only_a_run_paused_at_review_can_be_decided() -> None:
    check_awaiting_review("r1", "awaiting_review", has_interrupt=True)
    with pytest.raises(ReviewError, match="r1 is approved, not awaiting review"):
        check_awaiting_review("r1", "approved", has_interrupt=False)
    # An edit or a decision on a finished edition is pointed to the one way to change it.
    with pytest.raises(ReviewError, match='review r1 --correct --comment "what to correct"'):
        check_awaiting_review("r1", "published", has_interrupt=False)
    with pytest.raises(ReviewError) as rejected:
        check_awaiting_review("r1", "rejected", has_interrupt=False)
    assert "--correct" not in str(rejected.value)
    with pytest.raises(ReviewError, match="draft --resume r1"):
        check_awaiting_review("r1", "awaiting_review", has_interrupt=False)


def test_a_stale_revision_is_refused_saying_what_changed_and_what_to_do() -> None:
    seen = draft(claim("lead:0:0", Verdict.UNSUPPORTED, text="Old."), revision=1)
    latest = draft(
        claim("lead:0:0", Verdict.SUPPORTED, text="New."), claim("lead:0:1", Verdict.SUPPORTED), revision=2
    )
    check_fresh("r1", decided_hash=H2, latest_hash=H2, seen=seen, latest=latest)
    with pytest.raises(ReviewError) as caught:
        check_fresh("r1", decided_hash=H1, latest_hash=H2, seen=seen, latest=latest)
    message = str(caught.value)
    assert short_hash(H1) in message and short_hash(H2) in message
    assert "revision 1 -> 2" in message and "1 rewritten, 1 added" in message
    assert "inference-report review r1" in message
    assert "\n" not in message


def test_describe_changes_names_verdict_changes_and_unknown_history() -> None:
    before = draft(claim("a", Verdict.UNSUPPORTED))
    after = draft(claim("a", Verdict.SUPPORTED))
    assert describe_changes(before, after) == (
        "revision 1 was redrafted: claims 1 re-checked with a new verdict; now 1 supported"
    )
    # Counted per claim id: one dropped and one new is "1 added, 1 removed", not a rewrite.
    two = draft(claim("a", Verdict.SUPPORTED), claim("b", Verdict.UNSUPPORTED, text="Other."))
    swapped = draft(claim("b", Verdict.UNSUPPORTED, text="Other."), claim("c", Verdict.SUPPORTED), revision=2)
    assert describe_changes(two, swapped) == (
        "revision 1 -> 2: claims 1 added, 1 removed; now 1 supported, 1 unsupported"
    )
    assert describe_changes(None, after).startswith("revision 1 is new (1 supported)")


def test_only_the_exact_approved_revision_is_publishable() -> None:
    check_publishable("r", approved_revision=2, approved_hash=H1, revision=2, current_hash=H1)
    with pytest.raises(ReviewError, match="not approved"):
        check_publishable("r", approved_revision=None, approved_hash=None, revision=1, current_hash=H1)
    with pytest.raises(ReviewError, match="needs its own review"):
        check_publishable("r", approved_revision=1, approved_hash=H1, revision=2, current_hash=H2)
    with pytest.raises(ReviewError, match="changed after it was approved"):
        check_publishable("r", approved_revision=2, approved_hash=H1, revision=2, current_hash=H2)


def test_short_hash_keeps_the_algorithm() -> None:
    assert short_hash(H1) == "sha256:111111111111"
