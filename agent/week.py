"""The week in figures, written as a citable document, as :mod:`agent.moves` writes the moves.

A lead that opens "The desk selected 6 lab announcements..." states a fact about the edition, not
about any one source: it cites this document, generated from the selection's counts, so the sentence is
checked like any other and a reviewer sees what it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from agent.domain.models import Item, Section, SourceKind, content_hash

__all__ = ["WEEK_SOURCE", "week_document", "week_document_id"]

WEEK_SOURCE = "the-desk"

# What one item of each section is called in the framing sentence (singular, plural).
_NOUNS = {
    Section.LABS: ("lab announcement", "lab announcements"),
    Section.WIRE: ("news story", "news stories"),
    Section.PAPERS: ("research paper", "research papers"),
    Section.BENCHMARKS: ("leaderboard", "leaderboards"),
    Section.REPOS: ("trending repository", "trending repositories"),
}


def week_document_id(edition_date: date) -> str:
    return f"week:{edition_date.isoformat()}"


def _counted(section: Section, count: int) -> str:
    singular, plural = _NOUNS[section]
    return f"{count} {singular if count == 1 else plural}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def week_document(counts: Mapping[Section, int], edition_date: date) -> Item | None:
    """The edition's items per section as one sentence; None when the edition has no item."""
    parts = [_counted(section, counts[section]) for section in Section if counts.get(section)]
    if not parts:
        return None
    text = f"The desk selected {_listed(parts)} for this edition."
    return Item(
        id=week_document_id(edition_date),
        source=WEEK_SOURCE,
        # No section holds it: it is cited, never listed. WIRE because it is the desk's own news.
        section=Section.WIRE,
        kind=SourceKind.PAGE,
        title=f"The edition of {edition_date.isoformat()} in figures, counted from its selection",
        url="",
        text=text,
        published=datetime.combine(edition_date, time(0, 0), tzinfo=UTC),
        content_hash=content_hash(text.encode("utf-8")),
    )
