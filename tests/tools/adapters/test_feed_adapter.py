"""Feeds: every real capture under feeds/ parses or fails clearly, plus small hand-written cases."""

from __future__ import annotations

import codecs
import json
import re
from datetime import UTC, datetime

import feedparser
import pytest

from agent.domain.errors import SourceError
from agent.domain.models import Item
from tests.conftest import REAL_FIXTURES
from tests.tools.adapters._helpers import DATA, FETCHED_AT, MakeContext, RealCapture
from tools.adapters import AdapterContext, ParseError, parse_feed, parse_json_feed

FEED_FILES = (
    sorted(str(p.relative_to(REAL_FIXTURES)) for p in (REAL_FIXTURES / "feeds").rglob("*") if p.is_file())
    if (REAL_FIXTURES / "feeds").is_dir()
    else ["feeds/(shared fixtures absent)"]
)
# The one capture with no readable entry: a document cut off inside a CDATA section.
EXPECTED_ERRORS = {"feeds/edge/feedparser_illformed_incomplete_cdata.xml": "malformed"}
# A valid RSS channel with no <item> (only a pubDate in Greek): nothing to report, nothing wrong.
EXPECTED_EMPTY = {"feeds/edge/feedparser_greek_pubdate_iso-8859-7.xml"}
_TAG = re.compile(r"<(p|div|br|a|img|span|strong|em)\b[^>]*>", re.IGNORECASE)


def _assert_well_formed(item: Item, context: AdapterContext) -> None:
    assert item.id
    assert item.url.startswith(("http://", "https://")), item.url
    assert item.title.strip() == item.title and item.title
    assert item.source == context.source and item.section is context.section and item.kind is context.kind
    assert item.content_hash == context.content_hash and item.content_hash.startswith("sha256:")
    assert item.fetched_at == FETCHED_AT
    assert "\x00" not in item.text and "\ufffd" not in item.text
    assert not _TAG.search(item.text), f"markup left in the text of {item.id}: {item.text[:200]!r}"
    assert "  " not in item.text and "\n\n\n" not in item.text
    for value in (item.published, item.updated):
        assert value is None or value.tzinfo is UTC
    assert "#" not in item.id and "utm_" not in item.id


@pytest.mark.parametrize("relative", FEED_FILES)
def test_every_real_feed_parses_or_fails_clearly(relative: str, real_capture: RealCapture) -> None:
    body, context = real_capture(relative, url="https://feeds.example/feed", max_items=500)
    if relative in EXPECTED_ERRORS:
        with pytest.raises(ParseError, match=EXPECTED_ERRORS[relative]) as caught:
            parse_feed(body, context)
        assert isinstance(caught.value, SourceError)
        assert "https://feeds.example/feed" in str(caught.value)
        return
    items = parse_feed(body, context)
    if relative in EXPECTED_EMPTY:
        assert items == []
        return
    assert items, f"{relative} gave no items"
    for item in items:
        _assert_well_formed(item, context)
    assert len({item.id for item in items}) >= len(items) * 0.9, "ids should identify entries"
    if not relative.endswith(".json"):
        expected = feedparser.parse(body, response_headers={"content-type": context.content_type}).entries
        assert len(items) == len(expected)


def _real(real_capture: RealCapture, relative: str) -> list[Item]:
    return parse_feed(*real_capture(relative, max_items=500))


