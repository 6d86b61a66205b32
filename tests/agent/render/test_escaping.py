"""Everything that came from a source is text: never markup, never a non-http(s) link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from markdown_it import MarkdownIt

from agent.domain.models import Item, Leaderboard, LeaderboardRow, RepoInfo
from agent.render import EditionView, markdown_escape, markdown_link, render_html, render_markdown, safe_url

SCRIPT = "<script>alert(1)</script>"
JS_URL = "javascript:alert(document.cookie)"


@pytest.fixture
def hostile(build_view: Callable[..., EditionView], sample_items: dict[str, Item]) -> EditionView:
    """Every source-controlled field carries markup, and every URL is a script."""
    s = sample_items
    return build_view(
        lab=s["lab"].model_copy(
            update={"title": f"Launch {SCRIPT}", "url": JS_URL, "source": f"src{SCRIPT}"}
        ),
        wire=s["wire"].model_copy(
            update={
                "title": "x](javascript:alert(1)) [y <img src=x onerror=alert(1)>",
                "url": 'https://example-news.com/a"onmouseover="alert(1)',
            }
        ),
        paper=s["paper"].model_copy(
            update={
                "title": f"Paper\n# Injected heading {SCRIPT}",
                "url": "JaVaScRiPt:alert(1)",
                "categories": (f"cs.DC{SCRIPT}",),
            }
        ),
        aa=s["aa"].model_copy(
            update={
                "url": "data:text/html,<script>alert(1)</script>",
                "leaderboard": Leaderboard(
                    name=f"Index {SCRIPT}",
                    metric="m",
                    description=f"desc {SCRIPT}",
                    rows=(LeaderboardRow(rank=1, model=f"evil|model {SCRIPT}", score=1.0),),
                ),
            }
        ),
        repo=s["repo"].model_copy(
            update={
                "url": "//evil.example/",
                "repo": RepoInfo(
                    full_name=f"owner/{SCRIPT}",
                    description=f"**bold** {SCRIPT}",
                    language="<b>Py</b>",
                ),
            }
        ),
    )


def test_html_shows_markup_from_sources_as_text(hostile: EditionView, parse_html: Any) -> None:
    for mode in ("draft", "email"):
        html = render_html(hostile, mode=mode)
        page = parse_html(html)
        assert "<script" not in html.lower()
        assert {tag for tag, _ in page.tags} <= {
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "div",
            "h1",
            "h2",
            "h3",
            "p",
            "span",
            "sup",
            "a",
            "ul",
            "ol",
            "li",
            "br",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        }
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        hrefs = [str(attrs["href"]) for tag, attrs in page.tags if tag == "a"]
        assert all(h.startswith(("https://", "http://", "#ref-")) for h in hrefs), hrefs
        # The quote in a URL cannot close the attribute and add an event handler.
        assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
        assert 'https://example-news.com/a"onmouseover="alert(1)' in hrefs


def test_a_title_with_an_unsafe_url_is_plain_text_not_a_link(hostile: EditionView) -> None:
    html = render_html(hostile, mode="email")
    assert "Launch &lt;script&gt;" in html
    assert ">Launch &lt;script&gt;" in html and '<a href="javascript' not in html.lower()


def test_markdown_from_sources_produces_no_links_html_or_structure(hostile: EditionView) -> None:
    markdown = render_markdown(hostile)
    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(markdown)
    inline = [child for t in tokens for child in (t.children or [])]
    hrefs = [str(t.attrs["href"]) for t in inline if t.type == "link_open"]
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert not any(t.type in ("html_inline", "html_block") for t in tokens + inline)
    rendered = parser.render(markdown)
    assert "<script" not in rendered and "<img" not in rendered and "<strong>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    headings = [tokens[n + 1].content for n, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any(h.startswith("Injected") for h in headings)
    assert "x](javascript:alert(1)) [y" in rendered  # shown as the text it is


def test_a_pipe_in_a_model_name_stays_in_its_cell(hostile: EditionView) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(render_markdown(hostile))
    widths: list[int] = []
    for t in tokens:
        if t.type == "tr_open":
            widths.append(0)
        elif t.type in ("th_open", "td_open"):
            widths[-1] += 1
    assert widths[:2] == [3, 3]  # "#", "Model", "Score" and one row of three cells


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2611.01234", "https://arxiv.org/abs/2611.01234"),
        ("  http://example.com/a?b=c#d ", "http://example.com/a?b=c#d"),
        ("HTTPS://EXAMPLE.COM/", "HTTPS://EXAMPLE.COM/"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("https://exa mple.com/", None),
        ("https://example.com/a\x00b", None),  # control characters that are not whitespace
        ("https://example.com/\x1b[2J", None),
        ("https://example.com/\x7f", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("//evil.example/", None),
        ("/relative/path", None),
        ("https:///no-host", None),
        ("https://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_markdown_escape_and_link() -> None:
    assert markdown_escape("a *b* _c_ `d` [e](f) <g> |h| #i ~j~") == (
        "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\|h\\| \\#i \\~j\\~"
    )
    assert markdown_escape("1. not a list") == "1\\. not a list"
    assert markdown_escape("- not a list") == "\\- not a list"
    assert markdown_escape("65.3% and -5") == "65.3% and -5"
    assert markdown_escape("AT&T &amp; co") == "AT&T \\&amp; co"
    assert markdown_escape("two\n\nlines") == "two lines"
    assert markdown_link("t", "https://e.com/a (b)") == "t"  # whitespace: not linked
    assert markdown_link("t", "https://e.com/a_(b)") == "[t](https://e.com/a_%28b%29)"
    assert markdown_link("t", JS_URL) == "t"


def test_templates_raise_on_a_missing_variable_and_autoescape() -> None:
    from jinja2 import UndefinedError

    from agent.render._env import html_environment, markdown_environment, xml_environment

    for environment in (html_environment(), markdown_environment(), xml_environment()):
        with pytest.raises(UndefinedError):
            environment.from_string("{{ missing }}").render()
    assert (
        html_environment().from_string("{{ x }}").render(x=SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    assert (
        markdown_environment().from_string("{{ x }}").render(x="[a](javascript:b)") == "\\[a\\](javascript:b)"
    )
