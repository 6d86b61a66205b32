"""``inference-report eval``: score outside datasets and run the gated suites (mounted as ``eval_app``)."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from agent.cli_io import EXIT_RUNTIME, EXIT_STATUS_HELP, emit_json
from evals.gate import BASELINE_PATH, GateError

if TYPE_CHECKING:
    from evals.grounding.checker import ClaimJudge

__all__ = ["eval_app"]

eval_app = typer.Typer(
    help="Grounding and pipeline evals, compared with the committed baseline (evals/baseline.json).",
    epilog=EXIT_STATUS_HELP,
    no_args_is_help=False,
    rich_markup_mode=None,
)


class SuiteName(StrEnum):
    SUMMEDITS_DEV = "summedits-dev"
    GROUNDING_DEV = "grounding-dev"
    PERTURBATIONS = "perturbations"
    TABLES = "tables"
    PIPELINE = "pipeline"
    ALL = "all"


class JudgeName(StrEnum):
    NONE = "none"
    CLAUDE = "claude"


class JudgeScopeName(StrEnum):
    UNDECIDED = "undecided"
    PASSED = "passed"


JudgeOption = Annotated[JudgeName, typer.Option("--judge", help="Send undecided claims to Claude.")]
JudgeScopeOption = Annotated[
    JudgeScopeName,
    typer.Option(
        "--judge-scope",
        help="With --judge: what it reads. passed: also the claims the checks pass, which it can only flag.",
    ),
]
JudgeCacheOption = Annotated[
    Path | None,
    typer.Option(
        "--judge-cache",
        help="SQLite cache of judge answers (default: the data dir, or the database a database URL names).",
    ),
]
MaxCostOption = Annotated[
    float | None,
    typer.Option(
        "--max-cost",
        metavar="USD",
        min=0,
        help="With --judge: stop asking the judge at this many USD (the rest stay undecided).",
    ),
]


def _judge(
    name: JudgeName, cache: Path | None, max_cost: float | None, scope: JudgeScopeName
) -> ClaimJudge | None:
    if name is JudgeName.NONE:
        if max_cost is not None:
            raise typer.BadParameter("--max-cost caps the judge's spend: it needs --judge claude")
        if scope is not JudgeScopeName.UNDECIDED:
            raise typer.BadParameter("--judge-scope: it needs --judge claude")
        return None
    from agent.domain.errors import ReportError
    from agent.llm import CostMeter
    from agent.settings import load_settings
    from evals.judge import build_claude_judge, judge_cache

    try:
        settings = load_settings()
        return build_claude_judge(
            settings,
            cache=judge_cache(settings, path=cache),
            meter=CostMeter(max_cost_usd=max_cost),
            scope="passed" if scope is JudgeScopeName.PASSED else "undecided",
        )
    except ReportError as exc:
        _fail(str(exc))


@eval_app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    suite: Annotated[SuiteName, typer.Option("--suite", "-s", help="Which suite to run.")] = SuiteName.ALL,
    report_dir: Annotated[
        Path, typer.Option("--report-dir", help="Where eval-report.json and eval-report.md go.")
    ] = Path("eval-reports"),
    baseline: Annotated[Path, typer.Option("--baseline", help="The committed floors.")] = BASELINE_PATH,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help="Set the floors to this run's values (raising is allowed)."),
    ] = False,
    allow_lower: Annotated[
        bool, typer.Option("--allow-lower", help="With --update-baseline: allow a floor to go down.")
    ] = False,
    judge: JudgeOption = JudgeName.NONE,
    judge_scope: JudgeScopeOption = JudgeScopeName.UNDECIDED,
    judge_cache: JudgeCacheOption = None,
    max_cost: MaxCostOption = None,
    sample_draft: Annotated[
        bool,
        typer.Option(
            "--sample-draft/--no-sample-draft",
            help="Run the extractive draft of the sample edition (pipeline suite; perturbation material).",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")] = False,
) -> None:
    """Run the suites and gate them: exits 1 when a metric is below its floor."""
    if ctx.invoked_subcommand is not None:
        return
    from evals.runner import run_evals
    from evals.suites import SUITES, no_sample_draft
    from evals.suites import sample_draft as run_sample_draft

    if allow_lower and not update_baseline:
        raise typer.BadParameter("--allow-lower only makes sense with --update-baseline")
    names = list(SUITES) if suite is SuiteName.ALL else [suite.value]
    try:
        outcome = run_evals(
            names,
            report_dir=report_dir,
            baseline_path=baseline,
            update_baseline=update_baseline,
            allow_lower=allow_lower,
            judge=_judge(judge, judge_cache, max_cost, judge_scope),
            draft_runner=run_sample_draft if sample_draft else no_sample_draft,
        )
    except (GateError, OSError) as exc:
        _fail(str(exc))
    if as_json:
        emit_json(
            {
                "passed": outcome.passed,
                "suites": [
                    {
                        "suite": o.result.suite,
                        "status": "skipped" if o.result.skipped else ("ok" if o.gate.passed else "failed"),
                        "metrics": o.result.metrics,
                        "failures": list(o.gate.failures),
                        "notes": list(o.gate.notes),
                    }
                    for o in outcome.outcomes
                ],
                "judge_cost": outcome.judge_cost.summary() if outcome.judge_cost is not None else None,
                "baseline_updated": str(baseline) if outcome.baseline_updated else None,
                "reports": [str(outcome.json_report), str(outcome.markdown_report)],
            }
        )
        if not outcome.passed:
            raise typer.Exit(EXIT_RUNTIME)
        return
    for o in outcome.outcomes:
        status = "skipped" if o.result.skipped else ("ok" if o.gate.passed else "FAILED")
        metrics = ", ".join(f"{k}={v:.4f}" for k, v in sorted(o.result.metrics.items()))
        typer.echo(f"{o.result.suite}: {status}  {metrics}")
        for line in [*o.gate.failures, *o.gate.notes]:
            typer.echo(f"  {line}")
    if outcome.judge_cost is not None:
        typer.echo(f"judge: {outcome.judge_cost.summary()}")
    if outcome.baseline_updated:
        typer.echo(f"baseline updated: {baseline}")
    typer.echo(f"reports: {outcome.json_report} {outcome.markdown_report}")
    if not outcome.passed:
        raise typer.Exit(1)


# Bad lines echoed on stderr: all of them are in OUT, a whole file of them would flood the terminal.
_ERRORS_SHOWN = 10


@eval_app.command("score", epilog=EXIT_STATUS_HELP)
def score(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, metavar="FILE", help="JSON lines of {id, source, claim[, label]}."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write {id, verdict, score, reasons} lines.")],
    judge: JudgeOption = JudgeName.NONE,
    judge_scope: JudgeScopeOption = JudgeScopeName.UNDECIDED,
    judge_cache: JudgeCacheOption = None,
    max_cost: MaxCostOption = None,
) -> None:
    """Check every claim of FILE against its whole source with the pipeline's checker.

    Each claim is split into sentences, each checked as a claim citing the whole source; a row is
    supported when every sentence is. Rows with a label (1 faithful, 0 not) are summarised at the end.
    """
    from evals.runner import judge_cost_report, score_lines, score_summary

    scored = errors = 0
    claim_judge = _judge(judge, judge_cache, max_cost, judge_scope)
    rows: list[dict[str, object]] = []
    try:
        with file.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
            for row in score_lines(src, judge=claim_judge):
                if "error" in row:
                    errors += 1
                    if errors <= _ERRORS_SHOWN:
                        typer.echo(f"{file}: {row['error']}", err=True)
                else:
                    scored += 1
                    rows.append({"label": row.pop("label", None), "verdict": row["verdict"]})
                dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    except UnicodeDecodeError as exc:
        _fail(f"{file} is not UTF-8 text ({exc.reason}; {scored + errors} line(s) were read before)")
    except OSError as exc:
        _fail(str(exc))
    if not scored and not errors:
        _fail(f"{file} holds no JSON lines to score")
    typer.echo(
        f"wrote {scored} scored line(s) to {out}"
        + (f", {errors} bad line(s) recorded with an error" if errors else "")
    )
    summary = score_summary(rows)
    if summary is not None:
        labelled = sum(1 for r in rows if isinstance(r["label"], int))
        # A rate over an empty class is NaN ("balanced_accuracy=nan" before): say which class is empty.
        faithful = sum(1 for r in rows if r["label"] == 1)
        empty = "no faithful row" if not faithful else "no unfaithful row"
        figures = ", ".join(
            f"{k}={v:.4f}"
            if not math.isnan(v)
            else f"{k}=n/a ({'nothing called unsupported' if k == 'unsupported_precision' else empty})"
            for k, v in summary.items()
        )
        typer.echo(f"{labelled} labelled row(s): {figures}")
    cost = judge_cost_report(claim_judge)
    if cost is not None:
        typer.echo(f"judge: {cost.summary()}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_RUNTIME)
