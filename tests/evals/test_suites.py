"""The suites against the committed floors (the same gate CI runs), plus the metric helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals.gate import Baseline, compare
from evals.suites import grounding_dev, pairs_from_claims, perturbations, seed_pairs, summedits_dev

METRICS = ("balanced_accuracy", "false_flag_rate", "catch_rate", "undecided_share", "unsupported_precision")


def test_perturbations_meet_the_committed_floors() -> None:
    result = perturbations(seed_pairs())
    gate = compare(result, Baseline.load())
    assert gate.passed, gate.failures
    # The targets, independent of the baseline file.
    for kind in ("number", "scale", "entity"):
        assert result.metrics[f"recall.{kind}"] >= 0.98
    for kind in ("rank", "negation"):
        assert result.metrics[f"recall.{kind}"] >= 0.90
    assert result.metrics["no_false_alarm_rate"] >= 0.98


@pytest.mark.shared
def test_grounding_dev_meets_the_committed_floors(shared_dir: Path) -> None:
    result = grounding_dev(shared_dir / "evals-data" / "grounding_dev.jsonl")
    assert result.skipped is None
    gate = compare(result, Baseline.load())
    assert gate.passed, gate.failures
    for prefix in ("", "cnndm.", "xsum."):
        assert {f"{prefix}{m}" for m in METRICS} <= set(result.metrics)


@pytest.mark.shared
def test_summedits_dev_meets_the_committed_floors_in_every_domain(shared_dir: Path) -> None:
    result = summedits_dev(shared_dir / "evals-data" / "summedits_dev.jsonl")
    assert result.skipped is None and result.details["rows"] == 3396
    gate = compare(result, Baseline.load())
    assert gate.passed, gate.failures
    for domain in ("podcast", "samsum", "ectsum", "sales_call", "sales_email", "qmsumm"):
        assert {f"{domain}.{m}" for m in METRICS} <= set(result.metrics)


def test_grounding_dev_skips_with_a_reason_when_absent(tmp_path: Path) -> None:
    result = grounding_dev(tmp_path / "missing.jsonl")
    assert result.skipped and "not found" in result.skipped


def test_pairs_from_claims_keeps_supported_cited_claims() -> None:
    claims: list[dict[str, Any]] = [
        {
            "id": "a",
            "text": "X rose.",
            "verdict": "supported",
            "citations": [{"item_id": "i", "quote": "X rose 5%."}],
        },
        {
            "id": "b",
            "text": "Y fell.",
            "verdict": "unsupported",
            "citations": [{"item_id": "i", "quote": "Y"}],
        },
        {"id": "c", "text": "Z.", "verdict": "supported", "citations": []},
    ]
    assert [p.sentence for p in pairs_from_claims(claims)] == ["X rose."]


def test_a_malformed_grounding_dev_line_breaks_the_suite_and_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "grounding_dev.jsonl"
    path.write_text(
        '{"source": "a", "claim": "a", "label": 1}\n\n{"source": "b", "claim": "b"}\n', encoding="utf-8"
    )
    result = grounding_dev(path)
    assert result.broken and result.skipped == f"{path} line 3: missing label"
    assert not compare(result, Baseline.load()).passed


def test_document_suites_read_each_row_with_the_pipeline_checker(tmp_path: Path) -> None:
    source = "The Harbor council approved the new bridge on Tuesday after a vote of 7-2."
    lines = []
    for n in range(20):
        claim = source if n % 2 else f"The Harbor council approved the new bridge after a vote of {n}-9."
        lines.append(json.dumps({"source": source, "claim": claim, "label": n % 2, "origin": "FRANK/xsum"}))
    path = tmp_path / "grounding_dev.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = grounding_dev(path)
    assert result.skipped is None
    assert result.metrics["balanced_accuracy"] == 1.0 and result.metrics["false_flag_rate"] == 0.0
    assert result.metrics["catch_rate"] == 1.0 and result.metrics["xsum.unsupported_precision"] == 1.0
    assert "cnndm.balanced_accuracy" not in result.metrics  # no row of that domain


@pytest.mark.shared
def test_a_dev_corpus_other_than_the_pinned_one_fails_the_gate(shared_dir: Path, tmp_path: Path) -> None:
    # The runner hashes the dev file itself: a corpus that changed under its floors is not compared to them.
    from evals.runner import run_evals

    committed = Baseline.load()
    assert committed.corpus["grounding-dev"].startswith("sha256:")
    pinned = tmp_path / "baseline.json"
    Baseline(
        floors=committed.floors,
        ceilings=committed.ceilings,
        epsilon=committed.epsilon,
        corpus={**committed.corpus, "grounding-dev": "sha256:" + "0" * 64},
    ).save(pinned)
    run = run_evals(["grounding-dev"], report_dir=tmp_path / "r", baseline_path=pinned)
    [outcome] = run.outcomes
    assert not run.passed and any("the corpus changed" in f for f in outcome.gate.failures)
    # The same run against the committed pin passes: only the corpus differs.
    assert run_evals(["grounding-dev"], report_dir=tmp_path / "r2").passed
