"""The ``inference-report`` command. Thin: parse, build settings, call one function of the Python API.

Heavy modules (anthropic, langgraph) are imported inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from agent.errors import ReportError
from agent.settings import Settings, load_settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="inference-report",
    help="Draft The Inference Report: every sentence cited and checked, nothing published unapproved.",
    no_args_is_help=True,
    add_completion=False,
)
sources_app = typer.Typer(help="Inspect the configured sources.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

console = Console()
err_console = Console(stderr=True)

SourcesOption = Annotated[
    Path | None, typer.Option("--sources", help="Sources file (default: sources.toml).")
]
ReplayOption = Annotated[
    list[Path] | None, typer.Option("--replay", help="Serve every fetch from this WARC.")
]


def _fail(exc: Exception) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {exc}")
    return typer.Exit(code=2)


def _progress_printer(stage: str, message: str) -> None:
    console.print(f"[dim]{stage:>8}[/] {message}", highlight=False)


def _print_report(report: dict[str, Any]) -> None:
    table = Table(title=f"Run {report.get('run_id', '?')}", show_lines=False)
    for column in ("source", "kind", "status", "items", "reason"):
        table.add_column(column)
    for source in report.get("sources", []):
        status = "[green]ok[/]" if source["status"] == "ok" else "[red]failed[/]"
        table.add_row(source["name"], source["kind"], status, str(source["items"]), source.get("error") or "")
    console.print(table)
    sections = ", ".join(f"{k} {v}" for k, v in report.get("items_per_section", {}).items())
    console.print(f"items per section: {sections}")
    verdicts = report.get("claims", {}).get("by_verdict", {})
    console.print("claims: " + ", ".join(f"{k} {v}" for k, v in verdicts.items()))
    cost = report.get("cost", {})
    if cost.get("usd"):
        console.print(
            f"cost: ${cost['usd']:.4f} ({cost['input_tokens']} in, {cost['output_tokens']} out, "
            f"{cost['cache_read_tokens']} cache read)"
        )
    for name, path in report.get("outputs", {}).items():
        console.print(f"{name:>9}: {path}")


def _edition_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD ({exc})", param_hint="--date") from exc


@app.command()
def draft(
    date_: Annotated[
        str | None, typer.Option("--date", help="Edition date YYYY-MM-DD; the window ends there.")
    ] = None,
    sources: SourcesOption = None,
    replay: ReplayOption = None,
    writer: Annotated[str | None, typer.Option("--writer", help="claude or extractive.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the draft's files here.")] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Draft the bundled sample edition (offline).")
    ] = False,
    resume: Annotated[str | None, typer.Option("--resume", help="Continue the run with this id.")] = None,
    max_cost: Annotated[
        float | None, typer.Option("--max-cost", min=0, help="Stop writing at this many USD.")
    ] = None,
    batch: Annotated[bool, typer.Option("--batch", help="Paper summaries through the Batches API.")] = False,
    judge: Annotated[
        str | None, typer.Option("--judge", help="claude: a model judges what the checks cannot decide.")
    ] = None,
) -> None:
    """Run the graph to the review interrupt and print where the draft and its report are."""
    from agent.runs import DraftOptions, resume_draft, start_draft

    try:
        settings = load_settings()
        if resume:
            outcome = asyncio.run(resume_draft(settings, resume, progress=_progress_printer))
        else:
            options = DraftOptions(
                edition_date=_edition_date(date_),
                sources_path=sources,
                replay=tuple(replay or ()),
                writer=writer,
                out_dir=out,
                sample=sample,
                max_cost_usd=max_cost,
                batch=batch,
                judge=judge,
            )
            outcome = asyncio.run(start_draft(settings, options, progress=_progress_printer))
    except ReportError as exc:
        raise _fail(exc) from exc
    _print_report(outcome.report)
    console.print(f"run {outcome.run_id}: [bold]{outcome.status}[/]")


@sources_app.command("check")
def sources_check(
    sources: SourcesOption = None,
    replay: ReplayOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Validate the sources file, fetch each source once and report what it returns."""
    from agent.runs import default_sources_path
    from agent.sources import SourcesFile, load_sources
    from agent.sources_check import SourceCheck, check_sources, checks_to_json, render_checks_table
    from tools.archive import ReplayFetcher
    from tools.fetching.live import LiveFetcher, policy_from_settings

    async def check_all(settings: Settings, spec: SourcesFile) -> list[SourceCheck]:
        if replay:
            return await check_sources(spec, ReplayFetcher(list(replay)), secrets=settings.source_secrets)
        async with LiveFetcher(policy_from_settings(settings)) as live:
            return await check_sources(spec, live, secrets=settings.source_secrets)

    try:
        settings = load_settings()
        checks = asyncio.run(check_all(settings, load_sources(sources or default_sources_path())))
    except ReportError as exc:
        raise _fail(exc) from exc
    if as_json:
        typer.echo(checks_to_json(checks))
    else:
        console.print(render_checks_table(checks))
    if any(c.status != "ok" for c in checks):
        raise typer.Exit(code=1)


def _register_commands() -> None:
    from agent.cli_review import register
    from evals.cli import eval_app

    register(app)
    app.add_typer(eval_app, name="eval")


_register_commands()


def main() -> None:
    app()
