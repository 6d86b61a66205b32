from __future__ import annotations

from datetime import UTC, date, datetime

from agent.domain.models import Item, Section, SourceKind
from agent.writers.base import LeadRequest, RevisionNote
from agent.writers.extractive import ExtractiveWriter
from evals.grounding.citations import citation_problems

ABSTRACT = (
    "Serving large language models is limited by memory bandwidth during decode. "
    "We present Stride, a scheduler that co-locates prefill and decode on the same accelerator. "
    "On 64 GPUs Stride raises throughput by 38% over vLLM at equal latency. "
    "It also cuts energy per token by 21 percent. "
    "We release the code."
)


def paper(id_: str = "arxiv:2611.00001") -> Item:
    return Item(
        id=id_,
        source="arxiv",
        section=Section.PAPERS,
        kind=SourceKind.ARXIV,
        title="Stride",
        url="https://arxiv.example/abs/2611.00001",
        text=ABSTRACT,
        content_hash="sha256:abc",
        fetched_at=datetime(2026, 11, 26, tzinfo=UTC),
    )


async def test_summaries_quote_the_abstract_at_exact_ranges() -> None:
    results = await ExtractiveWriter().summarize_papers([paper()])
    claims = results["arxiv:2611.00001"].claims
    assert 3 <= len(claims) <= 5
    items = {"arxiv:2611.00001": paper()}
    for claim in claims:
        assert claim.block == "paper:arxiv:2611.00001"
        assert claim.citations and claim.text == claim.citations[0].quote
        assert citation_problems(claim.citations[0], items) == []
    # The opening sentence comes first; sentences with results (numbers) are preferred.
    assert claims[0].text.startswith("Serving large language models")
    assert any("38%" in c.text for c in claims)


async def test_revision_notes_exclude_rejected_sentences() -> None:
    note = RevisionNote(text="On 64 GPUs Stride raises throughput by 38% over vLLM at equal latency.")
    results = await ExtractiveWriter().summarize_papers([paper()], notes={"arxiv:2611.00001": [note]})
    assert all(c.text != note.text for c in results["arxiv:2611.00001"].claims)


async def test_empty_text_is_a_recorded_failure_not_a_crash() -> None:
    empty = paper().model_copy(update={"text": ""})
    result = (await ExtractiveWriter().summarize_papers([empty]))[empty.id]
    assert result.error and not result.claims


async def test_lead_has_paragraphs_of_cited_key_sentences() -> None:
    wire = Item(
        id="https://n.example/a",
        source="wire",
        section=Section.WIRE,
        kind=SourceKind.FEED,
        title="Chips",
        url="https://n.example/a",
        text="Short. The company said its new accelerator ships in March with 141 GB of memory.",
    )
    request = LeadRequest(edition_date=date(2026, 11, 26), items=[wire, paper()], focus=["energy"])
    result = await ExtractiveWriter().write_lead(request)
    assert [c.paragraph for c in result.claims] == [0, 1]
    assert result.claims[0].text.startswith("The company said")
    assert "energy" in result.claims[1].text
    assert all(c.block == "lead" and c.citations for c in result.claims)


async def test_lead_without_usable_items_is_an_error() -> None:
    result = await ExtractiveWriter().write_lead(LeadRequest(edition_date=date(2026, 11, 26), items=[]))
    assert result.error and not result.claims


async def test_a_reviewer_comment_it_cannot_follow_is_said_plainly() -> None:
    base = LeadRequest(edition_date=date(2026, 11, 26), items=[paper()])
    without = await ExtractiveWriter().write_lead(base)
    commented = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=base.edition_date, items=base.items, reviewer_comment="the round was $40M")
    )
    assert without.problems == []
    # The same sentences come back: the note is what tells the reviewer why.
    assert [c.text for c in commented.claims] == [c.text for c in without.claims]
    [problem] = commented.problems
    assert "cannot follow the reviewer's comment" in problem
    assert '"the round was $40M"' in problem
    assert "repeats" in problem and "--writer claude" in problem and "ANTHROPIC_API_KEY" in problem


async def test_a_long_comment_is_quoted_shortened_on_one_line() -> None:
    comment = "Rewrite the lead:\n" + "the funding figure is wrong and " * 10
    result = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[paper()], reviewer_comment=comment)
    )
    [problem] = result.problems
    assert '"Rewrite the lead: the funding figure' in problem and "\n" not in problem
    assert "…" in problem and comment.strip() not in problem
    assert len(problem) < 400


async def test_a_blank_comment_or_a_failed_lead_is_handled() -> None:
    blank = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[paper()], reviewer_comment="   ")
    )
    assert blank.problems == []
    failed = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[], reviewer_comment="add the figure")
    )
    # No lead at all, and the reviewer still learns the comment was not followed.
    assert failed.error and "add the figure" in failed.problems[0]
