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


def _baseline(tmp_path: Path, floor: float) -> Path:
    path = tmp_path / "baseline.json"
    Baseline(floors={"perturbations": {"recall.number": floor}}).save(path)
    return path


def test_suite_writes_reports_and_passes_above_the_floor(tmp_path: Path) -> None:
    baseline = _baseline(tmp_path, 0.9)
    result = runner.invoke(
        app,
        [
            "eval",
            "--suite",
            "perturbations",
            "--report-dir",
            str(tmp_path / "r"),
            "--baseline",
            str(baseline),
            "--no-sample-draft",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r" / "eval-report.json").read_text(encoding="utf-8"))
    assert data["passed"] and "recall.number" in data["suites"]["perturbations"]["metrics"]
    assert "| recall.number |" in (tmp_path / "r" / "eval-report.md").read_text(encoding="utf-8")


def test_the_gate_exits_non_zero_below_a_floor(tmp_path: Path) -> None:
    baseline = _baseline(tmp_path, 1.5)  # unreachable
    result = runner.invoke(
        app,
        [
            "eval",
            "--suite",
            "perturbations",
            "--report-dir",
            str(tmp_path / "r"),
            "--baseline",
            str(baseline),
            "--no-sample-draft",
        ],
    )
    assert result.exit_code == 1
    assert "below the floor" in result.output


def test_update_baseline_refuses_to_lower_without_allow_lower(tmp_path: Path) -> None:
    baseline = _baseline(tmp_path, 1.5)
    args = [
        "eval",
        "--suite",
        "perturbations",
        "--report-dir",
        str(tmp_path / "r"),
        "--baseline",
        str(baseline),
        "--update-baseline",
        "--no-sample-draft",
    ]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "--allow-lower" in refused.output
    assert Baseline.load(baseline).floors["perturbations"]["recall.number"] == 1.5
    lowered = runner.invoke(app, [*args, "--allow-lower"])
    assert lowered.exit_code == 0, lowered.output
    assert Baseline.load(baseline).floors["perturbations"]["recall.number"] <= 1.0


def test_allow_lower_alone_is_rejected(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "eval",
            "--suite",
            "perturbations",
            "--allow-lower",
            "--report-dir",
            str(tmp_path / "r"),
            "--baseline",
            str(_baseline(tmp_path, 0.5)),
            "--no-sample-draft",
        ],
    )
    assert result.exit_code != 0
