"""The whole graph on the bundled sample edition: drafting, broken sources, and crash-and-resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.domain.models import Section, Verdict
from agent.runs import DraftOptions, Factories, run_state, start_draft
from agent.settings import Settings, load_settings
from agent.store import Store
from tools.archive import ReplayFetcher, iter_archive
from tools.fetching import Fetcher, FetchError, FetchRequest, FetchResponse
from tools.sample import SAMPLE_ARCHIVE, SAMPLE_SOURCES

ROOT = Path(__file__).resolve().parents[2]


def settings_in(home: Path) -> Settings:
    return load_settings({}, home=home)


async def test_sample_edition_drafts_offline_with_every_claim_supported(
    home: Path, tmp_path: Path, engine: str
) -> None:
    out = tmp_path / "out"
    outcome = await start_draft(
        settings_in(home), DraftOptions(sample=True, writer="extractive", out_dir=out)
    )
    assert outcome.status == "awaiting_review"
    report = json.loads((out / "run-report.json").read_text())
    assert report["run_id"] == outcome.run_id
    assert {s["status"] for s in report["sources"]} == {"ok"}
    assert all(report["items_per_section"][s.value] > 0 for s in Section)
    assert report["items_per_section"][Section.PAPERS.value] >= 3
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    assert claims and report["claims"]["total"] == len(claims)
    assert {c["verdict"] for c in claims} == {Verdict.SUPPORTED.value}
    for claim in claims:
        assert claim["citations"], claim
        citation = claim["citations"][0]
        assert {"item_id", "start", "end", "quote", "url", "fetched_at", "content_hash"} <= set(citation)
    markdown = (out / "edition.md").read_text()
    for heading in (
        "November 26, 2026",
        "## AI Labs",
        "## From the Wire",
        "## Research Papers - Focused",
        "## Benchmarks",
        "(cs.DC)",
    ):
        assert heading in markdown
    html = (out / "edition.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html")
    # The run's evidence: every source response is in its own WARC.
    archived = [r for r in iter_archive(Path(report["outputs"]["archive"])) if isinstance(r, FetchResponse)]
    assert len(archived) >= len(report["sources"])
    # On PostgreSQL the store and the graph's checkpoints are both in the database: no SQLite file.
    assert bool(list(home.rglob("*.sqlite*"))) is (engine == "sqlite")


async def test_extract_moves_the_items_out_of_fetched(home: Path, tmp_path: Path) -> None:
    # Held in both, every checkpoint after extract carried every item's text twice.
    settings = settings_in(home)
    outcome = await start_draft(
        settings, DraftOptions(sample=True, writer="extractive", out_dir=tmp_path / "out")
    )
    state, _ = run_state(settings, outcome.run_id)
    assert state["fetched"] and all(f["items"] == [] for f in state["fetched"])
    assert state["items"]
    assert sum(len(f["responses"]) for f in state["fetched"]) >= len(state["sources"])


@dataclass
class BrokenSources:
    """Serves the sample archive, plus three broken sources the way the live fetcher would see them."""

    inner: Fetcher

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
        if request.url == "https://broken.example/500":
            raise FetchError("HTTP 500 Internal Server Error", url=request.url, status=500)
        if request.url == "https://broken.example/malformed.xml":
            body = b"<rss><channel><title>half a feed</title><item><title>cut"
            return FetchResponse(
                request.url, request.url, 200, {"content-type": "application/rss+xml"}, body, now
            )
        if request.url == "https://broken.example/latin1.xml":
            body = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9</title>'
                "<item><title>R\xe9sum\xe9 of the week in AI</title><link>https://broken.example/a</link>"
                "<pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate>"
                "<description>Na\xefve caf\xe9 r\xe9sum\xe9 text "
                "about inference costs falling 20% this year.</description></item></channel></rss>"
            ).encode("latin-1")
            return FetchResponse(
                request.url, request.url, 200, {"content-type": "application/rss+xml"}, body, now
            )
        return await self.inner.fetch(request)


def with_broken_sources(tmp_path: Path) -> Path:
    broken = textwrap.dedent(
        """
        [[source]]
        name = "down-500"
        kind = "feed"
        section = "wire"
        url = "https://broken.example/500"

        [[source]]
        name = "malformed-xml"
        kind = "feed"
        section = "wire"
        url = "https://broken.example/malformed.xml"

        [[source]]
        name = "wrong-encoding"
        kind = "feed"
        section = "wire"
        url = "https://broken.example/latin1.xml"
        """
    )
    path = tmp_path / "sources.toml"
    path.write_text(SAMPLE_SOURCES.read_text(encoding="utf-8") + broken, encoding="utf-8")
    return path


async def test_broken_sources_are_recorded_and_the_edition_still_drafts(home: Path, tmp_path: Path) -> None:
    def fetcher(settings: Settings, replay: Sequence[Path], store: Store) -> Fetcher:
        return BrokenSources(ReplayFetcher(list(replay)))

    out = tmp_path / "out"
    options = DraftOptions(
        sources_path=with_broken_sources(tmp_path),
        replay=(SAMPLE_ARCHIVE,),
        writer="extractive",
        out_dir=out,
        edition_date=datetime(2026, 11, 26).date(),
    )
    outcome = await start_draft(settings_in(home), options, factories=Factories(fetcher=fetcher))
    assert outcome.status == "awaiting_review"
    report = json.loads((out / "run-report.json").read_text())
    by_name = {s["name"]: s for s in report["sources"]}
    down = by_name["down-500"]
    assert down["status"] == "failed" and "HTTP 500 Internal Server Error" in down["error"]  # not its URL
    assert by_name["malformed-xml"]["status"] == "failed" and by_name["malformed-xml"]["error"]
    # A wrong declared encoding is survivable: the entry comes through, decoded, not as mojibake or a crash.
    wrong = by_name["wrong-encoding"]
    assert wrong["status"] == "ok" and wrong["items"] == 1, wrong
    healthy = [s for s in report["sources"] if not s["name"].startswith(("down", "malformed", "wrong"))]
    assert healthy and all(s["status"] == "ok" and s["items"] > 0 for s in healthy)
    assert (out / "edition.md").exists() and report["claims"]["total"] > 0


# A checker that kills its process: the run dies right after the write stage was checkpointed.
_KILL_AFTER_WRITE = """
import asyncio, os, signal, sys
from pathlib import Path
from agent.runs import DraftOptions, Factories, run_state, start_draft
from agent.settings import load_settings

