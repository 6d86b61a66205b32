"""Moving a store to another database (SQLite to PostgreSQL): every table's rows, in foreign-key order."""

from __future__ import annotations

from agent.store._dialect import POSTGRESQL
from agent.store._records import StoreError
from agent.store._store import Store

__all__ = ["copy_store"]

# Parents before children. run_locks is left behind: a lock belongs to a process of the old database.
_TABLES = (
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
    "item_first_seen",
    "sends",
    "revoked_sessions",
    "reviewers",
    "claim_edits",
    "judge_cache",
    "message_batches",
)
# Rowid keys: PostgreSQL's identity sequences must continue after the copied rows.
_IDENTITIES = {
    "items": "seq",
    "reviews": "review_id",
    "writer_usage": "usage_id",
    "sends": "send_id",
    "claim_edits": "edit_id",
}


def copy_store(source: Store, target: Store) -> dict[str, int]:
    """Copy every row of ``source`` into ``target`` (migrated to the same schema version, and holding no
    run yet) in one transaction; return the rows copied per table."""
    if source.schema_version != target.schema_version:
        raise StoreError(
            f"the databases are at schema versions {source.schema_version} and {target.schema_version}: "
            "open both with the same inference-report"
        )
    if target.list_runs():
        raise StoreError(f"{target.location} holds runs already: move into an empty database")
    copied: dict[str, int] = {}
    with source._lock:
        rows_by_table = {t: source._db.execute(f"SELECT * FROM {t}").fetchall() for t in _TABLES}
    with target._write() as db:
        for table, rows in rows_by_table.items():
            if not rows:
                copied[table] = 0
                continue
            columns = list(rows[0].keys())
            marks = ", ".join("?" * len(columns))
            db.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [tuple(row[c] for c in columns) for row in rows],
            )
            copied[table] = len(rows)
            key = _IDENTITIES.get(table)
            if key and target._dialect is POSTGRESQL:
                sequence = f"pg_get_serial_sequence('{table}', '{key}')"
                db.execute(f"SELECT setval({sequence}, (SELECT MAX({key}) FROM {table}))")
    return copied
