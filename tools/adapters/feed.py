"""Feeds: RSS 0.9x/2.0, Atom, RSS 1.0 (RDF) through feedparser, and JSON Feed parsed directly."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html

from agent.domain.models import Item
from tools.adapters._authors import people
from tools.adapters._clutter import drop_clutter
from tools.adapters._context import AdapterContext
from tools.adapters._dates import feed_entry_date, read_date
from tools.adapters._encoding import charset_from_content_type, declared_charset, guess_encoding
from tools.adapters._errors import ParseError
from tools.adapters._text import (
    PARAGRAPH_BREAK,
    canonical_url,
    html_to_text,
    join_paragraphs,
    normalise_whitespace,
    plain_text,
    title_from_text,
)

__all__ = ["parse_feed", "parse_json_feed"]

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
# Scraper-made feeds (Anthropic's, on the fixture) end descriptions with a literal backslash-n.
_LITERAL_NEWLINES = re.compile(r"^(\\n|\s)+|(\\n|\s)+$")


def parse_feed(body: bytes, context: AdapterContext) -> list[Item]:
    """Items of an RSS, Atom, RSS 1.0 or JSON Feed document, newest first, capped at ``max_items``.

    Raises :class:`ParseError` when the bytes are not a feed (e.g. an HTML page) or are so broken
    that no entry survives. A broken feed that still yields entries returns them, with the reason
    in ``Item.extra["bozo"]``.
    """
    if _looks_like_json(body, context.content_type):
        return parse_json_feed(body, context)
    parsed = _feedparse(body, context)
    bozo = _bozo_reason(parsed)
    entries = list(parsed.entries)
    if not entries:
        if _HTML_START.match(body[:4096]) or (not parsed.version and b"<html" in body[:4096].lower()):
            raise _not_a_feed_error(body, context)
        if not parsed.version:
            start = body[:60].decode("utf-8", "replace").strip()
            raise ParseError(
                f"{context.url} is not a feed: no RSS, Atom, RSS 1.0 or JSON Feed document found "
                f"(content-type {context.content_type or 'missing'!r}, starts with {start!r})"
                + (f"; the XML parser said: {bozo}" if bozo else ""),
                url=context.url,
                source=context.source,
            )
        if bozo and not _only_a_warning(parsed):
            raise ParseError(
                f"{context.url}: the feed is malformed and no entry could be read: {bozo}",
                url=context.url,
                source=context.source,
            )
        return []
    feed_title = normalise_whitespace(str(parsed.feed.get("title", "")))
    items = [_entry_item(entry, context, feed_title=feed_title, bozo=bozo) for entry in entries]
    kept = [item for item in items if item is not None]
    if not kept and bozo:
        raise ParseError(
            f"{context.url}: the feed is malformed and its entries are empty: {bozo}",
            url=context.url,
            source=context.source,
        )
    return _newest_first(kept)[: context.cap(len(kept))]


def _feedparse(body: bytes, context: AdapterContext) -> Any:
    headers = {"content-location": context.url}
    if context.content_type:
        headers["content-type"] = context.content_type
    parsed = feedparser.parse(body, response_headers=headers)
    undeclared = charset_from_content_type(context.content_type) is None and declared_charset(body) is None
    if undeclared and isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        # feedparser falls back to windows-1252, right for Western bytes but not for e.g. KOI8-R.
        guessed = guess_encoding(body)
        if guessed not in ("utf-8", "cp1252"):
            recoded = body.decode(guessed, errors="replace").encode("utf-8")
            headers["content-type"] = "application/xml; charset=utf-8"
            parsed = feedparser.parse(recoded, response_headers=headers)
            parsed["bozo_exception"] = feedparser.CharacterEncodingOverride(
                f"document declared no encoding; read as {guessed}"
            )
            parsed["bozo"] = 1
    return parsed


def _bozo_reason(parsed: Any) -> str:
    if not parsed.get("bozo"):
        return ""
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"


def _only_a_warning(parsed: Any) -> bool:
    """True when feedparser read the whole document and only remarks on how it was served (a
    non-XML Content-Type, an encoding it had to override): an empty feed so served is still empty."""
    warnings = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    return isinstance(parsed.get("bozo_exception"), warnings)


def _not_a_feed_error(body: bytes, context: AdapterContext) -> ParseError:
    title = ""
    links: list[str] = []
    try:
        doc = lxml.html.document_fromstring(body)
        title = normalise_whitespace(doc.findtext(".//title") or "")
        for link in doc.iterfind(".//link"):
            kind = (link.get("type") or "").lower()
            rel = (link.get("rel") or "").lower()
            if "alternate" in rel and any(k in kind for k in ("rss", "atom", "feed+json", "rdf")):
                links.append(urljoin(context.url, link.get("href") or ""))
    except (ValueError, lxml.etree.ParserError):
        pass
    what = f"an HTML page ({title!r})" if title else "an HTML page"
    advice = (
        f"the page advertises these feeds: {', '.join(links)}; set the source's url to one of them"
        if links
        else "set the source's url to the site's RSS or Atom feed, or use kind = 'page' for a single article"
    )
    return ParseError(
        f"{context.url} answered {what} where a feed was expected: {advice}",
        url=context.url,
        source=context.source,
    )


def _entry_text(entry: Mapping[str, Any]) -> str:
    candidates: list[tuple[str, str]] = [
        (c.get("type", ""), c.get("value", "")) for c in entry.get("content", [])
    ]
    summary_detail = entry.get("summary_detail") or {}
    if entry.get("summary"):
        candidates.append((summary_detail.get("type", "text/html"), entry["summary"]))
    best = ""
    for kind, value in candidates:
        text = plain_text(value) if kind == "text/plain" else html_to_text(value)
        text = join_paragraphs(drop_clutter(_LITERAL_NEWLINES.sub("", text).split(PARAGRAPH_BREAK)))
        # The full content beats a teaser: keep the longest rendering.
        if len(text) > len(best):
            best = text
    return best


def _linked_page(entry: Mapping[str, Any], link: str) -> str | None:
    """The page a link post points to: Reddit-style entries whose content is a "[link]" to another
    site (the entry's own link is the discussion). None for an entry that is itself the article."""
    own_host = urlsplit(link).hostname or ""
    values = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary") or ""]
    for value in values:
        if "[link]" not in value:
            continue
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            continue
        for anchor in fragment.iterfind(".//a"):
            href = (anchor.get("href") or "").strip()
            if anchor.text_content().strip() != "[link]" or not href.startswith(("http://", "https://")):
                continue
            host = urlsplit(href).hostname or ""
            if host and host != own_host and not host.endswith(("reddit.com", "redd.it")):
                return href
            # Images and videos Reddit hosts itself are link posts too, but there is no article to read.
            return None
    return None


def _entry_title(entry: Mapping[str, Any]) -> str:
    raw = entry.get("title", "")
    detail = entry.get("title_detail") or {}
    return normalise_whitespace(html_to_text(raw) if "html" in detail.get("type", "") else raw)


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names = [normalise_whitespace(a.get("name", "")) for a in entry.get("authors", []) if isinstance(a, dict)]
    if not any(names) and entry.get("author"):
        names = [normalise_whitespace(entry["author"])]
    return tuple(dict.fromkeys(n for n in names if n))


def _entry_item(
    entry: Mapping[str, Any], context: AdapterContext, *, feed_title: str, bozo: str
) -> Item | None:
    # FeedBurner rewrites links to its redirector; the original link is the stable identity.
    raw_link = entry.get("feedburner_origlink") or entry.get("link") or ""
    link = urljoin(context.url, raw_link.strip()) if raw_link else ""
    text = _entry_text(entry)
    linked = _linked_page(entry, link)
    title = _entry_title(entry)
    guid = str(entry.get("id") or "")
    if not (link or title or text):
        return None
    published, unread_published = feed_entry_date(entry, "published", relative_to=context.fetched_at)
    updated, unread_updated = feed_entry_date(entry, "updated", relative_to=context.fetched_at)
    extra: dict[str, Any] = {}
    unreadable = unread_published or unread_updated
    if unreadable and not (published or updated):
        extra["unreadable_date"] = unreadable
    if feed_title:
        extra["feed_title"] = feed_title
    if guid and guid != link:
        extra["guid"] = guid
    if bozo:
        extra["bozo"] = bozo
    if linked:
        # A link post is the linked article: that is its identity (so the same article from another
        # source is one item) and the page follow_links reads. The discussion stays a reference.
        extra["discussion_url"] = link
        link = linked
    if not text:
        # Nothing of the entry can be quoted: the edition shows its title, the writers cite nothing.
        extra["title_only"] = True
    tags = (t.get("term") or "" for t in entry.get("tags", []) if isinstance(t, dict))
    return _feed_item(
        context,
        guid=guid,
        link=link,
        title=title,
        text=text,
        published=published,
        updated=updated,
        authors=_authors(entry),
        tags=tags,
        extra=extra,
    )


def _feed_item(
    context: AdapterContext,
    *,
    guid: str,
    link: str,
    title: str,
    text: str,
    published: datetime | None,
    updated: datetime | None,
    authors: tuple[str, ...],
    tags: Iterable[str],
    extra: dict[str, Any],
) -> Item:
    """An entry of any feed format. Its id is its link, else its guid (canonical when it is a URL),
    else a hash of its title and text."""
    if link:
        item_id = canonical_url(link)
    elif guid:
        item_id = canonical_url(guid, base=context.url) if "://" in guid else f"guid:{guid}"
    else:
        item_id = "sha256:" + hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:32]
    return Item(
        id=item_id,
        source=context.source,
        section=context.section,
        kind=context.kind,
        title=title or title_from_text(text) or link,
        url=link or context.url,
        text=text,
        # A feed that gives only one date (Atom's <updated>) still dates the entry.
        published=published or updated,
        updated=updated,
        authors=people(authors, publishers=[str(extra.get("feed_title", ""))], url=context.url),
        categories=tuple(dict.fromkeys(n for n in (normalise_whitespace(t) for t in tags) if n)),
        fetched_at=context.fetched_at,
        content_hash=context.content_hash,
        extra=extra,
    )


