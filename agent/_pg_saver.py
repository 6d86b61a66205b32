"""LangGraph's Postgres saver, made to outlive a dropped connection.

``PostgresSaver.from_conn_string`` holds one connection for the run, and once the server drops it (a
restart, an idle-timeout kill) every later checkpoint fails until the process ends. Here the saver sits
on a pool of one or two connections that checks a connection before handing it out and replaces a dead
one, and a checkpoint read or write cut in flight is sent once more (on a fresh connection): the
saver's writes are upserts (``ON CONFLICT``), so a second try after a first that did land changes
nothing. Imported only with a database URL (langgraph's Postgres saver and psycopg_pool).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool

__all__ = ["async_pg_saver", "pg_saver"]

# How long opening the saver waits for its first connection before giving up.
_CONNECT_SECONDS = 30.0
# The connection options PostgresSaver.from_conn_string uses.
_POOL: dict[str, Any] = {
    "min_size": 1,
    "max_size": 2,
    "kwargs": {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
}


class _Saver(PostgresSaver):
    def get_tuple(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().get_tuple(*args, **kwargs)
        except psycopg.OperationalError:
            return super().get_tuple(*args, **kwargs)

    def put(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().put(*args, **kwargs)
        except psycopg.OperationalError:
            return super().put(*args, **kwargs)

    def put_writes(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().put_writes(*args, **kwargs)
        except psycopg.OperationalError:
            super().put_writes(*args, **kwargs)


class _AsyncSaver(AsyncPostgresSaver):
    async def aget_tuple(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().aget_tuple(*args, **kwargs)
        except psycopg.OperationalError:
            return await super().aget_tuple(*args, **kwargs)

    async def aput(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().aput(*args, **kwargs)
        except psycopg.OperationalError:
            return await super().aput(*args, **kwargs)

    async def aput_writes(self, *args: Any, **kwargs: Any) -> None:
        try:
            await super().aput_writes(*args, **kwargs)
        except psycopg.OperationalError:
            await super().aput_writes(*args, **kwargs)


@contextmanager
def pg_saver(url: str) -> Iterator[PostgresSaver]:
    """A set-up saver on a checked pool, for the duration."""
    with ConnectionPool(url, **_POOL, check=ConnectionPool.check_connection, open=False) as pool:
        pool.wait(timeout=_CONNECT_SECONDS)
        saver = _Saver(pool)
        saver.setup()
        yield saver


@asynccontextmanager
async def async_pg_saver(url: str) -> AsyncIterator[AsyncPostgresSaver]:
    """The asynchronous twin of :func:`pg_saver`."""
    async with AsyncConnectionPool(
        url, **_POOL, check=AsyncConnectionPool.check_connection, open=False
    ) as pool:
        await pool.wait(timeout=_CONNECT_SECONDS)
        saver = _AsyncSaver(pool)
        await saver.setup()
        yield saver
