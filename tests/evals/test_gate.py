from __future__ import annotations

from pathlib import Path

import pytest

from evals.gate import Baseline, GateError, compare, updated_baseline
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
