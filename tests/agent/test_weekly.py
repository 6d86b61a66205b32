"""Weekly operation: a draft for an edition date that already has a run says so and points to it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from agent.runs import EditionAlreadyDrafted
from agent.settings import Settings
from agent.store import Store
from tests.conftest import ROOT
from tests.fakes.review_drafts import copy_drafted, drafted, drafted_template, start_review_draft

__all__ = ["copy_drafted", "drafted", "drafted_template"]  # fixtures, imported so pytest finds them here


def test_a_second_draft_for_the_same_date_points_to_the_first(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with pytest.raises(EditionAlreadyDrafted) as refused:
        start_review_draft(settings.home, settings=settings)
    message = str(refused.value)
    assert f"{run_id} (awaiting review" in message
    assert f"inference-report review {run_id}" in message
    assert "inference-report draft --date 2026-11-26 --force" in message
    with Store.open(settings.database) as store:
        assert [r.run_id for r in store.list_runs()] == [run_id]  # nothing was started

    second = start_review_draft(settings.home, settings=settings, force=True)
    with Store.open(settings.database) as store:
        assert sorted(r.run_id for r in store.list_runs()) == sorted([run_id, second])


def test_the_weekly_command_refuses_a_duplicate_with_exit_2(home: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    environ |= {"INFERENCE_REPORT_HOME": str(home), "COLUMNS": "200"}

    def draft(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "agent", "draft", "--sample", "--writer", "extractive", *args],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )

    first = draft()
    assert first.returncode == 0, first.stderr
    run_id = re.findall(r"inference-report review (\S+)", first.stdout)[-1]
    again = draft()
    assert again.returncode == 1
    assert "already has a run" in again.stderr and f"inference-report review {run_id}" in again.stderr
    assert "Traceback" not in again.stderr
