from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agent.domain.errors import ConfigError
from agent.domain.models import Section, SourceKind
from agent.domain.sources import SourceSpec
from agent.settings import Settings, load_settings


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
    assert settings.source_keys([_source("ARTIFICIAL_ANALYSIS_API_KEY")]) == {
        "ARTIFICIAL_ANALYSIS_API_KEY": "aa"
    }
    assert "sk-secret" not in repr(settings)


def _source(api_key_env: str | None) -> SourceSpec:
    return SourceSpec(
        name=f"needs-{api_key_env}",
        kind=SourceKind.FEED,
        url="https://example.com/feed.xml",
        section=Section.WIRE,
        api_key_env=api_key_env,
    )


class _ReadLog(dict[str, str]):
    """An environment that notes which variables were read."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def items(self) -> Any:
        raise AssertionError("the whole environment was read")


def test_only_the_keys_the_configuration_names_are_read(tmp_path: Path) -> None:
    env = _ReadLog(
        {
            "ANTHROPIC_API_KEY": "sk-ant",
            "INFERENCE_REPORT_REVIEW_TOKEN": "review",
            "ARTIFICIAL_ANALYSIS_API_KEY": "aa",
            "GITHUB_TOKEN": "ghp-unrelated",
            "OPENAI_API_KEY": "sk-unrelated",
            "AWS_SESSION_TOKEN": "aws-unrelated",
        }
    )
    settings = load_settings(env, home=tmp_path)
    assert settings.anthropic_api_key == "sk-ant" and settings.review_token == "review"
    keys = settings.source_keys([_source("ARTIFICIAL_ANALYSIS_API_KEY"), _source(None)])
    assert keys == {"ARTIFICIAL_ANALYSIS_API_KEY": "aa"}
    assert settings.source_keys([_source("MISSING_API_KEY")]) == {}
    assert not {"GITHUB_TOKEN", "OPENAI_API_KEY", "AWS_SESSION_TOKEN"} & env.read
    held = repr(settings) + json.dumps(settings.model_dump(mode="json"))
    assert not any(secret in held for secret in ("unrelated", "aa"))


def test_explicit_source_secrets_come_before_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {"ARTIFICIAL_ANALYSIS_API_KEY": "from-env"},
        home=tmp_path,
        source_secrets={"ARTIFICIAL_ANALYSIS_API_KEY": "given"},
    )
    assert settings.source_keys([_source("ARTIFICIAL_ANALYSIS_API_KEY")]) == {
        "ARTIFICIAL_ANALYSIS_API_KEY": "given"
    }
    assert Settings().source_keys([_source("ARTIFICIAL_ANALYSIS_API_KEY")]) == {}


def test_bad_values_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="edition_date"):
        load_settings({"INFERENCE_REPORT_DATE": "next tuesday"}, home=tmp_path)
    (tmp_path / "config.toml").write_text("byline = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings({}, home=tmp_path)


def test_a_bad_value_names_the_one_place_it_came_from(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('window_days = "seven"\n')
    with pytest.raises(ConfigError) as from_file:
        load_settings({}, home=tmp_path)
    assert str(from_file.value).endswith(f"(from {tmp_path / 'config.toml'})")
    with pytest.raises(ConfigError) as from_env:
        load_settings({"INFERENCE_REPORT_MAX_COST": "abc"}, home=tmp_path, window_days=3)
    assert "setting max_cost_usd:" in str(from_env.value)
    assert str(from_env.value).endswith("(from INFERENCE_REPORT_MAX_COST)")
    with pytest.raises(ConfigError) as from_cli:
        load_settings({}, home=tmp_path, window_days=0)
    assert str(from_cli.value).endswith("(from the command line)")


def test_a_config_file_named_in_the_environment_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "conifg.toml"
    with pytest.raises(ConfigError) as refused:
        load_settings({"INFERENCE_REPORT_CONFIG": str(missing)}, home=tmp_path)
    assert str(refused.value) == f"INFERENCE_REPORT_CONFIG names {missing}, which does not exist"
    # The data folder's own config.toml stays optional.
    assert load_settings({}, home=tmp_path).byline == "The Inference Report desk"


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
