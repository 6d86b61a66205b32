"""The Atom feed of published editions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import feedparser
import pytest

from agent.render import PublishedEdition, render_feed

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = "https://report.example.org/feed.xml"
SITE_URL = "https://report.example.org/"


def _edition(run_id: str, day: date, published: datetime, **changes: str) -> PublishedEdition:
    values: dict[str, Any] = {
        "title": f"The Inference Report, {day:%B} {day.day}, {day.year}",
        "url": f"https://report.example.org/{day.isoformat()}/",
        "summary": "Hyperscalers will spend $725 billion on AI compute this year.",
        **changes,
    }
    return PublishedEdition(run_id=run_id, edition_date=day, published_at=published, **values)


EDITIONS = [
    _edition("run-19", date(2026, 11, 19), datetime(2026, 11, 19, 12, 0, tzinfo=UTC)),
    _edition(
        "run-26", date(2026, 11, 26), datetime(2026, 11, 26, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    ),
]


def test_feed_lists_editions_newest_first_and_parses_as_atom() -> None:
    xml = render_feed(EDITIONS, feed_url=FEED_URL, site_url=SITE_URL)
    ET.fromstring(xml.encode("utf-8"))  # well-formed
    parsed = feedparser.parse(xml.encode("utf-8"))
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert parsed.feed.title == "The Inference Report"
    assert parsed.feed.id == FEED_URL
    assert [e.title for e in parsed.entries] == [
        "The Inference Report, November 26, 2026",
        "The Inference Report, November 19, 2026",
    ]
    newest = parsed.entries[0]
    assert newest.link == "https://report.example.org/2026-11-26/"
    assert newest.id == "urn:inference-report:run:run-26"
    assert newest.published == "2026-11-26T14:00:00Z"  # converted to UTC
    assert newest.summary == "Hyperscalers will spend $725 billion on AI compute this year."
    assert parsed.feed.updated == "2026-11-26T14:00:00Z"


def test_the_same_entries_give_the_same_bytes() -> None:
    once = render_feed(EDITIONS, feed_url=FEED_URL, site_url=SITE_URL)
    assert render_feed(list(reversed(EDITIONS)), feed_url=FEED_URL, site_url=SITE_URL) == once


def test_entry_text_is_escaped_and_unsafe_links_dropped() -> None:
    hostile = _edition(
        "run/<x>&y",
        date(2026, 11, 26),
        datetime(2026, 11, 26, 12, 0),
        title="Edition <script>alert(1)</script> & more",
        summary="A \x00 summary with </summary> in it\x0b",
        url="javascript:alert(1)",
    )
    xml = render_feed([hostile], feed_url=FEED_URL, site_url=SITE_URL)
    root = ET.fromstring(xml.encode("utf-8"))
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == "Edition <script>alert(1)</script> & more"
    assert entry.findtext(f"{ATOM}summary") == "A  summary with </summary> in it"
    assert entry.find(f"{ATOM}link") is None
    assert entry.findtext(f"{ATOM}id") == "urn:inference-report:run:run%2F%3Cx%3E%26y"
    assert entry.findtext(f"{ATOM}published") == "2026-11-26T12:00:00Z"  # naive taken as UTC


def test_an_empty_feed_is_valid() -> None:
    parsed = feedparser.parse(render_feed([], feed_url=FEED_URL, site_url=SITE_URL).encode("utf-8"))
    assert parsed.bozo == 0
    assert parsed.entries == []


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "/feed.xml", ""])
def test_feed_and_site_urls_must_be_http(bad: str) -> None:
    with pytest.raises(ValueError, match="http"):
        render_feed(EDITIONS, feed_url=bad, site_url=SITE_URL)
    with pytest.raises(ValueError, match="http"):
        render_feed(EDITIONS, feed_url=FEED_URL, site_url=bad)


def test_an_entry_carries_the_editions_html_and_when_it_was_updated() -> None:
    corrected = _edition(
        "run-26",
        date(2026, 11, 26),
        datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        title="The Inference Report, November 26, 2026 (corrected)",
    )
    corrected = replace(
        corrected,
        updated_at=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
        content='<p style="margin:0">Hyperscalers <b>will</b> spend</p>',
    )
    parsed = feedparser.parse(render_feed([corrected], feed_url=FEED_URL, site_url=SITE_URL).encode("utf-8"))
    [entry] = parsed.entries
    assert entry.published == "2026-11-26T12:00:00Z"
    assert entry.updated == "2026-11-27T08:00:00Z"
    assert parsed.feed.updated == "2026-11-27T08:00:00Z"
    assert entry.content[0].type == "text/html"
    assert "Hyperscalers <b>will</b> spend" in entry.content[0].value
