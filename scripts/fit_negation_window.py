"""Re-derives the checker's second fitted number, the negation window, and prints its figures.

A sentence that negates a word its cited passage never uses ("the apps are not functioning" where the
passage says "the apps I installed don't work") is left undecided unless a passage sentence about the same
thing is itself negative. What the negation is about is read from the content words just before it; the
window (:data:`evals.grounding._core.NEGATION_SUBJECT_WORDS`) says how many. It is chosen for balanced
accuracy on ``../shared/evals-data/summedits_dev.jsonl`` from :data:`WINDOWS` (0: the rule off) together
with the coverage line (:mod:`evals.grounding.fit`), and checked by 5-fold cross-validation grouped by
source document (both chosen without each fold's documents, applied to them). FRANK is never read here.

    .venv/bin/python scripts/fit_negation_window.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import Verdict  # noqa: E402
from evals._jsonl import read_rows  # noqa: E402
from evals.grounding import _core  # noqa: E402
from evals.grounding._core import SUPPORTED_COVERAGE  # noqa: E402
from evals.grounding.documents import DocumentClaim, RowVerdict, check_documents  # noqa: E402
from evals.grounding.fit import FOLDS, GRID, fold_of, replay  # noqa: E402
from evals.metrics import balanced_accuracy, verdict_metrics  # noqa: E402
from evals.suites import SUMMEDITS_DEV  # noqa: E402

WINDOWS = (0, 2, 3, 4, 6, 8)


def main() -> None:
    if not SUMMEDITS_DEV.is_file():
        sys.exit(f"{SUMMEDITS_DEV} not found (../shared/evals-data is absent on this machine)")
    rows = read_rows(SUMMEDITS_DEV, ("source", "claim", "label"))
    claims = [DocumentClaim(str(r.get("id", n)), r["source"], r["claim"]) for n, r in enumerate(rows)]
    labels = [int(r["label"]) for r in rows]
    shipped = _core.NEGATION_SUBJECT_WORDS
    # Each window's check made once at coverage line 0; any line is replayed from it (evals.grounding.fit).
    checked: dict[int, list[RowVerdict]] = {}
    try:
        for window in WINDOWS:
            _core.NEGATION_SUBJECT_WORDS = window
            checked[window] = check_documents(claims, supported_coverage=0.0)
    finally:
        _core.NEGATION_SUBJECT_WORDS = shipped

    def accuracy(window: int, line: float, idx: list[int]) -> float:
        supported = [int(replay(checked[window][i], line) is Verdict.SUPPORTED) for i in idx]
        return balanced_accuracy([labels[i] for i in idx], supported)

    def choose(idx: list[int]) -> tuple[int, float]:
        # A tie goes to the smaller window (the rule that reads fewer words) and the higher line.
        pairs = [(w, line) for w in WINDOWS for line in GRID]
        return max(pairs, key=lambda p: (round(accuracy(p[0], p[1], idx), 6), -p[0], p[1]))

    everything = list(range(len(rows)))
    best = choose(everything)
    print(f"chosen on all {len(rows)} SummEdits rows: window {best[0]}, coverage line {best[1]}")
    print(f"  (shipped: window {shipped}, line {SUPPORTED_COVERAGE})")
    for window in WINDOWS:
        print(
            f"  window {window} at line {SUPPORTED_COVERAGE}: balanced accuracy "
            f"{accuracy(window, SUPPORTED_COVERAGE, everything):.4f}"
        )
    fold = [fold_of(r["source"]) for r in rows]
    held_out: list[str] = [""] * len(rows)
    chosen = []
    for k in range(FOLDS):
        window, line = choose([i for i in everything if fold[i] != k])
        chosen.append((window, line))
        for i in everything:
            if fold[i] == k:
                held_out[i] = replay(checked[window][i], line).value
    figures = verdict_metrics(labels, held_out)
    shown = ", ".join(f"{k} {v:.4f}" for k, v in figures.items())
    print(f"grouped {FOLDS}-fold cross-validation by source document, window and line chosen together")
    print(f"  (window, line) per fold {chosen}: {shown}")


if __name__ == "__main__":
    main()
