from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.grounding import pairs
from evals.grounding._pair_features import pair_features
from evals.grounding._pair_fit import FEATURES, _solve, claim_rows, fit_logistic, fit_sentences, valid_rows


def test_solve_a_small_linear_system() -> None:
    assert _solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])


def test_the_fit_weights_the_informative_feature_and_ignores_noise() -> None:
    rows, labels = [], []
    for i in range(200):
        signal = (i % 10) / 10
        row = dict.fromkeys(FEATURES, 0.0)
        row["co_occurrence"] = signal
        row["sentence_count"] = float(i % 3)  # independent of the label
        rows.append(row)
        labels.append(int(signal + (0.15 if i % 7 == 0 else 0.0) > 0.5))
    model = fit_logistic(rows, labels)
    assert model.weights["co_occurrence"] > 5
    assert abs(model.weights["sentence_count"]) < 0.5
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


def test_a_claim_weighs_one_however_many_sentences_it_has() -> None:
    # Claim A (label 1) has one sentence at 0.8; claim B (label 0) has four at 0.2. Weighted per claim, the
    # two claims pull equally and the boundary sits between them; counted per sentence B would dominate.
    def row(value: float) -> dict[str, float]:
        return {**dict.fromkeys(FEATURES, 0.0), "co_occurrence": value}

    claims = [[row(0.8)], [row(0.2)] * 4] * 20
    labels = [1, 0] * 20
    model = fit_sentences(claims, labels)
    assert model.logit(row(0.5)) == pytest.approx(0.0, abs=0.05)
    assert model.claim_logit([row(0.8), row(0.2)]) == model.logit(row(0.2))


def test_a_claim_without_content_words_is_one_neutral_row() -> None:
    (row,) = claim_rows(pair_features("Gary Locke will be confirmed on Friday.", "It is."))
    assert row["co_occurrence"] == row["aligned_coverage"] == 1.0 and row["novel_words"] == 0.0


@pytest.mark.shared
def test_the_committed_weights_are_the_fit_on_the_valid_split(shared_dir: Path) -> None:
    from evals.grounding._pair_fit import _claim_rows

    rows = valid_rows(shared_dir / "evals-data" / "grounding_dev.jsonl")
    model = fit_sentences([_claim_rows(r) for r in rows], [int(str(r["label"])) for r in rows])
    assert model.weights == pytest.approx(pairs._MODEL.weights, rel=2e-3)
    assert model.bias == pytest.approx(pairs._MODEL.bias, rel=2e-3)
