"""A PostgreSQL store outlives its connection: a server restart or an idle-timeout kill, played here by
``pg_terminate_backend`` from a second connection on the throwaway server."""

from __future__ import annotations

import sqlite3
import time

import psycopg
import pytest

from agent.graph import transient_store_error
from agent.store import ConnectionLost, Store, StoreError


def kill_other_sessions(url: str, *, in_transaction: bool = False) -> int:
    """Terminate every other session on the test database that waits for its client between
    transactions (``idle``: what ``idle_session_timeout`` kills), or ``in_transaction`` too, and wait
    until they are gone.

    A session running a statement is left alone: a kill in flight fails that statement whatever the
    client does. The 50 ms first let a statement the caller's event loop sent finish at the server."""
    time.sleep(0.05)
    state = "idle in transaction" if in_transaction else "idle"
    with psycopg.connect(url, autocommit=True) as admin:
        others = (
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in admin.execute(others + " AND state IN ('idle', %s)", (state,)).fetchall()]
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and {r[0] for r in admin.execute(others).fetchall()} & set(pids):
            time.sleep(0.01)
    return len(pids)


def _reviewer_names(url: str) -> list[str]:
    with psycopg.connect(url, autocommit=True) as other:
        return [row[0] for row in other.execute("SELECT name FROM reviewers ORDER BY name").fetchall()]


def test_a_store_reads_and_writes_after_its_connection_is_killed(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        store.add_reviewer("ada", role="reviewer", token_hash="h1")
        assert kill_other_sessions(pg_url) == 1
        assert [r.name for r in store.reviewers()] == ["ada"]  # a read on a fresh connection
        assert kill_other_sessions(pg_url) == 1
        store.add_reviewer("grace", role="editor", token_hash="h2")  # a write's BEGIN on a fresh one
        assert kill_other_sessions(pg_url) == 1
        assert store.remove_reviewer("ada")
    assert _reviewer_names(pg_url) == ["grace"]


def test_a_write_cut_by_a_kill_is_not_half_applied_and_the_next_operation_succeeds(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        with pytest.raises(ConnectionLost, match="none of it was applied"), store._write() as db:
            db.execute(
                "INSERT INTO reviewers (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                ("first", "reviewer", "h1", "2026-12-07T00:00:00+00:00"),
            )
            assert kill_other_sessions(pg_url, in_transaction=True) == 1
            db.execute(
                "INSERT INTO reviewers (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                ("second", "reviewer", "h2", "2026-12-07T00:00:00+00:00"),
            )
        assert _reviewer_names(pg_url) == []  # neither row: the server rolled the transaction back
        assert isinstance(ConnectionLost("x"), StoreError)  # the CLI's handlers already print it
        store.add_reviewer("third", role="reviewer", token_hash="h3")
        assert [r.name for r in store.reviewers()] == ["third"]


def test_a_store_whose_server_is_unreachable_says_so(pg_url: str) -> None:
    with Store.open(pg_url) as store:
        store._db._url = pg_url.rsplit("/", 1)[0] + "/no_such_database"  # type: ignore[attr-defined]
        kill_other_sessions(pg_url)
        with pytest.raises(ConnectionLost, match="cannot be made again"):
            store.reviewers()


def test_the_graph_retries_what_a_second_try_can_cure() -> None:
    assert transient_store_error(sqlite3.OperationalError("database is locked"))
    assert transient_store_error(ConnectionLost("dropped mid-write"))
    assert transient_store_error(psycopg.errors.SerializationFailure("could not serialize access"))
    assert transient_store_error(psycopg.errors.AdminShutdown("terminating connection"))
    assert not transient_store_error(psycopg.errors.UniqueViolation("duplicate key"))
    assert not transient_store_error(sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not transient_store_error(StoreError("there is a reviewer named 'ada' already"))
    assert not transient_store_error(ValueError("a bug"))