def test_feed_details_survive(real_capture: RealCapture) -> None:
    anthropic = _real(real_capture, "feeds/ai_labs/anthropic_engineering.rss.xml")
    assert anthropic[0].title == "How we contain Claude across products"
    assert anthropic[0].published == datetime(2026, 5, 25, tzinfo=UTC)
    # The scraper's literal backslash-n at the end of a description is not text.
    assert not any(item.text.endswith("\\n") for item in anthropic)

    news = _real(real_capture, "feeds/ai_labs/anthropic_news.rss.xml")
    dates = [item.published for item in news if item.published]
    assert dates == sorted(dates, reverse=True), "newest first, so a cap keeps the newest"

    medium = _real(real_capture, "feeds/blogs/medium_tag_content_encoded.rss.xml")
    assert all("source=rss" not in item.id for item in medium)
    assert all("?source=rss" in item.url for item in medium), "the link as published stays in url"

    blogger = _real(real_capture, "feeds/blogs/blogger_via_feedburner.atom.xml")
    assert blogger[0].id.startswith("http://googleadsdeveloper.blogspot.com/"), "feedburner:origLink wins"

    portuguese = _real(real_capture, "feeds/encodings/jn_pt_iso-8859-1.rss.xml")
    assert any("ã" in item.title for item in portuguese)
    chinese = _real(real_capture, "feeds/encodings/kc0011_gb2312.rss.xml")
    assert chinese[0].title == "建国35周年纪念，华表，和平鸽"

    rdf = _real(real_capture, "feeds/dialects/science_rss1_rdf.rdf.xml")
    assert len(rdf) == 69 and rdf[0].authors

    google = _real(real_capture, "feeds/ai_labs/google_cloud_blog_2019.rss.xml")
    # The description is a whole escaped HTML document: only its text remains.
    assert google[0].text.startswith("Employees use tools at their disposal")


def test_undeclared_koi8r_is_read_as_cyrillic(real_capture: RealCapture) -> None:
    [item] = _real(real_capture, "feeds/edge/feedparser_koi8r_undeclared.xml")
    assert item.title == "Как пережить новогоднюю ночь"
    assert "koi8-r" in item.extra["bozo"]


def test_bozo_feed_with_entries_returns_them_with_the_reason(real_capture: RealCapture) -> None:
    [item] = _real(real_capture, "feeds/edge/feedparser_illformed_truncated_close_tag.xml")
    assert item.url == "http://link/get?a=1&b=2"
    assert "SAXParseException" in item.extra["bozo"]


def test_relative_links_resolve_against_xml_base(make_context: MakeContext) -> None:
    body = (DATA / "relative_links.atom.xml").read_bytes()
    first, second = parse_feed(body, make_context(body, url="https://lab.example/feeds/atom.xml"))
    assert (
        first.url
        == "https://lab.example/blog/posts/sparse-attention?utm_source=rss&utm_medium=feed&lang=en#comments"
    )
    assert first.id == "https://lab.example/blog/posts/sparse-attention?lang=en"
    assert first.authors == ("Ada Example", "Grace Sample")
    assert first.published == datetime(2026, 5, 12, 6, 0, tzinfo=UTC)
    assert first.updated == datetime(2026, 5, 12, 7, 15, tzinfo=UTC)
    assert first.text == (
        "We trained a model with sparse attention on 1M-token contexts.\n\n"
        "Throughput rose by 40 percent. See the docs for details."
    )
    assert second.url == "https://lab.example/news/2026/second.html"
    assert second.published == datetime(2026, 5, 10, 12, 0, tzinfo=UTC), "Atom <updated> dates an entry"
    assert second.extra["feed_title"] == "Example Lab Blog"


def test_relative_links_resolve_against_the_feed_url(make_context: MakeContext) -> None:
    body = (DATA / "relative_links.rss.xml").read_bytes()
    context = make_context(body, url="https://wire.example/rss/all.xml", content_type="application/rss+xml")
    [item] = parse_feed(body, context)
    assert item.url == "https://wire.example/2026/05/chip-export-rules?fbclid=abc123"
    assert item.id == "https://wire.example/2026/05/chip-export-rules"
    assert item.text == "New rules cover accelerators above 4,800 TOPS."


def test_json_feed(make_context: MakeContext) -> None:
    body = (DATA / "example.jsonfeed.json").read_bytes()
    context = make_context(body, url="https://wire.example/feed.json", content_type="application/feed+json")
    newer, older = parse_feed(body, context)
    assert newer.url == "https://wire.example/2026/05/12/newer"
    assert newer.text == "Hyperscalers plan to spend $725 billion on compute."
    assert newer.authors == ("Reporter One", "Reporter Two")
    assert newer.updated == datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
    assert older.id == "https://wire.example/2026/05/10/older"
    assert older.text == "First paragraph of the older story.\n\nSecond paragraph, with a number: 58 percent."
    assert older.published == datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    assert older.authors == ("Ana Lima",), "the feed's authors stand in for the item's"
    assert older.categories == ("chips", "policy")
    capped = make_context(
        body, url="https://wire.example/feed.json", content_type="application/feed+json", max_items=1
    )
    assert parse_json_feed(body, capped) == [newer]


