"""The eval report: one JSON file for machines and one Markdown file for people, from the same data."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evals.gate import Baseline, GateResult
from evals.suites import SuiteResult

if TYPE_CHECKING:
    from evals.judge import JudgeCost

__all__ = ["SuiteOutcome", "render_markdown", "report_data", "write_reports"]


@dataclass(frozen=True, slots=True)
class SuiteOutcome:
    result: SuiteResult
    gate: GateResult


def report_data(
    outcomes: Sequence[SuiteOutcome], baseline: Baseline, *, judge_cost: JudgeCost | None = None
) -> dict[str, object]:
    """``judge_cost``: what the Claude judge spent, when one ran."""
    data: dict[str, object] = {
        "passed": all(o.gate.passed for o in outcomes),
        "epsilon": baseline.epsilon,
        "suites": {
            o.result.suite: {
                "skipped": o.result.skipped,
                "metrics": o.result.metrics,
                "floors": baseline.floors.get(o.result.suite, {}),
                "ceilings": baseline.ceilings.get(o.result.suite, {}),
                "failures": o.gate.failures,
                "notes": o.gate.notes,
                "details": o.result.details,
            }
            for o in outcomes
        },
    }
    if judge_cost is not None:
        data["judge"] = judge_cost.to_dict()
    return data


def render_markdown(
    outcomes: Sequence[SuiteOutcome], baseline: Baseline, *, judge_cost: JudgeCost | None = None
) -> str:
    passed = all(o.gate.passed for o in outcomes)
    lines = [
        "# Grounding evals",
        "",
        f"Gate: **{'passed' if passed else 'FAILED'}** "
        f"(a metric fails below its floor minus {baseline.epsilon}).",
        "",
    ]
    if judge_cost is not None:
        lines += [f"Judge: {judge_cost.summary()}.", ""]
    for o in outcomes:
        lines += [f"## {o.result.suite}", ""]
        if o.result.skipped:
            lines += [f"Skipped: {o.result.skipped}", ""]
            continue
        floors = baseline.floors.get(o.result.suite, {})
        ceilings = baseline.ceilings.get(o.result.suite, {})
        lines += ["| metric | value | floor (ceiling: ≤) |", "|---|---:|---:|"]
        for metric, value in sorted(o.result.metrics.items()):
            floor, ceiling = floors.get(metric), ceilings.get(metric)
            bound = f"{floor:.4f}" if floor is not None else f"≤ {ceiling:.4f}" if ceiling is not None else ""
            lines.append(f"| {metric} | {value:.4f} | {bound} |")
        lines.append("")
        note = o.result.details.get("note")
        if isinstance(note, str) and note:
            lines += [f"How to read these: {note}.", ""]
        lines += [f"- FAIL {f}" for f in o.gate.failures]
        lines += [f"- {n}" for n in o.gate.notes]
        for key in ("false_alarms", "undecided", "not_supported"):
            items = o.result.details.get(key)
            if isinstance(items, list) and items:
                lines += [f"### {key.replace('_', ' ')}", "", *(f"- {x}" for x in items[:20]), ""]
        missed = o.result.details.get("missed")
        if isinstance(missed, dict) and missed:
            lines += ["### missed perturbations", ""]
            for kind, cases in missed.items():
                lines += [f"- {kind}: {c}" for c in cases[:10]]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write_reports(
    outcomes: Sequence[SuiteOutcome],
    baseline: Baseline,
    report_dir: Path,
    *,
    judge_cost: JudgeCost | None = None,
) -> tuple[Path, Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = report_dir / "eval-report.json", report_dir / "eval-report.md"
    json_path.write_text(
        json.dumps(report_data(outcomes, baseline, judge_cost=judge_cost), indent=2, default=str) + "\n",
        encoding="utf-8",
    )
    md_path.write_text(render_markdown(outcomes, baseline, judge_cost=judge_cost), encoding="utf-8")
    return json_path, md_path
