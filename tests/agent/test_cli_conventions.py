"""The command's conventions: --version, --json (one document on stdout), progress on stderr with its
seconds, exit 1 for a runtime failure and 2 for a usage error, plain help without placeholders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"INFERENCE_REPORT_HOME": str(tmp_path / "home"), "COLUMNS": "200"}


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"inference-report \d+\.\d+\.\d+\S*\n", result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["draft", "--help"],
        ["review", "--help"],
        ["publish", "--help"],
        ["eval", "--help"],
        ["eval", "score", "--help"],
        ["serve", "--help"],
        ["where", "--help"],
        ["sources", "check", "--help"],
        ["reviewers", "add", "--help"],
        ["reviewers", "list", "--help"],
        ["db", "migrate-to", "--help"],
    ],
)
def test_help_has_no_type_placeholders_and_says_the_exit_codes(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert "2 a usage error" in " ".join(result.stdout.split())


def test_completion_is_offered() -> None:
    assert "--show-completion" in CliRunner().invoke(app, ["--help"]).stdout


def test_draft_json_is_one_document_and_progress_goes_to_stderr(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["draft", "--sample", "--writer", "extractive", "--json"], env=env)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["status"] == "awaiting_review"
    assert document["report"]["claims"]["total"] > 0
    # Every progress line carries the seconds since the start.
    progress = [line for line in result.stderr.splitlines() if line.strip()]
    assert progress and all(re.match(r"\s*\d+\.\ds ", line) for line in progress), result.stderr

    listed = CliRunner().invoke(app, ["review", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    pending = json.loads(listed.stdout)["pending"]
    assert [p["run_id"] for p in pending] == [document["run_id"]]

    shown = CliRunner().invoke(app, ["review", document["run_id"], "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    draft = json.loads(shown.stdout)
    assert draft["run_id"] == document["run_id"] and draft["claims"]
    assert {"verdict", "citations", "text"} <= set(draft["claims"][0])


def test_a_runtime_failure_exits_1_and_a_usage_error_2(env: dict[str, str]) -> None:
    missing = CliRunner().invoke(app, ["review", "no-such-run", "--json"], env=env)
    assert missing.exit_code == 1
    assert missing.stdout == "" and "error:" in missing.stderr
    usage = CliRunner().invoke(app, ["review", "--no-such-option"], env=env)
    assert usage.exit_code == 2


_IMPORTS_AFTER = """
import sys
from agent.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print("LOADED:", " ".join(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""
_HEAVY = ("langgraph", "anthropic", "trafilatura", "starlette", "httpx", "uvicorn", "jinja2")


@pytest.mark.parametrize(("args", "also_unloaded"), [(["--help"], ("rich", "pydantic")), (["review"], ())])
def test_help_and_the_review_list_load_no_heavy_library(
    env: dict[str, str], args: list[str], also_unloaded: tuple[str, ...]
) -> None:
    """Issue 16's fast start: the heavy stacks load only in the commands that use them (measured by
    scripts/bench_start.py: --help 0.1-0.2 s, review 0.3-0.6 s on the shared machine)."""
    import os
    import subprocess
    import sys

    heavy = set(_HEAVY) | set(also_unloaded)
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_AFTER.format(heavy=sorted(heavy)), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "LOADED: ", done.stdout[-500:]


def test_reviewers_list_json(env: dict[str, str]) -> None:
    empty = CliRunner().invoke(app, ["reviewers", "list", "--json"], env=env)
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout) == []
    CliRunner().invoke(app, ["reviewers", "add", "Ana Lima"], env=env)
    listed = json.loads(CliRunner().invoke(app, ["reviewers", "list", "--json"], env=env).stdout)
    assert [(r["name"], r["role"]) for r in listed] == [("Ana Lima", "reviewer")]
