"""Settings: the only module that reads the environment.

Precedence, lowest first: defaults, the config file (``config.toml`` in the data folder, or
``INFERENCE_REPORT_CONFIG``), the environment, then explicit overrides from the CLI. The data folder is
found by :func:`agent.home.locate_home` (``INFERENCE_REPORT_HOME``, else the nearest ``.inference-report``
above the working directory, else the user data directory).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from agent.domain.errors import ConfigError
from agent.domain.sources import SourceSpec
from agent.home import locate_home

__all__ = ["DEFAULT_MODEL", "Settings", "load_settings", "redact_url"]

# claude-sonnet-4-5 reaches end of life on 2026-11-30 (the SDK warns on every call); Sonnet 5.5 is current.
DEFAULT_MODEL = "claude-sonnet-5-5"

# Environment variable -> settings field.
_ENV_FIELDS: dict[str, str] = {
    "INFERENCE_REPORT_HOME": "home",
    "INFERENCE_REPORT_BYLINE": "byline",
    "INFERENCE_REPORT_MODEL": "model",
    "INFERENCE_REPORT_DATE": "edition_date",
    "INFERENCE_REPORT_WRITER": "writer",
    "INFERENCE_REPORT_MAX_COST": "max_cost_usd",
    "INFERENCE_REPORT_CONTACT": "contact",
    "INFERENCE_REPORT_REVIEWER": "reviewer",
    "INFERENCE_REPORT_REVIEW_TOKEN": "review_token",
    "INFERENCE_REPORT_REVIEW_HOSTS": "review_hosts",
    "INFERENCE_REPORT_AUTO_PUBLISH": "auto_publish",
    "INFERENCE_REPORT_FETCH_CONCURRENCY": "fetch_global_concurrency",
    "INFERENCE_REPORT_FETCH_PER_HOST_CONCURRENCY": "fetch_per_host_concurrency",
    "INFERENCE_REPORT_FETCH_PER_HOST_DELAY": "fetch_per_host_delay",
    "INFERENCE_REPORT_SOURCE_DEADLINE": "source_deadline_seconds",
    "INFERENCE_REPORT_RUN_DEADLINE": "run_deadline_seconds",
    "INFERENCE_REPORT_SITE_URL": "site_url",
    "INFERENCE_REPORT_SMTP_URL": "smtp_url",
    "INFERENCE_REPORT_MAIL_FROM": "mail_from",
    "INFERENCE_REPORT_MAIL_TO": "mail_to",
    "INFERENCE_REPORT_UNSUBSCRIBE_URL": "unsubscribe_url",
    "INFERENCE_REPORT_AUTO_SEND": "auto_send",
    "INFERENCE_REPORT_DATABASE_URL": "database_url",
    "ANTHROPIC_API_KEY": "anthropic_api_key",
    "ANTHROPIC_AUTH_TOKEN": "anthropic_auth_token",
    "ANTHROPIC_BASE_URL": "anthropic_base_url",
}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    home: Path = Path(".inference-report")
    byline: str = "The Inference Report desk"
    model: str = DEFAULT_MODEL
    edition_date: date | None = None  # None: today, from the injected clock
    # None: "claude" when a key is configured, else "extractive".
    writer: Literal["claude", "extractive"] | None = None
    max_cost_usd: float | None = Field(default=None, ge=0)
    window_days: int = Field(default=7, ge=1, le=60)
    # Wall-clock bounds on fetching. One request is bounded (60 s an attempt, 3 attempts), but 6 slow
    # linked pages held one draft 9 min 16 s (issue 14). At 1 s between requests to a host, a feed and
    # its 10 linked pages need at least 10 s: 180 s leaves room for slow but healthy sources.
    source_deadline_seconds: float = Field(default=180.0, gt=0)
    # Every source of the run, counted from when the process takes up the run (a draft or a resume).
    run_deadline_seconds: float = Field(default=600.0, gt=0)
    # A run's lock (one process works on a run) is refreshed every quarter of this; a holder on another
    # machine silent for this long is taken for dead. On this machine a dead holder is seen at once.
    run_lock_stale_seconds: float = Field(default=120.0, gt=0)
    contact: str = "https://github.com/inference-report/inference-report"
    reviewer: str = Field(default_factory=lambda: os.environ.get("USER", "reviewer"))
    review_token: str | None = None
    # The names reviewers reach the review page by when it is served beyond loopback
    # (review.example.org): any other Host header is refused. Comma-separated in the environment.
    review_hosts: tuple[str, ...] = ()
    auto_publish: bool = False
    # Politeness of live fetching. A weekly run fetches a few dozen URLs, so being slow per host (2 in
    # flight, 1 s between request starts) costs little and keeps us welcome; a source can ask for more
    # care (``per_host_delay`` / ``per_host_concurrency`` in the sources file), and a robots.txt
    # Crawl-delay longer than the gap is honoured for its host.
    fetch_global_concurrency: int = Field(default=16, ge=1)
    fetch_per_host_concurrency: int = Field(default=2, ge=1)
    fetch_per_host_delay: float = Field(default=1.0, ge=0)
    # Where the published site is served: feed entries and emails link to SITE_URL/2026-11-26/.
    site_url: str | None = None
    # smtp://host:port (STARTTLS when offered) or smtps://host:port; user:password@ only from the
    # environment (load_settings refuses credentials in config.toml).
    smtp_url: str | None = Field(default=None, repr=False)
    mail_from: str | None = None
    mail_to: tuple[str, ...] = ()
    # A mailto: or https: address for List-Unsubscribe and the footer (default: mailto the sender).
    unsubscribe_url: str | None = None
    # With auto_publish: send the edition too, as soon as it is approved.
    auto_send: bool = False
    # postgresql://user@host:5432/dbname: the store and the run checkpoints live there instead of the
    # data folder's SQLite file (archives, drafts and the site stay files in the data folder).
    database_url: str | None = Field(default=None, repr=False)
    anthropic_api_key: str | None = Field(default=None, repr=False)
    anthropic_auth_token: str | None = Field(default=None, repr=False)
    anthropic_base_url: str | None = None
    # Values for the variables that sources name with ``api_key_env`` (e.g. ARTIFICIAL_ANALYSIS_API_KEY),
    # given explicitly; :meth:`source_keys` falls back to the environment for exactly those names.
    source_secrets: dict[str, str] = Field(default_factory=dict, repr=False)
    # The environment load_settings read (empty for settings built directly): consulted only for the
    # variables a source names, so no other *_API_KEY or *_TOKEN of the environment is ever read.
    _environ: Mapping[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("mail_to", "review_hosts", mode="before")
    @classmethod
    def _split_recipients(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("site_url", mode="after")
    @classmethod
    def _http_site(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")) or any(ch.isspace() for ch in value):
            raise ValueError(f"the site address must be an http(s) URL, not {value!r}")
        return value.rstrip("/") + "/"

    @field_validator("database_url", mode="after")
    @classmethod
    def _postgresql_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("the database URL must start with postgresql:// (SQLite needs no URL)")
        return value

    @property
    def database_path(self) -> Path:
        """The SQLite file (used when no ``database_url`` is set)."""
        return self.home / "report.sqlite"

    @property
    def database(self) -> str:
        """What :meth:`agent.store.Store.open` takes: the PostgreSQL URL, else the SQLite file."""
        return self.database_url or str(self.database_path)

    @property
    def database_origin(self) -> Literal["environment", "config", "default"]:
        """Where :attr:`database` comes from: ``INFERENCE_REPORT_DATABASE_URL``, ``database_url`` in the
        config file, or neither (the SQLite file in the data folder)."""
        if self.database_url is None:
            return "default"
        return "environment" if self._environ.get("INFERENCE_REPORT_DATABASE_URL") else "config"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def has_anthropic_credentials(self) -> bool:
        return bool(self.anthropic_api_key or self.anthropic_auth_token)

    @property
    def resolved_writer(self) -> Literal["claude", "extractive"]:
        if self.writer is not None:
            return self.writer
        return "claude" if self.has_anthropic_credentials else "extractive"

    @property
    def user_agent(self) -> str:
        return f"InferenceReport/0.1 (+{self.contact})"

    def source_keys(self, specs: Iterable[SourceSpec]) -> dict[str, str]:
        """The value of each variable these sources name with ``api_key_env``, and of no other."""
        keys: dict[str, str] = {}
        for spec in specs:
            name = spec.api_key_env
            if name and (value := self.source_secrets.get(name) or self._environ.get(name)):
                keys[name] = value
        return keys


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:  # the data directory is a file, no permission, not UTF-8
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return data


def redact_url(url: str) -> str:
    """The URL without its password (``user:password@`` or a ``password=`` parameter), for messages
    and logs."""
    url = re.sub(r"([?&]password=)[^&]*", r"\1***", url)
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    credentials, at, host = authority.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}{slash}{path}"


def _has_password(url: object) -> bool:
    credentials = str(url or "").split("//", 1)[-1].split("/", 1)[0].rpartition("@")[0]
    return ":" in credentials


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from the environment (``os.environ`` by default) and explicit overrides."""
    env = os.environ if environ is None else environ
    from_env = {field: env[var] for var, field in _ENV_FIELDS.items() if env.get(var)}
    home = Path(overrides.get("home") or locate_home(env).path)
    config_path = (
        Path(env["INFERENCE_REPORT_CONFIG"]) if env.get("INFERENCE_REPORT_CONFIG") else home / "config.toml"
    )
    if env.get("INFERENCE_REPORT_CONFIG") and not config_path.exists():
        # Named on purpose: a misspelt path must not quietly leave the site, mail and byline unset.
        raise ConfigError(f"INFERENCE_REPORT_CONFIG names {config_path}, which does not exist")
    values: dict[str, Any] = _read_config_file(config_path)
    if "@" in str(values.get("smtp_url", "")).split("//", 1)[-1].split("/", 1)[0]:
        raise ConfigError(
            f"{config_path}: smtp_url carries a user and password: set INFERENCE_REPORT_SMTP_URL in the "
            "environment instead, so the password stays out of the data folder and its backups"
        )
    if _has_password(values.get("database_url")):
        raise ConfigError(
            f"{config_path}: database_url carries a password: set INFERENCE_REPORT_DATABASE_URL in the "
            "environment instead (or use ~/.pgpass), so the password stays out of the data folder"
        )
    values.update(from_env)
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["home"] = home
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        top = str(first["loc"][0]) if first["loc"] else ""
        if overrides.get(top) is not None:
            origin = "the command line"
        elif top in from_env:
            origin = next(var for var, name in _ENV_FIELDS.items() if name == top and env.get(var))
        else:
            origin = str(config_path)
        # The value's one origin, not all three: INFERENCE_REPORT_MAX_COST=abc is fixed in the environment.
        raise ConfigError(f"setting {field}: {first['msg']} (from {origin})") from exc
    settings._environ = env
    return settings
