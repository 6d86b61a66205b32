"""The connection every table group shares: locking, transactions, timestamps and JSON helpers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from agent.domain.errors import RunNotFound
from agent.store._dialect import SQLITE, Connection, Dialect, Row

__all__ = ["Clock", "Tables", "dumps", "json_column", "parse_time", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def json_column(row: Row, name: str) -> Any:
    """A JSON column's value; None when it is NULL or absent (a database opened at an older schema
    version, as the migration tests do)."""
    if name not in row.keys():  # noqa: SIM118  # ``in`` on a Row looks at its values
        return None
    text = row[name]
    return None if text is None else json.loads(text)


class Tables:
    """Base of the table groups. One connection, used from any thread under a lock.

    The connection is in autocommit mode; writes go through :meth:`_write`, which holds the
    database's write lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL: see
    ``agent.store._dialect``) so a concurrent writer in another process waits instead of failing
    half-way.
    """

    def __init__(
        self, db: Connection, clock: Clock, lock: threading.RLock, dialect: Dialect = SQLITE
    ) -> None:
        self._db = db
        self._clock = clock
        self._lock = lock
        self._dialect = dialect

    def _now(self) -> str:
        return self._stamp(self._clock())

    @staticmethod
    def _stamp(moment: datetime) -> str:
        # A naive time is taken as UTC, like every time the product records.
        # Stored in UTC so that the ISO strings sort in time order.
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment.isoformat()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._lock:
            self._dialect.begin_write(self._db)
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _row(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self._lock:
            row: Row | None = self._db.execute(sql, params).fetchone()
            return row

    @staticmethod
    def _require_run(db: Connection, run_id: str) -> None:
        if db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is None:
            raise RunNotFound(f"no run {run_id!r} in the store")
