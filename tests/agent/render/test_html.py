"""The HTML edition: structure of a small hand-built view, draft-page claim spans, email safety."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agent.domain.models import Citation, Claim, Item, Section, Verdict
from agent.render import EditionView, render_html


@pytest.mark.parametrize("mode", ["draft", "email"])
def test_the_page_follows_the_example_edition_shape(view: EditionView, mode: str, parse_html: Any) -> None:
    html = render_html(view, mode=mode)  # type: ignore[arg-type]
    page = parse_html(html)
    text = page.plain
    assert html.startswith("<!DOCTYPE html>")
    order = [
        "The Inference Report",
        "November 26, 2026",
        "Hyperscalers will spend",
        "Grant Calloway",
        "AI Labs",
        "From the Wire",
        "Research Papers - Focused",
        "Benchmarks",
        "Trending Repositories",
        "Sources",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    hrefs = [a["href"] for a in page.all("a")]
    assert "https://www.anthropic.com/news/claude-for-small-business" in hrefs
    assert "https://arxiv.org/abs/2611.01234" in hrefs
    assert "https://github.com/trycua/cua" in hrefs
    assert "November 24, 2026 · anthropic-news" in text
    assert "cs.DC" in text and "cs.LG" not in text  # the primary category only
    assert "Python · 12,345 stars · 1,234 stars today" in text


def test_benchmark_tables_come_from_the_parsed_rows_with_moves(view: EditionView, parse_html: Any) -> None:
    html = render_html(view, mode="email")
    # The email's layout tables are role="presentation"; the data tables are the boards.
    tables = [t for t in html.split("<table")[1:] if 'role="presentation"' not in t.split(">", 1)[0]]
    assert len(tables) == 2
    aa, swe = (parse_html("<table" + t.split("</table>")[0]) for t in tables)
    assert [c for c in aa.text if c.strip()][:5] == ["#", "Model", "Score", "tok/s", "$/1M"]
    assert [c for c in aa.text if c.strip()][5:10] == ["1", "GPT-5.5", "60.2", "65", "$11.25"]
    assert "Move" not in aa.text  # no moves for this board
    swe_cells = [c for c in swe.text if c.strip()]
    assert swe_cells[:4] == ["#", "Model", "Score", "Move"]
    assert swe_cells[4:] == [
        "1",
        "Claude Opus 4.6",
        "65.3%",
        "▲2",
        "2",
        "gpt-5.2-2025-12-11-medium",
        "64.4%",
        "▼1",
        "3",
        "GLM-5",
        "62.8%",
        "new",
    ]


def test_citation_markers_number_cited_items_in_reading_order_and_link_to_them(
    view: EditionView, parse_html: Any
) -> None:
    page = parse_html(render_html(view, mode="email"))
    markers = [(a["href"]) for tag, a in page.tags if tag == "a" and a.get("href")]
    text = page.plain
    assert "this year.[1] Anthropic is packaging Claude for small businesses.[2]" in text
    assert "at 66.0%.[3] Agents are the next battleground." in text  # no citation: no marker
    assert "offloading.[4] It targets diffusion transformer inference.[4]" in text
    assert markers.count("https://swe-rebench.com/leaderboard") >= 2  # marker and table heading
    sources = [li for li in page.all("li") if (li.get("id") or "").startswith("ref-")]
    assert [li["id"] for li in sources] == ["ref-1", "ref-2", "ref-3", "ref-4"]


def test_draft_mode_wraps_each_claim_with_its_id_verdict_and_reasons(
    view: EditionView, parse_html: Any
) -> None:
    html = render_html(view, mode="draft")
    spans = {s["data-claim-id"]: s for s in parse_html(html).all("span") if s.get("data-claim-id")}
    assert set(spans) == {c.id for c in view.draft.claims}
    unsupported = spans["lead:1:0"]
    assert unsupported["class"] == "claim claim-unsupported claim-flagged"
    assert unsupported["id"] == "claim-lead:1:0"
    assert unsupported["title"] == 'the number 66.0% is not in the cited passage; quote "x" <b>'
    assert spans["lead:1:1"]["class"] == "claim claim-no_citation"
    assert spans["lead:0:0"]["data-verdict"] == "supported"
    assert ".claim-unsupported {" in html
    assert "Draft, revision 2: 1 no citation, 4 supported, 1 unsupported" in parse_html(html).plain
    assert "<script" not in html


def test_a_failed_summary_shows_a_note_not_unsourced_text(view: EditionView, parse_html: Any) -> None:
    email = parse_html(render_html(view, mode="email")).plain
    draft = parse_html(render_html(view, mode="draft")).plain
    assert "Summary unavailable." in email
    assert "writer timed out" not in email
    assert "Summary unavailable: writer timed out after 2 retries" in draft
    # The failed paper's own text never stands in for a summary.
    assert "exploits this structure" not in email


def test_email_mode_is_inline_css_only(view: EditionView, parse_html: Any) -> None:
    html = render_html(view, mode="email")
    page = parse_html(html)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "<link" not in lowered
    assert all("class" not in attrs for _, attrs in page.tags)
    assert "claim-" not in html and "data-verdict" not in html
    styled = {tag for tag, attrs in page.tags if attrs.get("style")}
    assert {"body", "h1", "h2", "table", "th", "td", "a"} <= styled


def test_unknown_mode_is_refused(view: EditionView) -> None:
    with pytest.raises(ValueError, match="mode"):
        render_html(view, mode="print")  # type: ignore[arg-type]


def test_empty_sections_are_left_out(view: EditionView, parse_html: Any) -> None:
    bare = EditionView(draft=view.draft, sections={Section.LABS: view.sections[Section.LABS]})
    text = parse_html(render_html(bare, mode="email")).plain
    assert "AI Labs" in text
    for title in ("From the Wire", "Research Papers - Focused", "Benchmarks", "Trending Repositories"):
        assert title not in text


def test_a_custom_title(build_view: Callable[..., EditionView]) -> None:
    view = build_view()
    renamed = EditionView(
        draft=view.draft, sections=view.sections, moves=view.moves, title="Inference Weekly"
    )
    assert "<title>Inference Weekly — November 26, 2026</title>" in render_html(renamed, mode="email")


def test_items_without_dates_or_repo_details_still_render(
    build_view: Callable[..., EditionView], sample_items: dict[str, Item], parse_html: Any
) -> None:
    lab = sample_items["lab"].model_copy(update={"published": None})
    repo = sample_items["repo"].model_copy(update={"repo": None, "title": "owner/plain"})
    text = parse_html(render_html(build_view(lab=lab, repo=repo), mode="email")).plain
    assert "anthropic-news" in text
    assert "November 24, 2026" not in text
    assert "owner/plain" in text


def test_a_citation_of_the_moves_document_points_at_the_source_list(
    view: EditionView, parse_html: Any
) -> None:
    moves_claim = Claim(
        id="lead:2:0",
        block="lead",
        paragraph=2,
        text="Claude Opus 4.6 moved from rank 3 to rank 1 on SWE-rebench.",
        citations=[Citation(item_id="moves:2026-11-26", start=0, end=10, quote="On SWE-reb")],
        verdict=Verdict.SUPPORTED,
    )
    draft = view.draft.model_copy(
        update={
            "claims": [*view.draft.claims, moves_claim],
            "lead_paragraphs": [*view.draft.lead_paragraphs, ["lead:2:0"]],
        }
    )
    page = parse_html(
        render_html(EditionView(draft=draft, sections=view.sections, moves=view.moves), mode="email")
    )
    assert "on SWE-rebench.[4]" in page.plain  # the lead is read before the papers
    assert "#ref-4" in [a.get("href") for a in page.all("a")]
    source = [li for li in page.all("li") if li.get("id") == "ref-4"]
    assert source
    assert (
        "Leaderboard moves for 2026-11-26, against each board's previous snapshot · leaderboard-moves"
        in page.plain
    )


def test_the_draft_page_explains_its_colours_and_the_email_does_not(
    view: EditionView, parse_html: Any
) -> None:
    draft = parse_html(render_html(view, mode="draft")).plain
    email = parse_html(render_html(view, mode="email")).plain
    legend = (
        "Every sentence is marked with the checker's verdict: "
        "supported, unsupported, no citation, unverifiable"
    )
    assert legend in draft
    assert "inference-report review" in draft
    assert "checker's verdict" not in email
