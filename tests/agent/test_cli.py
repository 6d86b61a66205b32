"""The draft command's bad input: a usage error or one line, never a traceback, and nothing started."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["draft", "--date", "2026-13-40"], "--date"),
        (["draft", "--max-cost", "-1"], "--max-cost"),
        (["serve", "--port", "0"], "--port"),
        (["serve", "--port", "70000"], "--port"),
    ],
)
def test_a_bad_option_value_is_a_usage_error(tmp_path: Path, args: list[str], option: str) -> None:
    result = CliRunner().invoke(app, args, env={"INFERENCE_REPORT_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2, result.output
    assert option in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_unusable_out_directory_is_refused_before_the_run_starts(tmp_path: Path) -> None:
    home = tmp_path / "home"
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(
        app,
        ["draft", "--sample", "--writer", "extractive", "--out", str(blocker / "out")],
        env={"INFERENCE_REPORT_HOME": str(home)},
    )
    assert result.exit_code == 2, result.output
    assert "cannot create the directory" in result.output
    assert not (home / "runs").exists()


def test_resuming_in_an_empty_data_directory_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = CliRunner().invoke(app, ["draft", "--resume", "nope"], env={"INFERENCE_REPORT_HOME": str(home)})
    assert result.exit_code == 2, result.output
    assert "no run 'nope'" in result.output
    assert not home.exists()
