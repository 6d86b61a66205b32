"""The write node's pure parts: what a round writes, how results fold in, the draft they make."""

from __future__ import annotations

from datetime import date
from typing import Any

from agent.domain.models import Claim, Draft, Item, Section, SourceKind
from agent.nodes._drafting import assemble_draft, fold_results, plan_write
from agent.nodes.render import source_urls
from agent.state import DraftState
from agent.writers.base import WriteResult

DAY = date(2026, 11, 26)
PAPERS = [
    Item(
        id=f"p{n}",
        source="arxiv",
        section=Section.PAPERS,
        kind=SourceKind.ARXIV,
        title=f"P{n}",
        url=f"https://a/{n}",
    )
    for n in (1, 2)
]


def _claim(block: str, paragraph: int, text: str) -> Claim:
    return Claim(id="provisional", block=block, paragraph=paragraph, text=text)


def _state(**values: Any) -> DraftState:
    return DraftState(**values)  # type: ignore[typeddict-item]


def _previous(revision: int = 1) -> dict[str, Any]:
    claims = [
        Claim(id="lead:0:0", block="lead", paragraph=0, text="Old lead."),
        Claim(id="paper:p1:0:0", block="paper:p1", paragraph=0, text="Old p1."),
        Claim(id="paper:p2:0:0", block="paper:p2", paragraph=0, text="Old p2."),
    ]
    return Draft(edition_date=DAY, byline="b", writer="w", revision=revision, claims=claims).model_dump(
        mode="json"
    )


def test_a_first_draft_writes_everything_and_answers_no_comment() -> None:
    plan = plan_write(_state(reviewer_comment="left over"), PAPERS)
    assert (plan.revision, plan.comment, plan.write_lead) == (1, None, True)
    assert plan.to_summarize == PAPERS


def test_a_grounding_revise_round_rewrites_only_noted_blocks_under_the_same_revision() -> None:
    notes = {"paper:p2": [{"text": "Old p2.", "reasons": ["the number is not in the passage"]}]}
    plan = plan_write(_state(draft=_previous(), revise_round=1, revision_notes=notes), PAPERS)
    assert (plan.revision, plan.write_lead, [p.id for p in plan.to_summarize]) == (1, False, ["p2"])
    assert plan.notes["paper:p2"][0].reasons == ("the number is not in the passage",)


def test_a_reviewers_comment_starts_a_new_revision_that_rewrites_everything() -> None:
    plan = plan_write(_state(draft=_previous(2), revise_round=0, reviewer_comment="Shorter."), PAPERS)
    assert (plan.revision, plan.comment, plan.write_lead, len(plan.to_summarize)) == (3, "Shorter.", True, 2)


def test_results_replace_their_blocks_and_their_bookkeeping_and_keep_the_rest() -> None:
    state = _state(
        draft=_previous(),
        failures=[{"block": "paper:p2", "error": "old failure"}, {"block": "paper:p1", "error": "kept"}],
        writer_problems=[{"block": "lead", "problem": "old problem"}],
    )
    results = {
        "paper:p2": WriteResult(claims=[_claim("x", 0, "New p2."), _claim("x", 0, "More p2.")]),
        "lead": WriteResult(error="timed out", problems=["quote differs"]),
    }
    books = fold_results(state, Draft.model_validate(state["draft"]), results)
    assert [c.id for c in books.claims_by_block["paper:p2"]] == ["paper:p2:0:0", "paper:p2:0:1"]
    assert "lead" not in books.claims_by_block  # failed with nothing written: the old lead is dropped
    assert books.failures == [{"block": "paper:p1", "error": "kept"}, {"block": "lead", "error": "timed out"}]
    assert books.problems == [{"block": "lead", "problem": "quote differs"}]

    draft = assemble_draft(
        plan_write(state, PAPERS), books, PAPERS, edition_date=DAY, byline="Desk", writer="extractive"
    )
    assert [c.text for c in draft.claims] == ["Old p1.", "New p2.", "More p2."]
    assert draft.lead_paragraphs == [] and draft.papers[0].error == "kept"


def test_source_urls_keep_each_sources_own_fetches_not_the_pages_it_links_to() -> None:
    fetched = [
        {
            "source": "news",
            "ok": True,
            "error": None,
            "seconds": 0.1,
            "responses": [
                {
                    "url": "https://n/feed",
                    "final_url": "https://n/feed",
                    "status": 200,
                    "role": "source",
                    "not_modified": False,
                },
                {
                    "url": "https://n/a",
                    "final_url": "https://n/a",
                    "status": 200,
                    "role": "linked",
                    "not_modified": False,
                },
            ],
        },
    ]
    assert source_urls(fetched) == {"news": ["https://n/feed"]}  # type: ignore[arg-type]
