"""scripts/judge_ceiling.py: the balanced accuracy a judge right on every sentence it reads would reach."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "Northwind Labs acquired Corvid Research for $2 billion in cash, the companies said on Monday."


def test_a_swapped_relation_is_only_within_reach_of_a_second_reading(tmp_path: Path) -> None:
    rows = [
        ("copy", "Northwind Labs acquired Corvid Research for $2 billion in cash.", 1),
        ("swapped", "Corvid Research acquired Northwind Labs for $2 billion in cash.", 0),  # passed
        ("wrong", "Northwind Labs acquired Corvid Research for $3 billion in cash.", 0),  # flagged
    ]
    data = tmp_path / "rows.jsonl"
    data.write_text(
        "".join(json.dumps({"id": i, "source": SOURCE, "claim": c, "label": y}) + "\n" for i, c, y in rows),
        encoding="utf-8",
    )
    script = ROOT / "scripts" / "judge_ceiling.py"
    printed = subprocess.run(
        [sys.executable, str(script), str(data)], capture_output=True, text=True, check=True
    ).stdout
    assert "3 labelled rows" in printed
    assert "judge reads      none: balanced accuracy 0.750" in printed
    assert "judge reads undecided: balanced accuracy 0.750" in printed
    assert "judge reads    passed: balanced accuracy 1.000" in printed
