"""The Python API behind ``inference-report eval``: run suites, gate them, write the reports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.gate import BASELINE_PATH, Baseline, GateError, compare, file_sha256, updated_baseline
from evals.grounding.checker import ClaimJudge
from evals.grounding.pairs import UNDECIDED_BAND, score_pair
from evals.pipeline import DraftRunner
from evals.report import SuiteOutcome, write_reports
from evals.suites import (
    GROUNDING_DEV,
    SUITES,
    SuiteResult,
    grounding_dev,
    perturbations,
    pipeline,
    sample_draft,
)

__all__ = ["EvalRun", "run_evals", "score_lines"]


@dataclass(frozen=True, slots=True)
class EvalRun:
    outcomes: list[SuiteOutcome]
    json_report: Path
    markdown_report: Path
    baseline_updated: bool

    @property
    def passed(self) -> bool:
        return all(o.gate.passed for o in self.outcomes)


def _run(name: str, judge: ClaimJudge | None, draft_runner: DraftRunner) -> SuiteResult:
    if name == "perturbations":
        return perturbations(judge=judge, draft_runner=draft_runner)
    if name == "grounding-dev":
        return grounding_dev()
    if name == "pipeline":
        return pipeline(draft_runner=draft_runner)
    raise KeyError(name)


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

    With ``update_baseline`` the floors become the measured values; :class:`GateError` if one would be
    lowered without ``allow_lower``. The gate is judged against the baseline as it was before the update.
    """
    unknown = [s for s in suites if s not in SUITES]
    if unknown:
        raise KeyError(f"unknown suite(s): {', '.join(unknown)} (known: {', '.join(SUITES)})")
    baseline = Baseline.load(baseline_path)
    results = {name: _run(name, judge, draft_runner) for name in suites}
    corpus = {"grounding-dev": file_sha256(GROUNDING_DEV)} if GROUNDING_DEV.is_file() else {}
    outcomes = [
        SuiteOutcome(r, compare(r, baseline, corpus_sha=corpus.get(name))) for name, r in results.items()
    ]
    updated = False
    if update_baseline:
        new = updated_baseline(
            baseline,
            results,
            allow_lower=allow_lower,
            corpus={k: v for k, v in corpus.items() if k in results},
        )
        new.save(baseline_path)
        updated = True
        outcomes = [SuiteOutcome(r, compare(r, new, corpus_sha=corpus.get(n))) for n, r in results.items()]
        baseline = new
    json_path, md_path = write_reports(outcomes, baseline, report_dir)
    return EvalRun(outcomes, json_path, md_path, updated)


def score_lines(lines: Iterable[str], *, judge: ClaimJudge | None = None) -> Iterator[dict[str, object]]:
    """``{id, source, claim}`` JSON lines in, ``{id, verdict, score, reasons}`` out; bad lines: ``error``."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row_id, source, claim = row["id"], row["source"], row["claim"]
            if not isinstance(source, str) or not isinstance(claim, str):
                raise TypeError("source and claim must be strings")
        except (ValueError, KeyError, TypeError) as exc:
            yield {"id": None, "line": number, "error": f"line {number}: {type(exc).__name__}: {exc}"}
            continue
        verdict, score, reasons = score_pair(source, claim)
        if judge is not None and UNDECIDED_BAND[0] <= score < UNDECIDED_BAND[1]:
            verdict, score, judged = judge.judge(claim, [source])
            reasons = [*reasons, *(f"judge: {r}" for r in judged)]
        yield {"id": row_id, "verdict": verdict.value, "score": score, "reasons": reasons}


__all__ += ["GateError"]
