"""Days of the week and months a sentence names, and the ones its passages name.

"Released on Friday", "due in July": a writer who names a day or a month states a fact, and a passage that
never names that day or month does not support it. Dates with a day number ("26 November") are quantities
(:mod:`evals.grounding._quantities`); this module is for the bare day or month.

A passage names a day or month in words ("Friday", "Fri", "July", "Jul."), through a numeric date
("2026-07-14", "14/07/2026", "12-13.01": the month is read both ways when the order is unclear), or by a
full date whose day of the week is known ("1 December 2026" names Tuesday). Reading a passage generously
can only let a claim pass; reading a sentence is strict about the two months that are also English words:
"May" and "March" count only beside a day number or after a word that introduces a time ("in May").
"""

from __future__ import annotations

import datetime
import re

from evals.grounding._quantities import written_dates
from evals.grounding._text import MONTHS

__all__ = ["DAYS", "MONTHS", "date_in_words", "named_times", "passage_times", "time_kind"]

DAYS = tuple("monday tuesday wednesday thursday friday saturday sunday".split())
_SHORT = {m[:3]: m for m in MONTHS} | {d[:3]: d for d in DAYS}
_SHORT |= {
    "sept": "september",
    "tues": "tuesday",
    "weds": "wednesday",
    "thur": "thursday",
    "thurs": "thursday",
}
# Expressions that name a day without its name ("Thank God it's Friday").
_IDIOMS = {"tgif": "friday"}

_PASSAGE_WORDS = {name: name for name in MONTHS + DAYS} | _SHORT | _IDIOMS
# Run on lower-cased text, looking only where a word starts with a letter one of them starts with: five
# times faster than the same alternation with IGNORECASE.
_PASSAGE_WORD_RE = re.compile(
    rf"\b(?=[{''.join(sorted({w[0] for w in _PASSAGE_WORDS}))}])"
    rf"({'|'.join(sorted(_PASSAGE_WORDS, key=len, reverse=True))})\b"
)
_SENTENCE_WORD_RE = re.compile(r"\b(" + "|".join(MONTHS + DAYS) + r")\b", re.IGNORECASE)
# Every day and month holds one of these: most sentences name neither, and these substring tests take a
# tenth of the time of the regex they spare (2 and 19 microseconds on a SummEdits summary).
_HINTS = ("day", "uary", "march", "april", "may", "june", "july", "august", "ember", "october")
_AMBIGUOUS = frozenset({"may", "march"})
_CONTEXT = 24  # characters either side of "May" or "March" that say whether it is the month
_TIME_CUE_RE = re.compile(
    r"\b(?:in|on|of|since|until|till|by|from|through|to|early|late|mid|last|next|this|each|every|"
    r"before|after|during|between)[\s-]*$",
    re.IGNORECASE,
)
_DAY_NUMBER_RE = re.compile(r"^\.?\s*\d{1,2}(?:st|nd|rd|th)?\b")
_DAY_NUMBER_BEFORE_RE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s*$")

# Numeric dates the quantity reader does not take (it reads ISO 8601 and dates with a month name): year
# first with slashes or dots, year last (either order of day and month), or day and month alone.
_YEAR_FIRST_RE = re.compile(r"\b((?:19|20)\d\d)[/.](\d{1,2})[/.](\d{1,2})\b")
_YEAR_LAST_RE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d\d)\b")
_DAY_MONTH_RE = re.compile(r"(?<![\d.,/])(\d{1,2})[./](\d{1,2})(?![\d/]|\.\d)")


def named_times(sentence: str, *, caseless: bool = False) -> list[str]:
    """The days and months ``sentence`` names, lower-case and in full, each once, in order.

    A name counts capitalised; in a lower-cased sentence (``caseless``) written any way."""
    lowered = sentence.lower()
    if not any(hint in lowered for hint in _HINTS):
        return []
    found: list[str] = []
    for m in _SENTENCE_WORD_RE.finditer(sentence):
        written, word = m.group(1), m.group(1).lower()
        if not caseless and not written[0].isupper():
            continue
        if word in _AMBIGUOUS and not _reads_as_month(sentence, m.start(), m.end()):
            continue
        if word not in found:
            found.append(word)
    return found


def time_kind(name: str) -> str:
    """ "month" or "day", for a name :func:`named_times` returned."""
    return "month" if name in MONTHS else "day"


def _reads_as_month(sentence: str, start: int, end: int) -> bool:
    # A few words either side decide; slicing the whole rest of the sentence made a long one quadratic.
    before, after = sentence[max(0, start - _CONTEXT) : start], sentence[end : end + _CONTEXT]
    return bool(
        _DAY_NUMBER_RE.match(after)
        or _DAY_NUMBER_BEFORE_RE.search(before)
        or _TIME_CUE_RE.search(before)
        or re.match(r"^,?\s*(?:19|20)\d\d\b", after)
    )


def passage_times(text: str) -> frozenset[str]:
    """Every day and month ``text`` names, in words, in numeric dates or as the weekday of a full date."""
    found: set[str] = set()
    text = text.lower()
    for word in _PASSAGE_WORD_RE.findall(text):
        found.add(_PASSAGE_WORDS[word])
    for year, month, day in _YEAR_FIRST_RE.findall(text):
        _add_date(found, int(year), int(month), int(day))
    for a, b, year in _YEAR_LAST_RE.findall(text):
        _add_date(found, int(year), int(b), int(a))  # 14/07/2026
        _add_date(found, int(year), int(a), int(b))  # 07/14/2026
    for a, b in _DAY_MONTH_RE.findall(text):
        for month in {int(a), int(b)}:
            if 1 <= month <= 12:
                found.add(MONTHS[month - 1])
    for written_year, month, day in written_dates(text):
        if written_year is None:
            found.add(MONTHS[month - 1])
        else:
            _add_date(found, written_year, month, day)
    return frozenset(found)


def date_in_words(date: datetime.date) -> str:
    """ "tuesday 1 december 2026": a date as :func:`passage_times` reads it, whatever the locale."""
    return f"{DAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]} {date.year}"


def _add_date(found: set[str], year: int, month: int, day: int) -> None:
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return  # not a date in this order
    found.add(MONTHS[date.month - 1])
    found.add(DAYS[date.weekday()])
