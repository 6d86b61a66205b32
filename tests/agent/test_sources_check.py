"""sources check, run level: several sources against the loopback server, healthy and faulty together."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import UTC, datetime
from typing import Any

from rich.console import Console

from agent.domain.models import Item
from agent.domain.sources import SourceSpec, parse_sources
from agent.sources_check import (
    SourceCheck,
    check_sources,
    checks_as_json,
    checks_to_json,
    render_checks_table,
)
from tests.fakes.source_server import SourceServer, feed_xml
from tests.tools.fetching.fakes import FAST, RecordingSleep
from tools.fetching import FetchRequest, FetchResponse
from tools.fetching.live import LiveFetcher


def entries(name: str, count: int) -> list[tuple[str, str]]:
    return [(f"{name} story {n}", f"https://example.org/{name}/{n}") for n in range(count)]


def source(name: str, url: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "feed", "url": url, "section": "wire", "allow_private": True, **extra}


async def test_every_healthy_source_is_counted_and_every_failure_has_its_reason() -> None:
    with SourceServer() as server:
        server.robots = "User-agent: *\nDisallow: /members/\n"
        server.add(
            "/labs.xml", feed_xml("Labs", entries("labs", 3)), headers={"content-type": "application/rss+xml"}
        )
        server.add(
            "/wire.xml",
            gzip.compress(feed_xml("Wire", entries("wire", 5))),
            headers={"content-type": "application/rss+xml", "content-encoding": "gzip"},
        )
        server.add("/moved.xml", feed_xml("Moved", entries("moved", 2)))
        server.add(
            "/not-a-feed",
            b"<html><body><h1>Welcome</h1><p>No feed here.</p></body></html>",
            headers={"content-type": "text/html; charset=utf-8"},
        )
        server.add("/members/feed.xml", feed_xml("Members", entries("members", 1)))
        sources = parse_sources(
            {
                "source": [
                    source("labs", server.url("/labs.xml")),
                    source("wire", server.url("/wire.xml")),
                    source("moved", server.url("/redirect?to=/moved.xml")),
                    source("broken-server", server.url("/status/500")),
                    source("throttled", server.url("/status/429")),
                    source("reset", server.url("/reset")),
                    source("slow", server.url("/slow?seconds=30")),
                    source("truncated", server.url("/truncated")),
                    source("huge", server.url("/big-chunked?mb=50")),
                    source("bomb", server.url("/gzip-bomb?mb=20")),
                    source("html", server.url("/not-a-feed")),
                    source("members", server.url("/members/feed.xml")),
                    source("loop", server.url("/loop/a")),
                    source("guarded", server.url("/labs.xml"), allow_private=False),
                    source("gone", server.url("/status/404")),
                    source("disabled", server.url("/status/500"), enabled=False),
                ]
            },
            path="sources.toml",
        )
        server.gzip_bomb(20)  # built before the clock starts: compressing 20 MiB takes the server a moment
        # 1 s: far above a loopback answer even on a loaded machine, far below the slow route's 30 s.
        policy = dataclasses.replace(FAST, read_timeout=1.0, retry_attempts=2)
        async with LiveFetcher(policy, sleep=RecordingSleep()) as fetcher:
            checks = await check_sources(sources, fetcher)

    by_name = {c.name: c for c in checks}
    assert [c.name for c in checks] == [s.name for s in sources.enabled()]
    assert "disabled" not in by_name and server.hits["/status/500"] == 2  # only broken-server's 2 attempts
    assert {n: by_name[n].items for n in ("labs", "wire", "moved")} == {"labs": 3, "wire": 5, "moved": 2}
    assert all(by_name[n].status == "ok" and by_name[n].reason is None for n in ("labs", "wire", "moved"))
    expected_reasons = {
        "broken-server": "HTTP 500 Internal Server Error",
        "throttled": "HTTP 429 Too Many Requests",
        "reset": "connection lost: connection reset by peer",
        "slow": "read timeout 1 s",
        "truncated": "broke the connection mid-response",
        "huge": "body too large",
        "bomb": "decompressed body too large",
        "html": "answered an HTML page where a feed was expected",
        "members": "robots.txt",
        "loop": "redirect loop",
        "guarded": "loopback address",
        "gone": "HTTP 404 Not Found",
    }
    for name, fragment in expected_reasons.items():
        check = by_name[name]
        assert check.status == "failed" and check.items == 0, name
        assert check.reason is not None and fragment in check.reason, (name, check.reason)
    assert by_name["broken-server"].http_status == 500 and by_name["reset"].http_status is None


class CannedFetcher:
    """A Fetcher that answers every URL with the same body and records the requests."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requests: list[FetchRequest] = []

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        self.requests.append(request)
        return FetchResponse(
            url=request.url,
            final_url=request.url,
            status=200,
            headers={"content-type": "application/rss+xml"},
            body=self.body,
            fetched_at=datetime(2026, 11, 28, tzinfo=UTC),
        )


