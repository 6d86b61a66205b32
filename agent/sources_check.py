"""``inference-report sources check``: fetch each enabled source once, parse it, report what came back.

The checks run concurrently; the fetcher's own bounds (global, per host, politeness) pace them.
A source that fails is a row with its reason, never an exception out of :func:`check_sources`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from rich.markup import escape
from rich.table import Table

from agent.domain.errors import SourceError
from agent.domain.models import Item
from agent.domain.sources import SourcesFile, SourceSpec
from agent.selection import dated, in_window, window_bounds
from agent.source_request import key_hint, source_request
from tools.adapters import parse_response
from tools.fetching import Fetcher, FetchError, FetchResponse

__all__ = [
    "SourceCheck",
    "Window",
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
    # Of ``items``: how many fall in the edition's window (an undated item counts from its fetch, as
    # a draft counts it from first seen), and how many print a date nobody can read.
    in_window: int | None = None
    unreadable_dates: int = 0


def _default_parse(spec: SourceSpec, response: FetchResponse) -> list[Item]:
    return parse_response(spec, response)


@dataclass(frozen=True, slots=True)
class Window:
    """The edition's window a check counts items against: ``days`` whole days ending ``edition_date``."""

    edition_date: date
    days: int = 7


def _window_counts(items: list[Item], window: Window | None) -> tuple[int | None, int, str | None]:
    """(items in the window, unreadable dates, a note for the reason column or None)."""
    unreadable = [str(i.extra["unreadable_date"]) for i in items if i.extra.get("unreadable_date")]
    notes: list[str] = []
    if unreadable:
        notes.append(f"{len(unreadable)} printed dates could not be read (e.g. {unreadable[0]!r})")
    if window is None:
        return None, len(unreadable), "; ".join(notes) or None
    seen = [i if dated(i) else i.model_copy(update={"first_seen": i.fetched_at}) for i in items]
    inside = sum(1 for i in seen if in_window(i, window.edition_date, window.days))
    if items and not inside:
        start, _ = window_bounds(window.edition_date, window.days)
        newest = max((d for i in seen if (d := dated(i)) is not None), default=None)
        when = f"the newest is from {newest.date().isoformat()}" if newest else "none is dated"
        notes.insert(
            0,
            f"none of its {len(items)} items is in the window {start.date().isoformat()} to "
            f"{window.edition_date.isoformat()} ({when})",
        )
    return inside, len(unreadable), "; ".join(notes) or None


async def check_source(
    spec: SourceSpec,
    fetcher: Fetcher,
    *,
    secrets: Mapping[str, str] | None = None,
    parse: Parse | None = None,
    clock: Callable[[], float] = time.perf_counter,
    window: Window | None = None,
) -> SourceCheck:
    """Fetch and parse one source; every failure becomes a ``failed`` check with its reason."""
    started = clock()
    keys = dict(secrets or {})
    request = source_request(spec, keys)

    def result(
        status: Literal["ok", "failed"],
        *,
        items: int = 0,
        reason: str | None = None,
        http_status: int | None = None,
        not_modified: bool = False,
        in_window: int | None = None,
        unreadable_dates: int = 0,
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
            in_window=in_window,
            unreadable_dates=unreadable_dates,
        )

    try:
        response = await fetcher.fetch(request)
    except FetchError as exc:
        reason = str(exc) + key_hint(spec, keys, exc.status)
        return result("failed", reason=reason, http_status=exc.status)
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
    inside, unreadable, note = _window_counts(items, window)
    return result(
        "ok",
        items=len(items),
        reason=note if items else "answered, but held no items",
        http_status=response.status,
        not_modified=response.not_modified,
        in_window=inside,
        unreadable_dates=unreadable,
    )


async def check_sources(
    sources: SourcesFile,
    fetcher: Fetcher,
    *,
    secrets: Mapping[str, str] | None = None,
    parse: Parse | None = None,
    clock: Callable[[], float] = time.perf_counter,
    window: Window | None = None,
) -> list[SourceCheck]:
    """One check per enabled source, in file order.

    ``secrets`` maps environment-variable names to values for sources with ``api_key_env`` (the
    caller reads them from settings or the environment); ``parse`` defaults to
    ``tools.adapters.parse_response``; with ``window``, each check counts the items in it.
    """
    return list(
        await asyncio.gather(
            *(
                check_source(spec, fetcher, secrets=secrets, parse=parse, clock=clock, window=window)
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
    table.add_column("in window", justify="right")
    table.add_column("time", justify="right")
    table.add_column("reason", overflow="fold")
    for check in checks:
        status = "[green]ok[/green]" if check.status == "ok" else "[red]failed[/red]"
        if check.not_modified:
            status += " (304)"
        inside = "" if check.in_window is None else str(check.in_window)
        if check.in_window == 0 and check.items:
            inside = f"[yellow]{inside}[/yellow]"
        table.add_row(
            check.name,
            check.kind,
            status,
            str(check.items),
            inside,
            f"{check.seconds:.2f} s",
            escape(check.reason or ""),
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
