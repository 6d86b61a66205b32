"""Joining Claude's cited text blocks back into cited sentences and paragraphs (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.domain.models import Item, Section, SourceKind
from agent.writers._claude_citations import document_block, looks_factual, parse_cited_answer

DOC = (
    "Hyperscalers are spending $725 billion on AI compute this year. "
    "Google's AI Overviews cut click-through rates by 58 percent. "
    "Wikipedia banned AI-generated content by a 44-2 vote."
)
FETCHED = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)


def _item(text: str = DOC, item_id: str = "https://example.com/a") -> Item:
    return Item(
        id=item_id,
        source="wire",
        section=Section.WIRE,
        kind=SourceKind.PAGE,
        title="A",
        url=item_id,
        text=text,
        fetched_at=FETCHED,
        content_hash="sha256:abc",
    )


def _cite(text: str, doc: int, start: int, end: int, cited: str | None = None) -> dict[str, object]:
    return {
        "type": "text",
        "text": text,
        "citations": [
            {
                "type": "char_location",
                "document_index": doc,
                "start_char_index": start,
                "end_char_index": end,
                "cited_text": DOC[start:end] if cited is None else cited,
            }
        ],
    }


def _span(sentence: str) -> tuple[int, int]:
    start = DOC.index(sentence)
    return start, start + len(sentence)


def test_document_block_enables_citations_and_names_the_item() -> None:
    block = document_block(_item(), cache=True)
    assert block["citations"] == {"enabled": True}
    assert block["source"] == {"type": "text", "media_type": "text/plain", "data": DOC}
    assert "https://example.com/a" in block["context"]
    assert block["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in document_block(_item())


def test_sentences_span_blocks_and_keep_each_blocks_citations() -> None:
    s1, s2 = (
        _span("Hyperscalers are spending $725 billion on AI compute this year."),
        _span("Google's AI Overviews cut click-through rates by 58 percent."),
    )
    content = [
        {"type": "text", "text": "This week, "},
        _cite("hyperscalers are spending $725 billion on compute", 0, *s1),
        {"type": "text", "text": ". Meanwhile "},
        _cite("AI Overviews cut click-through rates by 58 percent.", 0, *s2),
    ]
    parsed = parse_cited_answer(content, [_item()], block="lead")
    assert not parsed.malformed and not parsed.problems
    assert [c.text for c in parsed.claims] == [
        "This week, hyperscalers are spending $725 billion on compute.",
        "Meanwhile AI Overviews cut click-through rates by 58 percent.",
    ]
    first, second = parsed.claims
    assert [(c.start, c.end) for c in first.citations] == [s1]
    assert [(c.start, c.end) for c in second.citations] == [s2]
    citation = first.citations[0]
    assert citation.quote == DOC[s1[0] : s1[1]]
    assert (citation.url, citation.fetched_at, citation.content_hash) == (
        "https://example.com/a",
        FETCHED,
        "sha256:abc",
    )


def test_blank_lines_number_paragraphs_from_zero() -> None:
    s1, s3 = (
        _span("Hyperscalers are spending $725 billion on AI compute this year."),
        _span("Wikipedia banned AI-generated content by a 44-2 vote."),
    )
    content = [
        _cite("Hyperscalers spend $725 billion.", 0, *s1),
        {"type": "text", "text": " The spending is real.\n\n"},
        _cite("Wikipedia voted 44-2 against AI content.", 0, *s3),
    ]
    parsed = parse_cited_answer(content, [_item()], block="lead")
    assert [(c.id, c.paragraph) for c in parsed.claims] == [("lead:0:0", 0), ("lead:0:1", 0), ("lead:1:0", 1)]
    assert parsed.claims[1].citations == []  # interpretation, not a fact: allowed without a citation
    assert not parsed.malformed


def test_a_citation_outside_the_document_or_of_a_missing_document_is_malformed() -> None:
    too_far = parse_cited_answer(
        [_cite("Spending is $725 billion.", 0, 10, 10_000, cited="x")], [_item()], block="b"
    )
    assert too_far.malformed and "outside" in too_far.malformed[0]
    no_doc = parse_cited_answer([_cite("Spending is $725 billion.", 3, 0, 10)], [_item()], block="b")
    assert no_doc.malformed and "document 3" in no_doc.malformed[0]


def test_cited_text_that_differs_from_the_document_is_recorded_and_the_quote_is_the_documents() -> None:
    s1 = _span("Hyperscalers are spending $725 billion on AI compute this year.")
    parsed = parse_cited_answer(
        [_cite("Spending is $725 billion.", 0, *s1, cited="something else")], [_item()], block="b"
    )
    assert not parsed.malformed
    assert parsed.problems and "differs" in parsed.problems[0]
    assert parsed.claims[0].citations[0].quote == DOC[s1[0] : s1[1]]


def test_an_empty_answer_and_an_uncited_fact_are_malformed() -> None:
    assert parse_cited_answer([], [_item()], block="b").malformed == ["the answer has no text"]
    assert parse_cited_answer([{"type": "thinking", "thinking": "..."}], [_item()], block="b").malformed
    uncited = parse_cited_answer(
        [{"type": "text", "text": "Google cut rates by 58 percent."}], [_item()], block="b"
    )
    assert uncited.malformed and "uncited" in uncited.malformed[0]


def test_factual_sentences_are_those_with_numbers_or_names() -> None:
    assert looks_factual("Revenue rose 12 percent.")
    assert looks_factual("The model beats GPT-5.5 on the index.")
    assert not looks_factual("The infrastructure spending is real.")
