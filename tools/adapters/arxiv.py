"""The arXiv API's Atom (export.arxiv.org/api/query), and the rss.arxiv.org announcement feed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import feedparser

from agent.domain.models import Item
from tools.adapters._context import AdapterContext
from tools.adapters._errors import ParseError
from tools.adapters._text import entry_date, normalise_whitespace

__all__ = ["arxiv_id", "parse_arxiv"]

# The archives of arXiv's old-style identifiers ("astro-ph/0601001", "math.AG/0601001"): the list is
# closed (new papers use new-style ids since 2007), and naming it keeps "Post/1194844" from passing.
_OLD_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|cond-mat|"
    "cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|mtrl-th|nlin|nucl-ex|nucl-th|"
    "patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|stat|supr-con"
)
# New style "2405.01234" (4 or 5 digits after the dot since 2015), old style "astro-ph/0601001"; either
# may carry a version suffix "v2". The id must follow an abs/pdf path, an OAI prefix or "arXiv:", or be
# the whole value: a number that merely looks like one inside another site's URL is not a paper.
_ARXIV_ID = re.compile(
    r"(?:/(?:abs|pdf)/|(?i:oai:arXiv\.org:)|(?i:arXiv:)|^)"
    rf"(?P<id>\d{{4}}\.\d{{4,5}}|(?:{_OLD_ARCHIVES})(?:\.[A-Z]{{2}})?/\d{{7}})(?P<version>v\d+)?"
    r"(?:\.pdf)?(?=$|[/?#\s])"
)
_RSS_ABSTRACT = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>[\w-]+)\s*Abstract:\s*", re.IGNORECASE)
_ERROR_ID = "arxiv.org/api/errors"


def arxiv_id(value: str) -> tuple[str, str] | None:
    """``("2405.01234", "v2")`` from an abs/pdf URL, an OAI id or a bare id; None when there is none."""
    match = _ARXIV_ID.search(value.strip())
    return (match.group("id"), match.group("version") or "") if match else None


def parse_arxiv(body: bytes, context: AdapterContext) -> list[Item]:
    """Papers from an arXiv API answer: id without version, every author, primary category first,
    the abstract as text, published and updated dates, url = the abs page.

    The API explains a bad query in an Atom entry titled "Error" (served with HTTP 400): that
    becomes a :class:`ParseError` quoting arXiv's message. No results is an empty list.
    """
    headers = {"content-location": context.url}
    if context.content_type:
        headers["content-type"] = context.content_type
    parsed = feedparser.parse(body, response_headers=headers)
    entries: list[Mapping[str, Any]] = list(parsed.entries)
    _raise_api_error(entries, context)
    if not entries:
        if context.status >= 400:
            raise ParseError(
                f"the arXiv API answered HTTP {context.status} without an explanation; check the query in "
                f"{context.url}",
                url=context.url,
                source=context.source,
            )
        if not parsed.version:
            reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
            raise ParseError(
                f"{context.url} did not answer arXiv API Atom{reason}; the url should be "
                "https://export.arxiv.org/api/query?search_query=...",
                url=context.url,
                source=context.source,
            )
        return []
    _refuse_other_feeds(entries, context)
    is_rss = parsed.version.startswith("rss")
    items = [_rss_item(e, context) if is_rss else _api_item(e, context) for e in entries]
    kept = [item for item in items if item is not None]
    return kept[: context.cap(len(kept))]


def _entry_paper(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    return arxiv_id(str(entry.get("id", ""))) or arxiv_id(str(entry.get("link", "")))


def _refuse_other_feeds(entries: list[Mapping[str, Any]], context: AdapterContext) -> None:
    """A feed whose entries are not arXiv papers (a news feed, Product Hunt) is the wrong url, not a
    list of papers with made-up ids: refuse it, naming the source and an entry that is not a paper."""
    strangers = [e for e in entries if _entry_paper(e) is None]
    if not strangers:
        return
    first = strangers[0]
    example = str(first.get("id") or first.get("link") or first.get("title") or "?")
    raise ParseError(
        f"source {context.source!r}: {context.url} is not an arXiv feed: {len(strangers)} of its "
        f"{len(entries)} entries are not arXiv papers (e.g. {example!r}); expected the arXiv API's Atom "
        "(https://export.arxiv.org/api/query?search_query=...) or rss.arxiv.org, whose entries are "
        "arxiv.org/abs/<id> papers. For another site's feed use kind = 'feed'",
        url=context.url,
        source=context.source,
    )


def _raise_api_error(entries: list[Mapping[str, Any]], context: AdapterContext) -> None:
    for entry in entries:
        if _ERROR_ID in str(entry.get("id", "")) or (
            entry.get("title") == "Error" and not arxiv_id(str(entry.get("id", "")))
        ):
            message = normalise_whitespace(str(entry.get("summary", ""))) or "no message"
            raise ParseError(
                f"the arXiv API refused the query: {message!r} (HTTP {context.status}); fix the source's url "
                f"{context.url}",
                url=context.url,
                source=context.source,
            )


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    primary = entry.get("arxiv_primary_category") or {}
    terms = [str(primary.get("term", ""))] if isinstance(primary, dict) else []
    terms += [str(t.get("term", "")) for t in entry.get("tags", []) if isinstance(t, dict)]
    return tuple(dict.fromkeys(t.strip() for t in terms if t and t.strip()))


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    # e.author is only the last author; e.authors holds them all.
    names = [
        normalise_whitespace(str(a.get("name", ""))) for a in entry.get("authors", []) if isinstance(a, dict)
    ]
    return tuple(n for n in names if n)


def _abstract_page(entry: Mapping[str, Any], paper: str) -> str:
    """The version-less abstract page on the host the entry links to (arxiv.org, or the sample's host)."""
    link = urlsplit(str(entry.get("link", "")))
    host = link.netloc if link.scheme in ("http", "https") and link.netloc else "arxiv.org"
    return f"https://{host}/abs/{paper}"


def _api_item(entry: Mapping[str, Any], context: AdapterContext) -> Item | None:
    found = _entry_paper(entry)
    if found is None:
        return None
    paper, version = found
    extra: dict[str, Any] = {"version": version} if version else {}
    for link in entry.get("links", []):
        if isinstance(link, dict) and link.get("title") == "pdf" and link.get("href"):
            extra["pdf"] = link["href"]
    for key in ("arxiv_comment", "arxiv_journal_ref", "arxiv_doi"):
        if entry.get(key):
            extra[key.removeprefix("arxiv_")] = normalise_whitespace(str(entry[key]))
    published = entry_date(entry, "published_parsed")
    updated = entry_date(entry, "updated_parsed")
    return Item(
        id=f"arxiv:{paper}",
        source=context.source,
        section=context.section,
        kind=context.kind,
        title=normalise_whitespace(str(entry.get("title", ""))),
        url=_abstract_page(entry, paper),
        text=normalise_whitespace(str(entry.get("summary", ""))),
        published=published or updated,
        updated=updated,
        authors=_authors(entry),
        categories=_categories(entry),
        fetched_at=context.fetched_at,
        content_hash=context.content_hash,
        extra=extra,
    )


def _rss_item(entry: Mapping[str, Any], context: AdapterContext) -> Item | None:
    found = _entry_paper(entry)
    if found is None:
        return None
    paper, version = found
    description = str(entry.get("summary", ""))
    extra: dict[str, Any] = {"version": version} if version else {}
    header = _RSS_ABSTRACT.match(description)
    if header:
        extra["announce_type"] = header.group("type")
        description = description[header.end() :]
    # rss.arxiv.org puts every author in one dc:creator, comma-separated.
    creators = ", ".join(_authors(entry)) or str(entry.get("author", ""))
    authors = tuple(n for n in (normalise_whitespace(a) for a in creators.split(",")) if n)
    published = entry_date(entry, "published_parsed")
    return Item(
        id=f"arxiv:{paper}",
        source=context.source,
        section=context.section,
        kind=context.kind,
        title=normalise_whitespace(str(entry.get("title", ""))),
        url=f"https://arxiv.org/abs/{paper}",
        text=normalise_whitespace(description),
        published=published,
        updated=entry_date(entry, "updated_parsed"),
        authors=authors,
        # The feed does not mark the primary category; arXiv lists it first.
        categories=_categories(entry),
        fetched_at=context.fetched_at,
        content_hash=context.content_hash,
        extra=extra,
    )
