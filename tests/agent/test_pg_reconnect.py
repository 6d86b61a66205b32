"""A draft on PostgreSQL outlives its connections: the store's, the run lock's and LangGraph's saver's
are all terminated while idle (``pg_terminate_backend``, as an idle-timeout kill or a restart between
statements would) between the graph's steps, and the run still reaches the review, where a decision
resumes it."""

from __future__ import annotations

from pathlib import Path

import psycopg

from agent.decisions import DecisionRequest, decide
from agent.runs import DraftOptions, read_snapshot, start_draft
from agent.settings import load_settings
from agent.store import RunStatus, Store
from tests.agent.store.test_reconnect import kill_other_sessions


async def test_a_draft_whose_connections_are_killed_between_steps_reaches_review_and_is_decided(
    tmp_path: Path, pg_url: str
) -> None:
    settings = load_settings({"INFERENCE_REPORT_DATABASE_URL": pg_url}, home=tmp_path / "home")
    killed: list[int] = []

    def kill_on_progress(stage: str, message: str) -> None:
        killed.append(kill_other_sessions(pg_url))

    outcome = await start_draft(
        settings,
        DraftOptions(sample=True, writer="extractive", out_dir=tmp_path / "out"),
        progress=kill_on_progress,
    )
    assert outcome.status == "awaiting_review"
    # The store, the run lock's heartbeat and the saver each held a connection when the kills came.
    assert len(killed) >= 5 and max(killed) >= 3, killed
    snapshot = await read_snapshot(settings, outcome.run_id)
    assert snapshot.next == ("review",)
    decided = await decide(settings, outcome.run_id, DecisionRequest(decision="approve", reviewer="ana"))
    assert decided.status == "approved"  # drafted without auto-publish
    with Store.open(pg_url) as store:
        assert store.get_run(outcome.run_id).status is RunStatus.APPROVED
        [review] = store.reviews(outcome.run_id)
        assert review.reviewer == "ana"


def test_the_saver_answers_after_its_connection_is_killed(tmp_path: Path, pg_url: str) -> None:
    from agent.runs import _checkpointer

    settings = load_settings({"INFERENCE_REPORT_DATABASE_URL": pg_url}, home=tmp_path / "home")
    config = {"configurable": {"thread_id": "no-such-run"}}
    with _checkpointer(settings) as saver:
        assert saver.get_tuple(config) is None
        assert kill_other_sessions(pg_url) >= 1
        assert saver.get_tuple(config) is None
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM checkpoints").fetchone() == (0,)
