"""Source adapters: pure functions from fetched bytes (+ headers) to :class:`agent.domain.models.Item`s.

``parse_response(spec, response)`` picks the adapter for the source's kind and format; the
individual parsers take the body and an :class:`AdapterContext` and can be called directly.
Every failure is a :class:`ParseError` (a :class:`agent.domain.errors.SourceError`) whose message says
what the source answered and what to change.
"""

from __future__ import annotations

import dataclasses

from agent.domain.models import Item, SourceKind
from agent.domain.sources import SourceSpec
from tools.adapters._context import AdapterContext
from tools.adapters._errors import ParseError
from tools.adapters._pool import PageExtractor
from tools.adapters.arxiv import arxiv_id, parse_arxiv
from tools.adapters.feed import parse_feed, parse_json_feed
from tools.adapters.leaderboard import AA_METRIC, AA_NAME, parse_artificial_analysis, parse_html_table
from tools.adapters.page import extract_page, parse_page
from tools.adapters.trending import parse_trending
from tools.fetching import FetchResponse

__all__ = [
    "AdapterContext",
    "PageExtractor",
    "ParseError",
    "arxiv_id",
    "extract_page",
    "parse_artificial_analysis",
    "parse_arxiv",
    "parse_feed",
    "parse_html_table",
    "parse_json_feed",
    "parse_page",
    "parse_response",
    "parse_source",
    "parse_trending",
]


def _dispatch(spec: SourceSpec, body: bytes, context: AdapterContext) -> list[Item]:
    if spec.kind is SourceKind.FEED:
        return parse_feed(body, context)
    if spec.kind is SourceKind.ARXIV:
        return parse_arxiv(body, context)
    if spec.kind is SourceKind.GITHUB_TRENDING:
        return parse_trending(body, context)
    if spec.kind is SourceKind.PAGE:
        return parse_page(body, context)
    if spec.format == "artificial_analysis":
        return parse_artificial_analysis(
            body,
            context,
            name=spec.leaderboard_name or AA_NAME,
            metric=spec.metric or AA_METRIC,
            description=spec.description,
        )
    if spec.format == "html_table" and spec.columns is not None:
        return parse_html_table(
            body,
            context,
            columns=spec.columns,
            table_index=spec.table_index,
            name=spec.leaderboard_name or spec.name,
            metric=spec.metric or spec.columns.score,
            description=spec.description,
        )
    raise ParseError(
        f"source {spec.name!r}: no adapter for kind {spec.kind.value!r} with format {spec.format!r}",
        url=context.url,
        source=spec.name,
    )


def parse_response(spec: SourceSpec, response: FetchResponse) -> list[Item]:
    """The items ``response`` holds for ``spec``, at most ``spec.max_items`` (see :func:`parse_source`)."""
    return parse_source(spec, response)[0]


# Kinds whose max_items caps the items a source yields; a leaderboard's caps the rows of its one item.
_CAPPED_KINDS = frozenset({SourceKind.FEED, SourceKind.ARXIV, SourceKind.GITHUB_TRENDING, SourceKind.PAGE})


def parse_source(spec: SourceSpec, response: FetchResponse) -> tuple[list[Item], int]:
    """The items ``response`` holds for ``spec``, at most ``spec.max_items`` (newest first for feeds),
    and how many more it held past that cap.

    Raises :class:`ParseError` for anything that is not what the kind expects, including an error
    status handed through by the fetcher (the arXiv API's 400 answers explain themselves and are
    parsed for their message).
    """
    context = AdapterContext.for_response(spec, response)
    if spec.kind in _CAPPED_KINDS:
        # Parse every entry and cap here, so the entries past the cap are counted, not silently gone.
        context = dataclasses.replace(context, max_items=None)
    if response.status >= 400 and spec.kind is not SourceKind.ARXIV:
        raise ParseError(
            f"{context.url} answered HTTP {response.status}; there is nothing to parse",
            url=context.url,
            source=spec.name,
        )
    if not response.body.strip():
        raise ParseError(
            f"{context.url} answered an empty body (HTTP {response.status})",
            url=context.url,
            source=spec.name,
        )
    try:
        items = _dispatch(spec, response.body, context)
    except ParseError:
        raise
    # The boundary of the source: a parser bug on odd input fails this source, never the run.
    except Exception as exc:
        raise ParseError(
            f"the {spec.kind.value} adapter failed on {context.url}: {type(exc).__name__}: {exc}",
            url=context.url,
            source=spec.name,
        ) from exc
    kept = items[: spec.max_items]
    if spec.title:
        kept = [i.model_copy(update={"source_title": spec.title}) for i in kept]
    return kept, len(items) - len(kept)
