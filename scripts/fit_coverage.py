"""Re-derives the checker's one fitted number, its coverage line, and prints its figures.

The line (:data:`evals.grounding._core.SUPPORTED_COVERAGE`) is chosen for balanced accuracy on
``../shared/evals-data/summedits_dev.jsonl`` from :data:`evals.grounding.fit.GRID`; the script prints the
balanced accuracy at every line of the grid and the figures of grouped cross-validation (the line chosen
without each fold's source documents), which the ``summedits-dev`` suite reports as ``cv.*``.

    .venv/bin/python scripts/fit_coverage.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals._jsonl import read_rows  # noqa: E402
from evals.grounding._core import SUPPORTED_COVERAGE  # noqa: E402
from evals.grounding.documents import DocumentClaim, check_documents  # noqa: E402
from evals.grounding.fit import FOLDS, GRID, choose_line, cross_validated, replay  # noqa: E402
from evals.metrics import balanced_accuracy, verdict_metrics  # noqa: E402
from evals.suites import SUMMEDITS_DEV  # noqa: E402


def main() -> None:
    if not SUMMEDITS_DEV.is_file():
        sys.exit(f"{SUMMEDITS_DEV} not found (../shared/evals-data is absent on this machine)")
    rows = read_rows(SUMMEDITS_DEV, ("source", "claim", "label"))
    checked = check_documents(
        [DocumentClaim(str(r.get("id", n)), r["source"], r["claim"]) for n, r in enumerate(rows)],
        supported_coverage=0.0,
    )
    labels = [int(r["label"]) for r in rows]
    line = choose_line(checked, labels)
    print(f"chosen on all {len(rows)} SummEdits rows: {line} (shipped: {SUPPORTED_COVERAGE})")
    for grid_line in GRID:
        supported = [int(replay(r, grid_line).value == "supported") for r in checked]
        print(f"  line {grid_line}: balanced accuracy {balanced_accuracy(labels, supported):.4f}")
    held_out, lines = cross_validated(checked, labels, [r["source"] for r in rows])
    figures = verdict_metrics(labels, [v.value for v in held_out])
    shown = ", ".join(f"{k} {v:.4f}" for k, v in figures.items())
    print(f"grouped {FOLDS}-fold cross-validation by source document (lines {lines}): {shown}")


if __name__ == "__main__":
    main()
