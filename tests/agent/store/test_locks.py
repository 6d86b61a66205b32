"""Run locks in the store: one holder at a time, named when refused; a dead or silent holder's lock is
taken over, once: on each engine (PostgreSQL stands for a database shared by several machines)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.store import LockHolder, RunLocked, Store
from agent.store._locks import holder_alive

STALE = timedelta(seconds=120)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 3, 40, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _holder(pid: int, host: str = "desk-1") -> LockHolder:
    return LockHolder(token=f"token-{pid}-{host}", pid=pid, host=host)


def _alive(holder: LockHolder) -> bool | None:
    return None  # another machine: only the heartbeat tells


def test_a_second_holder_is_refused_with_the_first_ones_process_host_and_time(database: str) -> None:
    clock = Clock()
    with Store.open(database, clock=clock) as store:
        store.acquire_run_lock("run-1", _holder(4242), stale_after=STALE, alive=_alive)
        clock.now += timedelta(seconds=30)
        with pytest.raises(RunLocked) as refused:
            store.acquire_run_lock("run-1", _holder(7), stale_after=STALE, alive=_alive)
        assert str(refused.value) == (
            "run run-1 is being worked on by process 4242 on desk-1, since 2026-12-07 03:40:00 UTC (last "
            "heartbeat 30 s ago). Wait for it to finish or stop that process; a lock whose process has "
            "died is taken over"
        )
        # Other runs are free; the holder releases, then the next one takes it.
        store.acquire_run_lock("run-2", _holder(7), stale_after=STALE, alive=_alive)
        store.release_run_lock("run-1", _holder(4242))
        store.acquire_run_lock("run-1", _holder(7), stale_after=STALE, alive=_alive)
        lock = store.run_lock("run-1")
        assert lock is not None and lock.holder.pid == 7


def test_a_heartbeat_keeps_the_lock_and_silence_gives_it_up(database: str) -> None:
    clock = Clock()
    with Store.open(database, clock=clock) as store:
        first = _holder(1, "desk-1")
        store.acquire_run_lock("run", first, stale_after=STALE, alive=_alive)
        for _ in range(5):  # ten minutes of beats every 2 minutes minus a second
            clock.now += STALE - timedelta(seconds=1)
            assert store.heartbeat_run_lock("run", first)
            with pytest.raises(RunLocked):
                store.acquire_run_lock("run", _holder(2, "desk-2"), stale_after=STALE, alive=_alive)
        clock.now += STALE + timedelta(seconds=1)
        store.acquire_run_lock("run", _holder(2, "desk-2"), stale_after=STALE, alive=_alive)
        # The old holder learns it lost the lock, and its release leaves the new holder's row alone.
        assert not store.heartbeat_run_lock("run", first)
        store.release_run_lock("run", first)
        lock = store.run_lock("run")
        assert lock is not None and lock.holder.host == "desk-2"


def test_a_dead_holder_on_this_host_is_taken_over_at_once(database: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = LockHolder(token="dead", pid=int(done.stdout), host=socket.gethostname())
    assert holder_alive(dead) is False
    assert holder_alive(LockHolder.this_process()) is True
    with Store.open(database) as store:
        store.acquire_run_lock("run", dead, stale_after=STALE)
        store.acquire_run_lock("run", LockHolder.this_process(), stale_after=STALE)
        lock = store.run_lock("run")
        assert lock is not None and lock.holder.pid == os.getpid()


def test_a_reused_pid_is_not_taken_for_the_dead_holder() -> None:
    # Skipped for the machine, never for what the code under test returned: an empty start time from
    # a broken reader of /proc would otherwise turn this test into a skip.
    if not Path("/proc/self/stat").is_file():
        pytest.skip("no /proc here: process start times cannot be read")
    mine = LockHolder.this_process()
    assert mine.started.isdigit(), mine
    impostor = LockHolder(token="old", pid=mine.pid, host=mine.host, started=str(int(mine.started) - 1))
    assert holder_alive(impostor) is False


def test_two_takers_of_a_dead_lock_one_wins(database: str) -> None:
    path = database
    with Store.open(path) as store:
        store.acquire_run_lock("run", _holder(1, "gone"), stale_after=STALE, alive=_alive)

    def only_the_first_is_dead(holder: LockHolder) -> bool | None:
        return False if holder.host == "gone" else None

    results: list[str] = []
    start = threading.Barrier(8)

    def take(n: int) -> None:
        with Store.open(path) as own:
            start.wait()
            try:
                own.acquire_run_lock("run", _holder(100 + n), stale_after=STALE, alive=only_the_first_is_dead)
                results.append(f"won {100 + n}")
            except RunLocked:
                results.append("refused")

    threads = [threading.Thread(target=take, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [r for r in results if r.startswith("won")]
    assert len(winners) == 1 and results.count("refused") == 7
    with Store.open(path) as store:
        lock = store.run_lock("run")
    assert lock is not None and winners == [f"won {lock.holder.pid}"]
