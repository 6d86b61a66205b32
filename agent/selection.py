"""Choosing the edition's items: pure functions, so each rule is tested on its own.

window -> de-duplicate (ids, near-duplicate titles) -> score against the focus topics -> cap per section.
Every item that does not reach the edition comes back with its reason (:class:`DroppedItem`), so the
items fetched always add up to the items shown plus the items dropped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from agent.domain.models import DroppedItem, DropReason, Item, Section

__all__ = [
    "SECTION_CAPS",
    "Selection",
    "dedupe",
    "in_window",
    "near_duplicate",
    "relevance",
    "select_items",
    "select_with_reasons",
    "window_bounds",
]

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


def window_bounds(edition_date: date, window_days: int) -> tuple[datetime, datetime]:
    """``[start, end)`` in UTC: the ``window_days`` whole days that end with the edition date."""
    end = datetime.combine(edition_date + timedelta(days=1), time.min, tzinfo=UTC)
    return end - timedelta(days=window_days), end


def _always_in_window(item: Item) -> bool:
    return item.section in _UNDATED_SECTIONS and item.published is None and item.updated is None


def in_window(item: Item, edition_date: date, window_days: int) -> bool:
    if _always_in_window(item):
        return True
    when = dated(item)
    if when is None:
        return False
    start, end = window_bounds(edition_date, window_days)
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return start <= aware < end


def _window_drop(item: Item, edition_date: date, window_days: int) -> DroppedItem:
    """Why an item outside the window is left out, with the date it was judged by."""
    start, end = window_bounds(edition_date, window_days)
    span = f"the window {start.date().isoformat()} to {(end - timedelta(days=1)).date().isoformat()}"
    printed = item.extra.get("unreadable_date")
    when = dated(item)
    if when is None:
        if printed:
            reason, detail = DropReason.UNREADABLE_DATE, f"its date {printed!r} could not be read"
        else:
            reason, detail = DropReason.UNDATED, "prints no date"
    else:
        day = when.date().isoformat()
        how = "published" if (item.published or item.updated) else "prints no date; first seen"
        if printed:
            how = f"its date {printed!r} could not be read; first seen"
        reason, detail = DropReason.OUTSIDE_WINDOW, f"{how} {day}, outside {span}"
    return _dropped(item, reason, detail)


def _dropped(
    item: Item, reason: DropReason, detail: str, *, duplicate_of: str | None = None, source: str | None = None
) -> DroppedItem:
    return DroppedItem(
        item_id=item.id,
        title=item.title,
        source=source or item.source,
        section=item.section,
        reason=reason,
        detail=detail,
        duplicate_of=duplicate_of,
    )


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
        self._owners: list[Item] = []
        self._by_word: dict[str, list[int]] = {}

    def _prefix(self, words: frozenset[str]) -> list[str]:
        return sorted(words, key=self._rank.__getitem__)[: _prefix_length(len(words))]

    def near_duplicate_of(self, words: frozenset[str]) -> Item | None:
        """The first kept item whose title is a near-duplicate of ``words``, or None."""
        if not words:
            return None
        candidates = sorted({k for w in self._prefix(words) for k in self._by_word.get(w, ())})
        for k in candidates:
            if len(words & self._kept[k]) / len(words | self._kept[k]) >= _NEAR_DUPLICATE_JACCARD:
                return self._owners[k]
        return None

    def add(self, words: frozenset[str], owner: Item) -> None:
        if not words:
            return
        self._kept.append(words)
        self._owners.append(owner)
        for w in self._prefix(words):
            self._by_word.setdefault(w, []).append(len(self._kept) - 1)


def dedupe(items: Iterable[Item]) -> list[Item]:
    """Keep the first of each id and of each near-duplicate title (callers order best first)."""
    return _dedupe(items)[0]


def _dedupe(items: Iterable[Item]) -> tuple[list[Item], list[DroppedItem]]:
    """The kept items, and each left-out one with the kept item it duplicates."""
    ordered = list(items)
    words = [_title_words(item.title) for item in ordered]
    # Rarest words first: they make the shortest candidate lists. Ties broken by the word itself, so
    # the order is total and the same on every run.
    frequency = Counter(w for ws in words for w in ws)
    rank = {w: (n, w) for w, n in frequency.items()}
    indexes: dict[Section, _TitleIndex] = {}
    kept: list[Item] = []
    dropped: list[DroppedItem] = []
    seen_ids: dict[str, Item] = {}
    for item, title_words in zip(ordered, words, strict=True):
        first = seen_ids.get(item.id)
        if first is not None:
            detail = f"the same link as the item from {first.source!r}, which is kept"
            dropped.append(_dropped(item, DropReason.DUPLICATE, detail, duplicate_of=first.id))
            continue
        index = indexes.get(item.section)
        if index is None:
            index = indexes[item.section] = _TitleIndex(rank)
        if item.section is not Section.BENCHMARKS:
            twin = index.near_duplicate_of(title_words)
            if twin is not None:
                detail = f"the same story as {twin.title!r} ({twin.source}), which is kept"
                dropped.append(_dropped(item, DropReason.DUPLICATE, detail, duplicate_of=twin.id))
                continue
            index.add(title_words, item)
        seen_ids[item.id] = item
        kept.append(item)
    return kept, dropped


@dataclass(frozen=True)
class Selection:
    """The edition's items per section, best first, and every other item with its reason."""

    sections: dict[Section, list[Item]]
    dropped: list[DroppedItem] = field(default_factory=list)
    # Items that carry a date (their own or first seen), in the window and outside it. Repositories
    # and leaderboards, undated by nature, are in neither count.
    dated_in_window: int = 0
    dated_outside: int = 0

    @property
    def all_outside_window(self) -> bool:
        """Every dated item fell outside the window: the edition would hold only repositories and
        leaderboards, almost always a wrong ``--date`` or ``--window-days``."""
        return self.dated_in_window == 0 and self.dated_outside > 0


