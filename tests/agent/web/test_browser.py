"""The review page in headless Chromium: log in, open a draft, see a claim's evidence, approve, publish,
correct the published edition.

Uses Debian's Chromium at /usr/bin/chromium (never a browser download). Without it the test skips and
says why, except under CI (the ``CI`` variable set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.settings import Settings, load_settings
from tests.conftest import ROOT
from tests.fakes.review_drafts import REFUSED_CLAIM_ID, SITE_URL, start_review_draft

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "browser-test-token"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Starting uvicorn takes well under a second here; 20 s only bounds a broken start.
SERVER_START_S = 20.0
# Each page step waits at most this long (a decision resumes the graph and publishes).
STEP_TIMEOUT_MS = 30_000


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run installs Debian's chromium with apt")
    pytest.skip(
        f"{CHROMIUM} is absent: install it with `apt-get install -y chromium` to run the browser tests"
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Settings, str, str]]:
    """The review app on 127.0.0.1 with an ephemeral port, in a thread: (settings, run_id, base URL).

    On SQLite only: these tests are about the page in a browser (layout, scripts, forms); what the
    server stores for each request runs on both engines in test_app.py and test_named_reviewers.py."""
    _require_chromium()
    import uvicorn

    from agent.web import create_app

    home = tmp_path / "home"
    settings = load_settings(environ={}, home=home, reviewer="ana", site_url=SITE_URL, auto_publish=True)
    # Drafted to publish on approval: a run keeps the auto-publish setting it was drafted with.
    run_id = start_review_draft(home, unsupported=True, settings=settings)
    config = uvicorn.Config(create_app(settings, token=TOKEN), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the review app did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield settings, run_id, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=SERVER_START_S)


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    _require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            yield page
        finally:
            await browser.close()


async def test_review_page_from_login_to_published_files(
    served: tuple[Settings, str, str], page: Any
) -> None:
    settings, run_id, base = served

    await page.goto(base + "/")
    assert "/login" in page.url
    await page.fill("#token", TOKEN)
    await page.click("#login")
    await page.wait_for_selector("#pending")
    await page.click(f'a.run-link:has-text("{run_id}")')
    await page.wait_for_selector("#edition")

    # A title containing a script tag is shown as text and never runs.
    assert "<script>window.__pwned = 1</script>" in await page.inner_text("#wire")
    assert await page.evaluate("window.__pwned === undefined")

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "review-draft.png"), full_page=True)

    await page.click('a.claim[data-verdict="unsupported"]')
    evidence = page.locator("#evidence .evidence-body")
    await evidence.wait_for()
    assert "the number 40 is not in the cited passage" in await evidence.inner_text()
    marked = await page.inner_text("#evidence mark")
    assert marked.startswith("Quartz Systems raised $40 million")
    assert await page.get_attribute("#evidence a.source-link", "href") == "https://news.example/quartz-raises"
    assert f"/runs/{run_id}/archive/" in (await page.get_attribute("#evidence a.archive-link", "href") or "")
    await page.screenshot(path=str(ARTIFACTS / "review-evidence.png"), full_page=True)

    # The panel lists the claims that block approval; one click shows the evidence and the sentence in place.
    await page.evaluate(
        "document.querySelectorAll('a.claim.selected').forEach(e => e.classList.remove('selected'))"
    )
    await page.click("#attention a.claim")
    await evidence.wait_for()
    selected = page.locator(f'#edition a.claim.selected[data-claim-id="{REFUSED_CLAIM_ID}"]')
    assert await selected.count() == 1

    await page.click("#approve")
    error = page.locator("#decision-error")
    await error.wait_for()
    # The refusal is worded for the page (its "Override reason" box), not for the terminal's flag.
    refusal = await error.inner_text()
    assert '"Override reason"' in refusal and "--override" not in refusal

    await page.fill("#override", "Confirmed the round size with Harbor Ventures")
    await page.click("#approve")
    notice = page.locator("#notice")
    await notice.wait_for()
    assert "now published" in await notice.inner_text()
    assert "Confirmed the round size" in await page.inner_text("#history")

    published = settings.home / "published" / "2026-11-26"
    assert (published / "edition.md").exists()
    assert "<script" not in (published / "email.html").read_text(encoding="utf-8").lower()
    assert (settings.home / "published" / "feed.xml").exists()
    assert str(published / "email.html") in await page.inner_text("#published")
    # Each published file is a link to its address on the site.
    email_link = page.locator('#published a:has-text("email")')
    assert await email_link.get_attribute("href") == SITE_URL.rstrip("/") + "/2026-11-26/email.html"

    # Correct the published edition: a new revision, drafted while the page waits, back for review.
    correct = page.locator("#correct-form")
    await correct.scroll_into_view_if_needed()
    await page.screenshot(path=str(ARTIFACTS / "review-published.png"), full_page=True)
    await page.fill("#correct-comment", "Say who led the round")
    await page.click("#correct-button")
    await page.wait_for_selector("#decision-form")
    assert "revision 2, which is awaiting review" in await page.inner_text("#notice")
    assert await page.inner_text("#run-status") == "awaiting review"
    assert "correction requested (revision 1): Say who led the round" in await page.inner_text("#history")
    assert await page.locator("#correct-form").count() == 0
    assert (published / "edition.md").exists()  # the published revision's files stay
    await page.screenshot(path=str(ARTIFACTS / "review-corrected.png"), full_page=True)


async def test_a_reviewer_edits_a_sentence_in_place_and_the_checker_answers_at_once(
    served: tuple[Settings, str, str], page: Any
) -> None:
    _, run_id, base = served
    await page.goto(f"{base}/runs/{run_id}")
    await page.fill("#token", TOKEN)
    await page.click("#login")
    await page.wait_for_selector("#edition")

    await page.click(f'#edition a.claim[data-claim-id="{REFUSED_CLAIM_ID}"]')
    await page.wait_for_selector("#evidence #edit-form")
    rewrite = "Example News reports that Quartz Systems raised $40 million in a Series B round."
    await page.fill("#edit-text", rewrite)
    await page.click("#save-edit")
    notice = page.locator("#notice")
    await notice.wait_for()
    assert f"{REFUSED_CLAIM_ID} edited: revision 2, checked supported" in await notice.inner_text()
    # The edited sentence stands in the edition, green, and the audit trail names who changed what.
    edited = page.locator(f'#edition a.claim[data-claim-id="{REFUSED_CLAIM_ID}"]')
    assert await edited.inner_text() == rewrite
    assert await edited.get_attribute("data-verdict") == "supported"
    assert rewrite in await page.inner_text("#edits") and "desk (shared token)" in await page.inner_text(
        "#edits"
    )
    await page.screenshot(path=str(ARTIFACTS / "review-edited.png"), full_page=True)

    # Deleting is an edit too; with nothing left to block it, the draft approves without an override.
    await page.click(f'#edition a.claim[data-claim-id="{REFUSED_CLAIM_ID}"]')
    await page.wait_for_selector("#evidence #edit-form")
    await page.click("#delete-sentence")
    await notice.wait_for()
    assert "deleted: revision 3" in await notice.inner_text()
    assert await page.locator(f'#edition a.claim[data-claim-id="{REFUSED_CLAIM_ID}"]').count() == 0
    await page.click("#approve")
    await page.wait_for_selector("#history")
    assert "approved (revision 3)" in await page.inner_text("#history")


PHONE_WIDTH = 390


async def test_no_horizontal_overflow_on_a_phone(served: tuple[Settings, str, str]) -> None:
    """At 390 px (a phone) the login page, the list of drafts and a draft are no wider than the
    screen: tables scroll in their own box, long ids and paths wrap, the form fits."""
    _require_chromium()
    from playwright.async_api import async_playwright

    _, run_id, base = served
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844})
            page = await context.new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            widths: dict[str, int] = {}
            await page.goto(base + "/")
            widths["login"] = await page.evaluate("document.documentElement.scrollWidth")
            token_width = await page.evaluate("document.querySelector('#token').offsetWidth")
            await page.fill("#token", TOKEN)
            await page.click("#login")
            await page.wait_for_selector("#pending")
            widths["index"] = await page.evaluate("document.documentElement.scrollWidth")
            await page.goto(f"{base}/runs/{run_id}")
            await page.wait_for_selector("#edition")
            widths["draft"] = await page.evaluate("document.documentElement.scrollWidth")
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "review-phone.png"), full_page=True)
            # Stacked: the panel (evidence, decision) is under the edition, not beside it.
            edition = await page.locator("#edition").bounding_box()
            panel = await page.locator("aside.panel").bounding_box()
            # Readable controls: the buttons are not the browser's default grey.
            approve = await page.evaluate(
                "getComputedStyle(document.querySelector('#approve')).backgroundColor"
            )
        finally:
            await browser.close()
    assert all(width <= PHONE_WIDTH for width in widths.values()), widths
    assert token_width <= PHONE_WIDTH
    assert edition is not None and panel is not None and panel["y"] >= edition["y"] + edition["height"]
    assert approve not in ("rgb(239, 239, 239)", "rgba(0, 0, 0, 0)")


async def test_claims_and_evidence_side_by_side_on_a_desktop(
    served: tuple[Settings, str, str], page: Any
) -> None:
    _, run_id, base = served
    await page.goto(base + "/")
    await page.fill("#token", TOKEN)
    await page.click("#login")
    await page.wait_for_selector("#pending")
    await page.goto(f"{base}/runs/{run_id}")
    edition = await page.locator("#edition").bounding_box()
    panel = await page.locator("aside.panel").bounding_box()
    assert edition is not None and panel is not None
    assert panel["x"] >= edition["x"] + edition["width"] and abs(panel["y"] - edition["y"]) < 50
