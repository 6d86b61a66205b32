"""The Python API behind ``inference-report eval``: run suites, gate them, write the reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals._jsonl import parse_row
from evals.gate import (
    BASELINE_PATH,
    Baseline,
    GateError,
    compare,
    file_sha256,
    unknown_suites,
    updated_baseline,
)
from evals.grounding.checker import ClaimJudge
from evals.grounding.documents import DocumentClaim, check_documents
from evals.judge import ClaudeJudge, JudgeCost
from evals.metrics import verdict_metrics
from evals.pipeline import DraftRunner
from evals.report import SuiteOutcome, write_reports
from evals.suites import DATASETS, SUITES, run_suite, sample_draft

__all__ = ["EvalRun", "GateError", "judge_cost_report", "run_evals", "score_lines", "score_summary"]


@dataclass(frozen=True, slots=True)
class EvalRun:
    outcomes: list[SuiteOutcome]
    json_report: Path
    markdown_report: Path
    baseline_updated: bool
    # What the Claude judge spent; None without a judge that bills.
    judge_cost: JudgeCost | None = None

    @property
    def passed(self) -> bool:
        return all(o.gate.passed for o in self.outcomes)


def run_evals(
    suites: Sequence[str],
    *,
    report_dir: Path,
    baseline_path: Path = BASELINE_PATH,
    update_baseline: bool = False,
    allow_lower: bool = False,
    judge: ClaimJudge | None = None,
    draft_runner: DraftRunner = sample_draft,
) -> EvalRun:
    """Run ``suites`` (names from :data:`evals.suites.SUITES`), gate them and write both reports.

    With ``update_baseline`` the floors become the measured values (:class:`GateError` if one would be
    lowered or dropped without ``allow_lower``) and the gate is judged against the updated floors.
    :class:`GateError` too when the baseline is absent (unless updating) or has floors for an unknown suite.
    """
    unknown = [s for s in suites if s not in SUITES]
    if unknown:
        raise ValueError(f"unknown suite(s): {', '.join(unknown)} (known: {', '.join(SUITES)})")
    baseline = Baseline.load(baseline_path, missing_ok=update_baseline)
    orphans = unknown_suites(baseline, SUITES)
    if orphans:
        raise GateError(
            f"{baseline_path} has floors for unknown suite(s) {', '.join(orphans)}: a renamed suite must "
            "carry its floors over, or remove them on purpose"
        )
    results = {name: run_suite(name, judge=judge, draft_runner=draft_runner) for name in suites}
    corpus = {name: file_sha256(path) for name, path in DATASETS.items() if path.is_file()}
    if update_baseline:
        baseline = updated_baseline(
            baseline,
            results,
            allow_lower=allow_lower,
            corpus={k: v for k, v in corpus.items() if k in results},
        )
        baseline.save(baseline_path)
    outcomes = [SuiteOutcome(r, compare(r, baseline, corpus_sha=corpus.get(n))) for n, r in results.items()]
    judge_cost = judge_cost_report(judge)
    json_path, md_path = write_reports(outcomes, baseline, report_dir, judge_cost=judge_cost)
    return EvalRun(outcomes, json_path, md_path, update_baseline, judge_cost)


def judge_cost_report(judge: ClaimJudge | None) -> JudgeCost | None:
    """The judge's spend when it bills (the Claude judge); None for no judge or one that costs nothing."""
    return judge.cost() if isinstance(judge, ClaudeJudge) else None


def score_lines(lines: Iterable[str], *, judge: ClaimJudge | None = None) -> Iterator[dict[str, object]]:
    """``{id, source, claim}`` JSON lines in, ``{id, verdict, score, reasons}`` out, in order (plus the
    row's ``label`` when it has a valid one: :func:`score_summary` reads it, ``eval score`` drops it).

    Each claim is checked against its whole source by the pipeline's checker (:func:`check_documents`).
    Blank lines are skipped; a line that cannot be read yields ``{id, line, error}`` and the rest are still
    scored; a row the checker cannot read (an empty source or claim, a source too long) gets its reason.
    A ``label`` (1 faithful, 0 not) is optional and passed through, for :func:`score_summary`.
    """
    parsed: list[tuple[int, dict[str, Any] | str]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = parse_row(line, ("id", "source", "claim"))
        if isinstance(row, dict) and not (isinstance(row["source"], str) and isinstance(row["claim"], str)):
            row = "source and claim must be strings"
        parsed.append((number, row))
    good = [(n, row) for n, row in parsed if isinstance(row, dict)]
    checked = iter(
        check_documents(
            [DocumentClaim(str(row["id"]), row["source"], row["claim"]) for _, row in good], judge=judge
        )
    )
    for number, row in parsed:
        if isinstance(row, str):
            yield {"id": None, "line": number, "error": f"line {number}: {row}"}
            continue
        verdict = next(checked)
        label = _label(row)
        if isinstance(label, str):
            verdict.reasons.append(label)
        out = verdict.to_json()
        out["id"] = row["id"]
        if isinstance(label, int):
            out["label"] = label
        yield out


def _label(row: dict[str, Any]) -> int | str | None:
    """The row's label as 0 or 1; None without one; what is wrong with it otherwise."""
    if "label" not in row:
        return None
    value = row["label"]
    if type(value) in (int, float) and value in (0, 1):
        return int(value)
    return f"the label {value!r} is not 0 or 1: the row is not counted in the metrics"


def score_summary(rows: Sequence[dict[str, object]]) -> dict[str, float] | None:
    """The verdict metrics over the scored rows that carry a label; None when none does."""
    labels: list[int] = []
    verdicts: list[str] = []
    for row in rows:
        label = row.get("label")
        if isinstance(label, int):
            labels.append(label)
            verdicts.append(str(row["verdict"]))
    return verdict_metrics(labels, verdicts) if labels else None
