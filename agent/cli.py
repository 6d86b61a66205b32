"""The ``inference-report`` command. Thin: parse, build settings, call one function of the Python API.

Each command imports the API it calls inside its body, for start-up speed only (there is no import
cycle to dodge): the API's third-party stacks (httpx, warcio, starlette, jinja2, and langgraph and
anthropic when a run is driven) add about 1.5 s to every start, ``--help`` included.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli_io import EXIT_STATUS_HELP, dir_option, emit_json, fail, stage_progress
from agent.cli_io import out as _stdout

if TYPE_CHECKING:
    from agent.settings import Settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="inference-report",
    help="Draft The Inference Report: every sentence cited and checked, nothing published unapproved.",
    epilog=EXIT_STATUS_HELP,
    no_args_is_help=True,
    # Plain help, as click prints it: rich's boxes cost its import on every --help and showed a
    # <bool> placeholder beside every flag.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
sources_app = typer.Typer(
    help="Inspect the configured sources.",
    epilog=EXIT_STATUS_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sources_app, name="sources")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"inference-report {version('inference-report')}")
        raise typer.Exit()


@app.callback()
def _main(
    _: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Draft The Inference Report: every sentence cited and checked, nothing published unapproved."""


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
SourcesOption = Annotated[
    Path | None,
    typer.Option("--sources", metavar="FILE", help="Sources file (default: sources.toml in the project)."),
]
ReplayOption = Annotated[
    list[Path] | None,
    typer.Option("--replay", metavar="WARC", help="Serve every fetch from this WARC archive (repeatable)."),
]


_SECTION_ORDER = ("labs", "wire", "papers", "benchmarks", "repos")
# The draft's files, in the order a reviewer opens them, with the label the report prints.
_OUTPUT_LABELS = (
    ("html", "edition"),
    ("markdown", "markdown"),
    ("claims", "claims"),
    ("report", "report"),
    ("archive", "archive"),
)


def _counts(counts: dict[str, int], order: tuple[str, ...] = ()) -> str:
    """``30 supported, 2 unsupported``: keys in ``order`` first, zero counts left out."""
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in keys if counts[k]) or "none"


def report_lines(report: dict[str, Any]) -> list[str]:
    """The run report under the sources table: what was drafted, what went wrong, where the files are."""
    from agent.report import empty_section_reason

    sections = report.get("items_per_section", {})
    ordered = [k for k in _SECTION_ORDER if k in sections] + sorted(set(sections) - set(_SECTION_ORDER))
    lines = ["items per section: " + (", ".join(f"{k} {sections[k]}" for k in ordered) or "none")]
    dropped = report.get("dropped")
    if dropped:
        reasons = Counter(str(d.get("reason", "?")).replace("_", " ") for d in dropped)
        lines.append(
            f"left out: {len(dropped)} of {report.get('items_extracted', '?')} items ("
            + ", ".join(f"{n} {r}" for r, n in reasons.most_common())
            + "; each with its reason under dropped in the report)"
        )
    if "dropped" in report:
        for section in ordered:
            why = empty_section_reason(report, section)
            if why:
                lines.append(f"{section} is empty: {why}")
    lines.extend(f"warning: {w}" for w in report.get("warnings", []))
    capped = [s for s in report.get("sources", []) if s.get("beyond_max_items")]
    if capped:
        lines.append(
            "max_items kept the newest: "
            + ", ".join(f"{s['name']} {s['items']} of {s['items'] + s['beyond_max_items']}" for s in capped)
        )
    for entry in report.get("unreadable_dates", []):
        lines.append(f"unreadable date in {entry['source']}: {entry['printed']!r} ({entry['item_id']})")
    sources = report.get("sources", [])
    failed = sum(1 for source in sources if source.get("status") != "ok")
    if failed:
        lines.append(f"warning: {failed} of {len(sources)} sources failed (the reason is in the table above)")
    claims = report.get("claims", {})
    verdicts = claims.get("by_verdict", {})
    claim_line = (
        f"claims: {claims.get('total', sum(verdicts.values()))} ({_counts(verdicts, ('supported',))})"
    )
    if claims.get("flagged"):
        claim_line += f", {claims['flagged']} flagged for the reviewer"
    lines.append(claim_line)
    if not claims.get("total"):
        lines.append("warning: the draft has no claims: there is nothing to review but an empty edition")
    if report.get("revise_rounds"):
        lines.append(f"revise rounds: {report['revise_rounds']}")
    for failure in report.get("writer_failures", []):
        lines.append(f"writer failed on {failure.get('block', '?')}: {failure.get('error', '')}")
    for problem in report.get("writer_problems", []):
        lines.append(f"writer problem in {problem.get('block', '?')}: {problem.get('problem', '')}")
    if report.get("skipped_for_budget"):
        lines.append("skipped for the budget: " + ", ".join(report["skipped_for_budget"]))
    cost = report.get("cost", {})
    if cost.get("usd"):
        lines.append(
            f"cost: ${cost['usd']:.4f} ({cost['input_tokens']} in, {cost['output_tokens']} out, "
            f"{cost['cache_read_tokens']} cache read)"
        )
    outputs = dict(report.get("outputs", {}))
    labelled = [(label, outputs.pop(name)) for name, label in _OUTPUT_LABELS if name in outputs]
    labelled += sorted(outputs.items())
    lines.extend(f"{label:>9}: {path}" for label, path in labelled)
    return lines


