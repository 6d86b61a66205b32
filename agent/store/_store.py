"""The store: one SQLite file, or one PostgreSQL database named by URL, shared with the LangGraph
checkpointer (which keeps its own tables)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from types import TracebackType

from agent.settings import redact_url
from agent.store._base import Clock, utc_now
from agent.store._batches import BatchTables
from agent.store._dialect import POSTGRESQL, Connection, Dialect, PgConnection, is_database_url
from agent.store._editions import EditionTables
from agent.store._http_cache import HttpCache
from agent.store._items import ItemTables
from agent.store._judge_cache import JudgeCacheTables
from agent.store._locks import LockTables
from agent.store._migrations import Migrations, apply_migrations, schema_version
from agent.store._records import StoreError
from agent.store._review_views import ReviewViewTables
from agent.store._reviewers import ReviewerTables
from agent.store._runs import RunTables
from agent.store._schema import MIGRATIONS
from agent.store._sends import SendTables
from agent.store._web_sessions import WebSessionTables

__all__ = ["Store", "database_problem"]


# Another process (a reviewer's resume, the review page) may hold the write lock for a moment;
# 10 s is far above any single write here (each is one short transaction).
_BUSY_TIMEOUT_MS = 10_000


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL (persistent, so usually already done).

    Switching skips SQLite's busy handler: when several connections open a new file at once, the
    losers get "database is locked" at once. Retrying for the busy timeout covers that (seen in
    about 1 of 300 six-way races here).
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_CANTOPEN")
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def _folder_problem(folder: Path, exc: BaseException) -> str:
    return (
        f"cannot write to the data folder {folder} ({exc}): it is read-only or not yours. Nothing was "
        "changed and the data in it is intact; make the folder writable, or set INFERENCE_REPORT_HOME "
        "to another folder"
    )


def database_problem(path: Path, exc: sqlite3.Error | UnicodeDecodeError) -> str:
    """What is wrong with the database, in words a user can act on. A read-only folder is never called
    a bad database: that advice could lead someone to delete good data."""
    if isinstance(exc, UnicodeDecodeError):  # sqlite3 decodes its message, which quotes damaged bytes
        return _damaged(path, _undecodable(exc))
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if name.startswith(_NOT_WRITABLE) or "readonly" in str(exc):
        return _folder_problem(path.parent, exc)
    if name.startswith(_DAMAGED) or "malformed" in str(exc) or "not a database" in str(exc):
        return _damaged(path, str(exc))
    return f"cannot use the database {path}: {exc}"


def _undecodable(exc: UnicodeDecodeError) -> str:
    data = exc.object if isinstance(exc.object, bytes) else bytes(exc.object)
    return data.decode("utf-8", errors="replace")


def _damaged(path: Path, detail: str) -> str:
    return (
        f"the database {path} is damaged ({detail}). Nothing was changed. Keep a copy of the file; "
        f"`sqlite3 {path} .recover` may rescue its runs. To start afresh, set INFERENCE_REPORT_HOME "
        "to a new folder"
    )


class Store(
    RunTables,
    EditionTables,
    ReviewViewTables,
    ItemTables,
    SendTables,
    HttpCache,
    LockTables,
    WebSessionTables,
    ReviewerTables,
    JudgeCacheTables,
    BatchTables,
):
    """Runs, drafts, items, the claim ledger, leaderboard snapshots, reviews (and which revision each
    reviewer last looked at), publications, sends to readers, usage, the Message Batches a run submitted,
    which process works on a run; and, through ``get``/``put``, the fetcher's
    :class:`~tools.fetching.ValidatorCache`.

    Open it with :meth:`open` (a context manager). Every method is one short synchronous
    transaction, fine to call from async graph nodes; one ``Store`` may be shared between threads.
    """

    def __init__(self, db: Connection, path: Path, clock: Clock, dialect: Dialect | None = None) -> None:
        if dialect is None:
            super().__init__(db, clock, threading.RLock())
        else:
            super().__init__(db, clock, threading.RLock(), dialect)
        self.path = path
        # Where the data is, for messages: the file, or the URL without its password.
        self.location = str(path)

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._dialect.name

    @classmethod
    def open(cls, path: str | Path, *, migrations: Migrations = MIGRATIONS, clock: Clock = utc_now) -> Store:
        """Open (creating it and its directory when absent) and migrate the database at ``path``: a
        SQLite file, or a ``postgresql://`` URL (the database must exist; its tables are created)."""
        if is_database_url(path):
            return cls._open_postgresql(str(path), migrations, clock)
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=_BUSY_TIMEOUT_MS / 1000
            )
        except OSError as exc:
            raise StoreError(_folder_problem(path.parent, exc)) from exc
        except sqlite3.Error as exc:
            raise StoreError(database_problem(path, exc)) from exc
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            _use_wal(db)
            # NORMAL is durable in WAL mode except for the last transactions before a power loss.
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            store = cls(db, path, clock)
            apply_migrations(db, migrations, now=store._now)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StoreError(database_problem(path, exc)) from exc
        except UnicodeDecodeError as exc:
            db.close()
            raise StoreError(database_problem(path, exc)) from exc
        except BaseException:
            db.close()
            raise
        return store

    @classmethod
    def _open_postgresql(cls, url: str, migrations: Migrations, clock: Clock) -> Store:
        import psycopg

        try:
            db = PgConnection(url)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to the database {redact_url(url)}: {exc}".strip()) from exc
        try:
            store = cls(db, Path(redact_url(url)), clock, POSTGRESQL)
            store.location = redact_url(url)
            apply_migrations(db, migrations, now=store._now, dialect=POSTGRESQL)
        except BaseException:
            db.close()
            raise
        return store

    @property
    def schema_version(self) -> int:
        with self._lock:
            return schema_version(self._db, self._dialect)

    def check_integrity(self) -> None:
        """Raise :class:`StoreError` when the file is damaged. SQLite reads a damaged page only when a
        query reaches it, so a resume checks first rather than failing mid-run (0.8 MB: 1.3 ms cold)."""
        if self._dialect is POSTGRESQL:  # the server checks its own pages
            return
        try:
            with self._lock:
                found = [str(row[0]) for row in self._db.execute("PRAGMA quick_check(3)")]
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise StoreError(database_problem(self.path, exc)) from exc
        if found != ["ok"]:
            raise StoreError(_damaged(self.path, " ".join("; ".join(found).split())))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
