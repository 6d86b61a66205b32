"""The Markdown edition, read back with a CommonMark parser (markdown-it-py, which rich depends on)."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from agent.domain.models import Item
from agent.render import EditionView, render_markdown


def _tokens(markdown: str) -> list[Token]:
    flat: list[Token] = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def _links(markdown: str) -> list[str]:
    return [str(t.attrs["href"]) for t in _tokens(markdown) if t.type == "link_open"]


def _headings(markdown: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [(t.tag, tokens[n + 1].content) for n, t in enumerate(tokens) if t.type == "heading_open"]


def test_structure_follows_the_example_edition(view: EditionView) -> None:
    markdown = render_markdown(view)
    assert _headings(markdown) == [
        ("h1", "The Inference Report"),
        ("h2", "AI Labs"),
        ("h2", "From the Wire"),
        ("h2", "Research Papers - Focused"),
        (
            "h3",
            "[ChunkFlow: Communication-Aware Chunked Prefetching for Layerwise Offloading]"
            "(https://arxiv.org/abs/2611.01234) (cs.DC)",
        ),
        (
            "h3",
            "[Dooly: Configuration-Agnostic Profiling for LLM Inference Simulation]"
            "(https://arxiv.org/abs/2611.05678) (cs.DC)",
        ),
        ("h2", "Benchmarks"),
        ("h3", "[Artificial Analysis Intelligence Index](https://artificialanalysis.ai/leaderboards/models)"),
        ("h3", "[SWE-rebench](https://swe-rebench.com/leaderboard)"),
        ("h2", "Trending Repositories"),
        ("h2", "Sources"),
    ]
    lines = markdown.splitlines()
    assert lines[2] == "November 26, 2026"
    assert "*Grant Calloway*" in lines
    assert "*Summary unavailable.*" in lines
    assert markdown.endswith("\n") and "\n\n\n" not in markdown


def test_lead_paragraphs_carry_footnote_markers_linking_to_the_cited_item(view: EditionView) -> None:
    paragraphs = render_markdown(view).split("\n\n")
    first = paragraphs[2]
    assert first == (
        "Hyperscalers will spend $725 billion on AI compute this year."
        "[\\[1\\]](https://example-news.com/2026/11/25/capex) "
        "Anthropic is packaging Claude for small businesses."
        "[\\[2\\]](https://www.anthropic.com/news/claude-for-small-business)"
    )
    html = MarkdownIt("commonmark").render(first)
    assert '<a href="https://example-news.com/2026/11/25/capex">[1]</a>' in html


def _table_rows(markdown: str) -> list[list[str]]:
    rows: list[list[str]] = []
    in_cell = False
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type == "inline" and in_cell:
            rows[-1].append(token.content)
            in_cell = False
    return rows


def test_tables_render_from_the_parsed_rows(view: EditionView) -> None:
    rows = _table_rows(render_markdown(view))
    assert rows[:3] == [
        ["\\#", "Model", "Score", "tok/s", "$/1M"],
        ["1", "GPT-5.5", "60.2", "65", "$11.25"],
        ["2", "Claude Opus 4.7", "57.3", "63", "$10.94"],
    ]
    assert rows[3:] == [
        ["\\#", "Model", "Score", "Move"],
        ["1", "Claude Opus 4.6", "65.3%", "▲2"],
        ["2", "gpt-5.2-2025-12-11-medium", "64.4%", "▼1"],
        ["3", "GLM-5", "62.8%", "new"],
    ]


def test_items_link_to_their_sources(view: EditionView) -> None:
    links = _links(render_markdown(view))
    for url in (
        "https://www.anthropic.com/news/claude-for-small-business",
        "https://example-news.com/2026/11/25/capex",
        "https://arxiv.org/abs/2611.01234",
        "https://github.com/trycua/cua",
    ):
        assert url in links
    markdown = render_markdown(view)
    assert "· November 24, 2026 · anthropic-news" in markdown
    assert "· Python · 12,345 stars · 1,234 stars today: Open-source infrastructure" in markdown


def test_a_citation_without_a_safe_url_is_an_unlinked_marker(view: EditionView) -> None:
    claim = view.draft.claims[0].model_copy(
        update={
            "citations": [view.draft.claims[0].citations[0].model_copy(update={"item_id": "gone", "url": ""})]
        }
    )
    draft = view.draft.model_copy(update={"claims": [claim, *view.draft.claims[1:]]})
    markdown = render_markdown(EditionView(draft=draft, sections=view.sections, moves=view.moves))
    assert "Hyperscalers will spend $725 billion on AI compute this year.\\[1\\] Anthropic" in markdown
    assert "1. gone" in markdown.splitlines()


def test_a_board_column_shares_one_precision(
    build_view: Callable[..., EditionView], sample_items: dict[str, Item]
) -> None:
    board = sample_items["aa"].leaderboard
    assert board is not None
    rows = (board.rows[0], board.rows[1].model_copy(update={"score": 55.0}))
    aa = sample_items["aa"].model_copy(update={"leaderboard": board.model_copy(update={"rows": rows})})
    table = _table_rows(render_markdown(build_view(aa=aa)))
    assert [row[2] for row in table[:3]] == ["Score", "60.2", "55.0"]
