"""The Message Batches a run submitted, by a hash of their requests: a resumed --batch run re-attaches."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from agent.runs import _RunBatches
from agent.store import Store
from agent.store._copy import _TABLES

DAY = date(2026, 11, 26)


def test_a_run_keeps_its_batch_ids_by_requests_and_forgets_one(store: Store) -> None:
    store.create_run("run-a", edition_date=DAY, writer="claude")
    store.create_run("run-b", edition_date=DAY, writer="claude")
    store.record_batch("run-a", "hash-1", "msgbatch_1")
    store.record_batch("run-a", "hash-2", "msgbatch_2")
    assert store.submitted_batch("run-a", "hash-1") == "msgbatch_1"
    assert store.submitted_batch("run-b", "hash-1") is None  # another run submits its own
    store.record_batch("run-a", "hash-1", "msgbatch_3")  # submitted anew after the first was gone
    assert store.submitted_batch("run-a", "hash-1") == "msgbatch_3"
    store.forget_batch("run-a", "hash-1")
    assert store.submitted_batch("run-a", "hash-1") is None
    assert store.submitted_batch("run-a", "hash-2") == "msgbatch_2"


def test_the_writer_sees_one_run_of_the_store(store: Store) -> None:
    store.create_run("run-a", edition_date=DAY, writer="claude")
    store.create_run("run-b", edition_date=DAY, writer="claude")
    ledger = _RunBatches(store, "run-a")
    ledger.record_batch("hash-1", "msgbatch_1")
    assert ledger.submitted_batch("hash-1") == "msgbatch_1"
    assert _RunBatches(store, "run-b").submitted_batch("hash-1") is None
    ledger.forget_batch("hash-1")
    assert store.submitted_batch("run-a", "hash-1") is None


def test_moving_a_store_copies_every_table_but_the_locks(tmp_path: Path) -> None:
    # A table added by a migration and left out of the copy would be lost by `db migrate-to`.
    with Store.open(tmp_path / "report.sqlite") as store:
        rows = store._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    tables = {str(row[0]) for row in rows} - {"store_migrations", "run_locks"}
    assert tables == set(_TABLES)
