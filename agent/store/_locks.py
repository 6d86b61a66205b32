"""Run locks: one process at a time works on a run.

A held run has one row: who holds it (a token, and the process id, host and process start time a
reader can check), since when, and a heartbeat the holder refreshes. Another process is refused
with those details. A lock whose holder is gone is taken over: at once when the holder ran on this
host and its process is dead, otherwise when its heartbeat is older than ``stale_after``. Every
change is one compare-and-set statement on the holder's token, so the same rules hold on a server
database shared by several machines.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from agent.store._base import Tables, parse_time
from agent.store._dialect import Row
from agent.store._records import StoreError

__all__ = ["LockHolder", "LockTables", "RunLock", "RunLocked", "holder_alive"]


@dataclass(frozen=True, slots=True)
class LockHolder:
    token: str  # one per acquisition: two holders in one process are two holders
    pid: int
    host: str
    # When the process started (Linux: clock ticks after boot), so that a dead holder's pid reused by
    # another process is not taken for the holder; "" where it cannot be read.
    started: str = ""

    @classmethod
    def this_process(cls) -> LockHolder:
        return cls(
            token=uuid.uuid4().hex, pid=os.getpid(), host=socket.gethostname(), started=_started(os.getpid())
        )


@dataclass(frozen=True, slots=True)
class RunLock:
    run_id: str
    holder: LockHolder
    acquired_at: datetime
    heartbeat_at: datetime


class RunLocked(StoreError):
    """Another live process holds the run's lock."""

    def __init__(self, message: str, *, lock: RunLock) -> None:
        super().__init__(message)
        self.lock = lock


def _started(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Field 22, counted after the command name, which is in parentheses and may hold spaces.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def holder_alive(holder: LockHolder) -> bool | None:
    """Whether the holder's process still runs: None when it ran on another host (only its heartbeat
    can tell)."""
    if holder.host != socket.gethostname():
        return None
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        pass
    return not (holder.started and _started(holder.pid) not in ("", holder.started))


def _lock(row: Row) -> RunLock:
    return RunLock(
        run_id=row["run_id"],
        holder=LockHolder(token=row["token"], pid=row["pid"], host=row["host"], started=row["started"]),
        acquired_at=parse_time(row["acquired_at"]),
        heartbeat_at=parse_time(row["heartbeat_at"]),
    )


def _refusal(lock: RunLock, now: datetime) -> str:
    since = lock.acquired_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    beat = max(0, round((now - lock.heartbeat_at).total_seconds()))
    return (
        f"run {lock.run_id} is being worked on by process {lock.holder.pid} on {lock.holder.host}, since "
        f"{since} (last heartbeat {beat} s ago). Wait for it to finish or stop that process; a lock whose "
        "process has died is taken over"
    )


class LockTables(Tables):
    def run_lock(self, run_id: str) -> RunLock | None:
        row = self._row("SELECT * FROM run_locks WHERE run_id = ?", (run_id,))
        return None if row is None else _lock(row)

    def acquire_run_lock(
        self,
        run_id: str,
        holder: LockHolder,
        *,
        stale_after: timedelta,
        alive: Callable[[LockHolder], bool | None] = holder_alive,
    ) -> None:
        """Take the run's lock, or raise :class:`RunLocked` naming the live holder."""
        now = self._now()
        values = (holder.token, holder.pid, holder.host, holder.started, now, now)
        with self._write() as db:
            inserted = db.execute(
                "INSERT INTO run_locks (run_id, token, pid, host, started, acquired_at, heartbeat_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING",
                (run_id, *values),
            )
            if inserted.rowcount == 1:
                return
            row = db.execute("SELECT * FROM run_locks WHERE run_id = ?", (run_id,)).fetchone()
            current = _lock(row)
            if current.holder.token != holder.token:
                silent = parse_time(now) - current.heartbeat_at > stale_after
                if not silent and alive(current.holder) is not False:
                    raise RunLocked(_refusal(current, parse_time(now)), lock=current)
            taken = db.execute(
                "UPDATE run_locks SET token = ?, pid = ?, host = ?, started = ?, acquired_at = ?,"
                " heartbeat_at = ? WHERE run_id = ? AND token = ?",
                (*values, run_id, current.holder.token),
            )
            if taken.rowcount != 1:  # another process took it between the read and the update
                raise RunLocked(_refusal(current, parse_time(now)), lock=current)

    def heartbeat_run_lock(self, run_id: str, holder: LockHolder) -> bool:
        """Refresh the heartbeat; False when the lock is no longer this holder's."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE run_locks SET heartbeat_at = ? WHERE run_id = ? AND token = ?",
                (self._now(), run_id, holder.token),
            )
            return cursor.rowcount == 1

    def release_run_lock(self, run_id: str, holder: LockHolder) -> None:
        with self._write() as db:
            db.execute("DELETE FROM run_locks WHERE run_id = ? AND token = ?", (run_id, holder.token))
