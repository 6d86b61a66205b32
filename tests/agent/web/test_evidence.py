from __future__ import annotations

from agent.domain.models import Citation, Item, Section, SourceKind
from agent.web._evidence import archive_candidates, passage

TEXT = "First sentence here. The cited passage sits in the middle. And a last one follows."


def cite(start: int, end: int, quote: str) -> Citation:
    return Citation(item_id="i", start=start, end=end, quote=quote)


def test_the_cited_range_is_marked_inside_its_context() -> None:
    start = TEXT.index("The cited")
    end = TEXT.index("middle.") + len("middle.")
    p = passage(TEXT, cite(start, end, TEXT[start:end]))
    assert (p.before, p.marked, p.after) == (
        "First sentence here. ",
        TEXT[start:end],
        " And a last one follows.",
    )
    assert p.exact and p.found and not p.trimmed_before and not p.trimmed_after


def test_a_wrong_range_falls_back_to_finding_the_quote() -> None:
    p = passage(TEXT, cite(0, 5, "a last one"))
    assert p.marked == "a last one" and p.found and not p.exact


def test_a_quote_that_is_not_in_the_text_is_reported() -> None:
    p = passage(TEXT, cite(0, 5, "not there"))
    assert not p.found and p.marked == ""


def test_context_is_cut_at_words() -> None:
    text = "word " * 100 + "TARGET." + " word" * 100
    start = text.index("TARGET.")
    p = passage(text, cite(start, start + 7, "TARGET."), context=23)
    assert p.marked == "TARGET." and p.trimmed_before and p.trimmed_after
    assert p.before.startswith("word") and p.after.endswith("word")


def test_archive_candidates_prefer_the_extracted_page_then_the_item_then_the_source_fetch() -> None:
    item = Item(
        id="https://n.example/a",
        source="news",
        section=Section.WIRE,
        kind=SourceKind.FEED,
        title="A",
        url="https://n.example/a",
        extra={"page_url": "https://n.example/a?final"},
    )
    source_urls = {"other": ["https://o.example/feed"], "news": ["https://n.example/feed"]}
    assert archive_candidates(item, source_urls) == [
        "https://n.example/a?final",
        "https://n.example/a",
        "https://n.example/feed",
    ]
