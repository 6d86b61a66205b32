from __future__ import annotations

import math

from evals.metrics import balanced_accuracy, roc_auc


def test_roc_auc_counts_ties_half() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.5], [0.5]) == 0.5
    assert roc_auc([0.1], [0.9]) == 0.0
    assert roc_auc([0.9, 0.5], [0.5, 0.1]) == 0.875
    assert math.isnan(roc_auc([], [0.1]))


def test_balanced_accuracy_is_blind_to_class_balance() -> None:
    assert balanced_accuracy([1, 1, 0, 0], [1, 0, 0, 0]) == 0.75
    assert balanced_accuracy([1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]) == 0.5
    assert math.isnan(balanced_accuracy([1, 1], [1, 0]))
