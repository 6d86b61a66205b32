"""Numbers and quantities, normalised so "58 percent" = "58%" and "$725 billion" = 725e9 USD.

A :class:`Quantity` keeps the value (scale applied), the unit family ("%", "pp", "USD", "x", ...; "" when
the text gives none), how precisely it was written (to accept a claim that rounds) and its raw text for
the reasons. Votes and scores such as "44-2" are one quantity with unit "pair" so 44-3 cannot pass on its
parts. Dates are turned into month/day/year quantities so "May 14, 2026" = "2026-05-14".
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from evals.grounding._text import MONTHS, NUMBER_WORDS, TENS

__all__ = ["Quantity", "QuantityIndex", "extract_quantities", "find_match", "written_dates"]

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
}
_CURRENCY_PREFIX = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
}
_UNIT_WORDS = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "pct": "%",
    "percentage points": "pp",
    "percentage point": "pp",
    "pp": "pp",
    "points": "pt",
    "point": "pt",
    "pts": "pt",
    "x": "x",
    "×": "x",
    "times": "x",
    "tok/s": "tok/s",
    "tokens per second": "tok/s",
    "tokens/s": "tok/s",
    "dollars": "USD",
    "dollar": "USD",
    "usd": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "gb": "GB",
    "tb": "TB",
    "ms": "ms",
    "seconds": "s",
    "minutes": "min",
    "hours": "h",
    "w": "W",
    "watts": "W",
    "gpus": "GPU",
    "gpu": "GPU",
    "parameters": "param",
    "params": "param",
    "stars": "stars",
    "users": "users",
}
_MONTHS = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_SCALE_ALT = r"trillion|billion|million|thousand|mln|bn|tn|mn|[kKmMbBtT]"
_QUANTITY_RE = re.compile(
    rf"(?P<cur>US\$|\$|€|£|¥|\b(?:USD|EUR|GBP)\s?)?"
    rf"(?<![\w.\-])(?P<num>{_NUM})(?![\w.]*\d)"
    rf"(?:(?:\s?(?P<scale>{_SCALE_ALT}))(?![A-Za-z]))?"
    rf"(?:\s?(?P<unit>{_UNIT_ALT})(?![A-Za-z]))?",
    re.IGNORECASE,
)
# "44-2", "44–2" between integers: a vote or a score, read as one pair.
_PAIR_RE = re.compile(r"(?<![\w.$%\-])(\d{1,4})\s?[-–—]\s?(\d{1,4})(?![\w%\-]|\.\d)")
_RANGE_RE = re.compile(
    rf"({_NUM})\s?(?:%|percent\b|percentage points?\b)?\s?(?:-|–|—|to|and)\s?\$?({_NUM})\s?"
    r"(%|percent\b|percentage points?\b|pp\b)",
    re.IGNORECASE,
)
_DATE_RE = re.compile(
    r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?\b"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"(?:\s+(?P<year2>\d{4}))?\b"
    r"|(?<![\w\-.])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d+")
# Where a number word may start (lower-cased text); the patterns themselves decide what is one.
_NUMBER_WORD_RE = re.compile("|".join(sorted(NUMBER_WORDS, key=len, reverse=True)))
_PERIOD_WORD_RE = re.compile(r"quarter|half")
# Wider than any quantity the patterns read ("US$ 1,234.5 billion", "12% to 15 percentage points").
_MARGIN = 48


def _windows(starts: list[int], length: int) -> list[tuple[int, int]]:
    """Merged stretches of ``_MARGIN`` characters either side of each start, in order."""
    spans: list[tuple[int, int]] = []
    for start in starts:
        a, b = max(0, start - _MARGIN), min(length, start + _MARGIN)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans


_WORDNUM_RE = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# "twenty-five", "twenty five" and a transcript's "twenty - five": one number, 25.
_COMPOUND_WORDNUM_RE = re.compile(
    rf"\b({'|'.join(TENS)})(?:\s*-\s*|\s+)({'|'.join(_UNITS)})\b", re.IGNORECASE
)
_UNIT_VALUES = {w: i + 1 for i, w in enumerate(_UNITS)}
# Quarters and halves of a year, however written: "Q3", "3Q", "the third quarter", "Q3'20", "H1", "the
# first half". The value is the quarter (1-4) or the half (1-2); the unit says which.
_ORDINAL_VALUES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_PERIOD_RE = re.compile(
    r"\b(?:Q([1-4])|([1-4])Q)(?:['’]?\d{2})?\b"
    r"|\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter\b"
    r"|\bH([12])\b"
    r"|\b(first|second|1st|2nd)[\s-]+half\b",
    re.IGNORECASE,
)
_WORD_SCALE_RE = re.compile(
    r"\b(" + "|".join(NUMBER_WORDS) + r")\s+(million|billion|thousand|trillion)\b", re.IGNORECASE
)


# "twelve Euros and fifty centimes": a price as spoken (transcripts), the "12.50 Euros" a summary writes.
_SPOKEN_MONEY_RE = re.compile(
    r"\b([a-z]+|\d{1,4})\s+(euros?|dollars?|pounds?)\s+and\s+([a-z]+|\d{1,2})\s+(?:cents?|centimes?|pence)\b",
    re.IGNORECASE,
)


def _spoken_value(word: str) -> float | None:
    if word.isdigit():
        return float(word)
    value = NUMBER_WORDS.get(word.lower())
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str  # "" when the text gives no unit
    raw: str
    # Half of the last written digit, scaled: a claim of "65%" matches 65.3% (rounding), "65.0%" does not.
    tolerance: float = 0.0
    kind: str = "number"  # number | pair | date | word | period
    end: int = -1  # where the quantity ends in its text (-1: not from a text, e.g. a leaderboard row)

    def describe(self) -> str:
        return self.raw.strip()


def _decimals(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, normalised; dates and pairs first so their digits are not re-read.

    A sentence is parsed once however many checks read it (cached); a long passage is parsed once per
    evidence by its caller.
    """
    if len(text) <= _CACHED_CHARS:
        return list(_extract_cached(text))
    return _extract(text)