def test_json_feed_with_nulls_where_text_or_lists_belong(make_context: MakeContext) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": None,
        "authors": [{"name": None}],
        "items": [{"id": "1", "url": "https://wire.example/a", "title": "A", "tags": None, "authors": None}],
    }
    body = codecs.BOM_UTF8 + json.dumps(document).encode()
    [item] = parse_feed(body, make_context(body, content_type="application/feed+json"))
    assert (item.title, item.authors, item.categories, item.extra) == ("A", (), (), {"guid": "1"})


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", ""])
def test_an_empty_feed_served_with_a_non_xml_type_is_empty(
    content_type: str, make_context: MakeContext
) -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet week</title></channel></rss>'
    assert parse_feed(body, make_context(body, content_type=content_type)) == []
    truncated = body[:-20]
    with pytest.raises(ParseError, match="malformed"):
        parse_feed(truncated, make_context(truncated, content_type="application/rss+xml"))


def test_json_that_is_not_a_json_feed(make_context: MakeContext) -> None:
    body = b'{"status": 200, "data": []}'
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_feed(body, make_context(body, content_type="application/json"))


def test_html_page_where_a_feed_was_expected_names_the_feeds_it_links(make_context: MakeContext) -> None:
    body = (DATA / "not_a_feed.html").read_bytes()
    context = make_context(body, url="https://lab.example/news/", content_type="text/html; charset=utf-8")
    with pytest.raises(ParseError) as caught:
        parse_feed(body, context)
    message = str(caught.value)
    assert "HTML page ('Example Lab - News') where a feed was expected" in message
    assert "https://lab.example/news/rss.xml" in message and "https://lab.example/blog/atom.xml" in message
    assert caught.value.source == "test-source" and caught.value.url == "https://lab.example/news/"


def test_html_page_without_feed_links_says_what_to_do(make_context: MakeContext) -> None:
    body = b"<html><head><title>Home</title></head><body><p>Hello</p></body></html>"
    with pytest.raises(ParseError, match="set the source's url to the site's RSS or Atom feed"):
        parse_feed(body, make_context(body, content_type="text/html"))


def test_bytes_that_are_no_feed_at_all(make_context: MakeContext) -> None:
    body = b"Service temporarily unavailable"
    with pytest.raises(ParseError, match="is not a feed"):
        parse_feed(body, make_context(body, content_type="text/plain"))


_LATIN1_RSS = (
    "<?xml version='1.0'{decl}?><rss version='2.0'><channel><title>Notícias</title>"
    "<item><title>Ação rápida na inteligência artificial</title><link>https://pt.example/a</link>"
    "<description>O café é forte e a reação foi imediata.</description></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("declaration", "content_type"),
    [
        (" encoding='utf-8'", "application/rss+xml; charset=utf-8"),  # declared UTF-8, bytes latin-1
        ("", "application/rss+xml"),  # nothing declared anywhere
    ],
)
def test_latin1_bytes_with_a_wrong_or_missing_declaration_still_read(
    declaration: str, content_type: str, make_context: MakeContext
) -> None:
    body = _LATIN1_RSS.format(decl=declaration).encode("latin-1")
    [item] = parse_feed(body, make_context(body, content_type=content_type))
    assert item.title == "Ação rápida na inteligência artificial"
    assert item.text == "O café é forte e a reação foi imediata."
    assert "encoding" in item.extra["bozo"].lower() or "declared" in item.extra["bozo"]


def test_max_items_caps_the_newest(real_capture: RealCapture) -> None:
    relative = "feeds/ai_labs/openai_research.rss.xml"
    capped = parse_feed(*real_capture(relative, max_items=3))
    everything = _real(real_capture, relative)
    assert capped == everything[:3]
