"""The ``tables`` suite: its material is consistent and the checker meets its 1.0 floors on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.suites import run_suite
from evals.table_perturbations import TABLE_CLAIMS, TABLE_KINDS, table_perturbations


def test_every_table_perturbation_is_caught_and_no_true_sentence_is_flagged() -> None:
    result = run_suite("tables")
    assert result.skipped is None
    assert result.metrics == {
        **{f"recall.{kind}": 1.0 for kind in TABLE_KINDS},
        "no_false_alarm_rate": 1.0,
        "untouched_supported_rate": 1.0,
    }, (result.details["missed"], result.details["false_alarms"], result.details["undecided"])


def test_a_perturbation_that_changes_nothing_is_refused(tmp_path: Path) -> None:
    data = json.loads(TABLE_CLAIMS.read_text(encoding="utf-8"))
    data["sentences"][0]["perturbations"].append(["swap_model", "not in the sentence", "x"])
    path = tmp_path / "table_claims.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="bad perturbation"):
        table_perturbations(path)


def test_a_missed_perturbation_lowers_its_recall(tmp_path: Path) -> None:
    data = json.loads(TABLE_CLAIMS.read_text(encoding="utf-8"))
    # "held rank 3" swapped for a model that did hold rank 3 is still true: the suite counts it as missed.
    data["sentences"] = [
        {
            "cites": "moves",
            "sentence": "Gemini 3.1 Pro Preview held rank 3 on Artificial Analysis.",
            "perturbations": [["swap_model", "on Artificial", "on the Artificial"]],
        }
    ]
    path = tmp_path / "table_claims.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    metrics, details = table_perturbations(path)
    assert metrics["recall.swap_model"] == 0.0 and details["missed"]
