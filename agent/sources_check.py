"""``inference-report sources check``: fetch each enabled source once, parse it, report what came back.

The checks run concurrently; the fetcher's own bounds (global, per host, politeness) pace them.
A source that fails is a row with its reason, never an exception out of :func:`check_sources`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from rich.table import Table

from agent.domain.errors import SourceError
from agent.domain.models import Item
from agent.domain.sources import SourcesFile, SourceSpec
from tools.fetching import Fetcher, FetchError, FetchResponse

__all__ = [
    "SourceCheck",
    "check_source",
    "check_sources",
    "checks_as_json",
    "checks_to_json",
    "render_checks_table",
]

Parse = Callable[[SourceSpec, FetchResponse], list[Item]]


class SourceCheck(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: str
    url: str
    status: Literal["ok", "failed"]
    items: int = 0
    seconds: float
    reason: str | None = None
    http_status: int | None = None
    # The source answered 304 and its stored copy was parsed.
    not_modified: bool = False


def _default_parse(spec: SourceSpec, response: FetchResponse) -> list[Item]:
    from tools.adapters import parse_response

    return parse_response(spec, response)


async def check_source(
    spec: SourceSpec,
    fetcher: Fetcher,
    *,
    secrets: Mapping[str, str] | None = None,
    parse: Parse | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SourceCheck:
    """Fetch and parse one source; every failure becomes a ``failed`` check with its reason."""
    from agent.nodes.gather import source_request

    started = clock()
    request = source_request(spec, dict(secrets or {}))

    def result(
        status: Literal["ok", "failed"],
        *,
        items: int = 0,
        reason: str | None = None,
        http_status: int | None = None,
        not_modified: bool = False,
    ) -> SourceCheck:
        return SourceCheck(
            name=spec.name,
            kind=spec.kind.value,
            url=str(spec.url),
            status=status,
            items=items,
            seconds=round(clock() - started, 3),
            reason=None if reason is None else request.redact(reason),
            http_status=http_status,
            not_modified=not_modified,
        )

    try:
        response = await fetcher.fetch(request)
    except FetchError as exc:
        return result("failed", reason=str(exc), http_status=exc.status)
    # A fetcher bug must not sink the other checks: report it as this source's failure.
    except Exception as exc:
        return result("failed", reason=f"unexpected fetch error: {type(exc).__name__}: {exc}")
    try:
        items = (parse or _default_parse)(spec, response)
    except Exception as exc:  # ParseError carries its own reason; anything else is named
        reason = (
            str(exc)
            if isinstance(exc, SourceError)
            else f"unexpected parse error: {type(exc).__name__}: {exc}"
        )
        return result(
            "failed", reason=reason, http_status=response.status, not_modified=response.not_modified
        )
    return result(
        "ok",
        items=len(items),
        reason=None if items else "answered, but held no items",
        http_status=response.status,
        not_modified=response.not_modified,
    )


async def check_sources(
    sources: SourcesFile,
    fetcher: Fetcher,
    *,
    secrets: Mapping[str, str] | None = None,
    parse: Parse | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> list[SourceCheck]:
    """One check per enabled source, in file order.

    ``secrets`` maps environment-variable names to values for sources with ``api_key_env`` (the
    caller reads them from settings or the environment); ``parse`` defaults to
    ``tools.adapters.parse_response``.
    """
    return list(
        await asyncio.gather(
            *(
                check_source(spec, fetcher, secrets=secrets, parse=parse, clock=clock)
                for spec in sources.enabled()
            )
        )
    )


def render_checks_table(checks: list[SourceCheck]) -> Table:
    failed = sum(1 for c in checks if c.status == "failed")
    table = Table(title=f"Sources check: {len(checks) - failed} ok, {failed} failed", title_justify="left")
    table.add_column("source")
    table.add_column("kind")
    table.add_column("status")
    table.add_column("items", justify="right")
    table.add_column("time", justify="right")
    table.add_column("reason", overflow="fold")
    for check in checks:
        status = "[green]ok[/green]" if check.status == "ok" else "[red]failed[/red]"
        if check.not_modified:
            status += " (304)"
        table.add_row(
            check.name, check.kind, status, str(check.items), f"{check.seconds:.2f} s", check.reason or ""
        )
    return table


def checks_as_json(checks: list[SourceCheck]) -> dict[str, Any]:
    """The machine form: ``{"ok": n, "failed": n, "sources": [{name, kind, url, status, ...}]}``."""
    failed = sum(1 for c in checks if c.status == "failed")
    return {
        "ok": len(checks) - failed,
        "failed": failed,
        "sources": [c.model_dump(mode="json") for c in checks],
    }


def checks_to_json(checks: list[SourceCheck]) -> str:
    return json.dumps(checks_as_json(checks), indent=2, ensure_ascii=False)
