"""The one fitted part of the checker: the coverage line between ``supported`` and ``unverifiable``.

A sentence no check finds anything wrong with is supported when the evidence holds at least this share of
its content words (:data:`evals.grounding._core.SUPPORTED_COVERAGE`); below it the checker cannot tell a
paraphrase from new content, and the sentence is left to the judge or the reviewer. The line moves
balanced accuracy only (a sentence below it is undecided, never flagged), so it is chosen for balanced
accuracy, on SummEdits (LLM-written prose, what the writers produce), from :data:`GRID`; a tie goes to the
higher, more cautious line. FRANK is never used to choose it, so its figures are held out.

Honest figures for a fitted line come from grouped cross-validation: the SummEdits rows are split into
:data:`FOLDS` folds by source document (rows sharing a document are edits of one summary), the line is
chosen on the other folds and applied to the held-out one. ``scripts/fit_coverage.py`` re-derives the
shipped line and prints both figures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from agent.domain.models import Verdict
from evals.grounding.documents import RowVerdict
from evals.metrics import balanced_accuracy

__all__ = ["FOLDS", "GRID", "choose_line", "cross_validated", "replay"]

GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
FOLDS = 5


def replay(row: RowVerdict, line: float) -> Verdict:
    """The row's verdict at coverage ``line``, from a check made at line 0 (nothing held for coverage)."""
    if not row.sentences:
        return row.verdict
    verdicts = [
        Verdict.UNVERIFIABLE if v is Verdict.SUPPORTED and (c is not None and c < line) else v
        for v, c in zip(row.sentences, row.coverages, strict=True)
    ]
    if all(v is Verdict.SUPPORTED for v in verdicts):
        return Verdict.SUPPORTED
    return Verdict.UNSUPPORTED if Verdict.UNSUPPORTED in verdicts else Verdict.UNVERIFIABLE


def _accuracy(rows: Sequence[RowVerdict], labels: Sequence[int], line: float) -> float:
    return balanced_accuracy(labels, [int(replay(r, line) is Verdict.SUPPORTED) for r in rows])


def choose_line(rows: Sequence[RowVerdict], labels: Sequence[int]) -> float:
    """The line of :data:`GRID` with the best balanced accuracy on ``rows``; the higher one on a tie."""
    return max(reversed(GRID), key=lambda line: round(_accuracy(rows, labels, line), 6))


def fold_of(group: str, folds: int = FOLDS) -> int:
    """A fixed fold for each source document (by hash: no seed, the same split on every machine)."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % folds


def cross_validated(
    rows: Sequence[RowVerdict], labels: Sequence[int], groups: Sequence[str], folds: int = FOLDS
) -> tuple[list[Verdict], list[float]]:
    """Each row's verdict at the line chosen without its document's rows, and the line of each fold."""
    fold = [fold_of(g, folds) for g in groups]
    out: list[Verdict | None] = [None] * len(rows)
    lines: list[float] = []
    for k in range(folds):
        train = [i for i, f in enumerate(fold) if f != k]
        line = choose_line([rows[i] for i in train], [labels[i] for i in train])
        lines.append(line)
        for i, f in enumerate(fold):
            if f == k:
                out[i] = replay(rows[i], line)
    return [v if v is not None else Verdict.UNVERIFIABLE for v in out], lines
