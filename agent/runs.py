"""The Python API the CLI mirrors: start a draft, resume one, continue one with a state update.

Each run is a LangGraph thread (``run_id``) checkpointed in the data directory's SQLite file, so a
run killed at any point continues with :func:`resume_draft`, in this process or another.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from agent.deps import Checker, Clock, Deps, ProgressFn, ignore_progress, utc_now
from agent.domain.errors import ConfigError, ReportError, RunNotFound
from agent.domain.models import JudgeScope, PromptRef, Usage
from agent.domain.sources import SourcesFile, SourceSpec, load_sources
from agent.llm import Billing, CostMeter, require_credentials
from agent.release import publish_approved
from agent.sample_history import seed_previous_week
from agent.settings import Settings
from agent.state import DraftState, RunOptions
from agent.store import LockHolder, Store, StoreError, database_problem
from agent.writers.base import SelectionHelper, Writer
from agent.writers.claude import make_claude_writer
from agent.writers.extractive import ExtractiveWriter
from tools.fetching import Fetcher
from tools.fetching.policy import HostPoliteness
from tools.sample import PREVIOUS_WEEK_ARCHIVE, SAMPLE_ARCHIVE, SAMPLE_DATE, SAMPLE_SOURCES

if TYPE_CHECKING:
    from evals.judge import UsageRecorder

__all__ = [
    "DraftOptions",
    "EditionAlreadyDrafted",
    "Factories",
    "RunOutcome",
    "check_can_write",
    "check_new_edition",
    "continue_run",
    "default_sources_path",
    "evidence_archive",
    "host_politeness",
    "read_snapshot",
    "resume_draft",
    "run_lock",
    "run_settings",
    "run_state",
    "start_draft",
]

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent / "sources.toml"


def default_sources_path() -> Path:
    return DEFAULT_SOURCES


def evidence_archive(settings: Settings, run_id: str) -> Path:
    """The run's WARC archive: every response and failure it met (the review page serves copies)."""
    return settings.runs_dir / run_id / "evidence.warc.gz"


@dataclass(frozen=True)
class DraftOptions:
    edition_date: date | None = None
    sources_path: Path | None = None
    replay: Sequence[Path] = ()
    writer: str | None = None  # None: settings decide (claude with a key, else extractive)
    out_dir: Path | None = None
    sample: bool = False
    max_cost_usd: float | None = None
    batch: bool = False
    judge: str | None = None  # "claude" sends undecidable claims to a Claude judge
    judge_scope: str | None = None  # "passed": the judge also reads the claims the checks pass
    run_id: str | None = None
    window_days: int | None = None  # None: settings decide (7 by default)
    # Draft a second run for an edition date that already has one (a weekly timer must not pile up runs).
    force: bool = False


class EditionAlreadyDrafted(ReportError):
    """The edition date already has a run; ``force`` drafts another anyway."""


def _next_step_for(run_id: str, status: str, report: Mapping[str, Any] | None) -> str:
    if status == "failed":
        # `review` shows only a run that has a draft; a failed run's reason is in its report.
        failure = (report or {}).get("failure")
        why = f"it stopped: {failure}; " if failure else ""
        return f"{why}inference-report draft --resume {run_id} tries it again"
    if status == "running":
        return f"inference-report draft --resume {run_id} continues it if it was stopped"
    if status == "published":
        return f'inference-report review {run_id} --correct --comment "what to correct"'
    return f"inference-report review {run_id}"


def check_new_edition(store: Store, edition_date: date, *, sample: bool = False) -> None:
    """Refuse a second run for ``edition_date``, naming the runs it has and what to do with them.

    ``sample``: the refused command drafted the bundled sample, so the one suggested does too."""
    existing = [r for r in store.list_runs() if r.edition_date == edition_date]
    if not existing:
        return
    listed = "; ".join(
        f"{r.run_id} ({r.status.value.replace('_', ' ')}, drafted {r.created_at:%Y-%m-%d %H:%M} UTC): "
        f"{_next_step_for(r.run_id, r.status.value, r.report)}"
        for r in existing
    )
    again = "--sample" if sample else f"--date {edition_date.isoformat()}"
    # publish refuses a second run for a published date, so --force there only drafts a preview.
    published = any(r.status.value == "published" for r in existing)
    why = " (it cannot be published: the date is published; a correction changes it)" if published else ""
    raise EditionAlreadyDrafted(
        f"the edition of {edition_date.isoformat()} already has a run: {listed}. To draft another run "
        f"for the same date anyway{why}: inference-report draft {again} --force"
    )


