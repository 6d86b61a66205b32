"""The Python API behind ``inference-report eval``: run suites, gate them, write the reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

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
from evals.grounding.pairs import UNDECIDED_BAND, score_pair
from evals.judge import ClaudeJudge, JudgeCost
from evals.pipeline import DraftRunner
from evals.report import SuiteOutcome, write_reports
from evals.suites import GROUNDING_DEV, SUITES, run_suite, sample_draft

__all__ = ["EvalRun", "GateError", "judge_cost_report", "run_evals", "score_lines"]


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
    corpus = {"grounding-dev": file_sha256(GROUNDING_DEV)} if GROUNDING_DEV.is_file() else {}
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
    """``{id, source, claim}`` JSON lines in, ``{id, verdict, score, reasons}`` out.

    Blank lines are skipped; a bad line yields ``{id: None, line, error}`` and the rest are still scored.
    """
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = parse_row(line, ("id", "source", "claim"))
        if isinstance(row, dict) and not (isinstance(row["source"], str) and isinstance(row["claim"], str)):
            row = "source and claim must be strings"
        if isinstance(row, str):
            yield {"id": None, "line": number, "error": f"line {number}: {row}"}
            continue
        source, claim = row["source"], row["claim"]
        verdict, score, reasons = score_pair(source, claim)
        if judge is not None and UNDECIDED_BAND[0] <= score < UNDECIDED_BAND[1]:
            verdict, score, judged = judge.judge(claim, [source])
            reasons = [*reasons, *(f"judge: {r}" for r in judged)]
        yield {"id": row["id"], "verdict": verdict.value, "score": score, "reasons": reasons}
