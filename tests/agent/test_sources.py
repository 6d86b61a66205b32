from __future__ import annotations

from pathlib import Path

import pytest

from agent.domain.errors import SourcesFileError
from agent.domain.models import Section, SourceKind
from agent.domain.sources import load_sources, parse_sources
from agent.runs import host_politeness
from tools.fetching.policy import HostPoliteness

ROOT = Path(__file__).resolve().parents[2]


def test_default_sources_cover_every_section_and_kind() -> None:
    sources = load_sources(ROOT / "sources.toml")
    assert {s.section for s in sources.enabled()} == set(Section)
    assert {s.kind for s in sources.enabled()} >= {
        SourceKind.FEED,
        SourceKind.ARXIV,
        SourceKind.GITHUB_TRENDING,
        SourceKind.LEADERBOARD,
    }
    arxiv = next(s for s in sources.sources if s.kind is SourceKind.ARXIV)
    assert "cat:cs.DC" in str(arxiv.url) and arxiv.focus


def test_error_names_file_entry_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[source]]\nname = "ok"\nkind = "feed"\nurl = "https://a.example/feed"\nsection = "labs"\n'
        '[[source]]\nname = "broken"\nkind = "feed"\nurl = "https://a.example/x"\nsection = "gossip"\n'
    )
    with pytest.raises(SourcesFileError) as excinfo:
        load_sources(path)
    message = str(excinfo.value)
    assert str(path) in message and "source #2" in message and "'broken'" in message and "section" in message


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"kind": "leaderboard", "format": "html_table"}, "columns"),
        ({"kind": "feed", "format": "artificial_analysis"}, "leaderboard options"),
        ({"kind": "feed", "max_items": 0}, "max_items"),
        ({"kind": "feed", "colour": "red"}, "colour"),
    ],
)
def test_invalid_entries_are_explained(entry: dict[str, object], expected: str) -> None:
    raw = {"name": "s", "url": "https://a.example/", "section": "labs", **entry}
    with pytest.raises(SourcesFileError, match=expected):
        parse_sources({"source": [raw]}, path="sources.toml")


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="no such sources file"):
        load_sources(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[source]\n")
    with pytest.raises(SourcesFileError, match="not valid TOML"):
        load_sources(bad)


def test_duplicate_names_are_refused() -> None:
    raw = {"name": "s", "kind": "feed", "url": "https://a.example/", "section": "labs"}
    with pytest.raises(SourcesFileError, match="duplicate"):
        parse_sources({"source": [raw, raw]}, path="sources.toml")


def test_a_misspelt_key_is_named_beside_the_missing_field() -> None:
    raw = {"name": "s", "kind": "feed", "url": "https://a.example/", "secton": "labs"}
    with pytest.raises(SourcesFileError, match=r"section: .*; secton: "):
        parse_sources({"source": [raw]}, path="sources.toml")


def test_a_directory_is_not_a_sources_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="cannot read the sources file"):
        load_sources(tmp_path)


def test_sources_sharing_a_host_get_the_most_careful_of_their_overrides() -> None:
    sources = parse_sources(
        {
            "source": [
                {
                    "name": "a",
                    "kind": "feed",
                    "section": "labs",
                    "url": "https://Blog.example/a.xml",
                    "per_host_delay": 3,
                },
                {
                    "name": "b",
                    "kind": "feed",
                    "section": "labs",
                    "url": "https://blog.example/b.xml",
                    "per_host_delay": 2,
                    "per_host_concurrency": 1,
                },
                {"name": "c", "kind": "feed", "section": "labs", "url": "https://other.example/c.xml"},
            ]
        },
        path="sources.toml",
    )
    assert host_politeness(sources.sources) == {
        "blog.example": HostPoliteness(per_host_delay=3, per_host_concurrency=1)
    }
