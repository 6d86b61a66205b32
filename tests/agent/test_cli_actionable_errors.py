"""Errors a user can act on (issue 14): a clear message, a non-zero exit, and nothing changed on disk.

An impossible edition date, a read-only data folder, a damaged database under ``--resume`` and a replay
archive cut short each used to crash with a traceback, mislead, or exit 0.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.store import Store
from tools.sample import SAMPLE_ARCHIVE, SAMPLE_SOURCES

ROOT = Path(__file__).resolve().parents[2]


def _invoke(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"INFERENCE_REPORT_HOME": str(home)})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_at_the_ends_of_the_calendar_is_refused_before_anything_starts(
    tmp_path: Path, day: str
) -> None:
    home = tmp_path / "home"
    code, output = _invoke(home, "draft", "--sample", "--writer", "extractive", "--date", day)
    assert code == 1, output
    assert (
        f"edition date {day} is out of range: an edition date is between 1970-01-01 and 2999-12-31" in output
    )
    assert not home.exists()


def test_a_date_from_the_environment_is_checked_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "draft",
            "--sources",
            str(SAMPLE_SOURCES),
            "--replay",
            str(SAMPLE_ARCHIVE),
            "--writer",
            "extractive",
        ],
        env={"INFERENCE_REPORT_HOME": str(tmp_path / "home"), "INFERENCE_REPORT_DATE": "9999-12-31"},
    )
    assert result.exit_code == 1 and "out of range" in result.output
    assert not (tmp_path / "home").exists()


def test_a_replay_archive_cut_short_is_refused(tmp_path: Path) -> None:
    whole = SAMPLE_ARCHIVE.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    home = tmp_path / "home"
    code, output = _invoke(home, "draft", "--sample", "--writer", "extractive", "--replay", str(cut))
    assert code == 1, output
    assert f"{cut}: the archive is cut short" in output and "copy the archive again" in output
    assert not home.exists()
    code, output = _invoke(home, "sources", "check", "--sources", str(SAMPLE_SOURCES), "--replay", str(cut))
    assert code == 1 and "the archive is cut short" in output
    # The whole archive still replays.
    code, output = _invoke(
        home, "sources", "check", "--sources", str(SAMPLE_SOURCES), "--replay", str(SAMPLE_ARCHIVE)
    )
    assert code == 0, output


@pytest.fixture(scope="module")
def drafted_home() -> Iterator[tuple[Path, str]]:
    """A data folder holding one sample run awaiting review (drafted once for the module)."""
    folder = Path(tempfile.mkdtemp(prefix="actionable-"))
    home = folder / "home"
    code, output = _invoke(home, "draft", "--sample", "--writer", "extractive")
    assert code == 0, output
    run_id = next((home / "runs").iterdir()).name
    yield home, run_id
    shutil.rmtree(folder)


def _damage_header(data: bytearray) -> None:
    data[:100] = bytes(100)


def _damage_pages(data: bytearray) -> None:
    """Garbage inside every page after the schema's: the file opens, the checkpoints do not read."""
    noise = random.Random(1)
    for start in range(8192, len(data) - 400, 4096):
        data[start + 100 : start + 400] = bytes(noise.randrange(256) for _ in range(300))


@pytest.mark.parametrize("damage", [_damage_header, _damage_pages], ids=["header", "pages"])
def test_resume_on_a_damaged_database_says_so_and_changes_nothing(
    drafted_home: tuple[Path, str], tmp_path: Path, damage: object
) -> None:
    source, run_id = drafted_home
    home = tmp_path / "home"
    shutil.copytree(source, home)
    database = home / "report.sqlite"
    data = bytearray(database.read_bytes())
    damage(data)  # type: ignore[operator]
    database.write_bytes(bytes(data))
    before = _digest(home)
    code, output = _invoke(home, "draft", "--resume", run_id)
    assert code == 1, output
    assert f"the database {database} is damaged" in output
    assert "Nothing was changed" in output and ".recover" in output
    assert _digest(home) == before


# linux/capability.h and linux/prctl.h: root ignores file modes through these three capabilities.
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3
_PR_CAPBSET_DROP = 24


def _drop_file_overrides() -> None:
    """In the child, before exec: without these capabilities root meets file modes like anyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _set_modes(folder: Path, *, writable: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = 0o755 if path.is_dir() else 0o644
        path.chmod(mode if writable else mode & ~0o222)


@pytest.mark.parametrize(
    "command", [["draft", "--sample", "--writer", "extractive"], ["review"], ["draft", "--resume", "x"]]
)
def test_a_read_only_data_folder_is_named_as_such_not_as_a_bad_database(
    tmp_path: Path, command: list[str]
) -> None:
    home = tmp_path / "home"
    with Store.open(home / "report.sqlite"):
        pass
    before = _digest(home)
    _set_modes(home, writable=False)
    # PYTHONPATH: the child runs the code beside this test, whichever checkout it is.
    env = {**os.environ, "INFERENCE_REPORT_HOME": str(home), "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    env.pop("ANTHROPIC_API_KEY", None)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "agent", *command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_drop_file_overrides if os.geteuid() == 0 else None,
        )
    except subprocess.SubprocessError as failed:
        # Only _drop_file_overrides failing in the child may skip: a command that hangs past its
        # timeout (TimeoutExpired, a subclass) is a failure.
        if type(failed) is not subprocess.SubprocessError:
            raise
        pytest.skip("cannot drop root's file capabilities here")
    finally:
        _set_modes(home, writable=True)
    output = " ".join(done.stderr.split())
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"cannot write to the data folder {home}" in output
    assert "the data in it is intact" in output
    assert "not a usable SQLite database" not in output and "Traceback" not in output
    assert _digest(home) == before
