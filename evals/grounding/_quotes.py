"""Words a sentence puts in quotation marks, and whether the cited passage says them word for word.

A newsletter that prints “we will not ship until it is safe” tells its readers those are the speaker's
words; a writer that tidies a quotation misquotes. A quotation of three words or more must be in the cited
passage (or the item's title and authors) word for word, compared the way names are: case, punctuation,
hyphens and possessives aside. An ellipsis or a bracketed insertion ("[the company]") marks a cut, and
each piece must be there. Shorter quotations are terms or scare quotes ("so-called “reasoning” models"),
left to the coverage check. Only double quotation marks open a quotation: a single one is also an
apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from evals.grounding._text import norm_key

__all__ = ["MIN_QUOTED_WORDS", "quotations", "said_word_for_word"]

MIN_QUOTED_WORDS = 3
_QUOTATION_RE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_CUT_RE = re.compile(r"\.\.\.|…|\[[^\]]*\]")


def quotations(sentence: str) -> list[str]:
    """The quotations of at least :data:`MIN_QUOTED_WORDS` words in ``sentence``, as written."""
    if '"' not in sentence and "“" not in sentence:
        return []  # most sentences quote nothing: two substring tests spare the regex
    found = []
    for m in _QUOTATION_RE.finditer(sentence):
        quoted = m.group(1) or m.group(2)
        if len(quoted.split()) >= MIN_QUOTED_WORDS:  # as written: "test-time compute" is two words
            found.append(quoted.strip())
    return found


def said_word_for_word(quotation: str, keys: Iterable[Container[str]]) -> bool:
    """Whether every piece of ``quotation`` is in one of ``keys`` (texts as :func:`norm_key` writes them, or
    a :class:`KeyRuns` of them)."""
    pieces = [norm_key(piece) for piece in _CUT_RE.split(quotation)]
    keys = list(keys)
    return all(any(piece in key for key in keys) for piece in pieces if piece.strip())