async def test_an_adapter_crash_is_a_failed_row_and_api_keys_come_from_the_secrets() -> None:
    sources = parse_sources(
        {
            "source": [
                source(
                    "keyed", "https://api.example.org/x", api_key_env="EXAMPLE_KEY", api_key_header="x-key"
                )
            ]
        },
        path="s.toml",
    )
    fetcher = CannedFetcher(b"<rss/>")

    def exploding_parse(spec: SourceSpec, response: FetchResponse) -> list[Item]:
        raise RuntimeError("bug in a parser")

    [check] = await check_sources(sources, fetcher, secrets={"EXAMPLE_KEY": "k-123"}, parse=exploding_parse)
    assert check.status == "failed"
    assert check.reason == "unexpected parse error: RuntimeError: bug in a parser"
    assert fetcher.requests[0].headers == {"x-key": "k-123"}
    assert fetcher.requests[0].source == "keyed"


async def test_an_empty_source_is_ok_with_a_note() -> None:
    sources = parse_sources({"source": [source("empty", "https://example.org/feed")]}, path="s.toml")
    [check] = await check_sources(sources, CannedFetcher(feed_xml("Empty", [])), parse=lambda spec, r: [])
    assert (check.status, check.items, check.reason) == ("ok", 0, "answered, but held no items")


def test_the_table_and_json_forms() -> None:
    checks = [
        SourceCheck(
            name="labs", kind="feed", url="https://a/", status="ok", items=3, seconds=0.25, http_status=200
        ),
        SourceCheck(
            name="wire",
            kind="feed",
            url="https://b/",
            status="failed",
            seconds=1.5,
            reason="HTTP 500 Internal Server Error from https://b/ (after 3 attempts)",
            http_status=500,
        ),
    ]
    console = Console(width=200, record=True)
    console.print(render_checks_table(checks))
    text = console.export_text()
    assert "Sources check: 1 ok, 1 failed" in text
    assert "labs" in text and "0.25 s" in text and "HTTP 500 Internal Server Error" in text
    payload = json.loads(checks_to_json(checks))
    assert payload == checks_as_json(checks)
    assert (payload["ok"], payload["failed"]) == (1, 1)
    assert payload["sources"][1]["reason"].startswith("HTTP 500") and payload["sources"][0]["items"] == 3


async def test_items_in_the_window_are_counted_beside_the_items_fetched() -> None:
    from datetime import date
    from pathlib import Path

    from agent.sources_check import Window

    portuguese = (Path(__file__).parents[1] / "tools" / "adapters" / "data" / "pt_dates.rss.xml").read_bytes()
    with SourceServer() as server:
        server.add("/wire.xml", feed_xml("Wire", entries("wire", 3)))
        server.add("/pt.xml", portuguese, headers={"content-type": "application/rss+xml"})
        sources = parse_sources(
            {"source": [source("wire", server.url("/wire.xml")), source("pt", server.url("/pt.xml"))]},
            path="sources.toml",
        )
        async with LiveFetcher(FAST, sleep=RecordingSleep()) as fetcher:
            this_week = await check_sources(sources, fetcher, window=Window(edition_date=date(2026, 11, 26)))
            next_month = await check_sources(sources, fetcher, window=Window(edition_date=date(2026, 12, 26)))
    wire, pt = this_week
    assert (wire.items, wire.in_window) == (3, 3) and wire.reason is None
    # Dated 2018 (read from Portuguese), the feed is not "ok, 4" and silent: none of it is in the window.
    assert pt.status == "ok" and pt.items == 4 and pt.in_window == 0
    assert pt.unreadable_dates == 1
    assert "none of its 4 items is in the window 2026-11-20 to 2026-11-26" in (pt.reason or "")
    assert "'em breve, talvez'" in (pt.reason or "")
    assert next_month[0].in_window == 0
    table = Console(width=200, record=True)
    table.print(render_checks_table(this_week))
    assert "in window" in table.export_text()


async def test_a_401_from_a_source_whose_key_is_unset_names_the_variable_to_set() -> None:
    keyed = {"api_key_env": "EXAMPLE_KEY", "api_key_header": "x-key"}
    with SourceServer() as server:
        sources = parse_sources(
            {
                "source": [
                    source("no-key", server.url("/status/401"), **keyed),
                    source("forbidden", server.url("/status/403"), **keyed),
                    source("keyless", server.url("/status/401")),
                ]
            },
            path="sources.toml",
        )
        async with LiveFetcher(FAST, sleep=RecordingSleep()) as fetcher:
            unset = {c.name: c.reason for c in await check_sources(sources, fetcher)}
            with_key = await check_sources(sources, fetcher, secrets={"EXAMPLE_KEY": "k-123"})
    hint = "EXAMPLE_KEY is not set (the key this source's api_key_env names)"
    assert unset["no-key"] is not None and unset["no-key"].endswith(f"/status/401; {hint}")
    assert unset["forbidden"] is not None and hint in unset["forbidden"]
    # A source that names no key, or whose key is set and refused, gets no hint.
    assert unset["keyless"] is not None and "not set" not in unset["keyless"]
    assert all(c.reason is not None and "not set" not in c.reason for c in with_key)
