"""Times how long the command takes to start: `--help`, `review` (the list) and `where`, each a whole
process, median of --runs, each run paired with `python -c pass` so a loaded machine shows in the ratio.

    .venv/bin/python scripts/bench_start.py [--runs 5] [--home DIR]

Targets (issue 16): --help under 0.4 s, review (list) under 0.6 s. Drafts the sample (offline,
extractive) into a fresh data folder first unless --home names one, so `review` lists a real draft.
Also says whether any of langgraph, anthropic, trafilatura, starlette or the checker was imported.
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
TARGETS = {"--help": 0.4, "review": 0.6}
HEAVY = ("langgraph", "anthropic", "trafilatura", "starlette", "evals.grounding.checker", "httpx")

_LOADED = """
import runpy, sys
sys.argv = ["inference-report", *sys.argv[1:]]
try:
    runpy.run_module("agent", run_name="__main__")
except SystemExit:
    pass
heavy = {heavy!r}
print("LOADED", ",".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def _wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _loaded(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED.format(heavy=HEAVY), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((ln for ln in done.stderr.splitlines() if ln.startswith("LOADED")), "LOADED ?")
    return line.removeprefix("LOADED").strip() or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path)
    options = parser.parse_args()
    command = str(Path(sys.executable).with_name("inference-report"))
    with tempfile.TemporaryDirectory() as scratch:
        home = options.home or Path(scratch) / "home"
        env = {**os.environ, "INFERENCE_REPORT_HOME": str(home), "COLUMNS": "200"}
        if options.home is None:
            subprocess.run(
                [command, "draft", "--sample", "--writer", "extractive"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
        baseline = [sys.executable, "-c", "pass"]
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        print(f"{'command':<28} {'median s':>9} {'python -c pass':>15} {'ratio':>6}  target  heavy imports")
        for args in (["--help"], ["review"], ["where"]):
            _wall([command, *args], env)  # warm the page cache
            pairs = [(_wall([command, *args], env), _wall(baseline, env)) for _ in range(options.runs)]
            median = statistics.median(a for a, _ in pairs)
            base = statistics.median(b for _, b in pairs)
            ratio = statistics.median(a / b for a, b in pairs)
            target = TARGETS.get(args[0])
            verdict = "" if target is None else f"<{target} {'ok' if median < target else 'MISSED'}"
            label = "inference-report " + " ".join(args)
            print(
                f"{label:<28} {median:>9.3f} {base:>15.3f} {ratio:>6.1f}  {verdict:<7} {_loaded(args, env)}"
            )


if __name__ == "__main__":
    main()
