"""arXiv: every real capture parses, or (the 400 answer) becomes a clear error quoting arXiv."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.domain.errors import SourceError
from agent.domain.models import Item, Section, SourceKind
from tests.conftest import REAL_FIXTURES
from tests.tools.adapters._helpers import DATA, MakeContext, RealCapture
from tools.adapters import ParseError, arxiv_id, parse_arxiv

ARXIV_FILES = (
    sorted(str(p.relative_to(REAL_FIXTURES)) for p in (REAL_FIXTURES / "arxiv").iterdir())
    if (REAL_FIXTURES / "arxiv").is_dir()
    else ["arxiv/(shared fixtures absent)"]
)
ERROR_FILE = "arxiv/api_error_400_incorrect_id.atom.xml"
# Entries per capture, read off the files' <entry>/<item> elements.
EXPECTED_COUNTS = {
    "arxiv/api_idlist_0000.0000_empty.atom.xml": 0,
    "arxiv/api_idlist_0808.05394_1707.08567.atom.xml": 1,
    "arxiv/api_idlist_astro-ph_0601001.atom.xml": 1,
    "arxiv/api_idlist_quant-ph_0201082v1.atom.xml": 1,
    "arxiv/api_query_all-testing_start0_max10.atom.xml": 10,
    "arxiv/api_query_all-testing_start10_max10.atom.xml": 10,
    "arxiv/api_query_cat-cs.AI_OR_cs.LG_max50.atom.xml": 50,
    "arxiv/rss_arxiv_org_cs.LG+cs.AI+cs.CL+stat.ML_4items.rss.xml": 4,
}


def _papers(real_capture: RealCapture, relative: str) -> list[Item]:
    return parse_arxiv(*real_capture(relative, kind=SourceKind.ARXIV, section=Section.PAPERS, max_items=100))


@pytest.mark.parametrize("relative", ARXIV_FILES)
def test_every_arxiv_capture_parses_or_fails_clearly(relative: str, real_capture: RealCapture) -> None:
    if relative == ERROR_FILE:
        # manifest.json records HTTP 400 for this body; the context carries that status.
        assert real_capture(relative)[1].status == 400
        with pytest.raises(ParseError) as caught:
            _papers(real_capture, relative)
        assert isinstance(caught.value, SourceError)
        assert "arXiv API refused the query: 'incorrect id format for abc' (HTTP 400)" in str(caught.value)
        assert "id_list=abc" in str(caught.value)
        return
    papers = _papers(real_capture, relative)
    assert len(papers) == EXPECTED_COUNTS[relative]
    for paper in papers:
        assert paper.id.startswith("arxiv:") and not paper.id[-2:].startswith("v")
        assert paper.url == "https://arxiv.org/abs/" + paper.id.removeprefix("arxiv:")
        assert paper.title and paper.text and "\n" not in paper.text and "  " not in paper.text
        assert paper.authors and paper.categories
        assert paper.published is not None and paper.published.tzinfo is UTC
        assert paper.section is Section.PAPERS and paper.kind is SourceKind.ARXIV


def test_api_entry_fields(real_capture: RealCapture) -> None:
    papers = _papers(real_capture, "arxiv/api_query_cat-cs.AI_OR_cs.LG_max50.atom.xml")
    first = papers[0]
    assert first.id == "arxiv:2607.09662"
    assert first.extra["version"] == "v1"
    assert first.categories == ("q-bio.NC", "cs.AI", "cs.LG", "eess.SP", "math.AT"), "primary first"
    assert first.authors[:2] == ("Ren Takahashi", "Emre Yusuf") and len(first.authors) > 2
    assert first.published == datetime(2026, 7, 10, 17, 59, 45, tzinfo=UTC)
    assert first.text.startswith("Current electroencephalography (EEG)-based dream detection")
    second_page = _papers(real_capture, "arxiv/api_query_all-testing_start10_max10.atom.xml")
    revised = next(p for p in second_page if p.id == "arxiv:2403.16981")
    assert revised.extra["version"] == "v2"
    assert revised.published == datetime(2024, 3, 25, 17, 42, 32, tzinfo=UTC)
    assert revised.updated == datetime(2025, 5, 24, 5, 50, 33, tzinfo=UTC)


def test_old_style_ids(real_capture: RealCapture) -> None:
    [paper] = _papers(real_capture, "arxiv/api_idlist_astro-ph_0601001.atom.xml")
    assert paper.id == "arxiv:astro-ph/0601001"
    assert paper.url == "https://arxiv.org/abs/astro-ph/0601001"
    assert paper.authors[:3] == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi")
    assert "V_max<17.5" in paper.text, "entities in the abstract are decoded once"
    [versioned] = _papers(real_capture, "arxiv/api_idlist_quant-ph_0201082v1.atom.xml")
    assert versioned.id == "arxiv:quant-ph/0201082"
    assert versioned.categories == ("quant-ph", "cs.PL")


def test_rss_arxiv_org(real_capture: RealCapture) -> None:
    papers = _papers(real_capture, "arxiv/rss_arxiv_org_cs.LG+cs.AI+cs.CL+stat.ML_4items.rss.xml")
    crossed = next(p for p in papers if p.id == "arxiv:2205.06398")
    assert crossed.authors == ("Pritam Dey", "Zhengwu Zhang", "David B. Dunson")
    assert crossed.categories == ("stat.ME", "stat.AP", "stat.ML")
    assert crossed.extra["announce_type"] == "cross"
    assert crossed.text.startswith("It has become routine in neuroscience")
    assert crossed.updated is None, "the feed gives one date; no invented update"


def test_an_empty_result_is_an_empty_list(make_context: MakeContext) -> None:
    body = (
        b"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        b"xmlns:opensearch='http://a9.com/-/spec/opensearch/1.1/'><title>arXiv Query</title>"
        b"<opensearch:totalResults>0</opensearch:totalResults></feed>"
    )
    assert parse_arxiv(body, make_context(body, kind=SourceKind.ARXIV)) == []


def test_a_400_without_an_error_entry_still_fails_clearly(make_context: MakeContext) -> None:
    body = b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>x</title></feed>"
    with pytest.raises(ParseError, match="HTTP 400 without an explanation"):
        parse_arxiv(body, make_context(body, kind=SourceKind.ARXIV, status=400))


def test_an_html_answer_is_not_arxiv(make_context: MakeContext) -> None:
    body = b"<html><head><title>Rate limited</title></head><body>Slow down</body></html>"
    with pytest.raises(ParseError, match="did not answer arXiv API Atom"):
        parse_arxiv(body, make_context(body, kind=SourceKind.ARXIV))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://arxiv.org/abs/2405.01234v3", ("2405.01234", "v3")),
        ("https://arxiv.org/pdf/1707.08567", ("1707.08567", "")),
        ("oai:arXiv.org:2609.26811v1", ("2609.26811", "v1")),
        ("http://arxiv.org/abs/astro-ph/0601001v1", ("astro-ph/0601001", "v1")),
        ("http://arxiv.org/abs/math.AG/0601001", ("math.AG/0601001", "")),
        ("https://arxiv.org/api/errors#incorrect_id_format_for_abc", None),
    ],
)
def test_arxiv_id(value: str, expected: tuple[str, str] | None) -> None:
    assert arxiv_id(value) == expected


def test_a_feed_of_other_things_is_refused_naming_the_source(make_context: MakeContext) -> None:
    # Product Hunt's Atom, as a source misconfigured with kind = "arxiv" would fetch it: before, its
    # "Post/1194844" ids passed for old-style arXiv ids and became papers with broken links.
    body = (DATA / "producthunt_like.atom.xml").read_bytes()
    context = make_context(
        body, kind=SourceKind.ARXIV, source="papers-cs", url="https://www.producthunt.com/feed"
    )
    with pytest.raises(ParseError) as caught:
        parse_arxiv(body, context)
    message = str(caught.value)
    assert "source 'papers-cs'" in message and "is not an arXiv feed" in message
    assert "tag:www.producthunt.com,2005:Post/1194844" in message
    assert "export.arxiv.org/api/query" in message and "kind = 'feed'" in message


@pytest.mark.parametrize(
    "value",
    [
        "tag:www.producthunt.com,2005:Post/1194844",
        "https://www.producthunt.com/posts/2405.01234",
        "https://example.org/news/2026.11234-story",
    ],
)
def test_other_sites_ids_are_not_arxiv_ids(value: str) -> None:
    assert arxiv_id(value) is None
