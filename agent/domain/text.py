"""Sentence spans: the unit of a claim. Pure, so writers and the checker split text the same way."""

from __future__ import annotations

import re

__all__ = ["Span", "sentence_spans", "sentences"]

Span = tuple[int, int]

# A sentence ends at . ! or ? (optionally followed by closing quotes/brackets) and whitespace, when the
# next visible character can start a sentence.
_BOUNDARY = re.compile(r"""[.!?]["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9$])""")
_LINE = re.compile(r"[^\n]+")
# Tokens that end with a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof sr jr st vs etc e.g i.e al fig figs eq no inc ltd corp co u.s u.k u.n approx dept "
        "est cf sec vol jan feb mar apr jun jul aug sep sept oct nov dec"
    ).split()
)


def _ends_with_abbreviation(text: str, end: int) -> bool:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:end].rstrip(".").lower().lstrip("(\"'“")
    if word in _ABBREVIATIONS:
        return True
    # Single initials ("J. Smith") are not sentence ends.
    return len(word) == 1 and word.isalpha()


def sentence_spans(text: str) -> list[Span]:
    """Character spans of the sentences in ``text``, trimmed of surrounding whitespace.

    A line break always ends a sentence: extracted pages and feeds keep one paragraph (or one
    headline, label or byline) per line, and those never continue on the next line.
    """
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start, line_end = line.start(), line.end()
        for match in _BOUNDARY.finditer(text, start, line_end):
            period = match.start()
            if text[period] == "." and _ends_with_abbreviation(text, period):
                continue
            _append_trimmed(text, start, match.end(), spans)
            start = match.end()
        _append_trimmed(text, start, line_end, spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]