# Claim sentences are read by several checks: parse each once. Passages are longer and digested once.
_CACHED_CHARS = 1_000


@lru_cache(maxsize=16_384)
def _extract_cached(text: str) -> tuple[Quantity, ...]:
    return tuple(_extract(text))


def _extract(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    # The characters already read as a quantity: a mask, not a list of spans scanned for every match (an
    # earnings call has hundreds of numbers; the scan made parsing one quadratic, 31% of the checker's time).
    taken_mask = bytearray(len(text))

    def free(start: int, end: int) -> bool:
        return not any(taken_mask[start:end])

    def take(start: int, end: int) -> None:
        taken_mask[start:end] = b"\x01" * (end - start)

    # Python's re costs some 0.2 us a character a pattern, and most of a text holds no number: each
    # pattern reads only the stretches around a digit (or a number word, or "quarter"/"half"), widened by
    # _MARGIN so that every match containing one lies whole inside (2.0 s to 0.4 s for 1.2 M characters).
    low = text.lower()
    digit_spans = _windows([m.start() for m in _DIGIT_RE.finditer(text)], len(text))
    word_spans = _windows([m.start() for m in _NUMBER_WORD_RE.finditer(low)], len(text))
    period_spans = _windows(
        sorted(
            [m.start() for m in _DIGIT_RE.finditer(text)] + [m.start() for m in _PERIOD_WORD_RE.finditer(low)]
        ),
        len(text),
    )

    def scan(pattern: re.Pattern[str], spans: list[tuple[int, int]]) -> list[re.Match[str]]:
        return [m for a, b in spans for m in pattern.finditer(text, a, b)]

    for m in scan(_DATE_RE, digit_spans):
        parts = _date_parts(m)
        if parts is None:
            continue
        year, month, day = parts
        out.append(Quantity(month * 100 + day, "date", m.group(0), 0.0, "date", m.end()))
        if year is not None:
            out.append(Quantity(float(year), "", str(year), 0.0, "number", m.end()))
        take(*m.span())
    for m in scan(_RANGE_RE, digit_spans):
        if not free(*m.span()):
            continue
        unit = _UNIT_WORDS[m.group(3).lower()]
        for num, end in ((m.group(1), m.end(1)), (m.group(2), m.end())):
            value = float(num.replace(",", ""))
            out.append(
                Quantity(value, unit, f"{num} {m.group(3)}", 0.5 * 10 ** -_decimals(num), "number", end)
            )
        take(*m.span())
    for m in scan(_PAIR_RE, digit_spans):
        if not free(*m.span()):
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if 1900 <= a <= 2100 and (1900 <= b <= 2100 or b < 100):
            continue  # "2025-26", "2024-2025": a span of years, read as numbers
        out.append(Quantity(a * 10000.0 + b, "pair", m.group(0), 0.0, "pair", m.end()))
        take(*m.span())
    for m in scan(_PERIOD_RE, period_spans):
        if not free(*m.span()):
            continue
        if m.group(1) or m.group(2) or m.group(3):
            value, unit = float(m.group(1) or m.group(2) or _ORDINAL_VALUES[m.group(3).lower()]), "quarter"
        else:
            value, unit = float(m.group(4) or _ORDINAL_VALUES[m.group(5).lower()]), "half"
        out.append(Quantity(value, unit, m.group(0), 0.0, "period", m.end()))
        take(*m.span())
    for m in scan(_SPOKEN_MONEY_RE, word_spans):
        whole, cents = _spoken_value(m.group(1)), _spoken_value(m.group(3))
        if whole is not None and cents is not None and cents < 100 and free(*m.span()):
            unit = _UNIT_WORDS.get(m.group(2).lower(), "")
            out.append(Quantity(whole + cents / 100, unit, m.group(0), 0.005, "number", m.end()))
            take(*m.span())
    for m in scan(_COMPOUND_WORDNUM_RE, word_spans):
        if free(*m.span()):
            value = float(NUMBER_WORDS[m.group(1).lower()] + _UNIT_VALUES[m.group(2).lower()])
            out.append(Quantity(value, "", m.group(0), 0.0, "word", m.end()))
            take(*m.span())
    for m in scan(_WORD_SCALE_RE, word_spans):
        value = NUMBER_WORDS[m.group(1).lower()] * _SCALES[m.group(2).lower()]
        out.append(Quantity(value, "", m.group(0), 0.0, "word", m.end()))
        take(*m.span())
    for m in scan(_QUANTITY_RE, digit_spans):
        if not free(m.start("num"), m.end()):
            continue
        num = m.group("num")
        value = float(num.replace(",", ""))
        scale_word = (m.group("scale") or "").lower()
        scale = _SCALES.get(scale_word, 1.0)
        # "5 m" is far more often metres or minutes than millions; only trust a bare single-letter scale
        # when glued to the number ("1.2M", "70B") or after a currency sign.
        if scale_word in ("m", "t", "b", "k") and m.group("scale") and not m.group("cur"):
            glued = text[m.start("scale") - 1].isdigit()
            if not glued:
                scale = 1.0
        unit = ""
        cur = (m.group("cur") or "").strip().lower()
        if cur:
            unit = _CURRENCY_PREFIX.get(cur, "")
        unit_word = (m.group("unit") or "").lower()
        if unit_word and not unit:
            unit = _UNIT_WORDS.get(unit_word, "")
        tolerance = 0.5 * 10 ** -_decimals(num) * scale
        out.append(Quantity(value * scale, unit, m.group(0), tolerance, "number", m.end()))
    for m in scan(_WORDNUM_RE, word_spans):
        if free(*m.span()):
            value = float(NUMBER_WORDS[m.group(1).lower()])
            out.append(Quantity(value, "", m.group(0), 0.0, "word", m.end()))
    return out


_COMPATIBLE = {frozenset({"pt", ""}), frozenset({"%", ""}), frozenset({"pp", ""})}


def _unit_conflict(claim_unit: str, evidence_unit: str) -> bool:
    """True when both sides name a unit and they differ ("58%" vs "58 percentage points", "$" vs "€")."""
    if not claim_unit or not evidence_unit or claim_unit == evidence_unit:
        return False
    return frozenset({claim_unit, evidence_unit}) not in _COMPATIBLE


def written_dates(text: str) -> list[tuple[int | None, int, int]]:
    """(year or None, month, day) of every date ``text`` writes with a month name or as ISO 8601."""
    return [parts for m in _DATE_RE.finditer(text) if (parts := _date_parts(m)) is not None]


def _date_parts(m: re.Match[str]) -> tuple[int | None, int, int] | None:
    mon = (m.group("mon") or m.group("mon2") or "").lower()
    if mon:
        day = int(m.group("day") or m.group("day2"))
        year = m.group("year") or m.group("year2")
        month = _MONTHS.get(mon[:4] if mon.startswith("sept") else mon[:3], 0)
    else:
        year, month, day = m.group("iy"), int(m.group("im")), int(m.group("id"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (int(year) if year else None), month, day


def _close(a: float, b: float, tolerance: float) -> bool:
    # A number of 309 digits or more reads as infinity, and |a - inf| <= 1e-9 * inf held for every a: one
    # such string in a source confirmed every number of every claim. Only finite values match.
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b)))


