"""Moving a desk from its SQLite file to PostgreSQL: every row and checkpoint, and the run awaiting
review there is decided from the new database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agent.decisions import DecisionRequest, decide
from agent.reviewers import add_reviewer
from agent.runs import DraftOptions, read_snapshot, start_draft
from agent.settings import load_settings
from agent.store import RunStatus, Store


async def test_migrate_to_moves_the_store_and_checkpoints_and_the_run_resumes_there(
    tmp_path: Path, pg_url: str
) -> None:
    home = tmp_path / "home"
    on_file = load_settings({}, home=home)
    outcome = await start_draft(on_file, DraftOptions(sample=True, writer="extractive"))
    with Store.open(on_file.database) as store:
        add_reviewer(store, "Ana", "reviewer")
        before = {
            "runs": [r.run_id for r in store.list_runs()],
            "items": len(store.items(outcome.run_id)),
            "claims": len(store.claims(outcome.run_id)),
        }
    moved = subprocess.run(
        [sys.executable, "-m", "agent", "db", "migrate-to", pg_url],
        env={**os.environ, "INFERENCE_REPORT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert moved.returncode == 0, moved.stderr
    assert "checkpoints" in moved.stdout
    with Store.open(pg_url) as store:
        assert [r.run_id for r in store.list_runs()] == before["runs"]
        assert len(store.items(outcome.run_id)) == before["items"]
        assert len(store.claims(outcome.run_id)) == before["claims"]
        assert [r.name for r in store.reviewers()] == ["Ana"]
    on_server = load_settings({"INFERENCE_REPORT_DATABASE_URL": pg_url}, home=home)
    assert (await read_snapshot(on_server, outcome.run_id)).next
    decided = await decide(on_server, outcome.run_id, DecisionRequest(decision="reject", reviewer="Ana"))
    assert decided.status == "rejected"
    with Store.open(on_file.database) as store:  # the file is left as it was
        assert store.get_run(outcome.run_id).status is RunStatus.AWAITING_REVIEW
    # A second move into a database that holds runs is refused.
    again = subprocess.run(
        [sys.executable, "-m", "agent", "db", "migrate-to", pg_url],
        env={**os.environ, "INFERENCE_REPORT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 1 and "holds runs already" in again.stderr
