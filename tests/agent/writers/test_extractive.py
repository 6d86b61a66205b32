from __future__ import annotations

from datetime import UTC, date, datetime

from agent.models import Item, Section, SourceKind
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
