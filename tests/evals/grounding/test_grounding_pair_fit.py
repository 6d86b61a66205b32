from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.grounding import pairs
from evals.grounding._pair_features import pair_features
from evals.grounding._pair_fit import (
    FEATURES,
    NOTHING_FOUND_LOGIT,
    FittedModel,
    _solve,
    article_folds,
    claim_rows,
    cross_validate,
    fit_logistic,
    fit_sentences,
    valid_rows,
)


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


def _row(co_occurrence: float, aligned_coverage: float = 1.0) -> dict[str, float]:
    row = dict.fromkeys(FEATURES, 0.0)
    return {**row, "co_occurrence": co_occurrence, "aligned_coverage": aligned_coverage}


def test_a_sentence_with_nothing_from_the_source_is_capped_however_it_scores() -> None:
    model = FittedModel(weights={"co_occurrence": 10.0}, bias=0.0)
    assert model.sentence_logit(_row(1.0)) == 10.0
    assert model.sentence_logit(_row(1.0, aligned_coverage=0.0)) == NOTHING_FOUND_LOGIT
    assert model.sentence_logit(_row(-1.0, aligned_coverage=0.0)) == -10.0  # the cap never raises a score
    assert model.claim_logit([_row(1.0), _row(1.0, aligned_coverage=0.0)]) == NOTHING_FOUND_LOGIT


def test_article_folds_keep_an_article_whole_and_balance_the_folds() -> None:
    articles = [f"a{i // 3}" for i in range(30)]  # 10 articles, 3 summaries each
    folds = article_folds(articles, 4, seed=7)
    assert set(folds) == set(articles) and set(folds.values()) == {0, 1, 2, 3}
    sizes = sorted(list(folds.values()).count(k) for k in range(4))
    assert sizes == [2, 2, 3, 3]
    assert folds == article_folds(list(reversed(articles)), 4, seed=7)  # the order of rows does not matter
    assert folds != article_folds(articles, 4, seed=8)


def test_cross_validation_separates_a_separable_set() -> None:
    signals = [(i % 8) / 8 + 0.0625 for i in range(40)]
    claims = [[_row(x)] for x in signals]
    labels = [int(x > 0.5) for x in signals]
    result = cross_validate(claims, labels, [f"a{i}" for i in range(40)], folds=5, seeds=2)
    assert (result.balanced_accuracy, result.roc_auc, result.folds, result.seeds) == (1.0, 1.0, 5, 2)


def test_cross_validation_scores_every_claim_with_a_model_that_never_saw_its_article() -> None:
    articles = [f"a{i // 3}" for i in range(30)]
    # Each claim's row carries its article's number, for the spy to read (the model ignores it).
    claims = [[{**_row(0.5), "article": float(i // 3)}] for i in range(30)]
    scored: list[float] = []

    class SpyModel:
        def __init__(self, trained_on: set[float]) -> None:
            self.trained_on = trained_on

        def claim_logit(self, rows: list[dict[str, float]]) -> float:
            assert rows[0]["article"] not in self.trained_on
            scored.append(rows[0]["article"])
            return 0.0

    def spy_fit(train: list[list[dict[str, float]]], labels: list[int], l2: float) -> SpyModel:
        return SpyModel({rows[0]["article"] for rows in train})

    cross_validate(claims, [i % 2 for i in range(30)], articles, folds=4, seeds=3, fit=spy_fit)  # type: ignore[arg-type]
    assert sorted(scored) == sorted([float(i // 3) for i in range(30)] * 3)  # each claim once per shuffle
