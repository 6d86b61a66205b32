"""Times what a reviewer waits for on the sample edition: `review RUN_ID` as a whole process, and a
review page view (the first in a fresh process, then warm views), median of --runs each.

    .venv/bin/python scripts/bench_review.py [--runs 5] [--home DIR]

Drafts the sample (offline, extractive) into a fresh data directory unless --home names one that
holds a run awaiting review. Each `review` run is a new process, so start-up and imports count; the
page views go through Starlette's TestClient (no sockets), with the bearer token.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_PAGE_VIEWS = """
import statistics, sys, time
from starlette.testclient import TestClient
from agent.settings import load_settings
from agent.web import create_app

run_id, views = sys.argv[1], int(sys.argv[2])
client = TestClient(create_app(load_settings(), token="bench-review-token"))
timings = []
for _ in range(views + 1):
    t = time.perf_counter()
    response = client.get(f"/runs/{run_id}", headers={"authorization": "Bearer bench-review-token"})
    assert response.status_code == 200, response.status_code
    timings.append(time.perf_counter() - t)
print(timings[0], statistics.median(timings[1:]), "langgraph" in sys.modules)
"""


def _median(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f})"


def _pending_run(env: dict[str, str]) -> str:
    from agent.review import list_pending
    from agent.settings import load_settings
    from agent.store import Store

    settings = load_settings(env)
    with Store.open(settings.database) as store:
        pending = list_pending(store)
    if not pending:
        raise SystemExit(f"no run awaits review in {settings.home}")
    return pending[0].run_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
        env["INFERENCE_REPORT_HOME"] = str(home)
        if args.home is None:
            subprocess.run(
                [sys.executable, "-m", "agent", "draft", "--sample", "--writer", "extractive"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        run_id = _pending_run(env)
        review: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "agent", "review", run_id],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            review.append(time.perf_counter() - started)
        first: list[float] = []
        warm: list[float] = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", _PAGE_VIEWS, run_id, str(args.runs)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            cold, hot, graph = done.stdout.split()
            first.append(float(cold))
            warm.append(float(hot))
    print(f"review {run_id}: {args.runs} processes, {_median(review)}")
    print(f"review page, first view in a fresh process: {_median(first)}; langgraph loaded: {graph}")
    print(f"review page, warm views: {_median(warm)}")


if __name__ == "__main__":
    main()
