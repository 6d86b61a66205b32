from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.grounding import pairs
from evals.grounding._pair_fit import FEATURES, _solve, fit_logistic, valid_rows


def test_solve_a_small_linear_system() -> None:
    assert _solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])


def test_the_fit_weights_the_informative_feature_and_ignores_noise() -> None:
    rows, labels = [], []
    for i in range(200):
        signal = (i % 10) / 10
        row = dict.fromkeys(FEATURES, 0.0)
        row["co_occurrence"] = signal
        row["sentences"] = float(i % 3)  # independent of the label
        rows.append(row)
        labels.append(int(signal + (0.15 if i % 7 == 0 else 0.0) > 0.5))
    model = fit_logistic(rows, labels)
    assert model.weights["co_occurrence"] > 5
    assert abs(model.weights["sentences"]) < 0.5
    assert model.logit({**rows[0], "co_occurrence": 0.9}) > 0 > model.logit({**rows[0], "co_occurrence": 0.1})


def test_only_valid_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    lines = [
        {
            "id": "a-1",
            "source": "s",
            "claim": "c",
            "label": 1,
            "origin": "FRANK/xsum (split=valid, system=x)",
        },
        {"id": "b-1", "source": "s", "claim": "c", "label": 0, "origin": "FRANK/xsum (split=test, system=x)"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    assert [r["id"] for r in valid_rows(path)] == ["a-1"]


@pytest.mark.shared
def test_the_committed_weights_are_the_fit_on_the_valid_split(shared_dir: Path) -> None:
    from evals.grounding._pair_fit import _features

    rows = valid_rows(shared_dir / "evals-data" / "grounding_dev.jsonl")
    model = fit_logistic([_features(r) for r in rows], [int(str(r["label"])) for r in rows])
    assert model.weights == pytest.approx(pairs._WEIGHTS, rel=2e-3)
    assert model.bias == pytest.approx(pairs._BIAS, rel=2e-3)
