"""GitHub trending (github.com/trending[/language]): one item per ``article.Box-row``."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html

from agent.domain.models import Item, RepoInfo
from tools.adapters._context import AdapterContext
from tools.adapters._encoding import html_document
from tools.adapters._errors import ParseError
from tools.adapters._sniff import body_kind, describe_body
from tools.adapters._text import normalise_whitespace

__all__ = ["parse_trending", "repo_sentence"]

_ROWS = "//article[contains(concat(' ', normalize-space(@class), ' '), ' Box-row ')]"
# "12,345" on the trending page; GitHub abbreviates elsewhere ("1.2k"), which must not read as 1.
_COUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([km])?\b", re.IGNORECASE)
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000}
_PERIOD = re.compile(r"stars?\s+(today|this week|this month)", re.IGNORECASE)


def _count(text: str) -> int | None:
    match = _COUNT.search(text)
    if match is None:
        return None
    number, suffix = match.group(1).replace(",", ""), (match.group(2) or "").lower()
    return round(float(number) * _SCALE[suffix])


def repo_sentence(repo: RepoInfo, *, period: str = "today") -> str:
    """A short citable sentence built only from parsed facts, e.g.
    "owner/name: Does X. Written in Python; 12,345 stars, 678 stars today."."""
    facts = []
    if repo.stars is not None:
        facts.append(f"{repo.stars:,} stars")
    if repo.stars_today is not None:
        facts.append(f"{repo.stars_today:,} stars {period}")
    if repo.forks is not None:
        facts.append(f"{repo.forks:,} forks")
    listed = ", ".join(facts)
    if not repo.description:
        if repo.language:
            return f"{repo.full_name} is written in {repo.language}" + (f"; {listed}." if listed else ".")
        return f"{repo.full_name} has {listed}." if listed else f"{repo.full_name}."
    description = repo.description.rstrip()
    parts = [f"{repo.full_name}:", description if description[-1:] in ".!?" else description + "."]
    if repo.language:
        parts.append(f"Written in {repo.language}" + (f"; {listed}." if listed else "."))
    elif listed:
        parts.append(listed[0].upper() + listed[1:] + ".")
    return " ".join(parts)


def parse_trending(body: bytes, context: AdapterContext) -> list[Item]:
    """Repositories of a GitHub trending page, in the page's order: full name, description, language,
    stars, stars in the period, forks. A page without repository rows raises :class:`ParseError`."""
    got = body_kind(body)
    if got not in ("html", "text"):
        raise ParseError(
            f"source {context.source!r}: {context.url} answered {describe_body(body)} where GitHub's"
            " trending page (HTML, https://github.com/trending) was expected",
            url=context.url,
            source=context.source,
        )
    doc = html_document(body, context)
    rows = doc.xpath(_ROWS)
    if not rows:
        title = normalise_whitespace(doc.findtext(".//title") or "")
        raise ParseError(
            f"{context.url} has no trending repositories (no article.Box-row; page title {title!r}): "
            "GitHub may have changed the page, or the url is not https://github.com/trending",
            url=context.url,
            source=context.source,
        )
    items: list[Item] = []
    for row in rows:
        item = _row_item(row, context)
        if item is not None:
            items.append(item)
    return items[: context.cap(len(items))]


def _row_item(row: lxml.html.HtmlElement, context: AdapterContext) -> Item | None:
    hrefs = row.xpath(".//h2//a/@href") or row.xpath(".//h1//a/@href")
    if not hrefs:
        return None
    full_name = "/".join(part for part in str(hrefs[0]).strip("/").split("/")[:2])
    if full_name.count("/") != 1:
        return None
    description = normalise_whitespace(" ".join(row.xpath(".//p//text()")))
    language = (
        normalise_whitespace(" ".join(row.xpath(".//*[@itemprop='programmingLanguage']//text()"))) or None
    )
    stars = _count(" ".join(row.xpath(".//a[contains(@href, '/stargazers')]//text()")))
    forks = _count(
        " ".join(row.xpath(".//a[contains(@href, '/forks') or contains(@href, '/network')]//text()"))
    )
    stars_today: int | None = None
    period = "today"
    for span in row.xpath(".//span"):
        span_text = normalise_whitespace(span.text_content())
        found = _PERIOD.search(span_text)
        if found and len(span_text) < 40:
            stars_today, period = _count(span_text), found.group(1).lower()
            break
    repo = RepoInfo(
        full_name=full_name,
        description=description,
        language=language,
        stars=stars,
        stars_today=stars_today,
        forks=forks,
    )
    return Item(
        id=f"github:{full_name}",
        source=context.source,
        section=context.section,
        kind=context.kind,
        title=full_name,
        # Relative to the page fetched, so a mirror or the sample archive links to its own host.
        url=urljoin(context.url, f"/{full_name}"),
        text=repo_sentence(repo, period=period),
        fetched_at=context.fetched_at,
        content_hash=context.content_hash,
        repo=repo,
        extra={"period": period},
    )
