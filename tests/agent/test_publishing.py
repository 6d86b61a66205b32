"""Publishing: only approved editions, email-safe HTML, the feed, and the same files every time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent.domain.errors import ConfigError, ReviewError
from agent.publishing import feed_path, publish_edition
from agent.review import DecisionRequest, decide
from agent.settings import Settings
from agent.store import RunStatus, Store
from tests.fakes.review_drafts import HOSTILE_TITLE, drafted, drafted_template

__all__ = ["drafted", "drafted_template"]  # fixtures, imported so pytest finds them here

ATOM = "{http://www.w3.org/2005/Atom}"


async def approve(settings: Settings, run_id: str) -> None:
    await decide(
        settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="checked")
    )


def test_a_draft_awaiting_review_is_not_published(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, run_id = drafted
    with Store.open(settings.database_path) as store, pytest.raises(ReviewError, match="not approved"):
        publish_edition(store, run_id, settings=settings, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not feed_path(settings).exists()


async def test_a_rejected_draft_is_not_published(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, run_id = drafted
    await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana"))
    with (
        Store.open(settings.database_path) as store,
        pytest.raises(ReviewError, match="rejected, not approved"),
    ):
        publish_edition(store, run_id, settings=settings, out_dir=tmp_path / "out")


async def test_publishing_writes_markdown_email_html_and_the_feed(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    out = tmp_path / "out"
    with Store.open(settings.database_path) as store:
        result = publish_edition(store, run_id, settings=settings, out_dir=out)
        assert store.get_run(run_id).status is RunStatus.PUBLISHED
        assert store.publication(run_id) is not None
    assert result["dir"] == str(out)
    markdown = (out / "edition.md").read_text(encoding="utf-8")
    html = (out / "edition.html").read_text(encoding="utf-8")
    assert "Quartz Systems raised $40 million" in markdown
    # Email-safe: inline styles, no script, no stylesheet, and the source's script tag shown as text.
    assert "<script" not in html.lower()
    assert "<style" not in html.lower() and 'class="' not in html
    assert 'style="' in html
    assert "&lt;script&gt;" in html
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed_path(settings).read_bytes() == (out / "feed.xml").read_bytes()
    [entry] = feed.findall(f"{ATOM}entry")
    assert run_id in (entry.findtext(f"{ATOM}id") or "")
    assert "November 26, 2026" in (entry.findtext(f"{ATOM}title") or "")


async def test_publishing_twice_gives_the_same_files_and_one_feed_entry(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    out = tmp_path / "out"
    with Store.open(settings.database_path) as store:
        publish_edition(store, run_id, settings=settings, out_dir=out)
        first = {p.name: p.read_bytes() for p in out.iterdir()}
        publish_edition(store, run_id, settings=settings, out_dir=out)
    second = {p.name: p.read_bytes() for p in out.iterdir()}
    assert first == second
    assert sorted(first) == ["edition.html", "edition.md", "feed.xml"]
    assert len(ET.fromstring(second["feed.xml"]).findall(f"{ATOM}entry")) == 1


async def test_auto_publish_after_approval(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    settings = settings.model_copy(update={"auto_publish": True})
    outcome = await decide(
        settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="checked")
    )
    assert outcome.status == "published"
    assert outcome.published is not None
    published = Path(outcome.published["dir"])
    assert (published / "edition.md").exists() and (published / "edition.html").exists()
    assert feed_path(settings).exists()


async def test_a_contact_that_is_not_a_url_is_refused_before_anything_is_written(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    settings = settings.model_copy(update={"contact": "desk@example.com"})
    with Store.open(settings.database_path) as store, pytest.raises(ConfigError, match="contact setting"):
        publish_edition(store, run_id, settings=settings, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with Store.open(settings.database_path) as store:
        assert store.publication(run_id) is None


async def test_an_unwritable_directory_is_a_config_error(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with Store.open(settings.database_path) as store, pytest.raises(ConfigError, match="cannot write"):
        publish_edition(store, run_id, settings=settings, out_dir=blocker / "out")


def test_the_hostile_title_fixture_really_has_a_script_tag() -> None:
    assert re.search(r"<script>", HOSTILE_TITLE)
