"""Small drafts for review tests: one feed served by a fake fetcher, the real graph, the real store.

    run_id = start_review_draft(tmp_path / "home", checker=mark_first_unsupported)

Runnable as ``python -m tests.fakes.review_drafts HOME [--unsupported]`` so a test can draft in one
process and review in another; it prints the run id.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from agent.domain.models import Claim, Item, LeaderboardMove, Verdict
from agent.settings import Settings, load_settings
from tests.pg_server import point_home_at
from tools.fetching import FetchError, FetchRequest, FetchResponse

__all__ = [
    "EDITION_DATE",
    "FEED_URL",
    "HOSTILE_TITLE",
    "SITE_URL",
    "FakeFeedFetcher",
    "copy_drafted",
    "copy_home",
    "database_of",
    "drafted",
    "drafted_template",
    "mark_first_unsupported",
    "start_review_draft",
    "template_home",
    "write_archive",
    "write_sources",
]

EDITION_DATE = date(2026, 11, 26)
FEED_URL = "https://news.example/feed.xml"
# Written to the drafted home's config.toml: publishing needs the site's address.
SITE_URL = "https://report.example.org/"
# The claim :func:`mark_first_unsupported` refuses: the lead's first quotation (its paragraph 0 is the
# week in figures).
REFUSED_CLAIM_ID = "lead:1:0"
# Comes from a source: every page must show it as text.
HOSTILE_TITLE = "Quartz raises $40 million <script>window.__pwned = 1</script> for inference chips"

_FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>
<description>News</description>
<item><title>{HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")}</title>
<link>https://news.example/quartz-raises</link><guid>https://news.example/quartz-raises</guid>
<pubDate>Wed, 25 Nov 2026 10:00:00 +0000</pubDate>
<description>Quartz Systems raised $40 million in a Series B round led by Harbor Ventures to build inference
chips for data centers. The company says its first accelerator will ship to customers in the second half
of 2027. Quartz employs 85 people in Austin and plans to double its hardware team within a year.</description>
</item>
<item><title>Meridian Labs releases an open model for code review</title>
<link>https://news.example/meridian-code</link><guid>https://news.example/meridian-code</guid>
<pubDate>Tue, 24 Nov 2026 09:00:00 +0000</pubDate>
<description>Meridian Labs released Sextant 2, an open-weight model for code review, under the Apache 2.0
license. The model scored 61.2 percent on the team's internal review benchmark, up from 48.5 percent for
the previous version. Meridian says the model runs on a single 24 GB graphics card.</description>
</item>
</channel></rss>
"""

_SOURCES = f"""[[source]]
name = "example-news"
kind = "feed"
section = "wire"
url = "{FEED_URL}"
focus = ["inference", "model"]
"""


class FakeFeedFetcher:
    """Serves the one feed; anything else is a clean fetch failure."""

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        if request.url != FEED_URL:
            raise FetchError(f"{request.url} is not served by the fake", url=request.url, status=404)
        return FetchResponse(
            url=request.url,
            final_url=request.url,
            status=200,
            headers={"content-type": "application/rss+xml; charset=utf-8"},
            body=_FEED.encode("utf-8"),
            fetched_at=datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        )


