"""Classifier metrics the suites report: balanced accuracy, ROC-AUC, and the verdict metrics of a checker.

A checker answers ``supported``, ``unsupported`` or ``unverifiable``; people labelled each row faithful (1)
or not (0). :func:`verdict_metrics` gives the five figures the issue asks for (all in [0, 1]):

- ``balanced_accuracy``: supported against the rest;
- ``false_flag_rate``: faithful rows given ``unsupported`` (a red flag a reviewer must clear for nothing);
- ``catch_rate``: unfaithful rows given ``unsupported``;
- ``undecided_share``: rows left ``unverifiable`` (for the judge or the reviewer);
- ``unsupported_precision``: the share of ``unsupported`` rows that are unfaithful.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["LOWER_IS_BETTER", "balanced_accuracy", "roc_auc", "verdict_metrics"]


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


# The verdict metrics where lower is better: the gate holds them under a ceiling, not over a floor.
LOWER_IS_BETTER = ("false_flag_rate", "undecided_share")


def verdict_metrics(labels: Sequence[int], verdicts: Sequence[str]) -> dict[str, float]:
    """The five verdict metrics (module docstring); NaN where a class or an ``unsupported`` is absent."""
    pairs = list(zip(labels, verdicts, strict=True))
    faithful = [v for lab, v in pairs if lab == 1]
    unfaithful = [v for lab, v in pairs if lab == 0]
    flagged = [lab for lab, v in pairs if v == "unsupported"]
    nan = float("nan")
    return {
        "balanced_accuracy": balanced_accuracy(labels, [int(v == "supported") for v in verdicts]),
        "false_flag_rate": faithful.count("unsupported") / len(faithful) if faithful else nan,
        "catch_rate": unfaithful.count("unsupported") / len(unfaithful) if unfaithful else nan,
        "undecided_share": [v for _, v in pairs].count("unverifiable") / len(pairs) if pairs else nan,
        "unsupported_precision": flagged.count(0) / len(flagged) if flagged else nan,
    }