def _newest_first(items: list[Item]) -> list[Item]:
    """Newest first, undated entries last in feed order: some feeds (a 255-entry archive on the
    fixtures) list oldest first, and capping them in feed order would keep the oldest."""
    dated = sorted((i for i in items if i.published), key=lambda i: i.published or datetime.min, reverse=True)
    return dated + [i for i in items if not i.published]


def _looks_like_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or body.lstrip()[:1] in (b"{", b"[")


def _json_date(value: object, context: AdapterContext) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return read_date(value, relative_to=context.fetched_at)


def _json_str(value: object) -> str:
    """A JSON Feed string field; ``null``, numbers and objects where text belongs read as empty."""
    return normalise_whitespace(value) if isinstance(value, str) else ""


def _json_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _json_authors(record: Mapping[str, Any]) -> tuple[str, ...]:
    raw = _json_list(record.get("authors")) or [record.get("author")]
    names = (_json_str(a.get("name")) for a in raw if isinstance(a, dict))
    return tuple(dict.fromkeys(n for n in names if n))


def parse_json_feed(body: bytes, context: AdapterContext) -> list[Item]:
    """Items of a JSON Feed (version 1 or 1.1): https://www.jsonfeed.org/version/1.1/."""
    try:
        # utf-8-sig: a BOM is legal before JSON text (RFC 8259 section 8.1 lets parsers ignore it).
        charset = charset_from_content_type(context.content_type)
        document = json.loads(body.decode("utf-8-sig" if charset in (None, "utf-8") else charset))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(
            f"{context.url}: not valid JSON: {exc}", url=context.url, source=context.source
        ) from exc
    version = document.get("version", "") if isinstance(document, dict) else ""
    if not isinstance(version, str) or not version.startswith(_JSON_FEED_VERSION):
        raise ParseError(
            f'{context.url} answered JSON that is not a JSON Feed (no "version": "{_JSON_FEED_VERSION}...");'
            " point the source at the site's RSS, Atom or JSON Feed",
            url=context.url,
            source=context.source,
        )
    records = document.get("items")
    if not isinstance(records, list):
        raise ParseError(
            f'{context.url}: JSON Feed without an "items" list', url=context.url, source=context.source
        )
    feed_title = _json_str(document.get("title"))
    feed_authors = _json_authors(document)
    items: list[Item] = []
    for record in records:
        if not isinstance(record, dict):
            continue
        raw_link = record.get("url") or record.get("external_url") or ""
        link = urljoin(context.url, str(raw_link).strip()) if raw_link else ""
        if record.get("content_html"):
            text = html_to_text(str(record["content_html"]))
        else:
            text = plain_text(str(record.get("content_text") or record.get("summary") or ""))
        title = normalise_whitespace(str(record.get("title") or ""))
        if not (link or title or text):
            continue
        guid = str(record.get("id") or "")
        extra: dict[str, Any] = {"feed_title": feed_title} if feed_title else {}
        if guid and guid != link:
            extra["guid"] = guid
        published = _json_date(record.get("date_published"), context)
        updated = _json_date(record.get("date_modified"), context)
        printed = _json_str(record.get("date_published")) or _json_str(record.get("date_modified"))
        if printed and not (published or updated):
            extra["unreadable_date"] = printed
        items.append(
            _feed_item(
                context,
                guid=guid,
                link=link,
                title=title,
                text=text,
                published=published,
                updated=updated,
                authors=_json_authors(record) or feed_authors,
                tags=(t for t in _json_list(record.get("tags")) if isinstance(t, str)),
                extra=extra,
            )
        )
    return _newest_first(items)[: context.cap(len(items))]
