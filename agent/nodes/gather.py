"""gather: one branch per source (``Send``). Fetches the source and parses it into items, once; for
feeds with ``follow_links`` it fetches the pages their entries link to, and each page's text is
extracted (by the run's extractor, a process pool) as soon as it arrives, while the other pages are
still on the wire. Every response also goes to the run's WARC archive (through the recording
fetcher): the items are made from exactly the bytes that are preserved. The state keeps plain data
only: what was fetched and the items as JSON. A failing source is recorded, never raised.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Send

from agent.deps import Deps, Extractor
from agent.domain.errors import SourceError
from agent.domain.models import Item, SourceKind
from agent.domain.sources import SourceSpec
from agent.source_request import key_hint, source_request
from agent.state import DraftState, FetchedResponse, FetchedSource, GatherInput
from tools.adapters import AdapterContext, PageExtractor, parse_source
from tools.fetching import FetchError, FetchRequest, FetchResponse
from tools.fetching.guard import url_host

__all__ = ["fan_out_sources", "gather_source"]


def fan_out_sources(state: DraftState) -> list[Send]:
    """The conditional edge from START: one gather branch per enabled source."""
    return [
        Send("gather", GatherInput(source=source, options=state["options"])) for source in state["sources"]
    ]


def _record(response: FetchResponse, role: str) -> FetchedResponse:
    return FetchedResponse(
        url=response.url,
        final_url=response.final_url,
        status=response.status,
        role=role,
        not_modified=response.not_modified,
    )


def _extractor(deps: Deps) -> Extractor:
    return deps.extractor if deps.extractor is not None else PageExtractor(workers=0)


# (the entry's URL, or None for the source's own page; the page's final URL; its extraction)
_Extraction = tuple[str | None, str, "asyncio.Future[Item]"]


def _extract_later(deps: Deps, body: bytes, ctx: AdapterContext, **options: Any) -> asyncio.Future[Item]:
    """The page's extraction, started now and awaited after the source's deadline scope: what
    arrived in time is extracted even when the deadline falls while it is in the pool."""
    return asyncio.ensure_future(_extractor(deps).extract(body, ctx, **options))


def _enriched(entry: Item, article: Item, page_url: str) -> Item:
    """The feed entry with its page's text; the page's title, date and authors fill only what the
    entry lacks. The linked page's text can be quoted: a link post is title-only no more."""
    return entry.model_copy(
        update={
            "text": article.text,
            "content_hash": article.content_hash,
            "fetched_at": article.fetched_at,
            "title": entry.title or article.title,
            "published": entry.published or article.published,
            "authors": entry.authors or article.authors,
            "extra": {
                **{k: v for k, v in entry.extra.items() if k != "title_only"},
                "feed_summary": entry.text,
                "page_url": page_url,
            },
        }
    )


async def _linked_pages(
    spec: SourceSpec,
    entries: list[Item],
    deps: Deps,
    into: list[FetchedResponse],
    extractions: list[_Extraction],
) -> None:
    """Fetch the article pages the entries link to, adding each response to ``into`` and starting its
    extraction as it arrives (a deadline then keeps the pages already fetched). A page that fails to
    fetch or extract only loses that page's full text."""
    first = {e.url: e for e in reversed(entries) if e.url.startswith(("http://", "https://"))}

    async def page_for(url: str) -> None:
        if deps.pages_in_hand is None:
            await fetch_and_extract(url)
            return
        async with deps.pages_in_hand:  # a replayed run: every page would be "fetched" at once
            task = await fetch_and_extract(url)
            if task is not None:
                await asyncio.wait([task])

    async def fetch_and_extract(url: str) -> asyncio.Future[Item] | None:
        entry = first[url]
        request = FetchRequest(
            url=url, allow_private=spec.allow_private, private_host=url_host(str(spec.url)), source=spec.name
        )
        try:
            page = await deps.fetcher.fetch(request)
        except FetchError as exc:
            deps.progress("gather", f"{spec.name}: linked page {url} failed: {exc}")
            return None
        deps.count("fetches")
        into.append(_record(page, "linked"))
        # An entry with title, date and authors needs none of trafilatura's metadata pass (half its time).
        knows_metadata = bool(entry.title and entry.published and entry.authors)
        ctx = AdapterContext.for_response(spec, page)
        task = _extract_later(deps, page.body, ctx, with_metadata=not knows_metadata, known_title=entry.title)
        extractions.append((url, page.final_url, task))
        return task

    await asyncio.gather(*(page_for(u) for u in dict.fromkeys(e.url for e in entries if e.url in first)))


