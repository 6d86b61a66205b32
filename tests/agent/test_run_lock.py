"""Two processes, one run (issue 14): the second ``draft --resume`` is refused with the holder's process,
host and start; once the holder is killed, its lock is taken over and the run finishes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A draft that stops in its check stage (after write was checkpointed) and waits there, holding the run.
_HOLD_IN_CHECK = """
import asyncio, sys, time
from pathlib import Path
from agent.runs import DraftOptions, Factories, start_draft
from agent.settings import load_settings

def wait_there(claims, **kwargs):
    Path(sys.argv[2]).write_text("in check")
    time.sleep(120)

settings = load_settings({}, home=Path(sys.argv[1]))
options = DraftOptions(sample=True, writer="extractive", run_id="shared-run")
asyncio.run(start_draft(settings, options, factories=Factories(checker=wait_there)))
"""


def test_a_second_resume_is_refused_and_a_dead_holders_lock_is_taken_over(home: Path, tmp_path: Path) -> None:
    marker = tmp_path / "in-check"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["PYTHONPATH"] = str(ROOT)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_IN_CHECK, str(home), str(marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert holder.poll() is None, holder.stderr.read().decode()[-2000:] if holder.stderr else ""
            assert time.monotonic() < deadline, "the first process never reached its check stage"
            time.sleep(0.05)
        cli = [sys.executable, "-m", "agent", "draft", "--resume", "shared-run"]
        second = subprocess.run(
            cli,
            cwd=ROOT,
            env={**env, "INFERENCE_REPORT_HOME": str(home), "COLUMNS": "300"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1, second.stdout + second.stderr
        message = " ".join(second.stderr.split())
        assert (
            f"run shared-run is being worked on by process {holder.pid} on {socket.gethostname()}, since"
            in message
        )
        assert "Traceback" not in message
        assert "continuing at" not in second.stdout  # it did nothing
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)

    third = subprocess.run(
        cli,
        cwd=ROOT,
        env={**env, "INFERENCE_REPORT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert third.returncode == 0, third.stdout[-2000:] + third.stderr[-2000:]
    assert "is awaiting review" in third.stdout