def _cap_drop(item: Item, cap: int, focus: Sequence[str]) -> DroppedItem:
    if item.covered_in:
        editions = ", ".join(item.covered_in)
        return _dropped(
            item,
            DropReason.COVERED,
            f"covered in the edition of {editions}; the section's {cap} places went to new items",
        )
    if focus and item.relevance == 0:
        return _dropped(
            item,
            DropReason.BELOW_RELEVANCE,
            f"matches none of the focus topics ({', '.join(focus)}); the section's {cap} places went to items"
            " that do",
        )
    return _dropped(
        item,
        DropReason.OVER_CAP,
        f"the section shows {cap} items and this one ranked below them (relevance {item.relevance:g})",
    )


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
    """The selected items per section, best first, with ``relevance`` and ``covered_in`` set (see
    :func:`select_with_reasons`, which also says why each other item was left out)."""
    return select_with_reasons(
        items,
        edition_date=edition_date,
        window_days=window_days,
        focus_by_source=focus_by_source,
        covered=covered,
        caps=caps,
        scores=scores,
    ).sections


def select_with_reasons(
    items: Sequence[Item],
    *,
    edition_date: date,
    window_days: int,
    focus_by_source: Mapping[str, Sequence[str]],
    covered: Mapping[str, Sequence[str]] | None = None,
    caps: Mapping[Section, int] = SECTION_CAPS,
    scores: Mapping[str, float] | None = None,
) -> Selection:
    """The selected items per section, best first, with ``relevance`` and ``covered_in`` set, and one
    :class:`DroppedItem` for every other item of ``items``.

    ``scores`` (item id -> relevance in [0, 1], e.g. a model's ranking) replace the keyword relevance
    of the items they name."""
    covered = covered or {}
    scores = scores or {}
    dropped: list[DroppedItem] = []
    scored: list[Item] = []
    dated_in_window = 0
    for item in items:
        for other in item.also_from:
            detail = f"the same link as the item from {item.source!r}: one item records both sources"
            dropped.append(_dropped(item, DropReason.DUPLICATE, detail, duplicate_of=item.id, source=other))
        if not in_window(item, edition_date, window_days):
            dropped.append(_window_drop(item, edition_date, window_days))
            continue
        dated_in_window += not _always_in_window(item)
        scored.append(
            item.model_copy(
                update={
                    "relevance": scores.get(item.id, relevance(item, focus_by_source.get(item.source, ()))),
                    "covered_in": tuple(covered.get(item.id, ())),
                }
            )
        )
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
    kept, duplicates = _dedupe(ordered)
    dropped.extend(duplicates)
    for item in kept:
        bucket = selected[item.section]
        cap = caps.get(item.section, 0)
        if len(bucket) < cap:
            bucket.append(item)
        else:
            dropped.append(_cap_drop(item, cap, focus_by_source.get(item.source, ())))
    outside = sum(1 for d in dropped if d.reason is DropReason.OUTSIDE_WINDOW)
    return Selection(
        sections=selected, dropped=dropped, dated_in_window=dated_in_window, dated_outside=outside
    )
