"""The pipeline suite: the sample edition drafted in process by both writers, its ledger gated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.llm.testing import error_reply
from agent.settings import load_settings
from evals.gate import Baseline, compare
from evals.pipeline import WRITERS, SampleDraft, _draft, draft_sample, sample_draft, summarize_drafts
from evals.suites import SuiteResult, no_sample_draft, pipeline


def _claim(claim_id: str, verdict: str, *, flagged: bool = False) -> dict[str, Any]:
    return {
        "id": claim_id,
        "text": f"sentence {claim_id}",
        "verdict": verdict,
        "reasons": [],
        "flagged": flagged,
    }


def _suite(drafts: dict[str, SampleDraft]) -> SuiteResult:
    summary = summarize_drafts(drafts)
    return SuiteResult("pipeline", summary.metrics, summary.details, summary.skipped, summary.broken)


def test_both_writers_meet_the_committed_floors() -> None:
    result = pipeline()
    assert result.skipped is None, result.skipped
    gate = compare(result, Baseline.load())
    assert gate.passed, gate.failures
    floors = Baseline.load().floors["pipeline"]
    assert {f"{w}.supported_fraction" for w in WRITERS} <= set(floors)
    writers: Any = result.details["writers"]
    assert set(writers) == set(WRITERS)
    for figures in writers.values():
        assert figures["claims_reaching_review"] > 0 and figures["writer_failures"] == []


def test_the_claude_leg_drafts_over_http_and_puts_only_verbatim_cited_copies_before_review() -> None:
    draft = sample_draft("claude")
    assert draft.claims, draft.problem
    assert draft.report["writer"] == "claude"
    assert draft.report["cost"]["calls"] > 0, "the writer really called the fake Messages API"
    assert draft.api_problems == []
    assert draft.first_pass, "the checker's first verdicts are recorded"
    for claim in draft.claims:
        # The citing fake copies sentences and cites each at its exact range: a claim that is not
        # supported is then the checker's doing, never a fake that cites badly.
        assert " ".join(c["quote"] for c in claim["citations"]) == claim["text"], claim
        # Nothing not supported reaches review silently: it is flagged for the reviewer.
        assert claim["flagged"] == (claim["verdict"] != "supported"), claim
    if any(c["flagged"] for c in draft.claims):
        assert draft.report["revise_rounds"] == 2, "flagged only after both revise rounds"


def test_the_extractive_draft_is_shared_with_the_perturbations_suite() -> None:
    assert sample_draft() is sample_draft("extractive")


def test_a_failing_messages_api_leaves_an_empty_ledger_that_fails_the_gate(tmp_path: Path) -> None:
    draft = draft_sample("claude", tmp_path, responder=lambda request: error_reply(400))
    assert draft.claims == [] and not draft.broken
    assert draft.report["writer_failures"]
    gate = compare(_suite({"claude": draft}), Baseline.load())
    failed = {line.split(":")[0] for line in gate.failures}
    assert {"claude.claims_reaching_review", "claude.no_writer_failures"} <= failed


def test_a_draft_that_raises_is_recorded_as_broken(tmp_path: Path) -> None:
    no_key = load_settings({}, home=tmp_path / "home")
    draft = _draft(no_key, "claude", tmp_path / "out")
    assert draft.claims is None and draft.broken
    assert draft.problem and "claude draft raised" in draft.problem
    result = _suite({"extractive": sample_draft(), "claude": draft})
    assert result.skipped and result.skipped.startswith("claude:")
    assert not compare(result, Baseline.load()).passed


def test_flagged_and_unverifiable_claims_count_as_not_supported() -> None:
    claims = [
        _claim("a", "supported"),
        _claim("b", "unsupported", flagged=True),
        _claim("c", "unverifiable"),
        _claim("d", "supported"),
    ]
    first_pass = [_claim(c["id"], "supported" if c["id"] != "b" else "unsupported") for c in claims]
    draft = SampleDraft(claims, None, False, "claude", {"writer_failures": []}, first_pass)
    summary = summarize_drafts({"claude": draft})
    assert summary.metrics["claude.supported_fraction"] == 0.5
    assert summary.metrics["claude.first_pass_supported_fraction"] == 0.75
    assert summary.metrics["claude.claims_reaching_review"] == 1.0
    writers: Any = summary.details["writers"]
    assert writers["claude"]["flagged"] == 1
    not_supported: Any = summary.details["not_supported"]
    assert [line.split(":")[0] for line in not_supported] == ["claude b", "claude c"]


def test_without_the_sample_draft_the_suite_is_skipped_not_broken() -> None:
    result = pipeline(draft_runner=no_sample_draft)
    assert result.skipped and "--no-sample-draft" in result.skipped and not result.broken
    assert compare(result, Baseline.load()).passed
