"""GitHub trending: the real capture gives its 20 repositories with their stars."""

from __future__ import annotations

import pytest

from agent.domain.models import RepoInfo, Section, SourceKind
from tests.tools.adapters._helpers import MakeContext, RealCapture
from tools.adapters import ParseError, parse_trending
from tools.adapters.trending import repo_sentence

TRENDING = "trending/github_trending_python_daily_full.html"


def test_real_trending_page(real_capture: RealCapture) -> None:
    body, context = real_capture(
        TRENDING,
        url="https://github.com/trending/python?since=daily",
        kind=SourceKind.GITHUB_TRENDING,
        section=Section.REPOS,
        max_items=50,
    )
    items = parse_trending(body, context)
    assert len(items) == 20
    assert len({item.id for item in items}) == 20
    for item in items:
        assert item.repo is not None
        assert item.id == f"github:{item.repo.full_name}" and item.repo.full_name.count("/") == 1
        assert item.url == f"https://github.com/{item.repo.full_name}"
        assert item.repo.stars and item.repo.stars > 0
        assert item.repo.stars_today is not None and item.repo.forks is not None
        assert item.text.startswith(item.repo.full_name)
        assert (
            f"{item.repo.stars:,} stars" in item.text
            and f"{item.repo.stars_today:,} stars today" in item.text
        )
    first = items[0].repo
    assert first == RepoInfo(
        full_name="Alishahryar1/free-claude-code",
        description="Use claude-code for free in the terminal, VSCode extension or via discord like openclaw",
        language="Python",
        stars=11139,
        stars_today=3975,
        forks=1636,
    )
    assert items[0].text == (
        "Alishahryar1/free-claude-code: Use claude-code for free in the terminal, VSCode extension or via "
        "discord like openclaw. Written in Python; 11,139 stars, 3,975 stars today, 1,636 forks."
    )
    no_description = next(
        item for item in items if item.repo and item.repo.full_name == "deepseek-ai/DeepSeek-V3"
    )
    assert (
        no_description.text
        == "deepseek-ai/DeepSeek-V3 is written in Python; 102,875 stars, 77 stars today, 16,681 forks."
    )
    capped = parse_trending(*real_capture(TRENDING, max_items=5))
    assert [i.id for i in capped] == [i.id for i in items[:5]]


def test_weekly_period_and_missing_language(make_context: MakeContext) -> None:
    body = b"""<html><body><article class="Box-row">
      <h2><a href="/acme/tool">acme / tool</a></h2>
      <p> A tool. </p>
      <a href="/acme/tool/stargazers">1,234</a>
      <span class="d-inline-block float-sm-right">56 stars this week</span>
    </article></body></html>"""
    [item] = parse_trending(body, make_context(body, kind=SourceKind.GITHUB_TRENDING, section=Section.REPOS))
    assert item.repo == RepoInfo(full_name="acme/tool", description="A tool.", stars=1234, stars_today=56)
    assert item.text == "acme/tool: A tool. 1,234 stars, 56 stars this week."
    assert item.extra["period"] == "this week"


def test_a_page_without_rows_is_a_clear_error(make_context: MakeContext) -> None:
    body = b"<html><head><title>Sign in to GitHub</title></head><body><form></form></body></html>"
    with pytest.raises(ParseError, match=r"no trending repositories .*'Sign in to GitHub'"):
        parse_trending(body, make_context(body, kind=SourceKind.GITHUB_TRENDING))


def test_repo_sentence_uses_only_the_facts_given() -> None:
    assert repo_sentence(RepoInfo(full_name="a/b")) == "a/b."
    assert repo_sentence(RepoInfo(full_name="a/b", description="Fast!", stars=3)) == "a/b: Fast! 3 stars."


def test_a_row_without_stars_or_with_abbreviated_counts(make_context: MakeContext) -> None:
    body = b"""<html><body>
      <article class="Box-row"><h2><a href="/bare/repo">bare / repo</a></h2></article>
      <article class="Box-row"><h2><a href="/big/repo">big / repo</a></h2><p>Big.</p>
        <a href="/big/repo/stargazers">1.2k</a><a href="/big/repo/forks">3,004</a>
        <span>2.5k stars this week</span></article>
    </body></html>"""
    bare, big = parse_trending(body, make_context(body, kind=SourceKind.GITHUB_TRENDING))
    assert bare.repo == RepoInfo(full_name="bare/repo", description="", language=None)
    assert bare.text == "bare/repo."
    assert big.repo is not None
    assert (big.repo.stars, big.repo.forks, big.repo.stars_today) == (1200, 3004, 2500)
    assert big.text == "big/repo: Big. 1,200 stars, 2,500 stars this week, 3,004 forks."
