"""The data folder: INFERENCE_REPORT_HOME, else the nearest .inference-report above, else user data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from agent.cli import app
from agent.home import locate_home, user_data_dir

ROOT = Path(__file__).resolve().parents[2]


def test_a_folder_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    home = tmp_path / ".inference-report"
    deep = tmp_path / "a" / "b"
    home.mkdir()
    deep.mkdir(parents=True)
    found = locate_home({}, cwd=deep, user_data=tmp_path / "user")
    assert (found.path, found.chosen_by) == (home, "discovered")


def test_the_variable_wins_over_a_discovered_folder(tmp_path: Path) -> None:
    (tmp_path / ".inference-report").mkdir()
    named = tmp_path / "elsewhere"
    found = locate_home({"INFERENCE_REPORT_HOME": str(named)}, cwd=tmp_path, user_data=tmp_path / "u")
    assert (found.path, found.chosen_by) == (named, "environment")


def test_nothing_found_falls_back_to_the_user_data_directory(tmp_path: Path) -> None:
    found = locate_home({}, cwd=tmp_path, user_data=tmp_path / "user")
    assert (found.path, found.chosen_by) == (tmp_path / "user", "user data")


def test_tests_never_see_the_real_user_data_directory() -> None:
    assert os.environ["XDG_DATA_HOME"] in str(user_data_dir())
    assert not str(user_data_dir()).startswith(str(Path.home() / ".local"))


def test_review_from_a_subfolder_reads_the_projects_store(tmp_path: Path) -> None:
    """The bug of issue 16: review from another folder created a second, empty store there."""
    project = tmp_path / "project"
    (project / ".inference-report").mkdir(parents=True)
    sub = project / "notes"
    sub.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "INFERENCE_REPORT_HOME"}
    result = subprocess.run(
        [sys.executable, "-m", "agent", "where"],
        cwd=sub,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[0] == str(project / ".inference-report")
    assert "nearest .inference-report" in result.stdout
    assert not (sub / ".inference-report").exists()


def test_where_names_the_variable(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["where"], env={"INFERENCE_REPORT_HOME": str(tmp_path / "h")})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == str(tmp_path / "h")
    assert "INFERENCE_REPORT_HOME is set" in result.stdout


def test_where_json(tmp_path: Path) -> None:
    import json

    result = CliRunner().invoke(app, ["where", "--json"], env={"INFERENCE_REPORT_HOME": str(tmp_path / "h")})
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["home"] == str(tmp_path / "h") and document["chosen_by"] == "environment"
    assert document["exists"] is False and document["config_exists"] is False


def test_where_says_the_store_is_the_sqlite_file_by_default(tmp_path: Path) -> None:
    env = {"INFERENCE_REPORT_HOME": str(tmp_path / "h"), "INFERENCE_REPORT_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["where"], env=env)
    assert result.exit_code == 0, result.output
    assert f"store: {tmp_path / 'h' / 'report.sqlite'} (the default: a SQLite file" in result.stdout


def test_where_masks_the_password_of_the_database_url_from_the_environment(tmp_path: Path) -> None:
    import json

    env = {
        "INFERENCE_REPORT_HOME": str(tmp_path / "h"),
        "INFERENCE_REPORT_DATABASE_URL": "postgresql://desk:s3cret@db.example:5432/report",
    }
    result = CliRunner().invoke(app, ["where"], env=env)
    assert result.exit_code == 0, result.output
    assert "store: postgresql://desk:***@db.example:5432/report (INFERENCE_REPORT_DATABASE_URL is set)" in (
        result.stdout
    )
    assert "s3cret" not in result.output
    document = json.loads(CliRunner().invoke(app, ["where", "--json"], env=env).stdout)
    assert document["store"] == "postgresql://desk:***@db.example:5432/report"
    assert document["store_engine"] == "postgresql" and document["store_chosen_by"] == "environment"


def test_where_names_the_config_file_that_sets_the_database_url(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "config.toml").write_text('database_url = "postgresql://desk@db.example/report"\n')
    env = {"INFERENCE_REPORT_HOME": str(home), "INFERENCE_REPORT_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["where"], env=env)
    assert result.exit_code == 0, result.output
    expected = f"store: postgresql://desk@db.example/report (database_url in {home / 'config.toml'})"
    assert expected in result.stdout


def test_where_with_a_bad_config_still_names_the_folder_and_the_file_then_fails(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "config.toml").write_text('database_url = "mysql://db.example/report"\n')
    env = {"INFERENCE_REPORT_HOME": str(home), "INFERENCE_REPORT_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["where"], env=env)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == str(home)
    assert f"config: {home / 'config.toml'}" in result.stdout
    assert "database URL must start with postgresql://" in result.stderr
