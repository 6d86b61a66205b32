"""Numbered schema migrations, registered with a decorator and recorded in ``store_migrations``.

    migrations = Migrations()

    @migrations.register(1)
    def initial(db: Connection) -> None:
        db.execute("CREATE TABLE ...")

Each migration runs in its own write transaction (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on
PostgreSQL, whose DDL is transactional too) together with the row that records it, so a crash leaves
the database at a whole version, and two processes opening the same database at once apply each
migration exactly once (the second re-reads the applied versions under the lock). The DDL is
SQLite's; ``agent.store._dialect`` maps its few types for PostgreSQL.
A migration must use ``db.execute`` only: ``executescript`` commits the open transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from agent.store._dialect import SQLITE, Connection, Dialect
from agent.store._records import SchemaTooNew, StoreError

__all__ = ["Migration", "Migrations", "apply_migrations", "schema_version"]

MigrationFn = Callable[[Connection], None]

_TABLE = "store_migrations"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: MigrationFn


class Migrations:
    """An ordered registry of migrations numbered 1, 2, 3... without gaps."""

    def __init__(self) -> None:
        self._by_version: dict[int, Migration] = {}

    def register(self, version: int, *, name: str | None = None) -> Callable[[MigrationFn], MigrationFn]:
        if version < 1:
            raise ValueError(f"migration versions start at 1, got {version}")

        def decorator(fn: MigrationFn) -> MigrationFn:
            if version in self._by_version:
                raise ValueError(f"migration {version} is registered twice")
            self._by_version[version] = Migration(version, name or fn.__name__, fn)
            return fn

        return decorator

    def upto(self, version: int) -> Migrations:
        """A copy holding migrations 1..version: how a test builds a database at an older version."""
        copy = Migrations()
        copy._by_version = {v: m for v, m in self._by_version.items() if v <= version}
        return copy

    @property
    def latest(self) -> int:
        return max(self._by_version, default=0)

    def __iter__(self) -> Iterator[Migration]:
        versions = sorted(self._by_version)
        if versions != list(range(1, len(versions) + 1)):
            raise ValueError(f"migration versions must be 1..N without gaps, got {versions}")
        return (self._by_version[v] for v in versions)

    def __len__(self) -> int:
        return len(self._by_version)


def schema_version(db: Connection, dialect: Dialect = SQLITE) -> int:
    if not dialect.has_table(db, _TABLE):
        return 0
    row = db.execute(f"SELECT MAX(version) FROM {_TABLE}").fetchone()
    return int(row[0] or 0)


def apply_migrations(
    db: Connection, migrations: Migrations, *, now: Callable[[], str], dialect: Dialect = SQLITE
) -> list[int]:
    """Bring ``db`` (in autocommit mode) up to ``migrations.latest``; return the versions applied."""
    found = schema_version(db, dialect)
    if found > migrations.latest:
        raise SchemaTooNew(
            f"the database is at schema version {found}, newer than this program's {migrations.latest}: "
            "upgrade inference-report"
        )
    if found == migrations.latest and found > 0:
        # The common case (every CLI call and review page request opens the store): no write lock.
        return []
    # Under the write lock: two PostgreSQL sessions creating the same table at once collide.
    dialect.begin_write(db)
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {_TABLE} ("
        " version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    db.execute("COMMIT")
    applied: list[int] = []
    for migration in migrations:
        dialect.begin_write(db)
        try:
            done = db.execute(f"SELECT 1 FROM {_TABLE} WHERE version = ?", (migration.version,)).fetchone()
            if done is None:
                migration.apply(db)
                db.execute(
                    f"INSERT INTO {_TABLE} (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, now()),
                )
                applied.append(migration.version)
        except dialect.errors as exc:
            db.execute("ROLLBACK")
            raise StoreError(f"migration {migration.version} ({migration.name}) failed: {exc}") from exc
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return applied
