"""Times `inference-report draft --sample` (offline, extractive) end to end, as an editor runs it.

Usage: .venv/bin/python scripts/bench_draft.py [--runs 5]
Each run is a fresh process with a fresh data directory, so start-up and imports are included.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    timings: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "INFERENCE_REPORT_HOME": home}
            env.pop("ANTHROPIC_API_KEY", None)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "agent", "draft", "--sample", "--writer", "extractive"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            timings.append(time.perf_counter() - started)
    print(
        f"draft --sample: {len(timings)} runs, median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s, max {max(timings):.2f} s"
    )


if __name__ == "__main__":
    main()
