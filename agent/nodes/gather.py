"""gather: one branch per source (``Send``). Fetches the source, and for feeds with ``follow_links``
the pages their entries link to. Bodies go to the run's WARC archive (through the recording fetcher);
the state keeps only what extract needs to find them there. A failing source is recorded, never raised.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Send

from agent.deps import Deps
from agent.models import SourceKind
from agent.sources import SourceSpec
from agent.state import DraftState, FetchedResponse, FetchedSource, GatherInput
from tools.fetching import FetchError, FetchRequest, FetchResponse
from tools.fetching.guard import url_host

__all__ = ["fan_out_sources", "gather_source", "source_request"]

# arXiv explains a malformed query in the Atom body of a 400 answer; the adapter turns it into a clear error.
_ARXIV_ERROR_STATUSES = frozenset({400})


def fan_out_sources(state: DraftState) -> list[Send]:
    """The conditional edge from START: one gather branch per enabled source."""
    return [
        Send("gather", GatherInput(source=source, options=state["options"])) for source in state["sources"]
    ]


def source_request(spec: SourceSpec, secrets: dict[str, str]) -> FetchRequest:
    headers: dict[str, str] = {}
    if spec.api_key_env and secrets.get(spec.api_key_env):
        headers[spec.api_key_header] = secrets[spec.api_key_env]
    return FetchRequest(
        url=str(spec.url),
        headers=headers,
        secret_headers=frozenset({spec.api_key_header}),
        allow_private=spec.allow_private,
        source=spec.name,
        accept_statuses=_ARXIV_ERROR_STATUSES if spec.kind is SourceKind.ARXIV else frozenset(),
    )


def _record(response: FetchResponse, role: str) -> FetchedResponse:
    return FetchedResponse(
        url=response.url,
        final_url=response.final_url,
        status=response.status,
        role=role,
        not_modified=response.not_modified,
    )


async def _linked_pages(spec: SourceSpec, feed: FetchResponse, deps: Deps) -> list[FetchedResponse]:
    """Fetch the article pages a feed links to. A page that fails only loses that page's full text."""
    from tools.adapters import parse_response

    try:
        entries = parse_response(spec, feed)
    except Exception:  # the feed itself is broken: extract reports that, with its reason
        return []
    urls = list(dict.fromkeys(e.url for e in entries if e.url.startswith(("http://", "https://"))))

    async def fetch_page(url: str) -> FetchedResponse | None:
        request = FetchRequest(
            url=url, allow_private=spec.allow_private, private_host=url_host(str(spec.url)), source=spec.name
        )
        try:
            response = await deps.fetcher.fetch(request)
        except FetchError as exc:
            deps.progress("gather", f"{spec.name}: linked page {url} failed: {exc}")
            return None
        deps.count("fetches")
        return _record(response, "linked")

    pages = await asyncio.gather(*(fetch_page(u) for u in urls[: spec.max_items]))
    return [p for p in pages if p is not None]


async def gather_source(state: GatherInput, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    spec = SourceSpec.model_validate(state["source"])
    started = time.perf_counter()
    responses: list[FetchedResponse] = []
    error: str | None = None
    request = source_request(spec, deps.settings.source_secrets)
    try:
        response = await deps.fetcher.fetch(request)
        deps.count("fetches")
        responses.append(_record(response, "source"))
        if spec.kind is SourceKind.FEED and spec.follow_links:
            responses.extend(await _linked_pages(spec, response, deps))
    except FetchError as exc:
        error = str(exc)
    except Exception as exc:  # one source's surprise must not sink the run: record it with its type
        error = f"{type(exc).__name__}: {exc}"
    if error is not None:  # a server may echo the key in its error: never in the report or the log
        error = request.redact(error)
    seconds = round(time.perf_counter() - started, 3)
    deps.progress(
        "gather", f"{spec.name}: " + (f"failed ({error})" if error else f"{len(responses)} fetched")
    )
    fetched = FetchedSource(
        source=spec.name, ok=error is None, error=error, responses=responses, seconds=seconds
    )
    return {"fetched": [fetched]}
