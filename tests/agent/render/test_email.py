"""The email: a 600 px table layout Outlook respects, inline styles, no scripts or images, a preview
line, an unsubscribe footer; rendered in Chromium at a phone's and a desktop's width without
horizontal overflow."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from agent.domain.models import Item
from agent.render import EditionView, Envelope, preview_text, render_html
from tests.agent.web.test_browser import CHROMIUM, CHROMIUM_ARGS, _require_chromium

PAGE_URL = "https://report.example.org/2026-11-26/"
UNSUBSCRIBE = "https://report.example.org/unsubscribe"
# Widths: an iPhone 12-15 viewport, and a desktop mail client's reading pane at full screen.
WIDTHS = (390, 1280)


def envelope(view: EditionView) -> Envelope:
    return Envelope(preview=preview_text(view.draft), page_url=PAGE_URL, unsubscribe_url=UNSUBSCRIBE)


def wide_view(build_view: Callable[..., EditionView], sample_items: dict[str, Item]) -> EditionView:
    """The sample edition with the longest unbroken strings a source can give: a model name, a URL."""
    # No hyphen, no space: nowhere a browser would break it on its own.
    long_name = "DeepSeekV4ReasonerExperimentalPreviewWithAnUnusuallyLongUnbrokenIdentifier20261126"
    aa = sample_items["aa"]
    assert aa.leaderboard is not None
    rows = (aa.leaderboard.rows[0].model_copy(update={"model": long_name}), *aa.leaderboard.rows[1:])
    board = aa.leaderboard.model_copy(update={"rows": rows})
    wire = sample_items["wire"].model_copy(
        update={"title": "https://example-news.com/" + "averylongslug" * 8 + "withoutspaces"}
    )
    return build_view(aa=aa.model_copy(update={"leaderboard": board}), wire=wire)


def test_the_layout_is_a_600px_table_with_everything_inline(view: EditionView, parse_html: Any) -> None:
    html = render_html(view, mode="email", envelope=envelope(view))
    page = parse_html(html)
    sheets = [t for t in page.all("table") if t.get("width") == "600"]
    assert len(sheets) == 1 and sheets[0]["role"] == "presentation"
    assert "max-width:600px" in (sheets[0]["style"] or "")
    # Outlook's Word engine ignores max-width: a 600 px ghost table in a conditional comment holds it.
    assert '<!--[if mso]><table role="presentation" width="600"' in html
    lowered = html.lower()
    for absent in ("<script", "<style", "<img", "<link", "javascript:", " class="):
        assert absent not in lowered
    assert all("on" + event not in lowered for event in ("click", "load", "error"))


def test_preview_text_comes_first_and_the_footer_unsubscribes(view: EditionView, parse_html: Any) -> None:
    html = render_html(view, mode="email", envelope=envelope(view))
    page = parse_html(html)
    text = parse_html(html[html.index("<body") :]).plain
    preview = preview_text(view.draft)
    assert preview.startswith("Hyperscalers will spend $725 billion")
    assert text.strip().startswith(preview)  # the first text in the body: what the inbox shows
    hidden = re.search(r'<div style="(display:none;[^"]*)">', html)
    assert hidden is not None and "mso-hide:all" in hidden.group(1)
    hrefs = [a.get("href") for a in page.all("a")]
    assert UNSUBSCRIBE in hrefs and PAGE_URL in hrefs
    assert text.index("Unsubscribe") > text.index("Sources")  # in the footer, after the edition


def test_with_css_off_it_reads_in_order(view: EditionView, parse_html: Any) -> None:
    """A client that drops styles (or a text-only reader) still gets headings, paragraphs and lists in
    reading order, and every link with its own text."""
    html = render_html(view, mode="email", envelope=envelope(view))
    bare = re.sub(r' style="[^"]*"', "", html)
    page = parse_html(bare[bare.index("<body") :])
    text = page.plain
    # After the preview line and the link to the web page, the edition in its order.
    start = text.index("Read it on the web")
    order = ["The Inference Report", "November 26, 2026", "Hyperscalers will spend", "AI Labs", "Benchmarks"]
    positions = [text.index(marker, start) for marker in order]
    assert positions == sorted(positions)
    assert {tag for tag, _ in page.tags} >= {"h1", "h2", "p", "ul", "table", "th", "td", "a"}


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
async def test_no_horizontal_overflow_in_chromium(
    build_view: Callable[..., EditionView], sample_items: dict[str, Item], width: int
) -> None:
    _require_chromium()
    from playwright.async_api import async_playwright

    view = wide_view(build_view, sample_items)
    html = render_html(view, mode="email", envelope=envelope(view))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # No network: every request the page makes is refused (it should make none).
            context = await browser.new_context(viewport={"width": width, "height": 900})
            requests: list[str] = []
            context.on("request", lambda request: requests.append(request.url))
            page = await context.new_page()
            await page.set_content(html, wait_until="load")
            scroll_width = await page.evaluate("document.documentElement.scrollWidth")
            sheet_width = await page.evaluate(
                "document.querySelector('table[width=\"600\"]').getBoundingClientRect().width"
            )
            widest = await page.evaluate(
                "Math.max(...[...document.querySelectorAll('body *')]"
                ".map(e => e.getBoundingClientRect().right))"
            )
        finally:
            await browser.close()
    assert scroll_width <= width, f"the page scrolls sideways at {width} px ({scroll_width} px wide)"
    assert widest <= width + 0.5
    assert sheet_width == min(600, width)
    assert [r for r in requests if not r.startswith(("about:", "data:"))] == []