def write_sources(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "sources.toml"
    path.write_text(_SOURCES, encoding="utf-8")
    return path


def mark_first_unsupported(
    claims: Sequence[Claim], *, items: Mapping[str, Item], moves: Sequence[LeaderboardMove] = ()
) -> list[Claim]:
    """The real checker, then the first claim that quotes the feed marked unsupported (a draft with
    something to refuse, whose evidence is a fetched passage rather than the desk's own figures)."""
    from evals.grounding import check_claims

    checked = check_claims(claims, items=items, moves=moves)
    quoting = [i for i, c in enumerate(checked) if c.citations and c.citations[0].item_id.startswith("http")]
    if not quoting:
        return checked
    first = quoting[0]
    refused = checked[first].model_copy(
        update={
            "verdict": Verdict.UNSUPPORTED,
            "reasons": ["the number 40 is not in the cited passage (test)"],
        }
    )
    return [*checked[:first], refused, *checked[first + 1 :]]


def write_archive(directory: Path) -> Path:
    """The fake feed as a WARC archive: drafts replay it, so resumed runs (in any process) need no fake."""
    from tools.archive import WarcRecorder

    path = directory / "review-fixture.warc.gz"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        asyncio.run(
            WarcRecorder(FakeFeedFetcher(), path).fetch(FetchRequest(url=FEED_URL, source="example-news"))
        )
    return path


def start_review_draft(
    home: Path,
    *,
    unsupported: bool = False,
    settings: Settings | None = None,
    edition_date: date = EDITION_DATE,
    force: bool = False,
) -> str:
    """Draft the fake feed's edition (replayed from its archive) to the review interrupt; return its id.
    The home's config.toml gets the site address (:data:`SITE_URL`) unless it has a config already."""
    from agent.runs import DraftOptions, Factories, start_draft

    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    written = config.read_text(encoding="utf-8").splitlines() if config.exists() else []
    # A config naming only the test's PostgreSQL database (tests/pg_server.point_home_at) is no config.
    if all(line.startswith("database_url") for line in written):
        config.write_text("".join(f"{line}\n" for line in written) + f'site_url = "{SITE_URL}"\n', "utf-8")
    settings = settings or load_settings(environ={}, home=home, reviewer="test-reviewer")
    options = DraftOptions(
        edition_date=edition_date,
        sources_path=write_sources(home),
        replay=(write_archive(home),),
        writer="extractive",
        force=force,
    )
    factories = Factories(checker=mark_first_unsupported) if unsupported else Factories()
    outcome = asyncio.run(start_draft(settings, options, factories=factories))
    if outcome.status != "awaiting_review":
        raise RuntimeError(f"the draft stopped at {outcome.status}, not at review: {outcome.report}")
    return outcome.run_id


def copy_home(template: Path, destination: Path, *, database: str | None = None) -> Path:
    """A private copy of a drafted data directory (drafting once and copying keeps tests fast), its store
    in ``database`` when that is a PostgreSQL copy of the template's (see :func:`copy_drafted`).

    The run reports in the copy point at the copy's own draft files, not the template's: a test that
    writes them (an edit by hand rewrites the draft files) never touches what other tests read."""
    import shutil

    from agent.store import Store

    shutil.copytree(template, destination)
    if database is not None:
        point_home_at(destination, database)
    with Store.open(database or destination / "report.sqlite") as store:
        for run in store.list_runs():
            if run.report and "outputs" in run.report:
                outputs = {
                    k: v.replace(str(template), str(destination)) for k, v in run.report["outputs"].items()
                }
                store.set_run_report(run.run_id, {**run.report, "outputs": outputs})
    return destination


def database_of(home: Path) -> str:
    """The store of the data folder ``home``: its SQLite file, or the PostgreSQL URL its config names."""
    return load_settings({}, home=home).database


@contextmanager
def template_home(folder: Path, engine: str, request: pytest.FixtureRequest) -> Iterator[Path]:
    """``folder`` as a data folder to draft once and copy per test, its store on ``engine``; a
    PostgreSQL database made for it is dropped afterwards."""
    if engine == "sqlite":
        yield folder
        return
    server = request.getfixturevalue("pg_server")
    url = server.create_database(schema=True)
    try:
        yield point_home_at(folder, url)
    finally:
        server.drop_database(url)


@pytest.fixture
def copy_drafted(request: pytest.FixtureRequest) -> Iterator[Callable[[Path, Path], Path]]:
    """``copy(template, destination)``: :func:`copy_home`, and on PostgreSQL a copy of the template's
    database too (``CREATE DATABASE ... TEMPLATE``), dropped after the test."""
    copies: list[str] = []

    def copy(template: Path, destination: Path) -> Path:
        url = load_settings({}, home=template).database_url
        if url is None:
            return copy_home(template, destination)
        copies.append(request.getfixturevalue("pg_server").clone_database(url))
        return copy_home(template, destination, database=copies[-1])

    yield copy
    for url in copies:
        request.getfixturevalue("pg_server").drop_database(url)


@pytest.fixture(scope="session")
def drafted_template(
    engine: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """Drafted once per session and engine: (home, run_id) with the run paused at review, one claim
    unsupported."""
    with template_home(tmp_path_factory.mktemp("review-template") / "home", engine, request) as home:
        yield home, start_review_draft(home, unsupported=True)


@pytest.fixture
def drafted(
    drafted_template: tuple[Path, str], copy_drafted: Callable[[Path, Path], Path], tmp_path: Path
) -> tuple[Settings, str]:
    """(settings, run_id) for a private copy of the drafted data directory (and of its database)."""
    template, run_id = drafted_template
    home = copy_drafted(template, tmp_path / "home")
    return load_settings(environ={}, home=home, reviewer="ana"), run_id


if __name__ == "__main__":
    print(start_review_draft(Path(sys.argv[1]), unsupported="--unsupported" in sys.argv))
