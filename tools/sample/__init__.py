"""The bundled sample edition: fictional documents in the real formats, archived as WARC files.

``inference-report draft --sample`` replays :data:`SAMPLE_ARCHIVE` with :data:`SAMPLE_SOURCES`
for the edition of :data:`SAMPLE_DATE`; :data:`PREVIOUS_WEEK_ARCHIVE` holds both leaderboards a
week earlier so that moves show from the first run. Rebuild with ``scripts/build_sample.py``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.domain.models import Leaderboard

__all__ = [
    "DOCUMENTS_DIR",
    "MANIFEST",
    "PREVIOUS_WEEK_ARCHIVE",
    "PREVIOUS_WEEK_DATE",
    "SAMPLE_ARCHIVE",
    "SAMPLE_DATE",
    "SAMPLE_DIR",
    "SAMPLE_SOURCES",
    "build_archives",
    "previous_week_leaderboards",
    "supported_pairs",
]

SAMPLE_DIR = Path(__file__).resolve().parent
SAMPLE_ARCHIVE = SAMPLE_DIR / "sample-edition.warc.gz"
PREVIOUS_WEEK_ARCHIVE = SAMPLE_DIR / "previous-week.warc.gz"
SAMPLE_SOURCES = SAMPLE_DIR / "sources.toml"
DOCUMENTS_DIR = SAMPLE_DIR / "documents"
MANIFEST = DOCUMENTS_DIR / "manifest.toml"
SAMPLE_DATE = date(2026, 11, 26)
PREVIOUS_WEEK_DATE = date(2026, 11, 19)


def build_archives(out_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Rebuild every sample archive from :data:`MANIFEST` into ``out_dir``; see :mod:`tools.sample._build`."""
    from tools.sample._build import build_archives as build

    return build(MANIFEST, out_dir)


def previous_week_leaderboards(
    sources_path: Path = SAMPLE_SOURCES, archive: Path = PREVIOUS_WEEK_ARCHIVE
) -> list[Leaderboard]:
    """See :func:`tools.sample._history.previous_week_leaderboards` (imported lazily: it needs adapters)."""
    from tools.sample._history import previous_week_leaderboards as read

    return read(sources_path, archive)


def supported_pairs() -> list[tuple[str, str, str]]:
    """(sentence, evidence, item id or URL): sentences the sample's own text supports, for the evals.

    Every evidence string occurs verbatim in the text of the sample item it names (a test checks).
    """
    import json

    lines = (DOCUMENTS_DIR / "supported_pairs.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [(row["sentence"], row["evidence"], row["doc"]) for row in rows]
