"""The README's command table stays true: every command it names exists, every flag it shows is in
that command's --help, and every command of the CLI has a row."""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.testing import CliRunner

from agent.cli import app
from tests.conftest import ROOT

_HEADER = "| command | what it does |"


def _table_cells() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(_HEADER) + 2  # the header and its |---| line
    cells: list[str] = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells.append(re.split(r"(?<!\\)\|", line)[1])
    return cells


def _is_group(command: Any) -> bool:
    # typer 0.29 carries its own click (typer._click): a group is whatever holds subcommands.
    return isinstance(getattr(command, "commands", None), dict)


def _leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    leaves: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():
        if _is_group(command):
            leaves |= _leaf_commands(command, (*prefix, name))
            if command.invoke_without_command:
                leaves.add((*prefix, name))
        else:
            leaves.add((*prefix, name))
    return leaves


def _documented() -> list[tuple[tuple[str, ...], list[str]]]:
    """(command path, flags shown) for each command written in the table's first column."""
    root: Any = typer.main.get_command(app)
    found: list[tuple[tuple[str, ...], list[str]]] = []
    for cell in _table_cells():
        for span in re.findall(r"`([^`]+)`", cell):
            words = span.split()
            path: list[str] = []
            group = root
            while words and _is_group(group) and words[0] in group.commands:
                group = group.commands[words[0]]
                path.append(words.pop(0))
            flags = re.findall(r"(?<![\w-])--[a-z][a-z-]*", span)
            if path:
                found.append((tuple(path), flags))
            elif found and flags:  # `--batch` after `draft --max-cost USD`: the same command's flags
                found[-1][1].extend(flags)
            else:
                raise AssertionError(f"the README's command table names no command in `{span}`")
    return found


def test_every_flag_in_the_command_table_is_in_its_help() -> None:
    for path, flags in _documented():
        helped = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert helped.exit_code == 0, (path, helped.output)
        for flag in flags:
            assert re.search(rf"(?<![\w-]){flag}(?![\w-])", helped.stdout), (
                f"README shows `{' '.join(path)} {flag}`, which `{' '.join(path)} --help` does not list"
            )


def test_every_command_has_a_row() -> None:
    root: Any = typer.main.get_command(app)
    documented = {path for path, _ in _documented()}
    missing = sorted(" ".join(p) for p in _leaf_commands(root) - documented)
    assert not missing, f"commands missing from the README's command table: {missing}"


def test_every_field_of_a_source_is_in_the_readme() -> None:
    from agent.domain.sources import SourceSpec

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("- Sources: `sources.toml`")
    bullet = readme[start : readme.index("\n- ", start + 1)]
    for field in SourceSpec.model_fields:
        shown = "[source.columns]" if field == "columns" else field
        assert f"`{shown}`" in bullet, f"sources.toml takes `{field}`; the README's Sources bullet omits"
