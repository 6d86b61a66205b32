"""Choosing the edition's items: pure functions, so each rule is tested on its own.

window -> de-duplicate (ids, near-duplicate titles) -> score against the focus topics -> cap per section.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from agent.domain.models import Item, Section

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


def dated(item: Item) -> datetime | None:
    """The day an item counts as published: its own date, else when the store first saw it."""
    return item.published or item.updated or item.first_seen


def in_window(item: Item, edition_date: date, window_days: int) -> bool:
    if item.section in _UNDATED_SECTIONS and item.published is None and item.updated is None:
        return True
    when = dated(item)
    if when is None:
        return False
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
    when = dated(item)
    return when.timestamp() if when else 0.0


def _prefix_length(size: int) -> int:
    """How many of a title's rarest words must be indexed so that any title at least
    ``_NEAR_DUPLICATE_JACCARD`` similar to it shares one of them (prefix filtering: two sets with
    Jaccard >= t share a word among the first ``size - ceil(t * size) + 1`` of each, in any fixed order)."""
    return size - math.ceil(_NEAR_DUPLICATE_JACCARD * size) + 1


class _TitleIndex:
    """The kept titles of one section, indexed by the rarest words of each. A new title is compared
    only with kept titles sharing one of its own rarest words: the same answers as comparing every
    pair (prefix filtering is exact), at a cost that grows with the items, not their square (all
    pairs made 99,631 comparisons for 640 items)."""

    def __init__(self, rank: Mapping[str, tuple[int, str]]) -> None:
        self._rank = rank
        self._kept: list[frozenset[str]] = []
        self._by_word: dict[str, list[int]] = {}

    def _prefix(self, words: frozenset[str]) -> list[str]:
        return sorted(words, key=self._rank.__getitem__)[: _prefix_length(len(words))]

    def has_near_duplicate(self, words: frozenset[str]) -> bool:
        if not words:
            return False
        candidates = {k for w in self._prefix(words) for k in self._by_word.get(w, ())}
        return any(
            len(words & self._kept[k]) / len(words | self._kept[k]) >= _NEAR_DUPLICATE_JACCARD
            for k in candidates
        )

    def add(self, words: frozenset[str]) -> None:
        if not words:
            return
        self._kept.append(words)
        for w in self._prefix(words):
            self._by_word.setdefault(w, []).append(len(self._kept) - 1)


def dedupe(items: Iterable[Item]) -> list[Item]:
    """Keep the first of each id and of each near-duplicate title (callers order best first)."""
    ordered = list(items)
    words = [_title_words(item.title) for item in ordered]
    # Rarest words first: they make the shortest candidate lists. Ties broken by the word itself, so
    # the order is total and the same on every run.
    frequency = Counter(w for ws in words for w in ws)
    rank = {w: (n, w) for w, n in frequency.items()}
    indexes: dict[Section, _TitleIndex] = {}
    kept: list[Item] = []
    seen_ids: set[str] = set()
    for item, title_words in zip(ordered, words, strict=True):
        if item.id in seen_ids:
            continue
        index = indexes.get(item.section)
        if index is None:
            index = indexes[item.section] = _TitleIndex(rank)
        if item.section is not Section.BENCHMARKS:
            if index.has_near_duplicate(title_words):
                continue
            index.add(title_words)
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