def _deadline(deps: Deps) -> tuple[float, str]:
    """When this source must be done (event-loop time), and what sets it: its own or the run's deadline."""
    settings = deps.settings
    own = asyncio.get_running_loop().time() + settings.source_deadline_seconds
    if deps.fetch_deadline is not None and deps.fetch_deadline < own:
        return (
            deps.fetch_deadline,
            f"the run's {settings.run_deadline_seconds:g} s deadline (run_deadline_seconds)",
        )
    return own, f"its {settings.source_deadline_seconds:g} s deadline (source_deadline_seconds)"


def _kept(responses: list[FetchedResponse]) -> str:
    linked = sum(1 for r in responses if r["role"] == "linked")
    if not responses:
        return "nothing had been fetched"
    return "kept the source's answer" + (
        f" and {linked} linked page{'s' if linked != 1 else ''}" if linked else ""
    )


async def gather_source(state: GatherInput, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    spec = SourceSpec.model_validate(state["source"])
    started = time.perf_counter()
    responses: list[FetchedResponse] = []
    items: list[Item] = []
    extractions: list[_Extraction] = []
    articles: dict[str, tuple[str, Item]] = {}
    error: str | None = None
    parse_error: str | None = None
    beyond = 0
    keys = deps.settings.source_keys([spec])
    request = source_request(spec, keys)
    limit, limit_name = _deadline(deps)
    scope = asyncio.timeout_at(limit)
    try:
        async with scope:
            response = await deps.fetcher.fetch(request)
            deps.count("fetches")
            responses.append(_record(response, "source"))
            if spec.kind is SourceKind.PAGE and response.status < 400 and response.body.strip():
                ctx = AdapterContext.for_response(spec, response)
                extractions.append((None, response.final_url, _extract_later(deps, response.body, ctx)))
            else:
                try:
                    items, beyond = parse_source(spec, response)  # parsed here, and only here
                except SourceError as exc:
                    parse_error = str(exc)
                except Exception as exc:  # a parser surprise loses this source only
                    parse_error = f"{type(exc).__name__}: {exc}"
            if spec.kind is SourceKind.FEED and spec.follow_links and items:
                await _linked_pages(spec, items, deps, responses, extractions)
    except FetchError as exc:
        error = str(exc) + key_hint(spec, keys, exc.status)
    except TimeoutError as exc:
        if not scope.expired():
            error = f"{type(exc).__name__}: {exc}"
        else:  # a slow source must not hold the draft: what arrived in time is kept for extract
            error = f"stopped at {limit_name}; {_kept(responses)}"
    except Exception as exc:  # one source's surprise must not sink the run: record it with its type
        error = f"{type(exc).__name__}: {exc}"
    for url, final_url, task in extractions:
        try:
            article = await task
        except Exception as exc:  # a page the extractor rejects only loses its own text
            why = str(exc) if isinstance(exc, SourceError) else f"{type(exc).__name__}: {exc}"
            if url is None:
                parse_error = why
            else:
                deps.progress("gather", f"{spec.name}: linked page {url} not extracted: {why}")
            continue
        if url is None:
            items = [article]
        else:
            articles[url] = (final_url, article)
    # A server may echo the key in its error: never in the report or the log.
    error = request.redact(error) if error is not None else None
    parse_error = request.redact(parse_error) if parse_error is not None else None
    items = [_enriched(i, articles[i.url][1], articles[i.url][0]) if i.url in articles else i for i in items]
    seconds = round(time.perf_counter() - started, 3)
    deps.progress(
        "gather", f"{spec.name}: " + (f"failed ({error})" if error else f"{len(responses)} fetched")
    )
    fetched = FetchedSource(
        source=spec.name,
        ok=error is None,
        error=error,
        responses=_in_order(responses),
        seconds=seconds,
        items=[i.model_dump(mode="json") for i in items],
        parse_error=parse_error,
        beyond_max_items=beyond,
    )
    return {"fetched": [fetched]}


def _in_order(responses: list[FetchedResponse]) -> list[FetchedResponse]:
    """The source's answer first, then linked pages by URL: the checkpoint does not depend on which page
    came back first."""
    return sorted(responses, key=lambda r: (r["role"] != "source", r["url"]))
