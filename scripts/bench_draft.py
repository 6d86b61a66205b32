"""Start-up and whole run: `inference-report draft --sample` (offline, extractive) as an editor runs it.

    .venv/bin/python scripts/bench_draft.py [--runs 5] [--against DIR]

Each run is a fresh process with a fresh data directory, so start-up and imports are included; the
figure is the whole process, from exec to exit. ``--against DIR`` runs the same command from another
checkout of the project (e.g. ``git archive main | tar -x -C DIR``) with this interpreter, alternating
with this one, and prints the paired ratios: on a busy machine only those mean much. Prints the
setup (Python, cores, load average before and after) and the median, min and max.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def draft_once(checkout: Path) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
        env["INFERENCE_REPORT_HOME"] = home
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "agent", "draft", "--sample", "--writer", "extractive"],
            cwd=checkout,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def _spread(name: str, times: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout to run alternately, for paired ratios")
    args = parser.parse_args()
    print(
        f"draft --sample --writer extractive, whole process, fresh data directory each run; "
        f"Python {platform.python_version()}, {len(os.sched_getaffinity(0))} cores, "
        f"load average {os.getloadavg()[0]:.1f} before; one warm-up run each (page cache), "
        f"median of {args.runs}"
    )
    draft_once(ROOT)
    if args.against:
        draft_once(args.against)
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.runs):
        ours.append(draft_once(ROOT))
        if args.against:
            theirs.append(draft_once(args.against))
    print(_spread(f"this checkout ({ROOT})", ours))
    if args.against:
        print(_spread(f"against ({args.against})", theirs))
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        print(f"paired ratio this / against: median {statistics.median(ratios):.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}; target: median <= 1.5 s on an idle machine")


if __name__ == "__main__":
    main()