def find_match(claim_q: Quantity, evidence: Iterable[Quantity]) -> tuple[Quantity | None, Quantity | None]:
    """(exact match, same value under a conflicting unit): the second explains a unit or scale change."""
    conflicting: Quantity | None = None
    for ev in evidence:
        if claim_q.kind in ("date", "period") or ev.kind in ("date", "period"):
            if claim_q.kind == ev.kind and claim_q.value == ev.value and claim_q.unit == ev.unit:
                return ev, None
            continue
        if claim_q.kind == "pair" or ev.kind == "pair":
            if claim_q.kind == ev.kind and claim_q.value == ev.value:
                return ev, None
            continue
        if _close(claim_q.value, ev.value, claim_q.tolerance):
            if _unit_conflict(claim_q.unit, ev.unit):
                conflicting = ev
                continue
            return ev, None
    return None, conflicting


_DATED = ("date", "period")


class QuantityIndex:
    """:func:`find_match` over many quantities without reading them all: the same answer, looked up.

    A passage of an earnings call or a benchmark table holds thousands of numbers, and a claim sentence may
    hold thousands too: matching each against every one made a sentence of 4,000 numbers take 11 s. Dates
    and periods are looked up by (kind, value, unit), pairs by value, other numbers by a window of sorted
    values that holds every value :func:`_close` accepts; the candidates are then read in their passage
    order, as :func:`find_match` reads them.
    """

    __slots__ = ("_dated", "_numbers", "_pairs", "_quantities", "_values")

    def __init__(self, quantities: Sequence[Quantity]) -> None:
        self._quantities = list(quantities)
        self._dated: dict[tuple[str, float, str], int] = {}
        self._pairs: dict[float, int] = {}
        numbers: list[tuple[float, int]] = []
        for i, ev in enumerate(self._quantities):
            if ev.kind in _DATED:
                self._dated.setdefault((ev.kind, ev.value, ev.unit), i)
            elif ev.kind == "pair":
                self._pairs.setdefault(ev.value, i)
            elif math.isfinite(ev.value):
                numbers.append((ev.value, i))
        numbers.sort()
        self._numbers = [i for _, i in numbers]
        self._values = [v for v, _ in numbers]

    def find(self, claim_q: Quantity) -> tuple[Quantity | None, Quantity | None]:
        """What ``find_match(claim_q, quantities)`` returns."""
        if claim_q.kind in _DATED:
            i = self._dated.get((claim_q.kind, claim_q.value, claim_q.unit))
            return (None if i is None else self._quantities[i]), None
        if claim_q.kind == "pair":
            i = self._pairs.get(claim_q.value)
            return (None if i is None else self._quantities[i]), None
        a = claim_q.value
        if not math.isfinite(a):
            return None, None
        # Every b with _close(a, b): |a - b| <= tolerance, or <= 1e-9 * max(|a|, |b|) < 2e-9 * |a|; widened
        # by a hair for float rounding, then each candidate is tested with _close itself.
        width = max(claim_q.tolerance, 2e-9 * abs(a))
        width += width * 1e-6 + abs(a) * 1e-12
        lo = bisect.bisect_left(self._values, a - width)
        hi = bisect.bisect_right(self._values, a + width)
        return find_match(claim_q, [self._quantities[i] for i in sorted(self._numbers[lo:hi])])
