"""Article pages: main text and metadata through trafilatura (comments off, metadata on)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import trafilatura

from agent.domain.models import Item
from tools.adapters._authors import people, restore_initials
from tools.adapters._clutter import drop_clutter
from tools.adapters._context import AdapterContext
from tools.adapters._dates import read_date
from tools.adapters._encoding import decode_document
from tools.adapters._errors import ParseError
from tools.adapters._sniff import body_kind, describe_body
from tools.adapters._text import PARAGRAPH_BREAK, canonical_url, normalise_whitespace, title_from_text

__all__ = ["extract_page", "page_blocks", "parse_page", "strip_page_chrome"]

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b",
    re.IGNORECASE,
)
_COMMENT_LINK = re.compile(
    r"^(?:view|show|read|load|leave|add|post|write|see)?\s*(?:a|all)?\s*(?:\d+\s+)?comments?(?:\s*\(\d+\))?$",
    re.IGNORECASE,
)
# A dateline ("January 13, 2020 at 08:45 AM | categories: ...") is short; article paragraphs that
# merely open with a date are longer or end like a sentence.
_MAX_CHROME_CHARS = 160
_LEADING_PARAGRAPHS_CHECKED = 3
# trafilatura's fast pass (no fallback extractors) takes half the CPU of the full one on the 27 real
# pages and gives the same text on 26; the 27th came back with 404 characters (3,652 with the
# fallbacks), the shortest real article has 848. A first pass this thin is run again in full.
_THIN_TEXT_CHARS = 500
# trafilatura prints a page's <table> as a Markdown table, one row a line under a "|---|---|" line.
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _date(value: object, context: AdapterContext) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return read_date(value, relative_to=context.fetched_at)


def _is_leading_chrome(paragraph: str, title: str) -> bool:
    if title and paragraph.casefold() == title.casefold():
        return True
    short_unfinished = len(paragraph) <= _MAX_CHROME_CHARS and paragraph[-1:] not in ".!?\"”'"
    return short_unfinished and (
        _DATE.search(paragraph) is not None or _COMMENT_LINK.match(paragraph) is not None
    )


def strip_page_chrome(paragraphs: list[str], title: str) -> list[str]:
    """Drops what trafilatura keeps around some articles but is not their text: the title repeated
    as the first paragraph, a dateline/byline bar, and "View Comments" links (comments are off).
    Title, date and authors are kept as the item's metadata instead."""
    kept = list(paragraphs)
    checked = 0
    while kept and checked < _LEADING_PARAGRAPHS_CHECKED and _is_leading_chrome(kept[0], title):
        kept.pop(0)
        checked += 1
    while kept and _COMMENT_LINK.match(kept[-1]):
        kept.pop()
    return kept


def page_blocks(lines: list[str]) -> list[str]:
    """The extracted lines as paragraphs, one a line, except a Markdown table: its rows stay together, one
    a line, so a table on the page is still a table in the item's text (the checker computes claims
    about it) rather than a paragraph per row."""
    blocks: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and "|" in lines[i] and _TABLE_SEPARATOR.match(lines[i + 1].strip()):
            j = i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            blocks.append("\n".join(normalise_whitespace(line) for line in lines[i:j]))
            i = j
            continue
        blocks.append(normalise_whitespace(lines[i]))
        i += 1
    return [b for b in blocks if b]


def _bare_extraction(html: str, context: AdapterContext, *, with_metadata: bool) -> Any:
    try:
        document: Any = trafilatura.bare_extraction(
            html, url=context.url or None, include_comments=False, with_metadata=with_metadata, fast=True
        )
        if document is None or len(str(document.text or "")) < _THIN_TEXT_CHARS:
            document = trafilatura.bare_extraction(
                html, url=context.url or None, include_comments=False, with_metadata=with_metadata
            )
    # trafilatura raises assorted lxml and value errors on pathological markup.
    except Exception as exc:
        raise ParseError(
            f"{context.url}: the page could not be parsed ({type(exc).__name__}: {exc})",
            url=context.url,
            source=context.source,
        ) from exc
    return document


def parse_page(
    body: bytes, context: AdapterContext, *, with_metadata: bool = True, known_title: str = ""
) -> list[Item]:
    """One item with the page's main text (paragraphs separated by a blank line), title, date and
    authors. The bytes are decoded with the HTTP charset, then the page's meta charset, then a guess.

    ``with_metadata=False`` skips trafilatura's metadata pass (half its time on real pages) for a
    caller that already knows the title, date and authors (a feed entry); ``known_title`` is then the
    title, used to drop its repetition from the text.

    A page with no extractable text raises :class:`ParseError`.
    """
    got = body_kind(body)
    if got in ("feed", "json"):
        advice = (
            "use kind = 'feed' for it (with follow_links = true to read each entry's page)"
            if got == "feed"
            else "point the source at the article's web page"
        )
        raise ParseError(
            f"source {context.source!r}: {context.url} answered {describe_body(body)} where an article page"
            f" (HTML) was expected: {advice}",
            url=context.url,
            source=context.source,
        )
    html, encoding = decode_document(body, context.content_type)
    document = _bare_extraction(html, context, with_metadata=with_metadata)
    title = normalise_whitespace(str(document.title or "")) if document is not None else ""
    title = title or normalise_whitespace(known_title)
    paragraphs = page_blocks(str(document.text or "").split("\n")) if document else []
    text = PARAGRAPH_BREAK.join(drop_clutter(strip_page_chrome(paragraphs, title)))
    if not text:
        raise ParseError(
            f"{context.url}: no article text could be extracted ({len(body):,} bytes, read as {encoding}); "
            "the page may need JavaScript or be an index page rather than an article",
            url=context.url,
            source=context.source,
        )
    bylines = people(
        str(document.author or "").split(";"),
        publishers=[str(getattr(document, "sitename", "") or "")],
        url=context.url,
    )
    authors = tuple(dict.fromkeys(restore_initials(name, html) for name in bylines))
    title = title or title_from_text(text)
    extra: dict[str, Any] = {"encoding": encoding}
    published = _date(document.date, context)
    if document.date and published is None:
        extra["unreadable_date"] = normalise_whitespace(str(document.date))
    for key in ("sitename", "description", "language"):
        value = getattr(document, key, None)
        if value:
            extra[key] = normalise_whitespace(str(value))
    return [
        Item(
            id=canonical_url(context.url),
            source=context.source,
            section=context.section,
            kind=context.kind,
            title=title,
            url=context.url,
            text=text,
            published=published,
            authors=authors,
            fetched_at=context.fetched_at,
            content_hash=context.content_hash,
            extra=extra,
        )
    ]


def extract_page(
    body: bytes, ctx: AdapterContext, *, with_metadata: bool = True, known_title: str = ""
) -> Item:
    """The one item of an article page, e.g. the page a feed entry links to (``follow_links``)."""
    [item] = parse_page(body, ctx, with_metadata=with_metadata, known_title=known_title)
    return item
