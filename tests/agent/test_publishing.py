"""Publishing: only approved editions, a static site (a folder per edition, an archive page, an Atom
feed carrying each edition's HTML), the same files every time, corrections titled as such."""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import feedparser
import pytest

from agent.decisions import decide, start_correction
from agent.domain.errors import ConfigError, ReviewError
from agent.publishing import feed_path, publish_edition, site_dir
from agent.review import DecisionRequest
from agent.settings import Settings
from agent.store import RunStatus, Store
from tests.conftest import ROOT
from tests.fakes.review_drafts import (
    HOSTILE_TITLE,
    SITE_URL,
    copy_drafted,
    drafted,
    drafted_template,
    start_review_draft,
)

__all__ = ["copy_drafted", "drafted", "drafted_template"]  # fixtures, imported so pytest finds them here

ATOM = "{http://www.w3.org/2005/Atom}"
AGENT = [sys.executable, "-m", "agent"]
# A publish in another process takes a few seconds here (start-up and imports).
PROCESS_TIMEOUT_S = 120
# How long the concurrency test holds the site's lock: twice a whole publish in another process.
LOCK_HELD_S = 6


async def approve(settings: Settings, run_id: str) -> None:
    """Approve the latest revision (as if ana had looked at it)."""
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
    assert latest is not None
    request = DecisionRequest(
        decision="approve", reviewer="ana", override_reason="checked", revision_hash=latest.revision_hash
    )
    await decide(settings, run_id, request)


def publish(settings: Settings, run_id: str, out: Path | None = None) -> dict[str, object]:
    with Store.open(settings.database) as store:
        return publish_edition(store, run_id, settings=settings, out_dir=out)


def entries(feed: Path) -> list[ET.Element]:
    return ET.parse(feed).getroot().findall(f"{ATOM}entry")


