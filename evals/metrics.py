"""The two classifier metrics every suite and the pair fit report: balanced accuracy and ROC-AUC."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["balanced_accuracy", "roc_auc"]


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability a positive outscores a negative (ties count half): the Mann-Whitney form of ROC-AUC."""
    if not positives or not negatives:
        return float("nan")
    ranked = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # average 1-based rank of the tie block
        rank_sum += mid * sum(1 for k in range(i, j) if ranked[k][1] == 1)
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def balanced_accuracy(labels: Sequence[int], predictions: Sequence[int]) -> float:
    """The mean of the recall on each class: 0.5 for any constant answer, whatever the class balance."""
    pos = [p for lab, p in zip(labels, predictions, strict=True) if lab == 1]
    neg = [p for lab, p in zip(labels, predictions, strict=True) if lab == 0]
    if not pos or not neg:
        return float("nan")
    return (sum(pos) / len(pos) + sum(1 - p for p in neg) / len(neg)) / 2
