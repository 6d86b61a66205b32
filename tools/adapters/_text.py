"""Text and URL helpers shared by the adapters: HTML to citable plain text, canonical URLs, UTC dates."""

from __future__ import annotations

import calendar
import html
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

__all__ = [
    "canonical_url",
    "entry_date",
    "html_to_text",
    "join_paragraphs",
    "normalise_whitespace",
    "plain_text",
    "struct_to_utc",
    "title_from_text",
    "to_utc",
]

PARAGRAPH_BREAK = "\n\n"
_BOUNDARY = "\x00"

_WHITESPACE = re.compile(r"\s+")
# Zero-width characters would sit invisibly inside quoted passages and break exact matching.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Elements whose start or end separates paragraphs of text.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
_SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "head", "title"}
)

# Query parameters that identify a campaign or a click, never the document.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "wt_mc",
    }
)
_TRACKING_PREFIXES = ("utm_",)


def normalise_whitespace(text: str) -> str:
    """Every run of whitespace (newlines, tabs, no-break spaces) becomes one space; ends trimmed."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Normalised paragraphs, empty ones dropped, separated by a blank line."""
    kept = (normalise_whitespace(p) for p in paragraphs)
    return PARAGRAPH_BREAK.join(p for p in kept if p)


def plain_text(text: str) -> str:
    """Plain text with paragraphs at blank lines; single line breaks are wrapping, not structure."""
    return join_paragraphs(re.split(r"\n\s*\n", text.replace("\r\n", "\n")))


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML fragment or document, one paragraph per block element.

    Inline markup (``<a>``, ``<em>``) is dropped without adding spaces, so sentences stay intact.
    """
    if not markup or not markup.strip():
        return ""
    if "<" not in markup:
        return plain_text(html.unescape(markup))
    try:
        # The wrapper keeps text that comes before a fragment's first element.
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        try:
            root = lxml.html.document_fromstring(markup)
        except (lxml.etree.ParserError, ValueError):
            return plain_text(markup)
    out: list[str] = []
    skipping = 0
    # One flat walk with start/end events: the paragraph boundaries fall out of the block tags.
    for event, element in lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            if not skipping and element.tail:
                out.append(element.tail)
            continue
        tag = element.tag.lower()
        if event == "start":
            if skipping or tag in _SKIPPED_TAGS:
                skipping += 1
                continue
            if tag in _BLOCK_TAGS:
                out.append(_BOUNDARY)
            if element.text:
                out.append(element.text)
            continue
        if skipping:
            skipping -= 1
            if skipping == 0 and element.tail:
                out.append(element.tail)
            continue
        if tag in _BLOCK_TAGS:
            out.append(_BOUNDARY)
        if element.tail:
            out.append(element.tail)
    return join_paragraphs("".join(out).split(_BOUNDARY))


def title_from_text(text: str, *, limit: int = 100) -> str:
    """A stand-in title for an entry that has none: its first sentence, cut at a word."""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0] if text else ""
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def _is_tracking(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES):
        return True
    # Medium tags every feed link with source=rss----<hash>; elsewhere "source" can name the document.
    return lowered == "source" and value.startswith("rss")


def canonical_url(url: str, *, base: str = "") -> str:
    """The stable form of a link: absolute, lower-case scheme and host, no default port, no
    fragment, no tracking parameters (utm_*, fbclid, ...). The other parameters keep their order."""
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    # Filter the raw pairs rather than re-encode them, so "?a" stays "?a" and escapes keep their form.
    kept = []
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        if pair and not _is_tracking(unquote_plus(name), unquote_plus(value)):
            kept.append(pair)
    path = parts.path or ("/" if host else "")
    return urlunsplit((scheme, host, path, "&".join(kept), ""))


def struct_to_utc(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC ``struct_time``s."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def entry_date(entry: Mapping[str, Any], key: str) -> datetime | None:
    """A feedparser entry's ``*_parsed`` date as aware UTC, or None.

    ``dict.get``: FeedParserDict answers a missing "updated_parsed" with the published date (and
    warns), which would invent an update the feed never gave.
    """
    value = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
    return struct_to_utc(value)


def to_utc(value: datetime) -> datetime:
    """An aware datetime in UTC; a naive one is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