def die(claims, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

settings = load_settings({}, home=Path(sys.argv[1]))
options = DraftOptions(sample=True, writer="extractive", run_id="crash-run", out_dir=Path(sys.argv[2]))
asyncio.run(start_draft(settings, options, factories=Factories(checker=die)))
"""


def test_a_run_killed_after_write_resumes_without_fetching_or_writing_again(
    home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_WRITE, str(home), str(out)], cwd=ROOT, env=env, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    assert not (out / "edition.md").exists()
    archive = home / "runs" / "crash-run" / "evidence.warc.gz"
    records_before = archive.read_bytes()

    resumed = subprocess.run(
        [sys.executable, "-m", "agent", "draft", "--resume", "crash-run"],
        cwd=ROOT,
        env={**env, "INFERENCE_REPORT_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    assert "is awaiting review" in resumed.stdout
    report = json.loads((out / "run-report.json").read_text())
    # Nothing fetched or written twice: the resumed process made no fetch and no writer call, and the
    # evidence archive is byte for byte what the first process left.
    assert report["this_process"].get("fetches", 0) == 0
    assert report["this_process"].get("writer_calls", 0) == 0
    assert archive.read_bytes() == records_before
    assert (
        report["claims"]["total"] > 0
        and report["claims"]["by_verdict"]["supported"] == report["claims"]["total"]
    )


def test_resume_of_an_unknown_run_is_a_clear_error(home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agent", "draft", "--resume", "no-such-run"],
        cwd=ROOT,
        env={**os.environ, "INFERENCE_REPORT_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "no run 'no-such-run'" in result.stderr


@pytest.mark.parametrize("writer", ["claude"])
def test_claude_writer_without_a_key_fails_before_fetching(tmp_path: Path, writer: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    result = subprocess.run(
        [sys.executable, "-m", "agent", "draft", "--sample", "--writer", writer],
        cwd=ROOT,
        env={**env, "INFERENCE_REPORT_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "ANTHROPIC_API_KEY" in result.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_a_run_where_every_source_fails_ends_failed_not_in_review(home: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent",
            "draft",
            "--sources",
            str(ROOT / "sources.toml"),
            "--replay",
            str(SAMPLE_ARCHIVE),
            "--writer",
            "extractive",
            "--date",
            "2026-11-26",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env={**os.environ, "INFERENCE_REPORT_HOME": str(home)},
        capture_output=True,
        text=True,
    )
    # The default sources are not in the sample archive: every one fails, with its reason.
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "failed: no source returned any item" in result.stdout
    report = json.loads((tmp_path / "out" / "run-report.json").read_text())
    assert report["failure"] and all(s["status"] == "failed" and s["error"] for s in report["sources"])
    assert not (tmp_path / "out" / "edition.md").exists()
    with Store.open(settings_in(home).database) as store:
        assert store.get_run(report["run_id"]).status == "failed"
        assert store.latest_draft(report["run_id"]) is None
