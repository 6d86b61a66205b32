from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from agent.domain.models import Draft
from agent.store import MIGRATIONS, Migrations, RunStatus, SchemaTooNew, Store, StoreError

if TYPE_CHECKING:
    from agent.store._dialect import Connection  # what a migration step is given, on either database

_DRAFT = Draft(edition_date=date(2026, 11, 19), byline="Grant Calloway", writer="extractive", revision=1)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_open_creates_the_directory_the_schema_and_records_each_migration(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version == MIGRATIONS.latest >= 1
    tables = _tables(db_path)
    assert {
        "runs",
        "editions",
        "items",
        "claims",
        "leaderboard_snapshots",
        "leaderboard_moves",
        "http_cache",
        "reviews",
        "publications",
        "writer_usage",
        "review_views",
        "store_migrations",
    } <= tables
    # The LangGraph checkpointer owns these names in the same file.
    assert not {"checkpoints", "writes"} & tables


def test_wal_mode_and_foreign_keys_are_on(db_path: Path) -> None:
    with Store.open(db_path) as store:
        _sqlite_pragmas(store)


def _sqlite_pragmas(store: Store) -> None:
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_database_at_version_1_is_upgraded_when_a_migration_is_added(db_path: Path) -> None:
    with Store.open(db_path, migrations=MIGRATIONS.upto(1)) as old:
        assert old.schema_version == 1
        old._db.execute(
            "INSERT INTO runs (run_id, created_at, updated_at, edition_date, writer, status)"
            " VALUES ('r1', '2026-11-19T08:00:00+00:00', '2026-11-19T08:00:00+00:00', '2026-11-19',"
            " 'extractive', 'published')"
        )

    newer = MIGRATIONS.upto(MIGRATIONS.latest)

    @newer.register(newer.latest + 1)
    def add_run_notes(db: Connection) -> None:
        db.execute("ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
        db.execute("UPDATE runs SET notes = 'migrated'")

    with Store.open(db_path, migrations=newer) as store:
        assert store.schema_version == newer.latest
        assert store.get_run("r1").status == "published"
        assert store._db.execute("SELECT notes FROM runs").fetchone()[0] == "migrated"
        applied = store._db.execute("SELECT version, name FROM store_migrations ORDER BY version").fetchall()
    assert [tuple(r) for r in applied][-1] == (newer.latest, "add_run_notes")
    # Reopening applies nothing twice (the ALTER TABLE would fail if it ran again).
    with Store.open(db_path, migrations=newer) as again:
        assert again.schema_version == newer.latest


def test_a_failing_migration_leaves_the_database_at_the_previous_version(db_path: Path) -> None:
    broken = MIGRATIONS.upto(MIGRATIONS.latest)

    @broken.register(broken.latest + 1)
    def half_done(db: Connection) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    with pytest.raises(StoreError, match=r"half_done"):
        Store.open(db_path, migrations=broken)
    assert "half_done" not in _tables(db_path)
    with Store.open(db_path) as store:
        assert store.schema_version == MIGRATIONS.latest


def test_a_database_from_a_newer_program_is_refused(db_path: Path) -> None:
    newer = MIGRATIONS.upto(MIGRATIONS.latest)

    @newer.register(newer.latest + 1)
    def future(db: Connection) -> None:
        db.execute("CREATE TABLE future (x INTEGER)")

    Store.open(db_path, migrations=newer).close()
    with pytest.raises(SchemaTooNew, match="newer than this program"):
        Store.open(db_path)


def test_registry_refuses_duplicates_and_gaps() -> None:
    migrations = Migrations()

    @migrations.register(1)
    def first(db: Connection) -> None: ...

    with pytest.raises(ValueError, match="twice"):
        migrations.register(1)(first)

    @migrations.register(3)
    def third(db: Connection) -> None: ...

    with pytest.raises(ValueError, match="without gaps"):
        list(migrations)


def test_connections_opening_a_new_file_at_once_apply_each_migration_once(tmp_path: Path) -> None:
    # Switching a new file to WAL once failed with "database is locked" in about 1 of 300 such races.
    for attempt in range(30):
        path = tmp_path / f"race-{attempt}.sqlite"
        errors: list[BaseException] = []

        def open_and_close(path: Path = path, errors: list[BaseException] = errors) -> None:
            try:
                Store.open(path).close()
            except BaseException as exc:  # collected for the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=open_and_close) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with sqlite3.connect(path) as db:
            versions = [r[0] for r in db.execute("SELECT version FROM store_migrations")]
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert versions == list(range(1, MIGRATIONS.latest + 1))


def test_a_file_that_is_not_a_database_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "report.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"is damaged \(file is not a database\)"):
        Store.open(path)


def test_the_langgraph_checkpointer_shares_the_file(db_path: Path) -> None:
    from langgraph.checkpoint.sqlite import SqliteSaver

    with Store.open(db_path) as store:
        with SqliteSaver.from_conn_string(str(db_path)) as saver:
            saver.setup()
            assert list(saver.list({"configurable": {"thread_id": "r1"}})) == []
        assert store.list_runs() == []
    with Store.open(db_path) as reopened:
        assert reopened.schema_version == MIGRATIONS.latest
    assert {"checkpoints", "writes", "runs"} <= _tables(db_path)


def _run_row(db: Connection) -> None:
    db.execute(
        "INSERT INTO runs (run_id, created_at, updated_at, edition_date, writer, status)"
        " VALUES ('r1', '2026-11-19T08:00:00+00:00', '2026-11-19T08:00:00+00:00', '2026-11-19',"
        " 'extractive', 'awaiting_review')"
    )


def test_version_1_upgrades_to_2_with_review_views_and_its_data_intact(db_path: Path) -> None:
    with Store.open(db_path, migrations=MIGRATIONS.upto(1)) as old:
        _run_row(old._db)
    assert "review_views" not in _tables(db_path)

    with Store.open(db_path, migrations=MIGRATIONS.upto(2)) as store:
        assert store.schema_version == 2
        assert store.get_run("r1").status is RunStatus.AWAITING_REVIEW
        assert store.last_view("r1", "ana") is None
        store.record_view("r1", "ana", revision=1, revision_hash="sha256:aa", draft=_DRAFT)
        seen = store.last_view("r1", "ana")
    assert seen is not None and seen.revision_hash == "sha256:aa"


def test_a_review_views_table_made_before_migration_2_is_adopted_with_its_rows(db_path: Path) -> None:
    # The review module once created this table ad hoc on its own connection, at schema version 1.
    with Store.open(db_path, migrations=MIGRATIONS.upto(1)) as old:
        _run_row(old._db)
        old._db.execute(
            "CREATE TABLE review_views (run_id TEXT NOT NULL, reviewer TEXT NOT NULL,"
            " revision INTEGER NOT NULL, revision_hash TEXT NOT NULL, draft TEXT NOT NULL,"
            " viewed_at TEXT NOT NULL, PRIMARY KEY (run_id, reviewer))"
        )
        old._db.execute(
            "INSERT INTO review_views VALUES ('r1', 'bo', 1, 'sha256:bb', ?, '2026-11-19T09:00:00+00:00')",
            (_DRAFT.model_dump_json(),),
        )
    with Store.open(db_path, migrations=MIGRATIONS.upto(2)) as store:
        assert store.schema_version == 2
        seen = store.last_view("r1", "bo")
        assert seen is not None and (seen.revision, seen.revision_hash) == (1, "sha256:bb")
        assert seen.draft == _DRAFT
        assert store.seen_draft("r1", "sha256:bb") == _DRAFT


def test_a_revision_stored_before_its_layout_reads_without_one_then_saves_one(db_path: Path) -> None:
    before = next(m.version for m in MIGRATIONS if m.name == "revision_record") - 1
    with Store.open(db_path, migrations=MIGRATIONS.upto(before)) as old:
        _run_row(old._db)
        old._db.execute(
            "INSERT INTO editions (run_id, revision, revision_hash, draft, created_at)"
            " VALUES ('r1', 1, 'sha256:aa', ?, '2026-11-19T08:00:00+00:00')",
            (_DRAFT.model_dump_json(),),
        )
    with Store.open(db_path) as store:
        record = store.latest_draft("r1")
        assert record is not None and record.draft == _DRAFT
        assert (record.sections, record.source_urls) == (None, None)
        assert store.get_run("r1").options is None
        store.save_draft("r1", _DRAFT, sections={"wire": ["a", "b"]}, source_urls={"news": ["https://n/f"]})
        saved = store.latest_draft("r1")
    assert saved is not None and saved.sections == {"wire": ["a", "b"]}
    assert saved.source_urls == {"news": ["https://n/f"]}


def test_the_same_migrations_build_the_schema_on_postgresql_once_even_when_two_processes_race(
    pg_url: str,
) -> None:
    opened: list[int] = []

    def open_one() -> None:
        with Store.open(pg_url) as store:
            opened.append(store.schema_version)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert opened == [MIGRATIONS.latest] * 4
    with Store.open(pg_url) as store:
        assert store.engine == "postgresql"
        rows = store._db.execute("SELECT version FROM store_migrations ORDER BY version").fetchall()
        assert [r[0] for r in rows] == list(range(1, MIGRATIONS.latest + 1))
