"""The graph's state: plain JSON-able data only, so checkpoints need no custom serialisers.

Nodes convert to and from the pydantic models of :mod:`agent.domain.models` at their edges.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, NotRequired, TypedDict

from agent.domain.models import JudgeScope

__all__ = ["DraftState", "FetchedSource", "GatherInput", "RunOptions", "SourceReport", "WindowSummary"]


class RunOptions(TypedDict):
    run_id: str
    edition_date: str  # ISO date; the window ends there
    window_days: int
    sources_path: str
    replay: list[str]  # archives a replayed run reads; empty for live fetching
    writer: str
    out_dir: str | None
    focus: list[str]
    max_cost_usd: float | None
    batch: bool
    judge: str | None  # "claude": a model judges what the deterministic checks cannot decide
    # "passed": the judge also reads the claims the checks pass. Absent in runs drafted before it existed.
    judge_scope: NotRequired[JudgeScope]
    # Taken from the settings at draft time and kept by the run: whichever process resumes it writes with
    # the same model and byline and publishes (or not) as drafted. Absent in runs drafted before.
    model: NotRequired[str]
    byline: NotRequired[str]
    auto_publish: NotRequired[bool]


class FetchedResponse(TypedDict):
    url: str
    final_url: str
    status: int
    role: str  # "source" (the configured URL) or "linked" (a page a feed links to)
    not_modified: bool  # a conditional GET answered 304 and the stored copy was reused


class FetchedSource(TypedDict):
    source: str
    ok: bool
    error: str | None
    responses: list[FetchedResponse]
    seconds: float
    # The source's Items (JSON), parsed as the responses arrived; extract moves them to the state's
    # "items" and leaves this empty.
    items: list[dict[str, Any]]
    parse_error: str | None  # fetched, but the answer could not be parsed
    beyond_max_items: int  # entries the answer held past the source's max_items


class SourceReport(TypedDict):
    name: str
    kind: str
    section: str
    status: str  # "ok" | "failed"
    items: int
    beyond_max_items: int  # entries the source held past its max_items (the newest were kept)
    error: str | None


class WindowSummary(TypedDict):
    days: int
    start: str  # ISO date, the window's first day
    end: str  # ISO date, the edition date
    dated_in_window: int
    dated_outside: int
    all_outside: bool  # every dated item is outside the window: review warns, auto-publish refuses


class GatherInput(TypedDict):
    source: dict[str, Any]  # a SourceSpec dump
    options: RunOptions


class DraftState(TypedDict, total=False):
    options: RunOptions
    sources: list[dict[str, Any]]  # the enabled SourceSpec dumps
    # One entry per gather branch; branches append concurrently.
    fetched: Annotated[list[FetchedSource], operator.add]
    items: list[dict[str, Any]]  # every extracted Item
    source_reports: list[SourceReport]
    selected: dict[str, list[str]]  # section -> item ids, best first
    dropped: list[
        dict[str, Any]
    ]  # agent.domain.models.DroppedItem: every extracted item not selected, and why
    window: WindowSummary
    unreadable_dates: list[dict[str, str]]  # {item_id, source, printed}: dates no parser could read
    moves: list[dict[str, Any]]
    theme: str | None  # the week's theme, when a model named it
    draft: dict[str, Any]  # agent.domain.models.Draft
    failures: list[dict[str, str]]  # writer failures: {block, error}
    skipped: list[str]  # blocks not written because the budget ran out
    writer_problems: list[dict[str, str]]  # non-fatal: {block, problem}
    prompts: list[dict[str, Any]]
    revise_round: int
    revision_notes: dict[str, list[dict[str, Any]]]  # block -> notes for the writer
    reviewer_comment: str | None
    outputs: dict[str, str]  # name -> path
    review: dict[str, Any]  # the reviewer's decision
    published: dict[str, Any]
