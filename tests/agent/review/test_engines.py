"""The review suites' drafted data folders really are on their engine: on PostgreSQL the store and the
LangGraph checkpoints are in the test's own database and no SQLite file is written."""

from __future__ import annotations

from agent.runs import read_snapshot
from agent.settings import Settings
from agent.store import RunStatus, Store


async def test_the_drafted_run_and_its_checkpoint_are_in_the_engines_database(
    drafted: tuple[Settings, str], engine: str
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        assert store.engine == engine
        assert store.get_run(run_id).status is RunStatus.AWAITING_REVIEW
    assert (await read_snapshot(settings, run_id)).next  # paused at review, read from the checkpointer
    if engine == "sqlite":
        assert settings.database_url is None and settings.database_path.is_file()
        return
    import psycopg

    assert settings.database_url is not None
    assert not list(settings.home.rglob("*.sqlite*"))
    with psycopg.connect(settings.database_url) as conn:
        row = conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id = %s", (run_id,)).fetchone()
    assert row is not None and row[0] > 0
