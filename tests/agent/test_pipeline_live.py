"""The graph with the live fetcher, against a loopback source server: faults, 304s and the archive."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

from agent.domain.models import Section
from agent.runs import DraftOptions, Factories, start_draft
from agent.settings import Settings, load_settings
from agent.store import Store
from tests.fakes.source_server import SourceServer
from tools.archive import read_archived
from tools.fetching import Fetcher
from tools.fetching.live import LiveFetcher
from tools.fetching.policy import FetchPolicy
from tools.sample import SAMPLE_ARCHIVE

EDITION = date(2026, 11, 26)
ARXIV_URL = (
    "https://export.arxiv.example/api/query?search_query=cat:cs.DC&sortBy=submittedDate"
    "&sortOrder=descending&start=0&max_results=50"
)


def _feed(title: str, link: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Lab</title>'
        "<link>https://lab.example/</link><description>Lab news</description>"
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        "<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate>"
        "<description>The lab said its new model serves 1,200 tokens per second on 8 GPUs, "
        "up 35% from the previous release.</description></item></channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with SourceServer() as s:
        s.add(
            "/lab.xml",
            _feed("Lab ships a faster model", "https://lab.example/post"),
            headers={"content-type": "application/rss+xml", "etag": '"v1"'},
        )
        arxiv = read_archived(SAMPLE_ARCHIVE, ARXIV_URL)  # the sample's arXiv answer, served live
        assert arxiv is not None
        s.add("/arxiv", arxiv.body, headers={"content-type": "application/atom+xml"})
        yield s


def _sources(server: SourceServer, tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    entries = [
        ("lab", "feed", "labs", "/lab.xml"),
        ("arxiv", "arxiv", "papers", "/arxiv"),
        ("down", "feed", "wire", "/status/500"),
        ("slow", "feed", "wire", "/slow?seconds=3"),
        ("bomb", "feed", "wire", "/gzip-bomb?mb=64"),
        ("html-not-feed", "feed", "wire", "/not-a-feed"),
    ]
    server.add(
        "/not-a-feed",
        b"<!doctype html><html><body><p>Hello</p></body></html>",
        headers={"content-type": "text/html"},
    )
    path.write_text(
        "".join(
            f'[[source]]\nname = "{name}"\nkind = "{kind}"\nsection = "{section}"\n'
            f'url = "{server.url(route)}"\nallow_private = true\n\n'
            for name, kind, section, route in entries
        )
    )
    return path


def _live(settings: Settings, replay: Sequence[Path], store: Store) -> Fetcher:
    policy = FetchPolicy(
        per_host_delay=0.0,
        read_timeout=1.0,
        total_timeout=2.0,
        retry_attempts=2,
        backoff_base=0.01,
        backoff_cap=0.02,
        max_body_bytes=1024 * 1024,
    )
    return LiveFetcher(policy, cache=store)


async def test_a_live_run_survives_faults_archives_everything_and_reuses_304s(
    server: SourceServer, tmp_path: Path
) -> None:
    settings = load_settings({}, home=tmp_path / "home")
    options = DraftOptions(
        sources_path=_sources(server, tmp_path),
        writer="extractive",
        edition_date=EDITION,
        out_dir=tmp_path / "first",
    )
    first = await start_draft(settings, options, factories=Factories(fetcher=_live))
    report = first.report
    by_name = {s["name"]: s for s in report["sources"]}
    assert by_name["lab"]["status"] == "ok" and by_name["lab"]["items"] == 1
    assert by_name["arxiv"]["status"] == "ok" and by_name["arxiv"]["items"] >= 5
    for name in ("down", "slow", "bomb", "html-not-feed"):
        assert by_name[name]["status"] == "failed" and by_name[name]["error"], by_name[name]
    assert by_name["down"]["error"].startswith("HTTP 500 Internal Server Error")  # its URL holds "500" too
    assert report["items_per_section"][Section.PAPERS.value] >= 3

    # Replaying the run's own archive reproduces its items exactly, with no network.
    replayed = await start_draft(
        settings,
        DraftOptions(
            sources_path=options.sources_path,
            replay=(Path(report["outputs"]["archive"]),),
            writer="extractive",
            edition_date=EDITION,
            out_dir=tmp_path / "replayed",
            force=True,  # the same edition again, on purpose
        ),
    )
    with Store.open(settings.database_path) as store:
        live_items = {i.id: (i.content_hash, i.text) for i in store.items(first.run_id)}
        replay_items = {i.id: (i.content_hash, i.text) for i in store.items(replayed.run_id)}
    assert live_items == replay_items

    # The next run asks with the stored ETag: the 304 reuses the stored feed and is counted.
    second = await start_draft(
        settings,
        DraftOptions(
            sources_path=options.sources_path,
            writer="extractive",
            edition_date=EDITION,
            out_dir=tmp_path / "second",
            force=True,
        ),
        factories=Factories(fetcher=_live),
    )
    conditional = [r for r in server.requests if r.path == "/lab.xml" and r.headers.get("if-none-match")]
    assert conditional, "the second run sent If-None-Match"
    assert second.report["fetches"]["not_modified"] >= 1
    lab = next(s for s in second.report["sources"] if s["name"] == "lab")
    assert lab["status"] == "ok" and lab["items"] == 1
    assert json.loads((tmp_path / "second" / "run-report.json").read_text())["fetches"]["not_modified"] >= 1
