"""Moving a desk's SQLite store to PostgreSQL: ``inference-report db migrate-to URL``.

The store's rows are copied table by table (``agent.store.copy_store``), then every LangGraph
checkpoint and pending write, so a run awaiting review in the file can be decided from the new
database. The SQLite file is only read: it stays as it was, a backup until the desk switches over by
setting ``INFERENCE_REPORT_DATABASE_URL``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.domain.errors import ConfigError
from agent.store import Store, copy_store

__all__ = ["MoveReport", "migrate_to"]


@dataclass(frozen=True)
class MoveReport:
    rows: dict[str, int] = field(default_factory=dict)
    threads: int = 0
    checkpoints: int = 0


def _copy_checkpoints(source: Any, target: Any) -> tuple[int, int]:
    """Every thread's checkpoints, oldest first, with their pending writes."""
    tuples = list(source.list(None))
    threads = {t.config["configurable"]["thread_id"] for t in tuples}
    for saved in reversed(tuples):  # list() is newest first; a checkpoint's parent goes in first
        configurable = saved.config["configurable"]
        parent = saved.parent_config or {
            "configurable": {
                "thread_id": configurable["thread_id"],
                "checkpoint_ns": configurable["checkpoint_ns"],
            }
        }
        stored = target.put(
            parent, saved.checkpoint, saved.metadata, dict(saved.checkpoint["channel_versions"])
        )
        by_task: dict[str, list[tuple[str, Any]]] = {}
        for task_id, channel, value in saved.pending_writes or ():
            by_task.setdefault(task_id, []).append((channel, value))
        for task_id, writes in by_task.items():
            target.put_writes(stored, writes, task_id)
    return len(threads), len(tuples)


def migrate_to(sqlite_path: Path, url: str) -> MoveReport:
    """Copy the store and checkpoints in ``sqlite_path`` into the empty PostgreSQL database at ``url``."""
    # langgraph takes about 0.9 s to import: only this command pays it.
    from langgraph.checkpoint.postgres import PostgresSaver
    from langgraph.checkpoint.sqlite import SqliteSaver

    if not sqlite_path.exists():
        raise ConfigError(f"there is no database at {sqlite_path} to move")
    with Store.open(sqlite_path) as source, Store.open(url) as target:
        rows = copy_store(source, target)
    with (
        SqliteSaver.from_conn_string(str(sqlite_path)) as old,
        PostgresSaver.from_conn_string(url) as new,
    ):
        new.setup()
        threads, checkpoints = _copy_checkpoints(old, new)
    return MoveReport(rows=rows, threads=threads, checkpoints=checkpoints)