def test_a_draft_awaiting_review_is_not_published(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, run_id = drafted
    with pytest.raises(ReviewError, match="not approved"):
        publish(settings, run_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not feed_path(settings).exists()


async def test_a_rejected_draft_is_not_published(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, run_id = drafted
    await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana"))
    with pytest.raises(ReviewError, match="rejected, not approved"):
        publish(settings, run_id, tmp_path / "out")


async def test_the_site_has_a_folder_per_edition_an_archive_and_a_feed(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    out = tmp_path / "site"
    result = publish(settings, run_id, out)
    with Store.open(settings.database) as store:
        assert store.get_run(run_id).status is RunStatus.PUBLISHED
        assert store.publication(run_id) is not None
    edition = out / "2026-11-26"
    assert result["dir"] == str(edition)
    assert result["url"] == SITE_URL + "2026-11-26/"
    assert sorted(p.name for p in edition.iterdir()) == ["edition.md", "email.html", "index.html"]
    # Readable by a web server running as another user.
    assert all((p.stat().st_mode & 0o777) == 0o644 for p in [*edition.iterdir(), out / "feed.xml"])
    assert "Quartz Systems raised $40 million" in (edition / "edition.md").read_text(encoding="utf-8")
    for name in ("index.html", "email.html"):
        html = (edition / name).read_text(encoding="utf-8")
        # Email-safe: inline styles, no script, no stylesheet, and the source's script tag shown as text.
        assert "<script" not in html.lower() and "<style" not in html.lower() and 'class="' not in html
        assert "&lt;script&gt;" in html
    page = (edition / "index.html").read_text(encoding="utf-8")
    assert 'href="../"' in page and 'href="../feed.xml"' in page

    archive = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-11-26/"' in archive and "November 26, 2026" in archive
    assert 'type="application/atom+xml"' in archive

    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    [entry] = parsed.entries
    assert entry.link == SITE_URL + "2026-11-26/"
    assert entry.title == "The Inference Report, November 26, 2026"
    assert run_id in entry.id
    # The entry carries the edition's HTML, not a summary alone.
    assert "Quartz Systems raised $40 million" in entry.content[0].value
    assert "<script>" not in entry.content[0].value and HOSTILE_TITLE in entry.content[0].value.replace(
        "&lt;", "<"
    ).replace("&gt;", ">")
    assert parsed.feed.links[0].href == SITE_URL + "feed.xml"


async def test_publishing_again_changes_nothing(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    out = tmp_path / "site"
    publish(settings, run_id, out)
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".publish.lock")
    first = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    with Store.open(settings.database) as store:
        published_at = store.publication(run_id)
    time.sleep(0.01)
    publish(settings, run_id, out)
    again = sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".publish.lock")
    assert again == files
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in again} == first
    with Store.open(settings.database) as store:
        assert store.publication(run_id) == published_at
    assert len(entries(out / "feed.xml")) == 1


async def test_the_default_site_is_in_the_data_directory(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    result = publish(settings, run_id)
    assert Path(str(result["page"])) == site_dir(settings) / "2026-11-26" / "index.html"
    assert feed_path(settings).exists()


def test_auto_publish_after_approval(drafted: tuple[Settings, str]) -> None:
    settings, _ = drafted
    # A run publishes on approval when it was drafted to (the run keeps the setting it started with).
    settings = settings.model_copy(update={"auto_publish": True})
    run_id = start_review_draft(settings.home, unsupported=True, settings=settings, force=True)
    outcome = asyncio.run(
        decide(
            settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="checked")
        )
    )
    assert outcome.status == "published"
    assert outcome.published is not None
    published = Path(outcome.published["dir"])
    assert (published / "edition.md").exists() and (published / "email.html").exists()
    assert feed_path(settings).exists()


async def test_without_a_site_address_nothing_is_written(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    settings = settings.model_copy(update={"site_url": None})
    with pytest.raises(ConfigError, match="INFERENCE_REPORT_SITE_URL"):
        publish(settings, run_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with Store.open(settings.database) as store:
        assert store.publication(run_id) is None


async def test_an_unwritable_directory_is_a_config_error(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cannot write"):
        publish(settings, run_id, blocker / "out")


async def test_a_correction_is_titled_as_one_only_after_an_earlier_revision_went_out(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    # Revision 2 after a request for changes: its first publication is no correction.
    await decide(
        settings, run_id, DecisionRequest(decision="request_changes", reviewer="ana", comment="shorter")
    )
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        assert latest is not None and latest.revision == 2
    await approve(settings, run_id)
    out = tmp_path / "site"
    result = publish(settings, run_id, out)
    assert result["revision"] == 2 and result["correction"] is False
    [entry] = entries(out / "feed.xml")
    assert entry.findtext(f"{ATOM}title") == "The Inference Report, November 26, 2026"
    assert "Corrected" not in (out / "2026-11-26" / "index.html").read_text(encoding="utf-8")
    first_id = entry.findtext(f"{ATOM}id")
    published = entry.findtext(f"{ATOM}published")

    # A correction of what went out: the same entry, titled corrected, the page says so.
    await start_correction(settings, run_id, reviewer="ana", comment="Say who led the round")
    await approve(settings, run_id)
    result = publish(settings, run_id, out)
    assert result["revision"] == 3 and result["correction"] is True
    [entry] = entries(out / "feed.xml")
    assert entry.findtext(f"{ATOM}id") == first_id
    assert entry.findtext(f"{ATOM}title") == "The Inference Report, November 26, 2026 (corrected)"
    assert entry.findtext(f"{ATOM}published") == published
    page = (out / "2026-11-26" / "index.html").read_text(encoding="utf-8")
    assert "Corrected: this is revision 3 of this edition" in page
    with Store.open(settings.database) as store:
        assert [p.revision for p in store.publications()] == [3, 2]


def _second_approved_run(settings: Settings, day: date) -> str:
    """Another run in the same data directory, approved."""
    run_id = start_review_draft(settings.home, settings=settings, edition_date=day, force=True)
    asyncio.run(approve(settings, run_id))
    return run_id


def test_an_edition_date_published_from_another_run_is_refused(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    asyncio.run(approve(settings, run_id))
    publish(settings, run_id, tmp_path / "site")
    other = _second_approved_run(settings, date(2026, 11, 26))
    with pytest.raises(ReviewError, match=f"published from run {run_id}"):
        publish(settings, other, tmp_path / "site")


def _publish_process(home: Path, run_id: str, out: Path) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    environ["INFERENCE_REPORT_HOME"] = str(home)
    return subprocess.Popen(
        [*AGENT, "publish", run_id, "--out", str(out)],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_publishes_at_once_keep_both_editions(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, run_id = drafted
    asyncio.run(approve(settings, run_id))
    other = _second_approved_run(settings, date(2026, 11, 19))
    out = tmp_path / "site"
    out.mkdir()
    # Both wait on the site's lock, held here, then run as close together as the lock lets them.
    with open(out / ".publish.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        processes = [_publish_process(settings.home, r, out) for r in (run_id, other)]
        time.sleep(LOCK_HELD_S)
        # Blocked on the lock: nothing written, nothing finished (unlocked, each takes about 3 s here).
        assert all(p.poll() is None for p in processes)
        assert not (out / "feed.xml").exists() and not (out / "index.html").exists()
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    for process in processes:
        _, stderr = process.communicate(timeout=PROCESS_TIMEOUT_S)
        assert process.returncode == 0, stderr
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    # The feed is ordered by publication time, which the race decides; the archive by edition date.
    assert sorted(e.link for e in feed.entries) == [SITE_URL + "2026-11-19/", SITE_URL + "2026-11-26/"]
    archive = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="(\d{4}-\d\d-\d\d)/"', archive) == ["2026-11-26", "2026-11-19"]
    assert (out / "2026-11-19" / "index.html").exists() and (out / "2026-11-26" / "index.html").exists()
    assert not list(out.rglob("*.tmp"))


def test_the_hostile_title_fixture_really_has_a_script_tag() -> None:
    assert re.search(r"<script>", HOSTILE_TITLE)


def test_publish_json_is_one_document_with_every_file(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    import json

    settings, run_id = drafted
    asyncio.run(approve(settings, run_id))
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    environ |= {"INFERENCE_REPORT_HOME": str(settings.home), "INFERENCE_REPORT_SITE_URL": SITE_URL}
    done = subprocess.run(
        [*AGENT, "publish", run_id, "--out", str(tmp_path / "site"), "--json"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["run_id"] == run_id and document["sent"] is None
    assert Path(document["published"]["feed"]) == tmp_path / "site" / "feed.xml"
