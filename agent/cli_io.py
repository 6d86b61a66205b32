"""What every command of ``inference-report`` shares: where output goes and what the exit codes mean.

Results go to stdout (one JSON document with ``--json``); progress, warnings and errors to stderr, so a
script can read one without the other. Exit 0 on success, 1 on a runtime failure (its reason on
stderr), 2 on a usage error (click's own code for a bad option or argument).

Nothing here imports rich at module level: the consoles are made on first use, so ``--help`` does not
pay for rich's import (about 60 ms on the shared machine).
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

__all__ = [
    "EXIT_RUNTIME",
    "EXIT_STATUS_HELP",
    "EXIT_USAGE",
    "StageProgress",
    "dir_option",
    "emit_json",
    "err",
    "fail",
    "out",
    "say",
    "stage_progress",
]

EXIT_RUNTIME = 1
EXIT_USAGE = 2
EXIT_STATUS_HELP = (
    "Exit status: 0 success, 1 a runtime failure (the reason on stderr), 2 a usage error. "
    "Results go to stdout (--json: one JSON document), progress and errors to stderr."
)


@functools.cache
def out() -> Console:
    from rich.console import Console

    return Console()


@functools.cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def say(line: str) -> None:
    """One plain line on stdout: no markup (reasons and comments are data), no hard wrap (commands
    stay whole)."""
    out().print(line, highlight=False, markup=False, soft_wrap=True)


def fail(exc: Exception | str) -> typer.Exit:
    """Print ``error: ...`` on stderr and return the runtime failure's exit (``raise fail(exc)``)."""
    from rich.text import Text

    # soft_wrap: an error often ends with a command to run; a hard wrap would split it across lines.
    # Text, not markup: the message may quote a source, a comment or a URL with [brackets].
    err().print(Text.assemble(("error:", "bold red"), f" {exc}"), highlight=False, soft_wrap=True)
    return typer.Exit(code=EXIT_RUNTIME)


def dir_option(value: str | None, option: str) -> Path | None:
    """A directory option's path; an empty one is a usage error, because ``Path("")`` is the working
    directory: ``--out "$SITE"`` with SITE unset wrote the draft's files or the site there."""
    if value is None:
        return None
    if not value.strip():
        raise typer.BadParameter(
            "an empty path (an unset shell variable?) would write into the working directory; name a "
            "directory, or . for this one",
            param_hint=option,
        )
    return Path(value)


def emit_json(document: Any) -> None:
    """The one JSON document a ``--json`` command prints on stdout."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


class StageProgress:
    """The progress callback of a long command: each line on stderr with the seconds since the start
    (``  12.4s    write  lead paragraph``) and, when stderr is a terminal, a spinner under them with the
    current stage and its running clock."""

    def __init__(self, live: Progress | None = None) -> None:
        self._started = time.monotonic()
        self._live = live
        self._task: TaskID | None = None

    def __call__(self, stage: str, message: str) -> None:
        elapsed = time.monotonic() - self._started
        console = self._live.console if self._live is not None else err()
        console.print(
            f"[dim]{elapsed:6.1f}s {stage:>8}[/] ", message, sep="", highlight=False, soft_wrap=True
        )
        if self._live is not None:
            description = f"{stage}: {message}"[:70]
            if self._task is None:
                self._task = self._live.add_task(description, total=None)
            else:
                self._live.reset(self._task, description=description)


@contextmanager
def stage_progress() -> Iterator[StageProgress]:
    if not err().is_terminal:
        yield StageProgress()
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err(), transient=True) as live:
        yield StageProgress(live)
