"""Last week's sample leaderboards, read from their archive; :mod:`agent.sample_history` stores them."""

from __future__ import annotations

from pathlib import Path

from agent.domain.models import Leaderboard, SourceKind
from agent.domain.sources import load_sources
from tools.archive import read_archived

__all__ = ["previous_week_leaderboards"]


def previous_week_leaderboards(sources_path: Path, archive: Path) -> list[Leaderboard]:
    """Each leaderboard source of ``sources_path`` parsed from its response in ``archive``."""
    from tools.adapters import parse_response

    boards: list[Leaderboard] = []
    for spec in load_sources(sources_path).enabled():
        if spec.kind is not SourceKind.LEADERBOARD:
            continue
        response = read_archived(archive, str(spec.url))
        if response is None:
            continue
        boards.extend(item.leaderboard for item in parse_response(spec, response) if item.leaderboard)
    return boards
