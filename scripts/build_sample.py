"""Builds the bundled sample edition's archives from tools/sample/documents/ (deterministic).

Usage: .venv/bin/python scripts/build_sample.py [--check]
--check rebuilds into a temporary directory and exits 1 if a committed archive differs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.sample import SAMPLE_DIR, build_archives  # noqa: E402


def _same(built: Path) -> bool:
    committed = SAMPLE_DIR / built.name
    return committed.exists() and committed.read_bytes() == built.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="compare a rebuild with the committed archives")
    args = parser.parse_args()
    if not args.check:
        for path in build_archives(SAMPLE_DIR):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [built.name for built in build_archives(Path(tmp)) if not _same(built)]
    for name in stale:
        print(f"{name} is out of date: run scripts/build_sample.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
