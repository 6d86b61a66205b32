"""The sources file: one ``[[source]]`` table per source, validated with pydantic.

A bad file raises :class:`SourcesFileError` naming the file, the entry and the field, e.g.
``sources.toml: source #3 ("openai-news"): url: Input should be a valid URL``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from agent.domain.errors import SourcesFileError
from agent.domain.models import Section, SourceKind

__all__ = ["ColumnMapping", "SourceSpec", "SourcesFile", "load_sources", "parse_sources"]


class ColumnMapping(BaseModel):
    """For an HTML-table leaderboard: which header holds which field (matched case-insensitively)."""

    model_config = ConfigDict(extra="forbid")

    rank: str | None = None  # None: rank is the row's position
    model: str
    score: str
    tokens_per_second: str | None = None
    usd_per_million_tokens: str | None = None


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    # How the edition and review name the source ("Anthropic News"); the name (a slug) when unset.
    title: str | None = Field(default=None, min_length=1)
    kind: SourceKind
    url: HttpUrl
    section: Section
    focus: list[str] = Field(default_factory=list)
    max_items: int = Field(default=10, ge=1, le=500)
    enabled: bool = True
    allow_private: bool = False
    # feed: also fetch each entry's linked page and extract its text.
    follow_links: bool = False
    # leaderboard: "artificial_analysis" (the API's JSON) or "html_table" (with columns).
    format: Literal["artificial_analysis", "html_table"] | None = None
    leaderboard_name: str | None = None
    metric: str | None = None
    description: str = ""
    columns: ColumnMapping | None = None
    # Which table on the page (0-based) for html_table.
    table_index: int = 0
    # Politeness toward this source's host, overriding the settings' defaults (None keeps them). When
    # sources share a host, the most careful of them applies to all.
    per_host_delay: float | None = Field(default=None, ge=0)
    per_host_concurrency: int | None = Field(default=None, ge=1)
    # Environment variable holding an API key sent as a header (e.g. Artificial Analysis).
    api_key_env: str | None = None
    api_key_header: str = "x-api-key"

    @model_validator(mode="after")
    def _kind_options(self) -> SourceSpec:
        if self.kind is SourceKind.LEADERBOARD:
            if self.format is None:
                raise ValueError("a leaderboard needs format = 'artificial_analysis' or 'html_table'")
            if self.format == "html_table" and self.columns is None:
                raise ValueError("an html_table leaderboard needs a [source.columns] mapping")
        elif self.format is not None or self.columns is not None:
            raise ValueError(f"format and columns are leaderboard options, not for kind {self.kind.value!r}")
        return self


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    sources: list[SourceSpec]

    def enabled(self) -> list[SourceSpec]:
        return [s for s in self.sources if s.enabled]


def _entry_label(index: int, raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"source #{index + 1}" + (f" ({name!r})" if name else "")


def parse_sources(data: dict[str, Any], *, path: str) -> SourcesFile:
    """Validate an already-parsed TOML document."""
    unknown = set(data) - {"source"}
    if unknown:
        raise SourcesFileError(
            f"{path}: unknown top-level key(s) {sorted(unknown)}; expected [[source]] tables"
        )
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise SourcesFileError(f"{path}: no [[source]] entries")
    specs: list[SourceSpec] = []
    for index, raw in enumerate(raw_sources):
        try:
            specs.append(SourceSpec.model_validate(raw))
        except ValidationError as exc:
            # Every problem of the entry, not just the first: a misspelt key shows up as both a
            # missing field and an unknown one, and only the second names the typo.
            problems = "; ".join(
                f"{'.'.join(str(p) for p in error['loc']) or '(entry)'}: {error['msg']}"
                for error in exc.errors()
            )
            raise SourcesFileError(f"{path}: {_entry_label(index, raw)}: {problems}") from exc
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise SourcesFileError(f"{path}: source {spec.name!r}: name: duplicate name")
        seen.add(spec.name)
    return SourcesFile(path=path, sources=specs)


def load_sources(path: Path) -> SourcesFile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesFileError(f"{path}: no such sources file") from exc
    except (OSError, UnicodeDecodeError) as exc:  # a directory, no permission, not UTF-8
        raise SourcesFileError(f"{path}: cannot read the sources file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(f"{path}: not valid TOML: {exc}") from exc
    return parse_sources(data, path=str(path))
