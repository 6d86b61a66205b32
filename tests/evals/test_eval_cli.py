from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from evals.cli import eval_app
from evals.gate import Baseline

runner = CliRunner()
# Mounted the way the product mounts it: `inference-report eval ...`.
app = typer.Typer()
app.add_typer(eval_app, name="eval")


def test_score_writes_one_line_per_input_and_records_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {
            "id": "a",
            "source": "Editors voted 44-2 to ban AI content.",
            "claim": "Editors voted 44-2 to ban AI content.",
        },
        {
            "id": "b",
            "source": "Editors voted 44-2 to ban AI content.",
            "claim": "Editors voted 40-6 to allow it.",
        },
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["eval", "score", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines[:2]] == ["a", "b"]
    assert lines[0]["verdict"] == "supported" and lines[1]["verdict"] == "unsupported"
    assert set(lines[0]) == {"id", "verdict", "score", "reasons"}
    assert "error" in lines[2] and "1 bad line" in result.output


def test_a_rate_over_an_empty_class_says_so_instead_of_nan(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    row = {"id": "a", "source": "Editors voted 44-2.", "claim": "Editors voted 40-6.", "label": 0}
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "score", str(src), "--out", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert "nan" not in result.output
    assert "balanced_accuracy=n/a (no faithful row)" in result.output
    assert "catch_rate=1.0000" in result.output


def _baseline(tmp_path: Path, floor: float) -> Path:
    path = tmp_path / "baseline.json"
    Baseline(floors={"perturbations": {"recall.number": floor}}).save(path)
    return path


def _perturbations_args(tmp_path: Path, baseline: Path) -> list[str]:
    """`eval --suite perturbations` on the seed pairs only, against ``baseline``."""
    return [
        "eval",
        "--suite",
        "perturbations",
        "--report-dir",
        str(tmp_path / "r"),
        "--baseline",
        str(baseline),
        "--no-sample-draft",
    ]


def test_suite_writes_reports_and_passes_above_the_floor(tmp_path: Path) -> None:
    result = runner.invoke(app, _perturbations_args(tmp_path, _baseline(tmp_path, 0.9)))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "eval-report.json").read_text(encoding="utf-8"))
    assert data["passed"] and "recall.number" in data["suites"]["perturbations"]["metrics"]
    assert "| recall.number |" in (tmp_path / "r" / "eval-report.md").read_text(encoding="utf-8")


def test_the_gate_exits_non_zero_below_a_floor(tmp_path: Path) -> None:
    result = runner.invoke(app, _perturbations_args(tmp_path, _baseline(tmp_path, 1.5)))  # unreachable
    assert result.exit_code == 1
    assert "below the floor" in result.output


def test_update_baseline_refuses_to_lower_without_allow_lower(tmp_path: Path) -> None:
    baseline = _baseline(tmp_path, 1.5)
    args = [*_perturbations_args(tmp_path, baseline), "--update-baseline"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "--allow-lower" in refused.output
    assert Baseline.load(baseline).floors["perturbations"]["recall.number"] == 1.5
    lowered = runner.invoke(app, [*args, "--allow-lower"])
    assert lowered.exit_code == 0, lowered.output
    assert Baseline.load(baseline).floors["perturbations"]["recall.number"] == 1.0  # what was measured


def test_allow_lower_alone_is_rejected(tmp_path: Path) -> None:
    result = runner.invoke(app, [*_perturbations_args(tmp_path, _baseline(tmp_path, 0.5)), "--allow-lower"])
    assert result.exit_code == 2 and "--update-baseline" in result.output


def test_score_names_each_bad_line_and_what_is_wrong(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "source": "Editors voted 44-2.", "claim": "Editors voted 44-2."})
    src.write_text(f'{good}\n{{broken\n\n[1, 2]\n{{"id": "x", "source": "s"}}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["eval", "score", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    errors = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()][1:]
    assert [(e["line"], e["error"]) for e in errors] == [
        (2, "line 2: not JSON (Expecting property name enclosed in double quotes at column 2)"),
        (4, "line 4: expected a JSON object {id, source, claim}, got list"),
        (5, "line 5: missing claim"),
    ]
    assert "wrote 1 scored line(s)" in result.output and "3 bad line(s)" in result.output


def test_score_records_a_line_nested_too_deeply_and_scores_a_lone_surrogate(tmp_path: Path) -> None:
    # Both stopped the whole run: a RecursionError from the JSON reader, a UnicodeEncodeError from hashing.
    src = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "source": "Editors voted 44-2.", "claim": "Editors voted 44-2."})
    nested = '{"id": "deep", "source": ' + "[" * 5000 + "]" * 5000 + ', "claim": "x"}'
    lone = '{"id": "lone", "source": "Editors \\ud800 voted 44-2.", "claim": "Editors voted 44-2."}'
    src.write_text(f"{good}\n{nested}\n{lone}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["eval", "score", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[1] == {"id": None, "line": 2, "error": "line 2: not read: JSON nested too deeply"}
    scored = [(r["id"], r.get("verdict")) for r in (rows[0], rows[2])]
    assert scored == [("a", "supported"), ("lone", "supported")]


def test_score_refuses_a_missing_an_empty_or_a_non_utf8_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    missing = runner.invoke(app, ["eval", "score", str(tmp_path / "nope.jsonl"), "--out", str(out)])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "score", str(empty), "--out", str(out)])
    assert result.exit_code == 1 and "holds no JSON lines" in result.output
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": "a", "source": "café", "claim": "café"}\n'.encode("latin-1"))
    result = runner.invoke(app, ["eval", "score", str(latin), "--out", str(out)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output


def test_score_into_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "source": "s x", "claim": "s x"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "score", str(src), "--out", str(tmp_path / "no" / "out.jsonl")])
    assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output


def test_an_unknown_suite_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--suite", "groundingdev", "--report-dir", str(tmp_path)])
    assert result.exit_code == 2 and "groundingdev" in result.output


def test_an_absent_baseline_or_floors_of_an_unknown_suite_fail_rather_than_pass(tmp_path: Path) -> None:
    absent = runner.invoke(app, _perturbations_args(tmp_path, tmp_path / "typo.json"))
    assert absent.exit_code == 1 and "no baseline at" in absent.output
    renamed = tmp_path / "baseline.json"
    Baseline(floors={"perturbation": {"recall.number": 0.98}}).save(renamed)
    result = runner.invoke(app, _perturbations_args(tmp_path, renamed))
    assert result.exit_code == 1 and "unknown suite(s) perturbation" in result.output


def test_update_baseline_creates_an_absent_baseline(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    result = runner.invoke(app, [*_perturbations_args(tmp_path, path), "--update-baseline"])
    assert result.exit_code == 0, result.output
    assert Baseline.load(path).floors["perturbations"]["recall.number"] == 1.0


def test_json_is_one_document_on_stdout(tmp_path: Path) -> None:
    passed = runner.invoke(app, [*_perturbations_args(tmp_path, _baseline(tmp_path, 0.9)), "--json"])
    assert passed.exit_code == 0, passed.output
    document = json.loads(passed.stdout)
    assert document["passed"] and document["suites"][0]["suite"] == "perturbations"
    assert "recall.number" in document["suites"][0]["metrics"]
    failed = runner.invoke(app, [*_perturbations_args(tmp_path, _baseline(tmp_path, 1.5)), "--json"])
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["suites"][0]["status"] == "failed"
