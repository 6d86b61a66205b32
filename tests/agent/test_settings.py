from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from agent.domain.errors import ConfigError
from agent.settings import load_settings


def test_defaults_without_environment(tmp_path: Path) -> None:
    settings = load_settings({}, home=tmp_path)
    assert settings.home == tmp_path
    assert settings.resolved_writer == "extractive"
    assert settings.database_path == tmp_path / "report.sqlite"


def test_config_file_then_environment_then_overrides(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('byline = "From the file"\nmodel = "file-model"\nwindow_days = 5\n')
    env = {
        "INFERENCE_REPORT_HOME": str(tmp_path),
        "INFERENCE_REPORT_MODEL": "env-model",
        "INFERENCE_REPORT_DATE": "2026-11-26",
    }
    settings = load_settings(env, byline="From the CLI")
    assert settings.byline == "From the CLI"
    assert settings.model == "env-model"
    assert settings.window_days == 5
    assert settings.edition_date == date(2026, 11, 26)


def test_a_key_selects_the_claude_writer_and_is_not_shown(tmp_path: Path) -> None:
    settings = load_settings(
        {"ANTHROPIC_API_KEY": "sk-secret", "ARTIFICIAL_ANALYSIS_API_KEY": "aa"}, home=tmp_path
    )
    assert settings.resolved_writer == "claude"
    assert settings.source_secrets == {"ARTIFICIAL_ANALYSIS_API_KEY": "aa"}
    assert "sk-secret" not in repr(settings)


def test_bad_values_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="edition_date"):
        load_settings({"INFERENCE_REPORT_DATE": "next tuesday"}, home=tmp_path)
    (tmp_path / "config.toml").write_text("byline = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings({}, home=tmp_path)


def test_a_data_directory_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    home = tmp_path / "not-a-directory"
    home.write_text("")
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_settings({}, home=home)


def test_site_and_mail_settings(tmp_path: Path) -> None:
    env = {
        "INFERENCE_REPORT_SITE_URL": "https://report.example.org",
        "INFERENCE_REPORT_MAIL_TO": "ana@example.org, bo@example.org,",
        "INFERENCE_REPORT_SMTP_URL": "smtps://desk:s3cret@mail.example.org:465",
    }
    settings = load_settings(env, home=tmp_path)
    assert settings.site_url == "https://report.example.org/"
    assert settings.mail_to == ("ana@example.org", "bo@example.org")
    assert "s3cret" not in repr(settings)
    with pytest.raises(ConfigError, match="site_url"):
        load_settings({"INFERENCE_REPORT_SITE_URL": "report.example.org"}, home=tmp_path)


def test_an_smtp_password_in_the_config_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('smtp_url = "smtp://desk:s3cret@mail.example.org:587"\n')
    with pytest.raises(ConfigError, match="INFERENCE_REPORT_SMTP_URL in the environment"):
        load_settings({}, home=tmp_path)
    (tmp_path / "config.toml").write_text('smtp_url = "smtp://mail.example.org:587"\nmail_to = ["a@b.org"]\n')
    assert load_settings({}, home=tmp_path).mail_to == ("a@b.org",)