@dataclass
class RunOutcome:
    run_id: str
    status: str  # awaiting_review, approved, rejected, published, ...
    # run-report.json as the store holds it (``this_process`` counts this process's fetches and calls).
    report: dict[str, Any] = field(default_factory=dict)
    # What the publish node returned, when this call ran it (an approval with auto_publish).
    published: dict[str, Any] | None = None

    @property
    def outputs(self) -> dict[str, str]:
        """Where the draft's files are: name -> path."""
        return dict(self.report.get("outputs", {}))


# Factories a caller can replace (tests inject fakes; the CLI uses the defaults).
@dataclass(frozen=True)
class Factories:
    fetcher: Callable[[Settings, Sequence[Path], Store], Fetcher] | None = None
    writer: Callable[[Settings, RunOptions, CostMeter], Writer] | None = None
    checker: Checker | None = None
    clock: Clock = utc_now


def host_politeness(sources: Iterable[SourceSpec]) -> dict[str, HostPoliteness]:
    """Host name -> the gap and concurrency the sources on it ask for; the most careful wins a host
    that several sources share."""
    by_host: dict[str, HostPoliteness] = {}
    for spec in sources:
        if spec.per_host_delay is None and spec.per_host_concurrency is None:
            continue
        host = (spec.url.host or "").lower()
        asked = HostPoliteness(
            per_host_delay=spec.per_host_delay, per_host_concurrency=spec.per_host_concurrency
        )
        by_host[host] = by_host[host].stricter(asked) if host in by_host else asked
    return by_host


def _base_fetcher(
    settings: Settings,
    replay: Sequence[Path],
    store: Store,
    *,
    per_host: Mapping[str, HostPoliteness] | None = None,
) -> Fetcher:
    # Imported here, not at the top: the review page and `review` import this module, and warcio
    # (about 0.2 s) or the live fetcher's HTTP stack (about 0.3 s) serve only a run that fetches.
    if replay:
        from tools.archive import ReplayFetcher

        return ReplayFetcher(list(replay))
    from tools.fetching.live import LiveFetcher, policy_from_settings

    return LiveFetcher(policy_from_settings(settings, per_host=per_host), cache=store)


def make_writer(
    settings: Settings, options: RunOptions, meter: CostMeter, *, batches: _RunBatches | None = None
) -> Writer:
    """The run's writer; ``batches`` keeps the Message Batches a ``--batch`` run submits (see
    :class:`_RunBatches`)."""
    if options["writer"] == "claude":
        return make_claude_writer(
            settings,
            max_cost_usd=options["max_cost_usd"],
            batch=options["batch"],
            meter=meter,
            batches=batches,
        )
    return ExtractiveWriter()


@dataclass(frozen=True, slots=True)
class _RunBatches:
    """The Message Batches one run submitted, kept in its store by a hash of their requests: a ``--batch``
    run killed while its batch is processed (minutes, at most 24 h) is billed for it all the same, so its
    resume collects that batch instead of submitting the requests again."""

    store: Store
    run_id: str

    def submitted_batch(self, requests_hash: str) -> str | None:
        return self.store.submitted_batch(self.run_id, requests_hash)

    def record_batch(self, requests_hash: str, batch_id: str) -> None:
        self.store.record_batch(self.run_id, requests_hash, batch_id)

    def forget_batch(self, requests_hash: str) -> None:
        self.store.forget_batch(self.run_id, requests_hash)


def _billed_call_recorder(store: Store, run_id: str) -> Callable[[Billing, Usage], None]:
    """Each billed writer call goes to the store as it returns, not when its stage ends: a run killed
    mid-write keeps the spend of the summaries it was answered, and its resume budgets from it."""

    def record(billing: Billing, usage: Usage) -> None:
        store.record_usage(
            run_id,
            stage=billing.stage,
            model=billing.model,
            usage=usage,
            item_id=billing.item_id,
            prompts=billing.prompts,
        )

    return record


class _NoWriter:
    """The writer of a resume that writes nothing (an approval or a rejection): building the real one
    may need a key the decision does not. A call means the graph went somewhere it should not."""

    name = "none"

    async def summarize_papers(self, papers: Sequence[Any], *, notes: Any = None) -> dict[str, Any]:
        raise ConfigError("this resume was started for a decision that writes nothing, yet it wrote")

    async def write_lead(self, request: Any) -> Any:
        raise ConfigError("this resume was started for a decision that writes nothing, yet it wrote")


