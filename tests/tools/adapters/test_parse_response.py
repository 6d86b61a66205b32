"""parse_response: the adapter chosen by kind and format, the cap, and error statuses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent.domain.errors import SourceError
from agent.domain.models import Section, SourceKind, content_hash
from agent.domain.sources import SourceSpec
from tests.tools.adapters._helpers import DATA
from tools.adapters import AdapterContext, ParseError, extract_page, parse_response
from tools.fetching import FetchResponse

FETCHED = datetime(2026, 5, 14, 8, 0, tzinfo=UTC)


def _response(
    body: bytes, *, status: int = 200, content_type: str = "", url: str = "https://s.example/x"
) -> FetchResponse:
    return FetchResponse(
        url=url,
        final_url=url + "?final",
        status=status,
        headers={"content-type": content_type} if content_type else {},
        body=body,
        fetched_at=FETCHED,
    )


def _spec(kind: SourceKind, section: Section, **options: Any) -> SourceSpec:
    return SourceSpec(
        name=f"my-{kind.value}", kind=kind, url="https://s.example/x", section=section, **options
    )


def test_feed_items_carry_the_fetch(tmp_path: Path) -> None:
    body = (DATA / "example.jsonfeed.json").read_bytes()
    spec = _spec(SourceKind.FEED, Section.WIRE, max_items=1)
    [item] = parse_response(spec, _response(body, content_type="application/feed+json"))
    assert item.source == "my-feed" and item.section is Section.WIRE and item.kind is SourceKind.FEED
    assert item.fetched_at == FETCHED and item.content_hash == content_hash(body)
    assert item.url == "https://s.example/2026/05/12/newer", "relative links resolve against the final URL"


def test_arxiv_400_answer_becomes_the_clear_error(real_fixtures: Path) -> None:
    body = (real_fixtures / "arxiv/api_error_400_incorrect_id.atom.xml").read_bytes()
    spec = _spec(SourceKind.ARXIV, Section.PAPERS)
    with pytest.raises(ParseError, match="incorrect id format for abc") as caught:
        parse_response(spec, _response(body, status=400, content_type="application/atom+xml; charset=utf-8"))
    assert caught.value.source == "my-arxiv"


def test_arxiv_is_capped(real_fixtures: Path) -> None:
    body = (real_fixtures / "arxiv/api_query_cat-cs.AI_OR_cs.LG_max50.atom.xml").read_bytes()
    items = parse_response(_spec(SourceKind.ARXIV, Section.PAPERS, max_items=7), _response(body))
    assert len(items) == 7 and all(i.id.startswith("arxiv:") for i in items)


def test_trending(real_fixtures: Path) -> None:
    body = (real_fixtures / "trending/github_trending_python_daily_full.html").read_bytes()
    items = parse_response(_spec(SourceKind.GITHUB_TRENDING, Section.REPOS, max_items=30), _response(body))
    assert len(items) == 20 and items[0].section is Section.REPOS


def test_leaderboards_by_format(real_fixtures: Path) -> None:
    body = (real_fixtures / "leaderboards/artificial_analysis_llms_models_rewrapped.json").read_bytes()
    spec = _spec(SourceKind.LEADERBOARD, Section.BENCHMARKS, format="artificial_analysis", max_items=5)
    [item] = parse_response(spec, _response(body, content_type="application/json"))
    assert item.leaderboard is not None and len(item.leaderboard.rows) == 5
    assert item.leaderboard.name == "Artificial Analysis Intelligence Index"

    table = (DATA / "leaderboard_table.html").read_bytes()
    spec = _spec(
        SourceKind.LEADERBOARD,
        Section.BENCHMARKS,
        format="html_table",
        table_index=1,
        leaderboard_name="SWE-rebench",
        metric="Resolved rate",
        columns={"model": "Model", "score": "Resolved Rate"},
    )
    [item] = parse_response(spec, _response(table, content_type="text/html"))
    assert item.leaderboard is not None and item.leaderboard.name == "SWE-rebench"
    assert item.text.startswith("Rank 1: Claude Opus 4.6 scores 65.3% on the Resolved rate.")


def test_page_and_linked_page() -> None:
    body = (
        b"<html><head><title>Launch</title></head><body><article><p>The lab released a model that reads "
        b"long documents and answers questions about them with citations.</p><p>It is available today "
        b"to every customer of the API, at the same price as its predecessor.</p></article></body></html>"
    )
    [item] = parse_response(_spec(SourceKind.PAGE, Section.LABS), _response(body, content_type="text/html"))
    assert item.kind is SourceKind.PAGE and item.id == "https://s.example/x?final"
    page = _response(body, content_type="text/html")
    linked = extract_page(
        page.body, ctx=AdapterContext.for_response(_spec(SourceKind.FEED, Section.LABS), page)
    )
    assert linked.kind is SourceKind.FEED and linked.text == item.text


@pytest.mark.parametrize("kind", [SourceKind.FEED, SourceKind.GITHUB_TRENDING, SourceKind.PAGE])
def test_an_error_status_is_not_parsed(kind: SourceKind) -> None:
    with pytest.raises(ParseError, match="answered HTTP 500"):
        parse_response(_spec(kind, Section.WIRE), _response(b"<html>oops</html>", status=500))


def test_an_empty_body_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="empty body"):
        parse_response(_spec(SourceKind.FEED, Section.WIRE), _response(b"  \n"))


@pytest.mark.parametrize(
    ("parse", "body", "expected"),
    [
        (
            "page",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
            "answered an RSS or Atom feed where an article page (HTML) was expected: use kind = 'feed'",
        ),
        ("page", b'{"data": []}', "answered JSON where an article page (HTML) was expected"),
        (
            "trending",
            b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
            "answered an RSS or Atom feed where GitHub's trending page (HTML, https://github.com/trending)",
        ),
        (
            "table",
            b'{"models": []}',
            "answered JSON where an HTML page with a leaderboard table was expected",
        ),
    ],
)
def test_each_adapter_says_what_it_expected(parse: str, body: bytes, expected: str) -> None:
    from agent.domain.sources import ColumnMapping
    from tests.tools.adapters._helpers import build_context
    from tools.adapters import parse_html_table, parse_page, parse_trending

    columns = ColumnMapping(model="Model", score="Score")
    parser = {
        "page": parse_page,
        "trending": parse_trending,
        "table": lambda b, c: parse_html_table(b, c, columns=columns, name="Board", metric="Score"),
    }[parse]
    with pytest.raises(ParseError) as caught:
        parser(body, build_context(body, source="my-source"))
    assert expected in str(caught.value) and "source 'my-source'" in str(caught.value)


def test_entries_past_max_items_are_counted_and_the_title_is_stamped() -> None:
    from tools.adapters import parse_source

    body = (DATA / "pt_dates.rss.xml").read_bytes()
    spec = _spec(SourceKind.FEED, Section.WIRE, max_items=1, title="Noticias")
    every = parse_response(_spec(SourceKind.FEED, Section.WIRE, max_items=500), _response(body))
    items, beyond = parse_source(spec, _response(body))
    assert len(every) > 1
    assert len(items) == 1 and beyond == len(every) - 1
    assert items[0].id == every[0].id  # the newest is kept
    assert items[0].source_title == "Noticias" and items[0].source_label == "Noticias"