def _print_report(report: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Run {report.get('run_id', '?')}", show_lines=False)
    table.add_column("source", no_wrap=True)
    for column in ("kind", "status", "items"):
        table.add_column(column)
    # fold: the reason is why a source failed, and a URL cut with "…" cannot be checked.
    table.add_column("reason", overflow="fold")
    for source in report.get("sources", []):
        status = Text("ok", style="green") if source["status"] == "ok" else Text("failed", style="red")
        # Text, not markup: a reason quoting a page (``[...]``) must print as it is.
        table.add_row(
            Text(source["name"]),
            source["kind"],
            status,
            str(source["items"]),
            Text(source.get("error") or ""),
        )
    _stdout().print(table)
    for line in report_lines(report):
        _stdout().print(line, highlight=False, markup=False, soft_wrap=True)


def _edition_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD ({exc})", param_hint="--date") from exc


_WRITERS = ("claude", "extractive")
_JUDGES = ("claude", "none")


@app.command(epilog=EXIT_STATUS_HELP)
def draft(
    date_: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Edition date YYYY-MM-DD; the window ends there."),
    ] = None,
    window_days: Annotated[
        int | None,
        typer.Option(
            "--window-days",
            metavar="N",
            min=1,
            max=60,
            help="The N days up to the edition date (default 7); an undated item counts from first seen.",
        ),
    ] = None,
    sources: SourcesOption = None,
    replay: ReplayOption = None,
    writer: Annotated[
        str | None,
        typer.Option(
            "--writer",
            metavar="NAME",
            help="claude or extractive (default: claude with an API key, else extractive).",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out", metavar="DIR", help="Write the draft's files here (default: the run's directory)."
        ),
    ] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Draft the bundled sample edition (offline).")
    ] = False,
    resume: Annotated[
        str | None, typer.Option("--resume", metavar="RUN_ID", help="Continue the run with this id.")
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option("--max-cost", metavar="USD", min=0, help="Stop writing at this many USD.")
    ] = None,
    batch: Annotated[bool, typer.Option("--batch", help="Paper summaries through the Batches API.")] = False,
    judge: Annotated[
        str | None,
        typer.Option("--judge", metavar="NAME", help="claude: a model judges what the checks cannot decide."),
    ] = None,
    judge_scope: Annotated[
        str | None,
        typer.Option(
            "--judge-scope",
            metavar="SCOPE",
            help="With --judge: undecided (the default), or passed: it also reads the claims the checks "
            "pass, and can flag them.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Draft even if the edition date already has a run.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run the graph to the review interrupt and print where the draft and its report are.

    Progress goes to stderr, each line with the seconds since the start."""
    import asyncio

    from agent.domain.errors import ReportError
    from agent.review import next_steps
    from agent.runs import DraftOptions, resume_draft, start_draft
    from agent.settings import load_settings

    # Checked here, not by the run: a misspelt choice is a usage error (exit 2) like any bad option.
    if writer is not None and writer not in _WRITERS:
        raise typer.BadParameter(f"{writer!r}: use one of {', '.join(_WRITERS)}", param_hint="--writer")
    if judge is not None and judge not in _JUDGES:
        raise typer.BadParameter(f"{judge!r}: use one of {', '.join(_JUDGES)}", param_hint="--judge")
    try:
        settings = load_settings()
        if resume:
            with stage_progress() as progress:
                outcome = asyncio.run(resume_draft(settings, resume, progress=progress))
        else:
            options = DraftOptions(
                edition_date=_edition_date(date_),
                sources_path=sources,
                replay=tuple(replay or ()),
                writer=writer,
                out_dir=dir_option(out, "--out"),
                sample=sample,
                max_cost_usd=max_cost,
                batch=batch,
                judge=judge,
                judge_scope=judge_scope,
                window_days=window_days,
                force=force,
            )
            with stage_progress() as progress:
                outcome = asyncio.run(start_draft(settings, options, progress=progress))
    except ReportError as exc:
        raise fail(exc) from exc
    steps = next_steps(outcome.run_id, outcome.status, failure=outcome.report.get("failure"))
    if as_json:
        emit_json(
            {
                "run_id": outcome.run_id,
                "status": outcome.status,
                "report": outcome.report,
                "next_steps": steps,
            }
        )
    else:
        _print_report(outcome.report)
        _stdout().print()
        for line in steps:
            _stdout().print(line, highlight=False, markup=False, soft_wrap=True)
    if outcome.status == "failed":
        raise typer.Exit(code=1)


@sources_app.command("check", epilog=EXIT_STATUS_HELP)
def sources_check(
    sources: SourcesOption = None,
    replay: ReplayOption = None,
    as_json: JsonOption = False,
    date_: Annotated[
        str | None,
        typer.Option("--date", metavar="DATE", help="Count items in the window ending here (default today)."),
    ] = None,
    window_days: Annotated[
        int | None,
        typer.Option("--window-days", metavar="N", min=1, max=60, help="The window's length (default 7)."),
    ] = None,
) -> None:
    """Validate the sources file, fetch each source once and report what it returns and how much of it
    is in the edition's window."""
    import asyncio

    from agent.domain.errors import ReportError
    from agent.domain.sources import SourcesFile, load_sources
    from agent.runs import check_edition_date, default_sources_path, host_politeness
    from agent.settings import load_settings
    from agent.sources_check import SourceCheck, Window, check_sources, checks_to_json, render_checks_table
    from tools.archive import ReplayFetcher, require_complete
    from tools.fetching.live import LiveFetcher, policy_from_settings

    async def check_all(settings: Settings, spec: SourcesFile) -> list[SourceCheck]:
        window = Window(
            edition_date=check_edition_date(_edition_date(date_) or settings.edition_date or date.today()),
            days=window_days or settings.window_days,
        )
        if replay:
            for path in replay:
                require_complete(path)
            return await check_sources(
                spec, ReplayFetcher(list(replay)), secrets=settings.source_keys(spec.sources), window=window
            )
        policy = policy_from_settings(settings, per_host=host_politeness(spec.enabled()))
        async with LiveFetcher(policy) as live:
            return await check_sources(spec, live, secrets=settings.source_keys(spec.sources), window=window)

    try:
        settings = load_settings()
        checks = asyncio.run(check_all(settings, load_sources(sources or default_sources_path())))
    except ReportError as exc:
        raise fail(exc) from exc
    if as_json:
        typer.echo(checks_to_json(checks))
    else:
        _stdout().print(render_checks_table(checks))
    if any(c.status != "ok" for c in checks):
        raise typer.Exit(code=1)


@app.command(epilog=EXIT_STATUS_HELP)
def where(as_json: JsonOption = False) -> None:
    """Print the data folder (runs, store, config.toml) and the store (a SQLite file or a PostgreSQL
    URL, password masked), and why each is that one."""
    import os

    from agent.domain.errors import ConfigError
    from agent.home import locate_home
    from agent.settings import load_settings, redact_url

    location = locate_home()
    config = os.environ.get("INFERENCE_REPORT_CONFIG") or str(location.path / "config.toml")
    try:
        settings = load_settings()
    except ConfigError as exc:
        if not as_json:  # the folder and the config file to fix, then the problem
            typer.echo(f"{location.path}\n  why: {location.reason}\n  config: {config}")
        raise fail(exc) from exc
    store = redact_url(settings.database_url) if settings.database_url else str(settings.database_path)
    store_why = {
        "environment": "INFERENCE_REPORT_DATABASE_URL is set",
        "config": f"database_url in {config}",
        "default": "the default: a SQLite file in the data folder",
    }[settings.database_origin]
    if as_json:
        emit_json(
            {
                "home": str(location.path),
                "chosen_by": location.chosen_by,
                "why": location.reason,
                "config": config,
                "config_exists": Path(config).is_file(),
                "exists": location.path.is_dir(),
                "store": store,
                "store_engine": "postgresql" if settings.database_url else "sqlite",
                "store_chosen_by": settings.database_origin,
            }
        )
        return
    typer.echo(str(location.path))
    typer.echo(f"  why: {location.reason}")
    exists = "" if Path(config).is_file() else " (absent: the defaults apply)"
    typer.echo(f"  config: {config}{exists}")
    typer.echo(f"  store: {store} ({store_why})")
    if not location.path.is_dir():
        typer.echo("  (the folder does not exist yet: the first draft creates it)")


def _register_commands() -> None:
    from agent.cli_review import register
    from evals.cli import eval_app

    register(app)
    app.add_typer(eval_app, name="eval")


_register_commands()


def main() -> None:
    app()
