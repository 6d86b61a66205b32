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
from agent.domain.models import SourceKind
from agent.domain.sources import SourceSpec
from agent.source_request import source_request
from agent.state import DraftState, FetchedResponse, FetchedSource, GatherInput
from tools.adapters import parse_response
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


async def _linked_pages(
    spec: SourceSpec, feed: FetchResponse, deps: Deps, into: list[FetchedResponse]
) -> None:
    """Fetch the article pages a feed links to, adding each to ``into`` as it arrives (a deadline then
    keeps the pages already fetched). A page that fails only loses that page's full text."""
    try:
        entries = parse_response(spec, feed)
    except Exception:  # the feed itself is broken: extract reports that, with its reason
        return
    urls = list(dict.fromkeys(e.url for e in entries if e.url.startswith(("http://", "https://"))))

    async def fetch_page(url: str) -> None:
        request = FetchRequest(
            url=url, allow_private=spec.allow_private, private_host=url_host(str(spec.url)), source=spec.name
        )
        try:
            response = await deps.fetcher.fetch(request)
        except FetchError as exc:
            deps.progress("gather", f"{spec.name}: linked page {url} failed: {exc}")
            return
        deps.count("fetches")
        into.append(_record(response, "linked"))

    await asyncio.gather(*(fetch_page(u) for u in urls[: spec.max_items]))


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
    error: str | None = None
    request = source_request(spec, deps.settings.source_keys([spec]))
    limit, limit_name = _deadline(deps)
    scope = asyncio.timeout_at(limit)
    try:
        async with scope:
            response = await deps.fetcher.fetch(request)
            deps.count("fetches")
            responses.append(_record(response, "source"))
            if spec.kind is SourceKind.FEED and spec.follow_links:
                await _linked_pages(spec, response, deps, responses)
    except FetchError as exc:
        error = str(exc)
    except TimeoutError as exc:
        if not scope.expired():
            error = f"{type(exc).__name__}: {exc}"
        else:  # a slow source must not hold the draft: what arrived in time is kept for extract
            error = f"stopped at {limit_name}; {_kept(responses)}"
    except Exception as exc:  # one source's surprise must not sink the run: record it with its type
        error = f"{type(exc).__name__}: {exc}"
    if error is not None:  # a server may echo the key in its error: never in the report or the log
        error = request.redact(error)
    seconds = round(time.perf_counter() - started, 3)
    deps.progress(
        "gather", f"{spec.name}: " + (f"failed ({error})" if error else f"{len(responses)} fetched")
    )
    fetched = FetchedSource(
        source=spec.name, ok=error is None, error=error, responses=_in_order(responses), seconds=seconds
    )
    return {"fetched": [fetched]}


def _in_order(responses: list[FetchedResponse]) -> list[FetchedResponse]:
    """The source's answer first, then linked pages by URL: the checkpoint does not depend on which page
    came back first."""
    return sorted(responses, key=lambda r: (r["role"] != "source", r["url"]))