def check_can_write(settings: Settings, options: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` when the run's writer (or its judge) cannot be built here: a request
    for changes or a correction would be recorded and then fail at its first model call."""
    if options.get("writer") == "claude":
        require_credentials(settings)
    if options.get("judge") == "claude":
        require_credentials(settings, judge=True)


def _judge_usage_recorder(store: Store, run_id: str) -> UsageRecorder:
    """The judge's billed calls go where the writers' do, under stage ``check``: the graph stage that
    made them, as ``select`` and ``write`` are, so the run report's ``cost.by_stage`` reads like the
    progress lines and a resumed run's budget starts from them."""

    def record(usage: Usage, *, model: str, prompt: PromptRef) -> None:
        store.record_usage(run_id, stage="check", model=model, usage=usage, prompts=[prompt])

    return record


def _default_checker(
    settings: Settings,
    options: RunOptions,
    store: Store,
    *,
    meter: CostMeter | None = None,
    record: UsageRecorder | None = None,
) -> tuple[Checker, Callable[[], None] | None]:
    """The grounding checker and what to close when the run ends. With ``judge="claude"`` a Claude judge
    stands behind it, on the run's ``meter`` (its budget), reporting each billed call to ``record``, its
    answers cached in the run's ``store`` on PostgreSQL, in a file beside a SQLite one."""
    # About 0.25 s to import (the checker's tables): paid by a run, not by the review page importing this.
    from evals.grounding import check_claims

    if options.get("judge") != "claude":
        return check_claims, None
    # The anthropic SDK behind it: 1.3 s, only with --judge.
    from evals.judge import build_claude_judge, judge_cache

    # Verdicts are cached by claim, evidence and prompt hash: a re-check or a revise round pays once.
    judge = build_claude_judge(
        settings,
        cache=judge_cache(settings, store=store),
        meter=meter,
        record=record,
        scope=options.get("judge_scope", "undecided"),
    )
    return functools.partial(check_claims, judge=judge), judge.close


def _resolve_writer(settings: Settings, requested: str | None) -> str:
    name = requested or settings.resolved_writer
    if name not in ("claude", "extractive"):
        raise ConfigError(f"unknown writer {name!r}: use 'claude' or 'extractive'")
    if name == "claude":
        require_credentials(settings)  # one clear line before anything is fetched
    return name


def _resolve_judge_scope(judge: str | None, requested: str | None) -> JudgeScope:
    if requested in (None, "undecided"):
        return "undecided"
    if requested != "passed":
        raise ConfigError(f"unknown judge scope {requested!r}: use 'undecided' or 'passed'")
    if judge in (None, "none"):
        raise ConfigError("--judge-scope says what the judge reads: it needs --judge claude")
    return "passed"


def _resolve_judge(settings: Settings, requested: str | None) -> str | None:
    if requested in (None, "none"):
        return None
    if requested != "claude":
        raise ConfigError(f"unknown judge {requested!r}: use 'claude' or 'none'")
    require_credentials(settings, judge=True)
    return requested


def _require_writable_dir(path: Path) -> None:
    """Refuse an unusable ``--out`` before anything is fetched, not at render after the work is done."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"--out {path}: cannot create the directory: {exc}") from exc


# A weekly newsletter's dates. Beyond them a date is a typo, and near the calendar's ends the window
# arithmetic overflows (0001-01-01 minus 7 days raised OverflowError and left the run "running").
EARLIEST_EDITION = date(1970, 1, 1)
LATEST_EDITION = date(2999, 12, 31)


def check_edition_date(edition_date: date) -> date:
    """The date, or a :class:`ConfigError` saying which dates an edition may have."""
    if not EARLIEST_EDITION <= edition_date <= LATEST_EDITION:
        raise ConfigError(
            f"edition date {edition_date.isoformat()} is out of range: an edition date is between "
            f"{EARLIEST_EDITION.isoformat()} and {LATEST_EDITION.isoformat()}"
        )
    return edition_date


def _require_writable_home(home: Path) -> None:
    """Refuse a data folder that cannot be written before anything is recorded in it."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as exc:
        raise ConfigError(
            f"cannot write to the data folder {home} ({exc.strerror or exc}): it is read-only or not "
            "yours. Nothing was changed and the data in it is intact; make the folder writable, or set "
            "INFERENCE_REPORT_HOME to another folder"
        ) from exc


def _require_complete_archives(paths: Sequence[Path]) -> None:
    """A replay archive cut short would replay as sources "not in the replay archive": refuse it."""
    from tools.archive import require_complete  # warcio: about 0.2 s, for a run only

    for path in paths:
        require_complete(path)


def _initial_state(
    settings: Settings, options: DraftOptions, sources: SourcesFile, clock: Clock
) -> DraftState:
    edition_date = check_edition_date(options.edition_date or settings.edition_date or clock().date())
    run_id = options.run_id or f"{edition_date.isoformat()}-{uuid.uuid4().hex[:8]}"
    enabled = sources.enabled()
    focus = list(dict.fromkeys(topic for s in enabled for topic in s.focus))
    run_options = RunOptions(
        run_id=run_id,
        edition_date=edition_date.isoformat(),
        window_days=options.window_days or settings.window_days,
        sources_path=sources.path,
        replay=[str(p) for p in options.replay],
        writer=_resolve_writer(settings, options.writer),
        out_dir=str(options.out_dir) if options.out_dir else None,
        focus=focus,
        max_cost_usd=options.max_cost_usd if options.max_cost_usd is not None else settings.max_cost_usd,
        batch=options.batch,
        judge=_resolve_judge(settings, options.judge),
        judge_scope=_resolve_judge_scope(options.judge, options.judge_scope),
        model=settings.model,
        byline=settings.byline,
        auto_publish=settings.auto_publish,
    )
    return DraftState(options=run_options, sources=[s.model_dump(mode="json") for s in enabled])


_KEPT_SETTINGS = ("model", "byline", "auto_publish")


def run_settings(settings: Settings, options: RunOptions) -> Settings:
    """``settings`` with the run's own model, byline and auto-publish, as drafted: whichever process
    resumes a run, with whatever settings, the run goes on as it started. A run drafted before runs
    kept them takes the resuming process's."""
    return settings.model_copy(update={k: options[k] for k in _KEPT_SETTINGS if k in options})  # type: ignore[literal-required]


def _kept_options(store: Store, given: RunOptions) -> RunOptions:
    """The options the store kept for the run when it was drafted; ``given`` (the checkpoint's, or a
    new run's) for a run not recorded yet or recorded before the store kept them."""
    try:
        kept = store.get_run(given["run_id"]).options
    except RunNotFound:
        return given
    return cast(RunOptions, kept) if kept else given


def _compiled(saver: Any) -> Any:
    """The drafting graph compiled with ``saver`` as its checkpointer."""
    # agent.graph imports langgraph (about 0.9 s): loaded only when a run is driven or inspected, so
    # that `review RUN_ID` and the review page, which read the store alone, never pay it.
    from agent.graph import build_graph

    return build_graph().compile(checkpointer=saver)


@asynccontextmanager
async def _run_context(
    settings: Settings,
    run_options: RunOptions,
    sources: Sequence[dict[str, Any]],
    factories: Factories,
    progress: ProgressFn,
    *,
    writes: bool = True,
) -> AsyncIterator[tuple[Any, Deps, Store]]:
    from tools.adapters import PageExtractor  # trafilatura: about 0.2 s, for a run only
    from tools.archive import WarcRecorder  # warcio: about 0.2 s, for a run only

    settings.home.mkdir(parents=True, exist_ok=True)
    archive_path = evidence_archive(settings, run_options["run_id"])
    run_dir = archive_path.parent
    run_dir.mkdir(parents=True, exist_ok=True)
    replay = [Path(p) for p in run_options["replay"]]
    with Store.open(settings.database, clock=factories.clock) as store:
        run_options = _kept_options(store, run_options)
        settings = run_settings(settings, run_options)
        per_host = host_politeness(SourceSpec.model_validate(s) for s in sources)
        base = (factories.fetcher or functools.partial(_base_fetcher, per_host=per_host))(
            settings, replay, store
        )
        # One budget for every model call of the run; a resumed run starts from what it already spent.
        spent = store.usage_totals(run_options["run_id"]).total
        meter = CostMeter(
            max_cost_usd=run_options["max_cost_usd"],
            total=spent,
            on_billed=_billed_call_recorder(store, run_options["run_id"]),
        )
        writer: Writer
        checker: Checker
        close_checker: Callable[[], None] | None
        if writes:
            writer = (
                factories.writer(settings, run_options, meter)
                if factories.writer is not None
                else make_writer(
                    settings, run_options, meter, batches=_RunBatches(store, run_options["run_id"])
                )
            )
            checker, close_checker = (
                (factories.checker, None)
                if factories.checker is not None
                else _default_checker(
                    settings,
                    run_options,
                    store,
                    meter=meter,
                    record=_judge_usage_recorder(store, run_options["run_id"]),
                )
            )
        else:
            from evals.grounding import check_claims

            writer, checker, close_checker = _NoWriter(), factories.checker or check_claims, None
        extractor = PageExtractor()
        deps = Deps(
            settings=settings,
            store=store,
            publish=functools.partial(publish_approved, store, settings=settings, progress=progress),
            fetcher=WarcRecorder(base, archive_path),
            archive_path=archive_path,
            writer=writer,
            checker=checker,
            run_dir=run_dir,
            clock=factories.clock,
            progress=progress,
            meter=meter,
            selection_helper=writer if isinstance(writer, SelectionHelper) else None,
            fetch_deadline=asyncio.get_running_loop().time() + settings.run_deadline_seconds,
            extractor=extractor,
            # Replayed pages arrive at once: a few per extraction worker keep every worker busy.
            pages_in_hand=asyncio.Semaphore(4 * max(1, extractor.workers)) if replay else None,
        )
        async with AsyncExitStack() as stack:
            # Its worker processes (started with the first article page) stop with the run.
            stack.callback(extractor.close)
            # The live fetcher's connection pools and the Claude writer's client close with the run.
            if isinstance(base, AbstractAsyncContextManager):
                await stack.enter_async_context(base)
            aclose = getattr(writer, "aclose", None)
            if aclose is not None:
                stack.push_async_callback(aclose)
            if close_checker is not None:  # the judge's cache database and client
                stack.callback(close_checker)
            saver = await stack.enter_async_context(_async_checkpointer(settings))
            yield _compiled(saver), deps, store


async def _drive(
    graph: Any, payload: Any, config: dict[str, Any], deps: Deps, progress: ProgressFn
) -> dict[str, Any]:
    """Run the graph until it ends or pauses; return what the publish node wrote, if it ran."""
    published: dict[str, Any] = {}
    # "sync": each step's checkpoint is committed before the next step starts. A run killed at any point
    # then resumes after its last finished step, and no node's store write overlaps a checkpoint write
    # on the shared SQLite file (which, with the default "async", can deadlock the event loop).
    stream = graph.astream(payload, config, context=deps, stream_mode="updates", durability="sync")
    try:
        async for chunk in stream:
            for node, update in chunk.items():
                if node == "__interrupt__":
                    progress("review", "waiting for a reviewer")
                elif node == "publish":
                    published = update["published"]
    except asyncio.CancelledError:
        # Ctrl-C (asyncio.run cancels this task): without this line the command ended silently (exit 130).
        run_id = config["configurable"]["thread_id"]
        then = f"inference-report draft --resume {run_id} continues it"
        progress("stopped", f"run {run_id} interrupted: {then}")
        raise
    return published


def _outcome(run_id: str, store: Store, published: dict[str, Any]) -> RunOutcome:
    run = store.get_run(run_id)
    return RunOutcome(
        run_id=run_id, status=str(run.status), report=run.report or {}, published=published or None
    )


def _seed_sample_history(store: Store, edition_date: date) -> None:
    """The sample edition ships last week's leaderboards so that moves are shown from the first run."""
    if PREVIOUS_WEEK_ARCHIVE.exists():
        seed_previous_week(store, before=edition_date - timedelta(days=7))


async def start_draft(
    settings: Settings,
    options: DraftOptions,
    *,
    progress: ProgressFn = ignore_progress,
    factories: Factories = Factories(),
) -> RunOutcome:
    """Run the graph from gather to the review interrupt."""
    if options.sample:
        options = DraftOptions(
            **{
                **options.__dict__,
                "sources_path": options.sources_path or SAMPLE_SOURCES,
                "replay": options.replay or (SAMPLE_ARCHIVE,),
                "edition_date": options.edition_date or SAMPLE_DATE,
            }
        )
    sources = load_sources(options.sources_path or DEFAULT_SOURCES)
    # Every refusal before the first write: a refused draft leaves no run, folder or file behind.
    state = _initial_state(settings, options, sources, factories.clock)
    _require_complete_archives(options.replay)
    _require_writable_home(settings.home)
    if options.out_dir is not None:
        _require_writable_dir(options.out_dir)
    run_options = state["options"]
    if not options.force and (settings.database_url or settings.database_path.exists()):
        with Store.open(settings.database) as store:
            check_new_edition(store, date.fromisoformat(run_options["edition_date"]), sample=options.sample)
    async with (
        run_lock(settings, run_options["run_id"]),
        _run_context(settings, run_options, state["sources"], factories, progress) as (graph, deps, store),
    ):
        if options.sample:
            _seed_sample_history(store, date.fromisoformat(run_options["edition_date"]))
        store.create_run(
            run_options["run_id"],
            edition_date=date.fromisoformat(run_options["edition_date"]),
            writer=run_options["writer"],
            sources_path=run_options["sources_path"],
            options=run_options,
        )
        progress(
            "start",
            f"run {run_options['run_id']}: {len(state['sources'])} sources, writer {run_options['writer']}",
        )
        config = {"configurable": {"thread_id": run_options["run_id"]}}
        published = await _drive(graph, state, config, deps, progress)
        return _outcome(run_options["run_id"], store, published)


@asynccontextmanager
async def _async_checkpointer(settings: Settings) -> AsyncIterator[Any]:
    """LangGraph's saver beside the store: in the SQLite file, or langgraph's own Postgres saver in
    the database ``database_url`` names (its tables are created on first use; it survives a dropped
    connection: ``agent._pg_saver``)."""
    # langgraph takes about 0.9 s to import: only a caller that drives or inspects a run pays it.
    if settings.database_url:
        from agent._pg_saver import async_pg_saver

        async with async_pg_saver(settings.database_url) as pg_saver:
            yield pg_saver
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    async with AsyncSqliteSaver.from_conn_string(str(settings.database_path)) as saver:
        yield saver


@contextmanager
def _checkpointer(settings: Settings) -> Iterator[Any]:
    """The synchronous twin of :func:`_async_checkpointer`."""
    if settings.database_url:
        from agent._pg_saver import pg_saver

        with pg_saver(settings.database_url) as saver:
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    with SqliteSaver.from_conn_string(str(settings.database_path)) as saver:
        yield saver


def _without_checkpoint(settings: Settings, run_id: str, message: str) -> RunNotFound:
    """The error for a run with no checkpoint; an id the store has never seen is named as unknown (a
    store without the run used to answer "no checkpoint" too: on PostgreSQL, even a fresh database)."""
    with Store.open(settings.database) as store:
        store.get_run(run_id)  # RunNotFound: no run 'x' in the store
    return RunNotFound(message)


def _require_database(settings: Settings, run_id: str) -> None:
    if settings.database_url is None and not settings.database_path.exists():
        raise RunNotFound(f"no run {run_id!r}: there is no database at {settings.database_path} yet")


class _Heartbeat(threading.Thread):
    """Refreshes the lock's heartbeat from a thread of its own: a long step on the event loop (a
    parser, the checker) must not let the lock look abandoned to another machine."""

    def __init__(self, store: Store, run_id: str, holder: LockHolder, every: float) -> None:
        super().__init__(name=f"run-lock-{run_id}", daemon=True)
        self._store, self._run_id, self._holder, self._every = store, run_id, holder, every
        self.stopped = threading.Event()

    def run(self) -> None:
        import psycopg  # already imported by a PostgreSQL store; else about 80 ms, in this thread only

        while not self.stopped.wait(self._every):
            try:
                self._store.heartbeat_run_lock(self._run_id, self._holder)
            # A busy SQLite file or a PostgreSQL server that dropped the connection for a moment: the
            # next beat tries again.
            except (StoreError, sqlite3.Error, psycopg.Error):
                continue


@asynccontextmanager
async def run_lock(settings: Settings, run_id: str) -> AsyncIterator[LockHolder]:
    """Hold the run's lock in the store for the duration: another process (or task) that starts,
    resumes or continues the same run is refused with :class:`~agent.store.RunLocked`, which names
    the holder. A lock left by a dead process is taken over."""
    holder = LockHolder.this_process()
    stale_after = timedelta(seconds=settings.run_lock_stale_seconds)
    with Store.open(settings.database) as store:
        store.acquire_run_lock(run_id, holder, stale_after=stale_after)
        heartbeat = _Heartbeat(store, run_id, holder, every=settings.run_lock_stale_seconds / 4)
        heartbeat.start()
        try:
            yield holder
        finally:
            heartbeat.stopped.set()
            heartbeat.join()
            store.release_run_lock(run_id, holder)


async def read_snapshot(settings: Settings, run_id: str) -> Any:
    """The run's latest checkpoint (LangGraph ``StateSnapshot``): its state, next nodes and interrupts.

    Empty values when nothing was checkpointed under ``run_id``; :class:`RunNotFound` when there is no
    database yet (rather than creating an empty one)."""
    _require_database(settings, run_id)
    # A damaged file fails here with what to do, not with a traceback halfway through the run.
    with Store.open(settings.database) as store:
        store.check_integrity()
    try:
        async with _async_checkpointer(settings) as saver:
            return await _compiled(saver).aget_state({"configurable": {"thread_id": run_id}})
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise StoreError(database_problem(settings.database_path, exc)) from exc


def run_state(settings: Settings, run_id: str) -> tuple[dict[str, Any], bool]:
    """The run's checkpointed state and whether it is paused at an interrupt (synchronous: the
    decision checks run in a worker thread)."""
    with _checkpointer(settings) as saver:
        snapshot = _compiled(saver).get_state({"configurable": {"thread_id": run_id}})
    paused = bool(snapshot.interrupts) or any(task.interrupts for task in snapshot.tasks)
    return dict(snapshot.values or {}), paused


async def continue_run(
    settings: Settings,
    run_id: str,
    update: dict[str, Any],
    *,
    as_node: str,
    factories: Factories = Factories(),
    progress: ProgressFn = ignore_progress,
) -> RunOutcome:
    """Write ``update`` into the run's thread as if ``as_node`` had just returned it, then run on.

    A correction of an approved edition uses this: the reviewer's comment goes in as if ``select`` had
    just finished, so the edition is written, checked and rendered again as a new revision."""
    _require_database(settings, run_id)
    async with run_lock(settings, run_id):
        snapshot = await read_snapshot(settings, run_id)
        if not snapshot.values:
            raise _without_checkpoint(settings, run_id, f"run {run_id!r} has no checkpoint to continue from")
        async with _run_context(
            settings, snapshot.values["options"], snapshot.values.get("sources", []), factories, progress
        ) as (graph, deps, store):
            config = {"configurable": {"thread_id": run_id}}
            await graph.aupdate_state(config, update, as_node=as_node)
            published = await _drive(graph, None, config, deps, progress)
            return _outcome(run_id, store, published)


async def resume_draft(
    settings: Settings,
    run_id: str,
    *,
    progress: ProgressFn = ignore_progress,
    factories: Factories = Factories(),
    resume_value: Any = None,
    writes: bool = True,
) -> RunOutcome:
    """Continue a run from its last checkpoint: finished stages (and finished gather branches) are not redone.

    With ``resume_value`` the run's review interrupt is answered (see :mod:`agent.decisions`).
    ``writes=False``: what follows writes nothing (an approval or a rejection), so no writer or judge
    is built, and none of their keys is needed."""
    from langgraph.types import Command  # langgraph: about 0.9 s to import, paid only to drive a run

    _require_database(settings, run_id)
    async with run_lock(settings, run_id):
        snapshot = await read_snapshot(settings, run_id)
        if not snapshot.values:
            raise _without_checkpoint(
                settings,
                run_id,
                f"run {run_id!r} has no checkpoint to resume from (it stopped before its first step "
                "finished: draft it again)",
            )
        run_options: RunOptions = snapshot.values["options"]
        sources = snapshot.values.get("sources", [])
        async with _run_context(settings, run_options, sources, factories, progress, writes=writes) as (
            graph,
            deps,
            store,
        ):
            config = {"configurable": {"thread_id": run_id}}
            published: dict[str, Any] = {}
            if resume_value is not None:
                published = await _drive(graph, Command(resume=resume_value), config, deps, progress)
            elif snapshot.next:
                progress("resume", f"run {run_id}: continuing at {', '.join(snapshot.next)}")
                published = await _drive(graph, None, config, deps, progress)
            return _outcome(run_id, store, published)
