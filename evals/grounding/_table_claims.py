"""What a sentence says about a table, computed from its cells (:mod:`evals.grounding._tables`).

Each statement found gives a :class:`Relation`, held or not, with a reason that says what the table holds:
ranks and "top N" (and who the top N are), pairwise comparisons ("outscores", "ahead of", "faster than",
"cheaper than"), ties, differences and spreads in points ("trails the leader by 0.9 points"), superlatives
over a stated subset ("cheapest of the top five"), week-on-week moves, and every number bound to the row
the sentence gives it to ("64.4% is gpt-5.2's score at rank 2; rank 1 holds 65.3%").

A statement whose rows or columns the table does not have (a rank below the snapshot, a model it does not
list, a benchmark it does not print) gives no relation: the other checks decide it, never a red flag made
up from a table that cannot say.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from evals.grounding._quantities import Quantity, extract_quantities
from evals.grounding._tables import Column, Row, Table
from evals.grounding._text import NUMBER_WORDS, norm_key

__all__ = ["Relation", "check_table_claims"]


@dataclass(frozen=True, slots=True)
class Relation:
    held: bool
    reason: str
    values: tuple[float, ...] = ()  # numbers of the sentence this relation accounts for


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    row: Row


# Two values agree when they differ by less than half a unit of the last printed decimal of a one-decimal
# board (65.3 vs 65.30); computed differences carry float noise (65.3 - 64.4 = 0.8999999999999915).
_TOL = 0.051

# Counts in words ("the top five", "up three places"); "one" counts here ("the top one" is rare, "up one
# place" is not). Longest first in a pattern, so "sixteen" is never read as "six".
_WORD_NUMBERS = {"one": 1, **{word: n for word, n in NUMBER_WORDS.items() if n < 100}}
_WORD_ALT = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_COUNT = rf"(\d{{1,2}}|{_WORD_ALT})"
_ORD = "|".join(_ORDINALS)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _WORD_NUMBERS[text.lower()]


_TOP_RE = re.compile(
    r"\b(?:holds?|held|takes?|took|keeps?|kept|claims?|claimed|retains?|sits? (?:at|in)|is (?:at|in)) "
    r"(?:the )?(?:top|first|No\.?\s?1|#1|number one)(?: (?:position|spot|place|rank))?\b"
    r"(?![\s-](?:\d|one|two|three|four|five|six|seven|eight|nine|ten)\b)|\btops the\b|\btopped the\b|"
    r"\bleads (?:the|on|in)\b|\bin first place\b|\branks? first\b|\bat the top\b|\bnumber one\b|"
    r"#1\b|No\.\s?1\b|"
    r"\bis the (?:leader|top model)\b",
    re.IGNORECASE,
)
_RANK_RE = re.compile(
    r"(?:\b(?:ranked|ranks|ranking|rank|position|place|placed|No\.|number)\s*|#)(\d{1,3})(?:st|nd|rd|th)?\b(?!\.\d)"
    r"|\b(\d{1,3})(?:st|nd|rd|th)\s+(?:place|position|spot)"
    rf"|\b({_ORD})\s+(?:place|position|spot)"
    rf"|\b(?:ranked|ranks|placed|sits|is|finished|came|comes)\s+({_ORD})\b",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(
    r"\b(?:ranked|ranks|positions?|places?|No\.)\s*(\d{1,3})\s*(?:through|to|-|–|and)\s*(?:position\s*|No\.\s*)?"
    r"(\d{1,3})\b(?!\.\d)",
    re.IGNORECASE,
)
_TOP_N_RE = re.compile(rf"\btop[\s-]{_COUNT}\b", re.IGNORECASE)
_IN_TOP_N_RE = re.compile(
    rf"\b(?:in|among|within|inside|into|of|makes?|made|joins?|joined) the top[\s-]{_COUNT}\b", re.IGNORECASE
)
_TOP_LIST_RE = re.compile(
    rf"\b(?:the )?top[\s-]{_COUNT}(?: (?:models|spots|places|positions|entries|systems))?"
    r"(?:\s+(?:on|in|of)\s+[^,:;.]{1,40}?)?(?: are| were|:| —| -| is)",
    re.IGNORECASE,
)
_LIST_TOP_RE = re.compile(
    rf"\b(?:hold|take|occupy|fill|make up|round out|share|claim|sweep)s? the top[\s-]{_COUNT}\b",
    re.IGNORECASE,
)
# A number is read from its first digit ((?<!\d)): a match never starts inside a run of digits (the run's
# first digit starts the same match), and trying from each digit of a long run read the rest of it each
# time (a sentence holding a 20,000-digit number took 22 s against a table).
_SPREAD_RE = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s?(?:percentage points?|points?|pp|pts)\b", re.IGNORECASE)
_BOUND_PERCENT_RE = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s?(?:%|percent\b)")

# Comparison words: which column they read and whether the first name must be better there.
_COMPARE = [
    (r"ahead of|above|outranks|ranks? above|ranked above|higher than", "rank", True),
    (r"behind|below|trails|ranks? below|ranked below|lags(?: behind)?|lower than", "rank", False),
    (
        r"outscores|outscored|outperforms|outperformed|beats|beat|edges(?: out)?|edged(?: out)?|surpasses|"
        r"scores? higher than|scored higher than|tops|leads",
        "score",
        True,
    ),
    (r"scores? lower than|scored lower than|underperforms", "score", False),
    (r"faster than|quicker than|outpaces", "speed", True),
    (r"slower than", "speed", False),
    (r"cheaper than|less expensive than|undercuts|costs? less than|lower-priced than", "price", True),
    (r"more expensive than|pricier than|costs? more than|dearer than", "price", False),
]
_COMPARE_RE = [
    (re.compile(rf"\b(?:{words})\b", re.IGNORECASE), kind, better) for words, kind, better in _COMPARE
]
_SUPERLATIVES = {
    "cheapest": ("price", True),
    "least expensive": ("price", True),
    "lowest-priced": ("price", True),
    "most expensive": ("price", False),
    "priciest": ("price", False),
    "fastest": ("speed", True),
    "slowest": ("speed", False),
    "highest-scoring": ("score", True),
    "highest score": ("score", True),
    "best score": ("score", True),
    "top score": ("score", True),
    "lowest score": ("score", False),
    "lowest-scoring": ("score", False),
}
# Superlatives on a column the sentence names: which end of the column they want.
_BY_VALUE = {
    "highest": "max",
    "lowest": "min",
    "best": "best",
    "top": "best",
    "strongest": "best",
    "worst": "worst",
    "weakest": "worst",
}
_SUPERLATIVE_RE = re.compile(r"\b(" + "|".join(_SUPERLATIVES) + r")\b", re.IGNORECASE)
_SUBSET_RE = re.compile(
    rf"^\W*(?:model |one |entry )?(?:of|in|among|within) the top[\s-]{_COUNT}\b", re.IGNORECASE
)
_TIE_RE = re.compile(
    r"\b(?:tied|ties|tie|level with|deadlocked|dead heat|share[sd]? (?:\w+ )?(?:place|position|rank|spot))\b",
    re.IGNORECASE,
)
_TIE_COUNT_RE = re.compile(rf"\b{_COUNT} (?:models|systems|entries)\b[^.;]*?\btie", re.IGNORECASE)
_DIFF_RE = re.compile(
    r"\bby (?:just |only |about |roughly |nearly |almost |a mere )?(\d+(?:\.\d+)?)\s?"
    r"(percentage points?|points?|pp|pts|%|percent)"
    r"|(?<!\d)(\d+(?:\.\d+)?)\s?(percentage points?|points?|pp|pts)\s+"
    r"(?:ahead of|behind|clear of|off|above|below|"
    r"short of|back from|from|over|under|more than|less than|higher than|lower than)"
    r"|(?<!\d)(\d+(?:\.\d+)?)[\s-]?(percentage[\s-]points?|points?|pp)[\s-]"
    r"(?:lead|gap|margin|advantage|deficit|edge)"
    r"|\b(?:gap|margin|difference|lead) of (\d+(?:\.\d+)?)\s?(percentage points?|points?|pp|pts)"
    r"|(?<!\d)(\d+(?:\.\d+)?)\s?(percentage points?|points?|pp|pts)\s+apart",
    re.IGNORECASE,
)
_LEADER_RE = re.compile(
    r"\b(?:the )?(?:leader|top model|top spot|top position|first place|No\.\s?1|#1)\b", re.IGNORECASE
)
_MOVE_TO_RE = re.compile(
    r"\b(moved|moves|jumped|jumps|rose|rises|climbed|climbs|fell|falls|dropped|drops|slipped|slips|slid|"
    r"improved|declined|advanced|advances)\b(?:\s+(?:up|down|back))?\s+to\s+(No\.\s?|#|rank\s|position\s)?"
    r"(\d+(?:\.\d+)?)(?!\s?(?:places|spots|positions|ranks)\b)",
    re.IGNORECASE,
)
_MOVE_BY_RE = re.compile(
    r"\b(up|down|rose|rises|rising|gained|gains|gaining|climbed|climbs|climbing|jumped|jumps|jumping|added|adds|"
    r"adding|fell|falls|falling|lost|loses|losing|dropped|drops|dropping|slipped|slips|slipping|slid|shed|sheds|"
    rf"improved|declined)\s+(?:by\s+)?(\d+(?:\.\d+)?|{_WORD_ALT})\s?"
    r"(percentage points?|points?|pp|pts|places|place|spots|spot|positions|position|ranks|rank)?"
    r"(?:\s+from\s+(?:rank\s|No\.\s?|#)?(\d+(?:\.\d+)?))?",
    re.IGNORECASE,
)
# "from rank 9 to rank 8", and as writers also put it, "from ninth to eighth (place)".
_FROM_RANK_RE = re.compile(
    r"\bfrom (?:(?:rank|position|place|No\.|#)\s?(\d{1,3})|(" + "|".join(_ORDINALS) + r")(?: place)?) "
    r"to (?:(?:rank|position|place|No\.|#)\s?(\d{1,3})|(" + "|".join(_ORDINALS) + r")(?: place)?)\b",
    re.IGNORECASE,
)
# "took first place, up from second": the rank a row came from, and which way it went.
_UP_FROM_RE = re.compile(
    r"\b(up|down) from (?:(?:rank|position|place|No\.|#)\s?(\d{1,3})|(" + "|".join(_ORDINALS) + r"))\b",
    re.IGNORECASE,
)
# The verb that says which way a "from ... to ..." move went: "climbed from ninth to eighth".
_VERB_BEFORE_RE = re.compile(r"\b([a-z]+)\s+$", re.IGNORECASE)


def _from_to(m: re.Match[str]) -> tuple[int, int]:
    before = int(m.group(1)) if m.group(1) else _ORDINALS[m.group(2).lower()]
    after = int(m.group(3)) if m.group(3) else _ORDINALS[m.group(4).lower()]
    return before, after


_NEW_RE = re.compile(
    r"\b(?:new (?:on|to) the (?:board|leaderboard|table)|new entry|debuts?|debuted|enters|entered)\b",
    re.IGNORECASE,
)
_HELD_RE = re.compile(
    r"\b(?:held|holds|kept|keeps|stayed at|stays at|remained at|remains at) "
    r"(?:rank|position|No\.|#)\s?(\d{1,3})\b",
    re.IGNORECASE,
)
_UP_WORDS = frozenset(
    "up rose rises rising gained gains gaining climbed climbs climbing jumped jumps jumping added adds "
    "adding improved advanced advances".split()
)
_DOWN_WORDS = frozenset(
    "down fell falls falling lost loses losing dropped drops dropping slipped slips slipping slid shed sheds "
    "declined".split()
)
_OBJECT_RE = re.compile(
    r"\b(?:from|over|than|past|behind|ahead of|overtaking|overtook|overtakes|passing|passed|passes|replacing|"
    r"replaced|unseating|unseated|displacing|displaced|dethroning|dethroned)\s+$",
    re.IGNORECASE,
)
# A number written right after a name is that name's: "Claude Opus 4.7 at 57.3", "GLM-5 (62.8%)".
_ATTACHED_RE = re.compile(r"(?:'s|’s)?\s*(?:at|with|on|scores?|scored|:|\(|,|-|–|—)?\s*\$?", re.IGNORECASE)
_ABOUT_ROWS_RE = re.compile(
    r"\b(?:ranked|ranks|rank|positions?|places?|No\.|top|models|systems|entries|all)\b", re.IGNORECASE
)
_EARLIER_RE = re.compile(
    r"\b(?:from|was|were|previously|earlier|last week|a week ago|prior)\s+(?:at\s+|of\s+|an?\s+)?\$?$",
    re.IGNORECASE,
)
_NEGATED_RE = re.compile(r"\b(?:not|never|no longer|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)


def check_table_claims(sentence: str, tables: Sequence[Table]) -> list[Relation]:
    """Every table statement of ``sentence`` that the cited ``tables`` can decide, checked.

    With several tables (a model on two boards), a statement holds when it holds on one of the tables that
    has its rows; it fails only when every such table contradicts it.
    """
    if not tables:
        return []
    named = _tables_named(sentence, tables)
    by_key: dict[tuple[str, int], list[Relation]] = {}
    for table in named:
        reader = _Reader(sentence, table)
        if table.flipped is not None:
            other = _Reader(sentence, table.flipped)
            if _reads_better(other, reader):
                reader = (
                    other  # the sentence's subjects are the table's columns: models printed across the top
                )
        for key, relation in reader.relations():
            by_key.setdefault(key, []).append(relation)
    out = []
    for relations in by_key.values():
        held = [r for r in relations if r.held]
        out.append(held[0] if held else relations[0])
    return out


def _reads_better(flipped: _Reader, plain: _Reader) -> bool:
    """Does the sentence read the table the other way round? It names more of its columns than of its rows
    ("Foo-2 outscores Bar-5 on GPQA" against benchmarks as rows), or as many and one of them first."""
    mine, theirs = len({m.row.name for m in flipped.mentions}), len({m.row.name for m in plain.mentions})
    if mine != theirs:
        return mine > theirs
    return bool(flipped.mentions) and (
        not plain.mentions or flipped.mentions[0].start < plain.mentions[0].start
    )


_alias_key = lru_cache(maxsize=4096)(norm_key)


def _tables_named(sentence: str, tables: Sequence[Table]) -> list[Table]:
    key = norm_key(sentence)
    named = [t for t in tables if any(a and _alias_key(a) in key for a in t.aliases)]
    return named or list(tables)


_BY_VALUE_START_RE = re.compile(rf"(?=\b(?:{'|'.join(_BY_VALUE)}))", re.IGNORECASE)


def _by_value_patterns(table: Table) -> list[tuple[int, Column, re.Pattern[str]]]:
    """(index, column, pattern) of each column a sentence may call "highest ..." or "best ...": the word,
    and the column's name after it. Compiled once per table (:meth:`Table.remembered`), not once per
    sentence, for a table of thousands of columns."""
    out = []
    for col, column in enumerate(table.columns):
        if column.kind in ("text", "rank", "previous_rank", "previous_score", "change"):
            continue
        names = "|".join(re.escape(h) for h in _header_names(column.header))
        if not names:
            continue
        pattern = rf"\b({'|'.join(_BY_VALUE)})\s+(?:score on |result on |score in )?(?:{names})\b"
        out.append((col, column, re.compile(pattern, re.IGNORECASE)))
    return out


@lru_cache(maxsize=1024)
def _header_names(header: str) -> tuple[str, ...]:
    """How a sentence names a column: its header, and the header without a unit ("Latency (ms)" is
    "latency", "Price ($/1M)" is "price")."""
    full = header.strip().strip("*_`").lower()
    bare = re.sub(r"\s*[\(\[].*?[\)\]]|[↑↓]", "", full).strip()
    return tuple(h for h in dict.fromkeys((full, bare)) if len(h) >= 2)


_DATE_SUFFIX_RE = re.compile(r"-(?:20\d\d-\d\d-\d\d|20\d{6}|\d{4})(?:-.*)?$")


# Names per table, by the identity of its rows (kept alive beside the names): a table is read once per
# sentence that cites it, and its names are the same each time.
_NAMES: dict[int, tuple[tuple[Row, ...], dict[str, Row]]] = {}


def _short_names(rows: tuple[Row, ...]) -> dict[str, Row]:
    """Each row's name in lower case, and its short form without a date suffix ("gpt-5.2-2025-12-11-medium"
    is written "gpt-5.2") when no other row shares it."""
    cached = _NAMES.get(id(rows))
    if cached is not None and cached[0] is rows:
        return cached[1]
    if len(_NAMES) > 256:
        _NAMES.clear()
    names: dict[str, Row] = {}
    short: dict[str, list[Row]] = {}
    for row in rows:
        names[row.name.lower()] = row
        cut = _DATE_SUFFIX_RE.sub("", row.name.lower())
        if cut != row.name.lower() and len(cut) >= 3:
            short.setdefault(cut, []).append(row)
    for cut, owners in short.items():
        if len(owners) == 1 and cut not in names:
            names[cut] = owners[0]
    _NAMES[id(rows)] = (rows, names)
    return names


_ALNUM_RUN_RE = re.compile(r"[^\W_]+")  # letters and digits, as str.isalnum reads them


def _find_name(low: str, name: str, start: int = 0) -> int:
    """Index of ``name`` in ``low`` as a whole name ("GLM-5" does not match inside "GLM-5.1"), or -1."""
    i = low.find(name, start)
    while i >= 0:
        end = i + len(name)
        before_ok = i == 0 or not (low[i - 1].isalnum() or low[i - 1] in ".-")
        after_ok = end == len(low) or not (
            low[end].isalnum() or (low[end] in ".-" and end + 1 < len(low) and low[end + 1].isalnum())
        )
        if before_ok and after_ok:
            return i
        i = low.find(name, end)
    return -1


class _Reader:
    """One sentence read against one table."""

    def __init__(self, sentence: str, table: Table) -> None:
        self.s = sentence
        self.low = sentence.lower()
        # The sentence's words (runs of letters and digits): a name with a word that is not one of them is
        # not in it, known without reading the sentence once per row (10,000 rows against a
        # 190,000-character sentence: 3 s of str.find).
        self._words = frozenset(_ALNUM_RUN_RE.findall(self.low))
        self.t = table
        self.mentions = self._mentions()
        # Mentions are in order and apart, so their ends rise too: the last one before a place is found by
        # bisection (each number of a sentence naming 2,000 rows read all 2,000 mentions).
        self._mention_starts = [m.start for m in self.mentions]
        self._mention_ends = [m.end for m in self.mentions]
        self._one_row = len({m.row.name for m in self.mentions}) == 1
        self._named = self._named_column()
        # Several numeric columns (benchmarks side by side): a number goes with the column named beside it.
        many = sum(1 for c in table.columns if c.kind in ("score", "lower")) > 1
        self.column_spots = self._column_spots() if many else []
        self.used = _Used()  # spans of the sentence a relation has accounted for
        self._leader: tuple[int, re.Match[str] | None] | None = None

    def _mentions(self) -> list[_Mention]:
        found = []
        for name, row in _short_names(self.t.rows).items():
            i = self.find_name(name)
            while i >= 0:
                found.append(_Mention(i, i + len(name), row))
                i = _find_name(self.low, name, i + len(name))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[_Mention] = []
        for m in found:
            if kept and m.start < kept[-1].end:
                continue
            kept.append(m)
        return kept

    # ------------------------------------------------------------ helpers

    def find_name(self, name: str) -> int:
        """:func:`_find_name` from the start of the sentence. Each word of a whole name (its runs of letters
        and digits) is a whole word of the sentence: the name's own other characters, or the ones
        :func:`_find_name` wants around it, end each one."""
        if not self._words.issuperset(_ALNUM_RUN_RE.findall(name)):
            return -1
        return _find_name(self.low, name)

    def scope(self, i: int) -> tuple[int, int]:
        end = self.mentions[i + 1].start if i + 1 < len(self.mentions) else len(self.s)
        return self.mentions[i].end, end

    def owner_at(self, pos: int) -> _Mention | None:
        before = bisect.bisect_right(self._mention_ends, pos)
        if before:
            return self.mentions[before - 1]
        return self.mentions[0] if self._one_row else None

    def on_mention(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` overlap a mention? Only the last mention starting before ``end`` can."""
        at = bisect.bisect_left(self._mention_starts, end) - 1
        return at >= 0 and start < self.mentions[at].end

    def column_for(self, kind: str) -> int | None:
        """The column a word reads: a column the sentence names, else the table's own for that kind."""
        if kind == "rank":
            return self.named_column() if self.named_column() is not None else self.t.primary
        if kind == "score":
            named = self.named_column()
            return named if named is not None else self.t.primary
        return self.t.column(kind)

    def named_column(self) -> int | None:
        return self._named

    def column_near(self, pos: int) -> int | None:
        """The column whose name is written closest to ``pos`` (within 50 characters), if any."""
        near = [(abs(at - pos), col) for at, col in self.column_spots if abs(at - pos) <= 50]
        return min(near)[1] if near else None

    def _column_spots(self) -> list[tuple[int, int]]:
        spots = []
        for i, col in enumerate(self.t.columns):
            if col.kind in ("text", "rank", "previous_rank", "previous_score", "change"):
                continue
            for header in _header_names(col.header):
                at = self.find_name(header)
                while at >= 0:
                    spots.append((at, i))
                    at = _find_name(self.low, header, at + len(header))
        return spots

    def _named_column(self) -> int | None:
        best: tuple[int, int] | None = None
        for i, col in enumerate(self.t.columns):
            if col.kind in ("text", "rank", "previous_rank", "previous_score"):
                continue
            for header in _header_names(col.header):
                at = self.find_name(header)
                if at >= 0 and (best is None or at < best[0]):
                    best = (at, i)
        return None if best is None else best[1]

    def value(self, row: Row, column: int | None) -> float | None:
        return None if column is None else row.values[column]

    def cell(self, row: Row, column: int) -> str:
        return row.cells[column] or f"{row.values[column]:g}"

    def rank(self, row: Row, column: int | None = None) -> int | None:
        return self.t.rank_of(row, column)

    def at_rank(self, rank: int, column: int | None = None) -> Row | None:
        return self.t.at_rank(rank, column)

    def brief(self, row: Row, column: int | None = None) -> str:
        col = column if column is not None else self.t.primary
        return (
            f"{row.name} ({self.cell(row, col)})"
            if col is not None and row.values[col] is not None
            else row.name
        )

    def is_at(self, row: Row, column: int | None = None) -> str:
        col = column if column is not None else self.t.primary
        value = f" ({self.cell(row, col)})" if col is not None and row.values[col] is not None else ""
        return f"{row.name} is #{self.rank(row, column)} on {self.t.title}{value}"

    def leader_from(self, pos: int) -> bool:
        """Whether ``_LEADER_RE.search(self.s, pos)`` finds anything. The places asked rise through the
        sentence: the last answer stands while the place is before the match it found (a search to the end
        of the sentence for each difference made a sentence of 1,000 of them quadratic)."""
        if self._leader is not None:
            at, found = self._leader
            if pos >= at and (found is None or found.start() >= pos):
                return found is not None
        found = _LEADER_RE.search(self.s, pos)
        self._leader = (pos, found)
        return found is not None

    def negated(self, start: int) -> bool:
        return bool(_NEGATED_RE.search(self.s[max(0, start - 24) : start]))

    def use(self, start: int, end: int) -> None:
        self.used.append((start, end))

    # ------------------------------------------------------------ all relations

    def relations(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        if not self.mentions and not _ABOUT_ROWS_RE.search(self.s):
            return  # names no row and no rank, range or top N: nothing to compute
        checks: list[Callable[[], Iterator[tuple[tuple[str, int], Relation]]]] = [
            self._moves,
            self._ranges,
            self._top_lists,
            self._differences,
            self._comparisons,
            self._ties,
            self._superlatives,
            self._ranks,
            self._numbers,
        ]
        for check in checks:
            yield from check()

    # ------------------------------------------------------------ ranks and top N

    def _ranks(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        col = self.column_for("rank")
        for i, mention in enumerate(self.mentions):
            row = mention.row
            a, b = self.scope(i)
            scope = self.s[a:b]
            rank = self.rank(row, col)
            if rank is None:
                continue
            top = _TOP_RE.search(scope)
            if top and not self.negated(a + top.start()) and not _SUBSET_RE.match(scope[top.end() :]):
                leader = self.at_rank(1, col)
                held = rank == 1
                self.use(a + top.start(), a + top.end())
                yield (
                    ("top", mention.start),
                    Relation(
                        held,
                        f"{row.name} is #1 on {self.t.title}"
                        if held
                        else f"{self.is_at(row, col)}, not the top position"
                        + (f"; #1 is {self.brief(leader, col)}" if leader is not None else ""),
                        (1.0,),
                    ),
                )
            for m in _RANK_RE.finditer(scope):
                start = a + m.start()
                if _RANGE_RE.match(scope, m.start()) or _FROM_RANK_RE.search(scope, max(0, m.start() - 40)):
                    continue
                if self.used.holds(start) or self.negated(start):
                    continue
                number = m.group(1) or m.group(2)
                want = int(number) if number else _ORDINALS[(m.group(3) or m.group(4)).lower()]
                if want > len(self.t.rows) and want != rank:
                    continue  # below the snapshot: the table cannot say
                held = rank == want
                other = self.at_rank(want, col)
                self.use(start, a + m.end())
                yield (
                    ("rank", start),
                    Relation(
                        held,
                        f"{row.name} is #{rank} on {self.t.title}"
                        if held
                        else f"{self.is_at(row, col)}, not #{want}"
                        + (f"; #{want} is {self.brief(other, col)}" if other is not None else ""),
                        (float(want),),
                    ),
                )
            for m in _IN_TOP_N_RE.finditer(scope):
                start = a + m.start()
                n = _count(m.group(1))
                if self.negated(start) or _SUPERLATIVE_RE.search(self.s[max(0, start - 30) : start]):
                    continue
                self.use(start, a + m.end())
                held = rank <= n
                yield (
                    ("top_n", start),
                    Relation(
                        held,
                        f"{row.name} is #{rank} on {self.t.title}"
                        + (f", inside the top {n}" if held else f", outside the top {n}"),
                        (float(n),),
                    ),
                )

    def _top_lists(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        """ "The top three are A, B and C" / "A, B and C hold the top three spots"."""
        col = self.column_for("rank")
        for m in _TOP_LIST_RE.finditer(self.s):
            named = [x for x in self.mentions if x.start >= m.end()]
            yield from self._top_list(m, _count(m.group(1)), named, col)
        for m in _LIST_TOP_RE.finditer(self.s):
            named = [x for x in self.mentions if x.end <= m.start()]
            yield from self._top_list(m, _count(m.group(1)), named, col)

    def _top_list(
        self, m: re.Match[str], n: int, named: list[_Mention], col: int | None
    ) -> Iterator[tuple[tuple[str, int], Relation]]:
        if len(named) < 2 or n > len(self.t.rows):
            return
        self.use(m.start(), m.end())
        want = {x.row.name for x in named}
        have = [r for k, r in self.t.ranked(col) if k <= n]
        held = want == {r.name for r in have}
        listing = ", ".join(self.brief(r, col) for r in have)
        yield (
            ("top_list", m.start()),
            Relation(
                held,
                f"the top {n} on {self.t.title}: {listing}"
                + (
                    ""
                    if held
                    else f"; not {', '.join(sorted(want - {r.name for r in have})) or 'only those named'}"
                ),
                (float(n),),
            ),
        )
        for x in named:
            self.use(x.start, x.end)

    def _ranges(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        """Ranks lo to hi: "ranked 2 through 7 cluster between 64.4% and 62.3%", "1 to 10 spans 4.3"."""
        col = self.t.primary
        if col is None:
            return
        for m in _RANGE_RE.finditer(self.s):
            lo, hi = sorted((int(m.group(1)), int(m.group(2))))
            rows = [r for k, r in self.t.ranked() if lo <= k <= hi]
            if len(rows) < hi - lo + 1 or hi > len(self.t.rows):
                continue  # the snapshot does not print every rank of the range: it cannot say
            rest = self.s[m.end() :]
            self.use(m.start(), m.end())
            bounds = [(float(b.group(1)), b) for b in itertools.islice(_BOUND_PERCENT_RE.finditer(rest), 2)]
            spread = _SPREAD_RE.search(rest)
            values = [v for r in rows if (v := r.values[col]) is not None]
            if spread and len(bounds) < 2:
                ends = [v for k, r in self.t.ranked() if k in (lo, hi) and (v := r.values[col]) is not None]
                want, have = float(spread.group(1)), round(max(ends) - min(ends), 4)
                self.use(m.end() + spread.start(), m.end() + spread.end())
                held = abs(want - have) < _TOL
                yield (
                    ("range", m.start()),
                    Relation(
                        held,
                        f"{self.t.title}: #{lo} to #{hi} spans {have:g} points"
                        + ("" if held else f", not {want:g}"),
                        (float(lo), float(hi), want),
                    ),
                )
            elif len(bounds) == 2:
                want_lo, want_hi = sorted(v for v, _ in bounds)
                have_lo, have_hi = min(values), max(values)
                for _, b in bounds:
                    self.use(m.end() + b.start(), m.end() + b.end())
                held = abs(want_lo - have_lo) < _TOL and abs(want_hi - have_hi) < _TOL
                yield (
                    ("range", m.start()),
                    Relation(
                        held,
                        f"ranks {lo}-{hi} on {self.t.title} score {have_lo:g} to {have_hi:g}"
                        + ("" if held else f", not {want_lo:g} to {want_hi:g}"),
                        (float(lo), float(hi), want_lo, want_hi),
                    ),
                )
        for m in re.finditer(
            rf"\b(?:(?:the )?(top)[\s-]|all ){_COUNT}\b[^.;]*?\b(?:within|spans?|spread of|separated by|"
            r"covers?|gap of)\s+(?:only\s+|just\s+)?(\d+(?:\.\d+)?)\s?"
            r"(?:percentage points?|points?|pp|pts)\b"
            rf"|\b{_COUNT} (?:models|systems|entries)\b[^.;]*?\b(?:within|span|spread over)\s+"
            r"(?:only\s+|just\s+)?(\d+(?:\.\d+)?)\s?(?:percentage points?|points?|pp|pts)\b",
            self.s,
            re.IGNORECASE,
        ):
            n = _count(m.group(2) or m.group(4))
            rows = [r for k, r in self.t.ranked() if k <= n]
            # "Ten models sit within 4.3 points": which ten is only clear when the table has exactly ten.
            if len(rows) < n or (not m.group(1) and len(self.t.rows) != n):
                continue
            values = [v for r in rows if (v := r.values[col]) is not None]
            want, have = float(m.group(3) or m.group(5)), round(max(values) - min(values), 4)
            self.use(m.start(), m.end())
            held = abs(want - have) < _TOL
            yield (
                ("range", m.start()),
                Relation(
                    held,
                    f"the top {n} on {self.t.title} span {have:g} points ({max(values):g} to {min(values):g})"
                    + ("" if held else f", not {want:g}"),
                    (float(n), want),
                ),
            )

    # ------------------------------------------------------------ comparisons, ties, differences

    def _pair_after(self, pos: int) -> _Mention | None:
        return next((x for x in self.mentions if x.start >= pos), None)

    def _comparisons(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        for pattern, kind, better in _COMPARE_RE:
            for m in pattern.finditer(self.s):
                first = self.owner_at(m.start())
                second = self._pair_after(m.end())
                if first is None or second is None or first.row is second.row or self.negated(m.start()):
                    continue
                if self.s[first.end : m.start()].count(",") > 1 or len(self.s[m.end() : second.start]) > 40:
                    continue  # the names are too far from the word to be its two sides
                col = self.column_for(kind)
                if kind == "rank":
                    a, b = self.rank(first.row, col), self.rank(second.row, col)
                    if a is None or b is None:
                        continue
                    held = a < b if better else a > b
                    detail = f"{first.row.name} is #{a} and {second.row.name} #{b}"
                else:
                    a_v, b_v = self.value(first.row, col), self.value(second.row, col)
                    if col is None or a_v is None or b_v is None:
                        continue
                    lower = self.t.columns[col].lower_is_better
                    held = (
                        (a_v < b_v if lower else a_v > b_v) if better else (a_v > b_v if lower else a_v < b_v)
                    )
                    detail = (
                        f"{first.row.name} has {self.cell(first.row, col)} and {second.row.name} "
                        f"{self.cell(second.row, col)}" + (" (tied)" if a_v == b_v else "")
                    )
                self.use(m.start(), m.end())
                word = m.group(0).lower()
                yield (
                    ("compare", m.start()),
                    Relation(
                        held,
                        f"{detail} on {self.t.title}: '{word}' " + ("holds" if held else "does not hold"),
                    ),
                )

    def _ties(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        col = self.column_for("score")
        if col is None:
            return
        # The same for every tie of the sentence: read once, not once a tie (a sentence of 1,000 ties: 5 s).
        named = list({x.row.name: x.row for x in self.mentions}.values())
        quantities = _quantities(self.s)
        starts = [q[0] for q in quantities]
        count = _TIE_COUNT_RE.search(self.s)
        for m in _TIE_RE.finditer(self.s):
            if self.negated(m.start()):
                continue
            # The first number starting at most 12 characters after the tie word (they are in order).
            first = bisect.bisect_left(starts, m.end() - 1)
            at = quantities[first] if first < len(quantities) and starts[first] - m.end() < 12 else None
            rows = named
            if count is not None and at is not None:
                want_n = _count(count.group(1))
                have = [
                    r
                    for r in self.t.rows
                    if r.values[col] is not None and abs((r.values[col] or 0) - at[2].value) < _TOL
                ]
                held = len(have) == want_n
                self.use(*at[:2])
                yield (
                    ("tie", m.start()),
                    Relation(
                        held,
                        f"{len(have)} row(s) of {self.t.title} have {at[2].describe()}: "
                        + ", ".join(r.name for r in have),
                        (float(want_n), at[2].value),
                    ),
                )
                continue
            ordinal = re.match(rf"\s+(?:for|at)\s+({_ORD})\b", self.s[m.end() :], re.IGNORECASE)
            if rows and ordinal is not None:
                want_rank = _ORDINALS[ordinal.group(1).lower()]
                values = [v for r in rows if (v := r.values[col]) is not None]
                if len(values) < len(rows):
                    continue
                parts, held = [], max(values) - min(values) < 1e-9
                for row, value in zip(rows, values, strict=True):
                    # A tie shares the best rank of its group (1224), whatever order the table prints.
                    by_value = 1 + sum(1 for r in self.t.rows if _better(self.t, col, r.values[col], value))
                    mates = [r.name for r in self.t.rows if r is not row and r.values[col] == value]
                    held = held and by_value == want_rank and bool(mates)
                    parts.append(
                        f"{row.name} has {self.cell(row, col)} (#{by_value} by score)"
                        + (f", tied with {', '.join(mates)}" if mates else ", tied with no other row")
                    )
                self.use(m.start(), m.end() + ordinal.end())
                yield (
                    ("tie", m.start()),
                    Relation(
                        held,
                        f"on {self.t.title}: "
                        + "; ".join(parts)
                        + ("" if held else f"; not tied for #{want_rank}"),
                        (float(want_rank),),
                    ),
                )
                continue
            if len(rows) < 2:
                continue
            values = [v for r in rows if (v := r.values[col]) is not None]
            if len(values) < len(rows):
                continue
            held = max(values) - min(values) < 1e-9
            if held and at is not None:
                held = abs(values[0] - at[2].value) < _TOL
            if at is not None:
                self.use(*at[:2])
            yield (
                ("tie", m.start()),
                Relation(
                    held,
                    ", ".join(f"{r.name} has {self.cell(r, col)}" for r in rows)
                    + f" on {self.t.title}: "
                    + (
                        "tied"
                        if held
                        else "not tied"
                        if max(values) != min(values)
                        else "tied at another value"
                    ),
                    tuple(values),
                ),
            )

    def _differences(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        """ "trails the leader by 0.9 points", "1.2 points ahead of B", "a 3-point lead over B"."""
        for m in _DIFF_RE.finditer(self.s):
            if self.used.holds(m.start()):
                continue
            number = next(g for g in m.groups()[::2] if g is not None)
            unit = (next((g for g in m.groups()[1::2] if g is not None), "")).lower()
            want = float(number)
            before = self.owner_at(m.start())
            after = self._pair_after(m.end())
            leader = self.leader_from(m.start() - 40 if m.start() > 40 else 0)
            if unit.startswith(("place", "spot", "position", "rank")):
                continue
            pair: tuple[Row, Row] | None = None
            if before is not None and after is not None and before.row is not after.row:
                pair = (before.row, after.row)
            elif before is not None and leader:
                top = self.at_rank(1)
                if top is not None and top is not before.row:
                    pair = (before.row, top)
            elif len({x.row.name for x in self.mentions}) == 2:
                pair = (
                    self.mentions[0].row,
                    next(x.row for x in self.mentions if x.row is not self.mentions[0].row),
                )
            col = self.column_for("score")
            if pair is None or col is None:
                continue
            a, b = self.value(pair[0], col), self.value(pair[1], col)
            if a is None or b is None:
                continue
            have = round(abs(a - b), 4)
            relative = round(100 * abs(a - b) / max(abs(b), 1e-9), 4)
            held = abs(have - want) < _TOL or (unit in ("%", "percent") and abs(relative - want) < 0.51)
            self.use(m.start(), m.end())
            yield (
                ("diff", m.start()),
                Relation(
                    held,
                    f"{self.brief(pair[0], col)} and {self.brief(pair[1], col)} on {self.t.title} "
                    f"are {have:g} points apart" + ("" if held else f", not {want:g}"),
                    (want,),
                ),
            )

    # ------------------------------------------------------------ superlatives over a subset

    def _superlative_words(self) -> Iterator[tuple[re.Match[str], str, int, bool]]:
        """(match, word, column, the minimum is wanted): "cheapest", "fastest", and "highest GPQA",
        "lowest latency", "best SWE-bench Verified score" on a column the sentence names."""
        for m in _SUPERLATIVE_RE.finditer(self.s):
            kind, best_wanted = _SUPERLATIVES[m.group(1).lower()]
            col = self.column_for(kind)
            if col is not None:
                yield m, m.group(1).lower(), col, self.t.columns[col].lower_is_better == best_wanted
        # A match can only start where a by-value word does: most sentences have none, and the others are
        # read there only, not whole once per column (a table read the other way has a column per row: a
        # 190,000-character sentence against 10,000 rows took 57 s).
        starts = [m.start() for m in _BY_VALUE_START_RE.finditer(self.s)]
        if not starts:
            return
        for col, column, pattern in self.t.remembered("by_value_patterns", _by_value_patterns):
            taken = 0  # as finditer reads: a match starts after the one before it ends
            for start in starts:
                found = pattern.match(self.s, start) if start >= taken else None
                if found is None:
                    continue
                taken = found.end()
                word = found.group(1).lower()
                wants = _BY_VALUE[word]
                want_min = wants == "min" or (wants != "max" and (wants == "best") == column.lower_is_better)
                yield found, word, col, want_min

    def _superlatives(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        for m, word, col, want_min in self._superlative_words():
            if self.negated(m.start()):
                continue
            subject = self.owner_at(m.start()) or self._pair_after(m.end())
            if subject is None:
                continue
            subset_m = _SUBSET_RE.match(self.s[m.end() :])
            if subset_m is not None:
                n = _count(subset_m.group(1))
                if n > len(self.t.rows):
                    continue
                subset = [r for k, r in self.t.ranked() if k <= n]
                label = f"the top {n}"
                self.use(m.end() + subset_m.start(), m.end() + subset_m.end())
            else:
                subset, label = list(self.t.rows), "the table"
            values = [v for r in subset if (v := r.values[col]) is not None]
            mine = subject.row.values[col]
            if not values or mine is None:
                continue
            best_value = min(values) if want_min else max(values)
            best_rows = [r for r in subset if r.values[col] == best_value]
            in_subset = any(r is subject.row for r in subset)
            held = mine == best_value and in_subset
            self.use(m.start(), m.end())
            yield (
                ("superlative", m.start()),
                Relation(
                    held,
                    f"'{word}' of {label} on {self.t.title}: "
                    + (
                        f"{subject.row.name} ({self.cell(subject.row, col)})"
                        if held
                        else f"{', '.join(f'{r.name} ({self.cell(r, col)})' for r in best_rows)}; "
                        f"{subject.row.name} has {self.cell(subject.row, col)}"
                        + ("" if in_subset else f" and is not in {label}")
                    ),
                    tuple(float(n) for n in ([_count(subset_m.group(1))] if subset_m else [])),
                ),
            )

    # ------------------------------------------------------------ week-on-week moves

    def _moves(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        prev_rank_col, prev_score_col = self.t.column("previous_rank"), self.t.column("previous_score")
        score_col = self.t.primary
        if prev_rank_col is None or score_col is None:
            return
        for i, mention in enumerate(self.mentions):
            a, b = self.scope(i)
            used = self.used.copy()
            found = list(self._moves_of(mention.row, a, b, prev_rank_col, prev_score_col, score_col))
            if i > 0 and _OBJECT_RE.search(self.s[max(0, mention.start - 24) : mention.start]):
                # "GPT-5.5 took the top spot from Claude Opus 4.7, rising 1.8 points": the verb after an
                # object may belong to the sentence's subject.
                after, self.used = self.used, used
                subject = self.mentions[i - 1].row
                alt = dict(self._moves_of(subject, a, b, prev_rank_col, prev_score_col, score_col))
                self.used = after
                found = [(k, alt[k] if not r.held and k in alt and alt[k].held else r) for k, r in found]
            yield from found

    def _moves_of(
        self, row: Row, a: int, b: int, prev_rank_col: int, prev_score_col: int | None, score_col: int
    ) -> Iterator[tuple[tuple[str, int], Relation]]:
        scope = self.s[a:b]
        rank, score = self.rank(row), row.values[score_col]
        prev_rank, prev_score = row.values[prev_rank_col], row.values[prev_score_col or 0]
        if prev_score_col is None:
            prev_score = None
        was = (
            "new on the board"
            if prev_rank is None
            else f"was #{prev_rank:g}" + (f" ({prev_score:g})" if prev_score is not None else "")
        )
        now = f"#{rank} ({self.cell(row, score_col)})"
        ranks = _FROM_RANK_RE.search(scope)
        if ranks is not None:
            before, after = _from_to(ranks)
            held = prev_rank is not None and before == prev_rank and after == rank
            detail = "" if held else f"; not #{before} to #{after}"
            # "slipped from ninth to eighth": the numbers may be right and the direction wrong.
            direction = _VERB_BEFORE_RE.search(scope[: ranks.start()])
            word = direction.group(1).lower() if direction else ""
            moving = held and before != after and (word in _UP_WORDS or word in _DOWN_WORDS)
            if moving and (word in _UP_WORDS) != (after < before):
                held, detail = False, f"; '{word}' but the move was from #{before} to #{after}"
            self.use(a + ranks.start(), a + ranks.end())
            yield (
                ("move_rank", a + ranks.start()),
                Relation(
                    held,
                    f"{row.name} on {self.t.title}: now {now}, {was}{detail}",
                    (float(before), float(after)),
                ),
            )
        came = _UP_FROM_RE.search(scope)
        if came is not None and ranks is None and prev_rank is not None and rank is not None:
            stated = int(came.group(2)) if came.group(2) else _ORDINALS[came.group(3).lower()]
            went_up = rank < prev_rank
            held = stated == prev_rank and (came.group(1).lower() == "up") == went_up
            self.use(a + came.start(), a + came.end())
            yield (
                ("move_from", a + came.start()),
                Relation(
                    held,
                    f"{row.name} on {self.t.title}: now {now}, {was}"
                    + ("" if held else f"; not {came.group(1).lower()} from #{stated}"),
                    (float(stated),),
                ),
            )
        held_m = _HELD_RE.search(scope)
        if held_m is not None and prev_rank is not None:
            stated = int(held_m.group(1))
            held = prev_rank == rank == stated
            self.use(a + held_m.start(), a + held_m.end())
            yield (
                ("move_held", a + held_m.start()),
                Relation(held, f"{row.name} on {self.t.title}: now {now}, {was}", (float(stated),)),
            )
        new_m = _NEW_RE.search(scope)
        if new_m is not None:
            held = prev_rank is None
            yield (
                ("move_new", a + new_m.start()),
                Relation(held, f"{row.name} on {self.t.title}: now {now}, {was}"),
            )
        for m in _MOVE_TO_RE.finditer(scope):
            if m.start() > 60:
                break
            verb, is_rank, want = m.group(1).lower(), bool(m.group(2)), float(m.group(3))
            target = (None if rank is None else float(rank)) if is_rank else score
            if target is None:
                continue
            prev = prev_rank if is_rank else prev_score
            held = abs(target - want) < _TOL
            reasons = [] if held else [f"{row.name} is at {target:g} on {self.t.title}, not {want:g}"]
            if prev is not None and target != prev and verb.rstrip("s") not in ("move", "moved"):
                went_up = (target < prev) if is_rank else (target > prev)
                if (verb in _UP_WORDS or verb in ("advanced", "advances")) != went_up:
                    held = False
                    reasons.append(f"'{verb}' but {row.name} went from {prev:g} to {target:g}")
            self.use(a + m.start(), a + m.end())
            yield (
                ("move_to", a + m.start()),
                Relation(
                    held,
                    "; ".join(reasons)
                    if reasons
                    else f"{row.name} {verb} to {target:g} on {self.t.title} ({was})",
                    (want,),
                ),
            )
        for m in _MOVE_BY_RE.finditer(scope):
            if m.start() > 80 or self.used.holds(a + m.start()):
                continue
            verb = m.group(1).lower()
            amount = float(m.group(2)) if m.group(2)[0].isdigit() else float(_count(m.group(2)))
            unit = (m.group(3) or "").lower()
            is_rank = unit.startswith(("place", "spot", "position", "rank"))
            now_v = float(rank) if is_rank and rank is not None else score
            prev = prev_rank if is_rank else prev_score
            if prev is None or now_v is None or (not unit and verb in ("up", "down")):
                continue
            change = (prev - now_v) if is_rank else (now_v - prev)
            up = verb in _UP_WORDS
            held = abs(abs(change) - amount) < _TOL and (change > 0) == up and change != 0
            reasons = (
                []
                if held
                else [
                    f"{row.name} on {self.t.title} went from {prev:g} to {now_v:g}"
                    + (" places" if is_rank else "")
                    + f" ({'+' if change > 0 else ''}{change:g}), not {verb} {amount:g}"
                ]
            )
            values = [amount]
            if m.group(4) is not None:
                start_v = float(m.group(4))
                values.append(start_v)
                if abs(start_v - prev) >= _TOL:
                    held = False
                    reasons.append(f"{row.name} was at {prev:g}, not {start_v:g}")
            self.use(a + m.start(), a + m.end())
            yield (
                ("move_by", a + m.start()),
                Relation(
                    held,
                    "; ".join(reasons) if reasons else f"{row.name} on {self.t.title}: now {now}, {was}",
                    tuple(values),
                ),
            )

    # ------------------------------------------------------------ every other number, bound to its row

    def _numbers(self) -> Iterator[tuple[tuple[str, int], Relation]]:
        quantities = _quantities(self.s)
        used = _Spans(self.used)
        free = [
            q
            for q in quantities
            if q[2].kind == "number"
            and not used.holds_start(q[0])
            and not used.holds_end(q[1])
            and not self.on_mention(q[0], q[1])
        ]
        free_starts = [f[0] for f in free]
        paired = self._paired(free)
        mentioned = {id(m.row) for m in self.mentions}
        history = self.t.column("previous_score") is None
        for start, _, q in free:
            owner = paired.get(start) or self.owner_at(start)
            if owner is None:
                continue
            if history and _EARLIER_RE.search(self.s[max(0, start - 30) : start]):
                continue  # "up from 61%", "was 58.0": last week's figure, which this table does not hold
            cols = [i for i, c in enumerate(self.t.columns) if _unit_fits(q.unit, c.unit, c.kind)]
            named = self.column_near(start)
            if named is not None and named not in cols and _loosely_fits(q.unit, self.t.columns[named]):
                cols.append(named)  # "72.1% on GPQA" where GPQA prints 81.0: a percent score without "%"
            if not cols:
                continue
            mine = [i for i in cols if _equal(owner.row.values[i], q)]
            if named is not None and named in cols and mine and named not in mine:
                value = owner.row.values[named]
                if value is not None:
                    yield (
                        ("number", start),
                        Relation(
                            False,
                            f"{q.describe()} is {owner.row.name}'s {self.t.columns[mine[0]].header} on "
                            f"{self.t.title}; its {self.t.columns[named].header} is "
                            f"{self.cell(owner.row, named)}",
                            (q.value,),
                        ),
                    )
                    continue
            if named is not None and named in cols:
                cols = [named]
            if mine:
                yield (
                    ("number", start),
                    Relation(
                        True,
                        f"{q.describe()} is {owner.row.name}'s {self.t.columns[mine[0]].header} "
                        f"on {self.t.title}",
                        (q.value,),
                    ),
                )
                continue
            # Row by row, each row's columns in order: the rows near the value, looked up per column.
            width = max(q.tolerance, 1e-6)
            candidates = sorted(
                (r, n) for n, col in enumerate(cols) for r in self.t.rows_near(col, q.value, width)
            )
            others = [
                (self.t.rows[r], cols[n])
                for r, n in candidates
                if self.t.rows[r] is not owner.row and _equal(self.t.rows[r].values[cols[n]], q)
            ]
            attached = _ATTACHED_RE.fullmatch(self.s[owner.end : start]) and not re.search(
                r"\b(?:than|as)\s+$", self.s[max(0, owner.start - 8) : owner.start], re.IGNORECASE
            )
            if others and start not in paired and not attached and any(id(r) in mentioned for r, _ in others):
                # "Gemini is faster than GPT-5.5 at 128 tok/s": the number is another named row's, and
                # which name it goes with is the sentence's grammar, not its order.
                continue
            if others:
                other, i = others[0]
                yield (
                    ("number", start),
                    Relation(
                        False,
                        f"{q.describe()} is {other.name}'s {self.t.columns[i].header}"
                        + (f" at rank {self.rank(other)}" if self.rank(other) is not None else "")
                        + f" on {self.t.title}; "
                        f"{owner.row.name}"
                        + (f" at rank {self.rank(owner.row)}" if self.rank(owner.row) is not None else "")
                        + (
                            f" holds {self.cell(owner.row, i)}"
                            if owner.row.values[i] is not None
                            else f" has no {self.t.columns[i].header}"
                        ),
                        (q.value,),
                    ),
                )
                continue
            # Only the first number after the name: "65.3% on SWE-rebench, 12% better" gives 12% to no row.
            after = bisect.bisect_left(free_starts, owner.end)  # free is in order: the first at or after
            near = 0 <= start - owner.end <= 40 and not (after < len(free) and free_starts[after] < start)
            # The column whose unit is the number's own, a bare number included ("at 58.3" on an index).
            exact = [i for i in cols if self.t.columns[i].unit == q.unit]
            if near and exact and owner.row.values[exact[0]] is not None:
                i = exact[0]
                yield (
                    ("number", start),
                    Relation(
                        False,
                        f"{owner.row.name} holds {self.cell(owner.row, i)} ({self.t.columns[i].header}) on "
                        f"{self.t.title}, not {q.describe()}",
                        (q.value,),
                    ),
                )

    def _paired(self, free: list[tuple[int, int, Quantity]]) -> dict[int, _Mention]:
        """Numbers listed together after as many names ("A and B score 65.3% and 64.4%", "65.3% to 64.4%")
        belong to those names in order."""
        out: dict[int, _Mention] = {}
        groups: list[list[tuple[int, int, Quantity]]] = []
        for q in free:
            if q[2].unit in ("pt", "pp"):
                groups.append([])  # a change in points is not a cell: it ends a list of cells
                continue
            if (
                groups
                and groups[-1]
                and groups[-1][-1][2].unit == q[2].unit
                and re.fullmatch(
                    r"\s*(?:,|and|to|versus|vs\.?|against|/|compared (?:to|with))?\s*(?:and\s+)?",
                    self.s[groups[-1][-1][1] : q[0]],
                    re.IGNORECASE,
                )
            ):
                groups[-1].append(q)
            else:
                groups.append([q])
        for group in groups:
            if len(group) < 2:
                continue
            before = [m for m in self.mentions if m.end <= group[0][0]]
            distinct: list[_Mention] = []
            for m in before:
                if all(d.row is not m.row for d in distinct):
                    distinct.append(m)
            if len(distinct) >= len(group):
                for q, m in zip(group, distinct[-len(group) :], strict=True):
                    out[q[0]] = m
        return out


def _better(table: Table, col: int, a: float | None, b: float) -> bool:
    if a is None:
        return False
    return a < b if table.columns[col].lower_is_better else a > b


@lru_cache(maxsize=4096)
def _quantities(sentence: str) -> tuple[tuple[int, int, Quantity], ...]:
    out = []
    for q in extract_quantities(sentence):
        if q.end < 0:
            continue
        out.append((q.end - len(q.raw), q.end, q))
    return tuple(sorted(out, key=lambda t: t[0]))


def _unit_fits(unit: str, column_unit: str, kind: str) -> bool:
    if kind in ("text", "rank", "previous_rank", "change"):
        return False
    if unit == column_unit:
        return True
    if unit in ("", "pt"):
        return kind != "price"
    return False


def _loosely_fits(unit: str, column: Column) -> bool:
    return column.kind in ("score", "lower") and unit in ("", "%", "pt") and column.unit in ("", "%")


class _Used(list[tuple[int, int]]):
    """The spans of a sentence the relations have accounted for, kept merged beside the list: "is this place
    inside one" by bisection, not by reading them all for each number or difference."""

    def __init__(self, spans: Sequence[tuple[int, int]] = ()) -> None:
        super().__init__()
        self._starts: list[int] = []
        self._ends: list[int] = []
        for span in spans:
            self.append(span)

    def append(self, span: tuple[int, int]) -> None:
        super().append(span)
        start, end = span
        if start >= end:
            return  # empty: holds no place
        lo = bisect.bisect_left(self._ends, start)  # the first block ending at or after the start
        hi = bisect.bisect_right(self._starts, end)  # past the last block starting at or before the end
        if lo < hi:
            start, end = min(start, self._starts[lo]), max(end, self._ends[hi - 1])
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]

    def holds(self, pos: int) -> bool:
        """Is ``start <= pos < end`` for one of the spans?"""
        at = bisect.bisect_right(self._starts, pos) - 1
        return at >= 0 and pos < self._ends[at]

    def copy(self) -> _Used:
        out = _Used()
        out.extend(self)
        out._starts, out._ends = list(self._starts), list(self._ends)
        return out


class _Spans:
    """Spans of a sentence merged into the stretches they cover, for "is this place inside one" by bisection
    (each number of a long sentence read every span a relation had used)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(s for s in spans if s[0] < s[1]):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def holds_start(self, pos: int) -> bool:
        """Is ``start <= pos < end`` for a span?"""
        at = bisect.bisect_right(self.starts, pos) - 1
        return at >= 0 and pos < self.ends[at]

    def holds_end(self, pos: int) -> bool:
        """Is ``start < pos <= end`` for a span?"""
        at = bisect.bisect_left(self.starts, pos) - 1
        return at >= 0 and pos <= self.ends[at]


def _equal(value: float | None, q: Quantity) -> bool:
    return value is not None and abs(value - q.value) <= max(q.tolerance, 1e-6)
