from __future__ import annotations

from pathlib import Path

import pytest

from evals.gate import Baseline, GateError, compare, unknown_suites, updated_baseline
from evals.suites import SuiteResult


def _result(**metrics: float) -> SuiteResult:
    return SuiteResult("perturbations", metrics=dict(metrics))


BASE = Baseline(floors={"perturbations": {"recall.number": 0.98, "no_false_alarm_rate": 0.98}}, epsilon=0.005)


def test_at_or_above_the_floor_passes() -> None:
    assert compare(_result(**{"recall.number": 0.98, "no_false_alarm_rate": 1.0}), BASE).passed


def test_within_epsilon_passes_and_below_fails() -> None:
    assert compare(_result(**{"recall.number": 0.976, "no_false_alarm_rate": 1.0}), BASE).passed
    gate = compare(_result(**{"recall.number": 0.97, "no_false_alarm_rate": 1.0}), BASE)
    assert not gate.passed and "recall.number" in gate.failures[0]


def test_a_missing_metric_fails() -> None:
    assert not compare(_result(**{"recall.number": 1.0}), BASE).passed


def test_a_skipped_suite_is_a_note_unless_broken_with_floors() -> None:
    skipped = SuiteResult("perturbations", skipped="../shared absent")
    assert compare(skipped, BASE).passed
    broken = SuiteResult("perturbations", skipped="draft exited 1", broken=True)
    assert not compare(broken, BASE).passed


def test_a_changed_corpus_fails() -> None:
    base = Baseline(floors={}, corpus={"perturbations": "sha256:aaa"})
    assert not compare(_result(), base, corpus_sha="sha256:bbb").passed


def test_raising_a_floor_is_allowed() -> None:
    new = updated_baseline(
        BASE, {"perturbations": _result(**{"recall.number": 1.0, "no_false_alarm_rate": 1.0})}
    )
    assert new.floors["perturbations"]["recall.number"] == 1.0


def test_lowering_a_floor_is_refused_without_the_flag() -> None:
    lower = {"perturbations": _result(**{"recall.number": 0.5, "no_false_alarm_rate": 1.0})}
    with pytest.raises(GateError, match=r"recall\.number"):
        updated_baseline(BASE, lower)
    assert updated_baseline(BASE, lower, allow_lower=True).floors["perturbations"]["recall.number"] == 0.5


def test_baseline_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    BASE.save(path)
    assert Baseline.load(path) == BASE


def test_a_corrupt_baseline_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(GateError):
        Baseline.load(path)


def test_a_renamed_metric_fails_and_says_so() -> None:
    gate = compare(_result(**{"recall.numbers": 1.0, "no_false_alarm_rate": 1.0}), BASE)
    assert not gate.passed
    assert gate.failures == [
        "recall.number: missing from the result (floor 0.98); a renamed metric keeps its floor until it is "
        "dropped on purpose with --update-baseline --allow-lower"
    ]
    assert gate.notes == ["recall.numbers: no floor yet (set one with --update-baseline)"]


def test_an_update_drops_a_missing_metrics_floor_only_with_allow_lower() -> None:
    renamed = {"perturbations": _result(**{"recall.numbers": 1.0, "no_false_alarm_rate": 1.0})}
    with pytest.raises(GateError, match=r"recall\.number: 0\.9800 -> missing"):
        updated_baseline(BASE, renamed)
    new = updated_baseline(BASE, renamed, allow_lower=True)
    assert new.floors["perturbations"] == {"recall.numbers": 1.0, "no_false_alarm_rate": 1.0}


def test_a_nan_metric_is_missing_not_passing() -> None:
    gate = compare(_result(**{"recall.number": float("nan"), "no_false_alarm_rate": 1.0}), BASE)
    assert not gate.passed and "recall.number: missing" in gate.failures[0]
    # Under a ceiling too: NaN > ceiling is False, so a NaN false-flag rate would pass unless caught.
    nan_rate = _dev(catch_rate=0.5, false_flag_rate=float("nan"), **{"ectsum.false_flag_rate": 0.02})
    ceiled = compare(nan_rate, CEILED)
    assert ceiled.failures == [
        "false_flag_rate: missing from the result (ceiling 0.1); a renamed metric keeps its ceiling until it "
        "is dropped on purpose with --update-baseline --allow-lower"
    ]


def test_an_absent_baseline_is_an_error_unless_creating_one(tmp_path: Path) -> None:
    with pytest.raises(GateError, match="no baseline at"):
        Baseline.load(tmp_path / "typo.json")
    assert Baseline.load(tmp_path / "typo.json", missing_ok=True) == Baseline()


def test_floors_of_a_suite_that_no_longer_exists_are_found() -> None:
    base = Baseline(floors={"perturbations": {"x": 1.0}, "grounding": {"roc_auc": 0.7}})
    assert unknown_suites(base, ("grounding-dev", "perturbations", "pipeline")) == ["grounding"]


def _dev(**metrics: float) -> SuiteResult:
    return SuiteResult("summedits-dev", metrics=dict(metrics))


CEILED = Baseline(
    floors={"summedits-dev": {"catch_rate": 0.4}},
    ceilings={"summedits-dev": {"false_flag_rate": 0.1, "ectsum.false_flag_rate": 0.1}},
)


def test_a_false_flag_rate_is_held_under_its_ceiling() -> None:
    assert compare(
        _dev(catch_rate=0.5, false_flag_rate=0.1, **{"ectsum.false_flag_rate": 0.02}), CEILED
    ).passed
    gate = compare(_dev(catch_rate=0.5, false_flag_rate=0.2, **{"ectsum.false_flag_rate": 0.02}), CEILED)
    assert not gate.passed and "above the ceiling" in gate.failures[0]


def test_a_ceiling_only_comes_down_without_the_flag() -> None:
    better = {"summedits-dev": _dev(catch_rate=0.5, false_flag_rate=0.05, **{"ectsum.false_flag_rate": 0.1})}
    assert updated_baseline(CEILED, better).ceilings["summedits-dev"]["false_flag_rate"] == 0.05
    worse = {"summedits-dev": _dev(catch_rate=0.5, false_flag_rate=0.3, **{"ectsum.false_flag_rate": 0.1})}
    with pytest.raises(GateError, match=r"false_flag_rate: ceiling 0\.1000 -> 0\.3000"):
        updated_baseline(CEILED, worse)
    new = updated_baseline(
        CEILED, {"summedits-dev": _dev(catch_rate=0.5, undecided_share=0.3)}, allow_lower=True
    )
    assert new.ceilings["summedits-dev"] == {"undecided_share": 0.3}  # new ceilings; missing ones dropped


def test_ceilings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    CEILED.save(path)
    assert Baseline.load(path).ceilings == CEILED.ceilings
