"""The connection every table group shares: locking, transactions, timestamps and JSON helpers."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from agent.domain.errors import RunNotFound

__all__ = ["Clock", "Tables", "dumps", "json_column", "parse_time", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def json_column(row: sqlite3.Row, name: str) -> Any:
    """A JSON column's value; None when it is NULL or absent (a database opened at an older schema
    version, as the migration tests do)."""
    if name not in row.keys():  # noqa: SIM118  # ``in`` on a sqlite3.Row looks at its values
        return None
    text = row[name]
    return None if text is None else json.loads(text)


class Tables:
    """Base of the table groups. One connection, used from any thread under a lock.

    The connection is in autocommit mode (``isolation_level=None``); writes go through
    :meth:`_write`, which holds ``BEGIN IMMEDIATE`` so a concurrent writer in another process waits
    for the busy timeout instead of failing half-way.
    """

    def __init__(self, db: sqlite3.Connection, clock: Clock, lock: threading.RLock) -> None:
        self._db = db
        self._clock = clock
        self._lock = lock

    def _now(self) -> str:
        return self._stamp(self._clock())

    @staticmethod
    def _stamp(moment: datetime) -> str:
        # A naive time is taken as UTC, like every time the product records.
        # Stored in UTC so that the ISO strings sort in time order.
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment.isoformat()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._db.execute(sql, params).fetchone()
            return row

    @staticmethod
    def _require_run(db: sqlite3.Connection, run_id: str) -> None:
        if db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is None:
            raise RunNotFound(f"no run {run_id!r} in the store")
