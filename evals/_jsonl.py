"""JSON lines of objects, the format of every eval dataset and of ``eval score``'s input."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["DatasetError", "parse_row", "read_rows"]


class DatasetError(ValueError):
    """A dataset line that is not the JSON object its reader needs."""


def parse_row(line: str, fields: Sequence[str]) -> dict[str, Any] | str:
    """The JSON object on ``line`` with every one of ``fields``, or what is wrong with it."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        # Python's reader recurses per bracket: a line of a few thousand "[" stopped the whole run.
        return "not read: JSON nested too deeply"
    if not isinstance(row, dict):
        return f"expected a JSON object {{{', '.join(fields)}}}, got {type(row).__name__}"
    missing = [f for f in fields if f not in row]
    return f"missing {', '.join(missing)}" if missing else row


def read_rows(path: Path, fields: Sequence[str]) -> list[dict[str, Any]]:
    """Every object of ``path`` (blank lines skipped); :class:`DatasetError` names the first bad line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = parse_row(line, fields)
        if isinstance(row, str):
            raise DatasetError(f"{path} line {number}: {row}")
        rows.append(row)
    return rows
