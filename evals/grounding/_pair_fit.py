"""How the weights of :func:`evals.grounding.pairs.score_pair` were fitted, so anyone can re-derive them.

``python -m evals.grounding._pair_fit [grounding_dev.jsonl]`` reads ONLY the rows whose ``origin`` says
``split=valid``, fits an L2-regularised logistic regression on standardised features (Newton's method, so
the optimum is exact and deterministic), folds the standardisation back into raw-scale weights, and prints
them with a 5-fold cross-validation grouped by article (rows of one article share a fold). Pure Python: the
problem is 151 rows by 8 features.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.grounding._pair_features import pair_features

__all__ = ["FEATURES", "FittedModel", "fit_logistic", "main", "valid_rows"]

FEATURES = (
    "co_occurrence",
    "aligned_coverage",
    "copy_density",
    "novel_words",
    "bigram_precision",
    "repeated_words",
    "sentences",
    "splice_rate",
)
L2 = 0.01
_NEWTON_STEPS = 50


@dataclass(frozen=True, slots=True)
class FittedModel:
    weights: dict[str, float]  # on raw feature values
    bias: float

    def logit(self, row: dict[str, float]) -> float:
        return self.bias + sum(w * row[name] for name, w in self.weights.items())


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gauss-Jordan elimination with partial pivoting (the system is small and positive definite)."""
    n = len(vector)
    a = [[*row, v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def fit_logistic(rows: Sequence[dict[str, float]], labels: Sequence[int], l2: float = L2) -> FittedModel:
    """Minimise mean log-loss + l2/2 * |w|^2 on standardised features (bias not penalised)."""
    n = len(rows)
    mean = {f: math.fsum(r[f] for r in rows) / n for f in FEATURES}
    std = {f: math.sqrt(math.fsum((r[f] - mean[f]) ** 2 for r in rows) / n) or 1.0 for f in FEATURES}
    xs = [[(r[f] - mean[f]) / std[f] for f in FEATURES] + [1.0] for r in rows]
    dim = len(FEATURES) + 1
    w = [0.0] * dim
    for _ in range(_NEWTON_STEPS):
        grad = [l2 * w[i] if i < dim - 1 else 0.0 for i in range(dim)]
        hess = [[(l2 if i == j and i < dim - 1 else 0.0) for j in range(dim)] for i in range(dim)]
        for x, y in zip(xs, labels, strict=True):
            p = 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, x, strict=True))))
            for i in range(dim):
                grad[i] += (p - y) * x[i] / n
                for j in range(dim):
                    hess[i][j] += p * (1 - p) * x[i] * x[j] / n
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            break
    weights = {f: w[i] / std[f] for i, f in enumerate(FEATURES)}
    bias = w[-1] - sum(w[i] * mean[f] / std[f] for i, f in enumerate(FEATURES))
    return FittedModel(weights, bias)


def valid_rows(path: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "split=valid" in r.get("origin", "")]


def _features(row: dict[str, object]) -> dict[str, float]:
    f = pair_features(str(row["source"]), str(row["claim"]))
    return {name: float(getattr(f, name)) for name in FEATURES}


def _grouped_cv_auc(feats: list[dict[str, float]], labels: list[int], groups: list[str], seed: int) -> float:
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    fold = {g: i % 5 for i, g in enumerate(names)}
    scores = [0.0] * len(feats)
    for k in range(5):
        train = [i for i, g in enumerate(groups) if fold[g] != k]
        model = fit_logistic([feats[i] for i in train], [labels[i] for i in train])
        for i, g in enumerate(groups):
            if fold[g] == k:
                scores[i] = model.logit(feats[i])
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    return sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))


def main(argv: Sequence[str] = ()) -> int:
    default = Path(__file__).resolve().parents[3] / "shared" / "evals-data" / "grounding_dev.jsonl"
    path = Path(argv[0]) if argv else default
    rows = valid_rows(path)
    feats = [_features(r) for r in rows]
    labels = [int(str(r["label"])) for r in rows]
    model = fit_logistic(feats, labels)
    print(f"{len(rows)} valid rows; L2 = {L2}")
    for name, w in model.weights.items():
        print(f"    {name!r}: {w:.4g},")
    print(f"bias: {model.bias:.4g}")
    groups = [str(r["id"]).rsplit("-", 1)[0] for r in rows]
    aucs = [_grouped_cv_auc(feats, labels, groups, seed) for seed in range(4)]
    print(f"5-fold grouped CV ROC-AUC over 4 seeds: {', '.join(f'{a:.3f}' for a in aucs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
