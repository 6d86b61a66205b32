"""Dates in the languages and formats feeds and pages print, and the ones nobody can read reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.tools.adapters._helpers import DATA, FETCHED_AT, MakeContext
from tools.adapters import parse_feed, parse_json_feed
from tools.adapters._dates import read_date


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Seg, 24 Set 2018 10:00:00 -0300", datetime(2018, 9, 24, 13, 0, tzinfo=UTC)),
        ("Τρι, 29 Ιούν 2004 12:53:00 GMT", datetime(2004, 6, 29, 12, 53, tzinfo=UTC)),
        ("2020/1/10 14:33:00", datetime(2020, 1, 10, 14, 33, tzinfo=UTC)),
        ("Lundi 24 septembre 2018", datetime(2018, 9, 24, tzinfo=UTC)),
        ("24. September 2018", datetime(2018, 9, 24, tzinfo=UTC)),
        ("Mon, 24 Sep 2018 10:00:00 GMT", datetime(2018, 9, 24, 10, 0, tzinfo=UTC)),
        ("2018-09-24T10:00:00+02:00", datetime(2018, 9, 24, 8, 0, tzinfo=UTC)),
    ],
)
def test_dates_in_any_language_are_read_as_utc(printed: str, expected: datetime) -> None:
    assert read_date(printed) == expected


def test_a_relative_date_counts_from_the_fetch_not_from_today() -> None:
    assert read_date("3 days ago", relative_to=FETCHED_AT) == datetime(2026, 5, 11, 9, 30, tzinfo=UTC)
    # Without the fetch time there is nothing to count from: no date rather than a guess.
    assert read_date("3 days ago") is None


@pytest.mark.parametrize("printed", ["em breve, talvez", "", "Loading weather data ...", "x" * 200])
def test_text_that_is_no_date_reads_as_none(printed: str) -> None:
    assert read_date(printed) is None


def test_a_portuguese_feed_is_dated_and_an_unreadable_date_is_reported(make_context: MakeContext) -> None:
    body = (DATA / "pt_dates.rss.xml").read_bytes()
    items = {i.url.rsplit("/", 1)[1]: i for i in parse_feed(body, make_context(body))}
    assert items["ia-tribunais"].published == datetime(2018, 9, 24, 13, 0, tzinfo=UTC)
    assert items["lei-dados"].published == datetime(2018, 9, 25, 7, 30, tzinfo=UTC)
    assert items["sem-data"].published is None
    assert items["sem-data"].extra["unreadable_date"] == "em breve, talvez"
    # No date printed at all is not an unreadable one.
    assert items["nenhuma"].published is None and "unreadable_date" not in items["nenhuma"].extra


def test_a_json_feed_date_in_another_format_is_read_or_reported(make_context: MakeContext) -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
        b'{"id": "1", "url": "https://j.example/1", "title": "One", "content_text": "a",'
        b' "date_published": "24 de setembro de 2018"},'
        b'{"id": "2", "url": "https://j.example/2", "title": "Two", "content_text": "b",'
        b' "date_published": "someday"}]}'
    )
    items = {i.title: i for i in parse_json_feed(body, make_context(body, content_type="application/json"))}
    assert items["One"].published == datetime(2018, 9, 24, tzinfo=UTC)
    assert items["Two"].published is None and items["Two"].extra["unreadable_date"] == "someday"
