"""The draft command's bad input: a usage error or one line, never a traceback, and nothing started."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app, report_lines


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["draft", "--date", "2026-13-40"], "--date"),
        (["draft", "--max-cost", "-1"], "--max-cost"),
        (["serve", "--port", "0"], "--port"),
        (["serve", "--port", "70000"], "--port"),
        (["draft", "--sample", "--writer", "gpt"], "--writer"),
        (["draft", "--sample", "--judge", "gpt"], "--judge"),
        # Path("") is the working directory: `--out "$SITE"` with SITE unset wrote the files there.
        (["draft", "--sample", "--out", ""], "--out"),
        (["publish", "some-run", "--out", ""], "--out"),
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
    assert result.exit_code == 1, result.output
    assert "cannot create the directory" in result.output
    assert not (home / "runs").exists()


def test_resuming_in_an_empty_data_directory_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = CliRunner().invoke(app, ["draft", "--resume", "nope"], env={"INFERENCE_REPORT_HOME": str(home)})
    assert result.exit_code == 1, result.output
    assert "no run 'nope'" in result.output
    assert not home.exists()


def test_the_run_report_lines_put_sections_in_edition_order_and_skip_zero_counts() -> None:
    report = {
        "items_per_section": {"benchmarks": 2, "labs": 6, "repos": 8, "papers": 5, "wire": 6},
        "claims": {
            "total": 5,
            "by_verdict": {"no_citation": 0, "supported": 3, "unsupported": 2},
            "flagged": 1,
        },
        "writer_failures": [{"block": "paper:arxiv:1", "error": "timed out"}],
        "skipped_for_budget": ["paper:arxiv:2"],
        "outputs": {"report": "/d/run-report.json", "archive": "/a.warc.gz", "html": "/d/edition.html"},
    }
    lines = report_lines(report)
    assert lines[0] == "items per section: labs 6, wire 6, papers 5, benchmarks 2, repos 8"
    assert lines[1] == "claims: 5 (3 supported, 2 unsupported), 1 flagged for the reviewer"
    assert "writer failed on paper:arxiv:1: timed out" in lines
    assert "skipped for the budget: paper:arxiv:2" in lines
    # The edition first: it is what the editor opens.
    assert [line.split(":")[0].strip() for line in lines[-3:]] == ["edition", "report", "archive"]


def test_a_sources_reason_is_printed_as_text_not_console_markup(capsys: pytest.CaptureFixture[str]) -> None:
    from agent.cli import _print_report

    source = {
        "name": "feed",
        "kind": "feed",
        "status": "failed",
        "items": 0,
        "error": "HTTP 404 [bold]x[/bold]",
    }
    _print_report({"run_id": "r", "sources": [source]})
    assert "[bold]x[/bold]" in capsys.readouterr().out


def test_failed_sources_and_an_empty_draft_are_called_out() -> None:
    sources = [
        {"name": "a", "kind": "feed", "status": "failed", "items": 0, "error": "HTTP 500"},
        {"name": "b", "kind": "feed", "status": "ok", "items": 3, "error": None},
    ]
    lines = report_lines({"sources": sources, "claims": {"total": 0, "by_verdict": {"supported": 0}}})
    assert "warning: 1 of 2 sources failed (the reason is in the table above)" in lines
    assert "claims: 0 (none)" in lines
    assert any(line.startswith("warning: the draft has no claims") for line in lines)
    assert not any(
        "warning" in line for line in report_lines({"sources": sources[1:], "claims": {"total": 1}})
    )
