"""Weekly operation: a draft for an edition date that already has a run says so and points to it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from agent.domain.errors import ReviewError
from agent.review import open_for_review
from agent.runs import EditionAlreadyDrafted, check_new_edition
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


def test_the_refusal_suggests_the_command_that_was_refused_and_a_correction_for_a_published_date(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "report.sqlite") as store:
        store.create_run("2026-11-26-aaaa", edition_date=date(2026, 11, 26), writer="extractive")
        with pytest.raises(EditionAlreadyDrafted) as sample:
            check_new_edition(store, date(2026, 11, 26), sample=True)
        # `draft --date 2026-11-26 --force` would draft the live sources, not the sample it refused.
        assert "inference-report draft --sample --force" in str(sample.value)
        assert "cannot be published" not in str(sample.value)

        store.set_run_status("2026-11-26-aaaa", "published")
        with pytest.raises(EditionAlreadyDrafted) as published:
            check_new_edition(store, date(2026, 11, 26))
        message = str(published.value)
        # publish refuses a second run for a published date: the way to change it is a correction.
        assert 'inference-report review 2026-11-26-aaaa --correct --comment "what to correct"' in message
        assert "cannot be published" in message
        assert "inference-report draft --date 2026-11-26 --force" in message

        # A failed run: `review` cannot show it (it has no draft), so the hint is its reason and a resume.
        store.create_run("2026-11-27-bbbb", edition_date=date(2026, 11, 27), writer="extractive")
        store.set_run_status("2026-11-27-bbbb", "failed")
        store.set_run_report("2026-11-27-bbbb", {"failure": "no source returned any item"})
        with pytest.raises(EditionAlreadyDrafted) as failed:
            check_new_edition(store, date(2026, 11, 27))
        assert "it stopped: no source returned any item" in str(failed.value)
        assert "inference-report draft --resume 2026-11-27-bbbb tries it again" in str(failed.value)
        with pytest.raises(ReviewError) as looked:
            open_for_review(store, "2026-11-27-bbbb")
        assert "(status: failed: no source returned any item)" in str(looked.value)
        assert "draft --resume 2026-11-27-bbbb" in str(looked.value)
        store.create_run("seeded", edition_date=date(2026, 11, 19), writer="extractive", status="published")
        with pytest.raises(ReviewError) as seeded:
            open_for_review(store, "seeded")
        assert "--resume" not in str(seeded.value)
