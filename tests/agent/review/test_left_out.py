"""The terminal review and the review page show, per section, what the edition left out and why; an empty
section says why it is empty; a run whose every dated item is outside the window warns loudly."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from starlette.testclient import TestClient

from agent.review import draft_renderable, list_pending, open_for_review, pending_table
from agent.runs import DraftOptions, start_draft
from agent.settings import Settings, load_settings
from agent.store import Store
from agent.web import create_app
from tools.sample import SAMPLE_DATE

TOKEN = "review-token-for-tests"


async def _draft(home: Path, edition_date: date) -> tuple[Settings, str]:
    settings = load_settings({}, home=home)
    outcome = await start_draft(
        settings, DraftOptions(sample=True, writer="extractive", edition_date=edition_date)
    )
    return settings, outcome.run_id


def _terminal(settings: Settings, run_id: str) -> str:
    with Store.open(settings.database) as store:
        review = open_for_review(store, run_id)
    console = Console(width=300, record=True)
    console.print(draft_renderable(review))
    return console.export_text()


def _page(settings: Settings, run_id: str) -> str:
    client = TestClient(create_app(settings, token=TOKEN), base_url="http://127.0.0.1")
    page = client.get(f"/runs/{run_id}", headers={"authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200
    return page.text


async def test_the_sample_accounts_for_its_six_left_out_items_in_review(home: Path) -> None:
    settings, run_id = await _draft(home, SAMPLE_DATE)
    with Store.open(settings.database) as store:
        review = open_for_review(store, run_id)
    assert review.selection is not None and review.selection.left_out == 6
    assert not review.selection.warnings and not review.selection.empty_reasons()
    text = _terminal(settings, run_id)
    assert "Left out of the edition (6)" in text
    assert "Trending Repositories: 8 shown, 2 left out" in text
    assert "over cap — the section shows 8 items" in text
    assert "WARNING" not in text
    page = _page(settings, run_id)
    assert 'id="left-out"' in page and "Left out (6)" in page
    assert "outside window" in page and "window-warning" not in page


async def test_an_edition_outside_its_window_warns_and_says_why_sections_are_empty(home: Path) -> None:
    settings, run_id = await _draft(home, SAMPLE_DATE + timedelta(days=100))
    text = _terminal(settings, run_id)
    assert "WARNING: every dated item (21) is outside the window" in text
    for title in ("AI Labs", "From the Wire", "Research Papers - Focused"):
        assert f"{title} is empty: all 7 items its sources returned were left out (7 outside window)" in text
    assert "published 2026-11-25, outside the window" in text
    page = _page(settings, run_id)
    assert 'class="warning window-warning" role="alert">Warning: every dated item (21)' in page
    # The list of drafts says it too, before anyone opens the draft.
    with Store.open(settings.database) as store:
        console = Console(width=300, record=True)
        console.print(pending_table(list_pending(store)))
    assert "WARNING: every dated item (21) is outside the window" in console.export_text()
    client = TestClient(create_app(settings, token=TOKEN), base_url="http://127.0.0.1")
    index = client.get("/", headers={"authorization": f"Bearer {TOKEN}"}).text
    assert "Warning: every dated item (21) is outside the window" in index
    for key in ("labs", "wire", "papers"):
        assert (
            f'<p class="note" id="empty-{key}">Empty: all 7 items its sources returned were left out' in page
        )
