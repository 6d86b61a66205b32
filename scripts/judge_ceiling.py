"""What the judge could add at most: balanced accuracy with a judge that is right on every sentence it reads.

    .venv/bin/python scripts/judge_ceiling.py ../shared/evals-data/grounding_dev.jsonl

Each row is scored as ``eval score`` scores it, without a judge. Then the verdicts a judge would read are
set to the row's label: with scope ``undecided`` the rows left ``unverifiable``, with scope ``passed`` those
and the rows passed as ``supported`` (these sets hold no tables, so every passed sentence is read). A row
the checks flagged ``unsupported`` keeps its flag in both. The figures are ceilings, not forecasts: a real
judge is measured with ``inference-report eval score FILE --out OUT --judge claude [--judge-scope passed]``,
which needs a key.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.metrics import verdict_metrics  # noqa: E402
from evals.runner import score_lines  # noqa: E402

_READ = {"none": (), "undecided": ("unverifiable",), "passed": ("unverifiable", "supported")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=Path, help="JSON lines of {id, source, claim, label}")
    args = parser.parse_args()
    lines = args.rows.read_text(encoding="utf-8").splitlines()
    scored = [(row["label"], str(row["verdict"])) for row in score_lines(lines) if "error" not in row]
    labels = [label for label, _ in scored if isinstance(label, int)]
    print(f"{args.rows.name}: {len(labels)} labelled rows")
    for judge, read in _READ.items():
        verdicts = [
            ("supported" if label == 1 else "unsupported") if verdict in read else verdict
            for label, verdict in scored
            if isinstance(label, int)
        ]
        metrics = verdict_metrics(labels, verdicts)
        print(f"  judge reads {judge:>9}: balanced accuracy {metrics['balanced_accuracy']:.3f}")


if __name__ == "__main__":
    main()
