"""Choosing the edition's items: pure functions, so each rule is tested on its own.

window -> de-duplicate (ids, near-duplicate titles) -> score against the focus topics -> cap per section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from agent.models import Item, Section

__all__ = ["SECTION_CAPS", "dedupe", "in_window", "near_duplicate", "relevance", "select_items"]

# How many items a section shows. The example edition shows 6 papers and 5 rows per leaderboard; the
# news sections are read as lists of headlines, so a few more fit.
SECTION_CAPS: dict[Section, int] = {
    Section.LABS: 8,
    Section.WIRE: 8,
    Section.PAPERS: 6,
    Section.BENCHMARKS: 4,
    Section.REPOS: 8,
}
# Titles whose word sets overlap this much (Jaccard) are the same story told twice.
_NEAR_DUPLICATE_JACCARD = 0.75
_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
_STOPWORDS = frozenset("a an the of for and or in on to with by from at is are as via its new".split())
# Undated items (repositories, leaderboards) are part of every edition; dated ones must be in the window.
_UNDATED_SECTIONS = frozenset({Section.BENCHMARKS, Section.REPOS})


def _title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.lower()) if w not in _STOPWORDS)


def near_duplicate(a: str, b: str) -> bool:
    wa, wb = _title_words(a), _title_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= _NEAR_DUPLICATE_JACCARD


def in_window(item: Item, edition_date: date, window_days: int) -> bool:
    when = item.published or item.updated
    if when is None:
        return item.section in _UNDATED_SECTIONS
    end = datetime.combine(edition_date + timedelta(days=1), time.min, tzinfo=UTC)
    start = end - timedelta(days=window_days)
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return start <= aware < end


def relevance(item: Item, focus: Sequence[str]) -> float:
    """Share of focus topics the item mentions; a topic in the title counts double."""
    if not focus:
        return 0.0
    title, text = item.title.lower(), item.text.lower()
    hits = sum(2.0 if topic.lower() in title else 1.0 if topic.lower() in text else 0.0 for topic in focus)
    return round(hits / (2.0 * len(focus)), 4)


def _recency(item: Item) -> float:
    when = item.published or item.updated
    return when.timestamp() if when else 0.0


def dedupe(items: Iterable[Item]) -> list[Item]:
    """Keep the first of each id and of each near-duplicate title (callers order best first)."""
    kept: list[Item] = []
    seen_ids: set[str] = set()
    for item in items:
        if item.id in seen_ids:
            continue
        if item.section is not Section.BENCHMARKS and any(
            k.section is item.section and near_duplicate(k.title, item.title) for k in kept
        ):
            continue
        seen_ids.add(item.id)
        kept.append(item)
    return kept


def select_items(
    items: Sequence[Item],
    *,
    edition_date: date,
    window_days: int,
    focus_by_source: Mapping[str, Sequence[str]],
    covered: Mapping[str, Sequence[str]] | None = None,
    caps: Mapping[Section, int] = SECTION_CAPS,
    scores: Mapping[str, float] | None = None,
) -> dict[Section, list[Item]]:
    """The selected items per section, best first, with ``relevance`` and ``covered_in`` set.

    ``scores`` (item id -> relevance in [0, 1], e.g. a model's ranking) replace the keyword relevance
    of the items they name."""
    covered = covered or {}
    scores = scores or {}
    scored = [
        item.model_copy(
            update={
                "relevance": scores.get(item.id, relevance(item, focus_by_source.get(item.source, ()))),
                "covered_in": tuple(covered.get(item.id, ())),
            }
        )
        for item in items
        if in_window(item, edition_date, window_days)
    ]
    # Best first: on topic, not already covered, then newest. Leaderboards and trending keep source order.
    ordered = sorted(
        scored,
        key=lambda i: (
            (-i.relevance, bool(i.covered_in), -_recency(i))
            if i.section not in _UNDATED_SECTIONS
            else (0.0, False, 0.0)
        ),
    )
    selected: dict[Section, list[Item]] = {section: [] for section in Section}
    for item in dedupe(ordered):
        bucket = selected[item.section]
        if len(bucket) < caps.get(item.section, 0):
            bucket.append(item)
    return selected
