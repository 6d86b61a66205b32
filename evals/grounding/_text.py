"""Tokens, stems and sentences: the small text layer every check shares (regex only, for speed)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "MONTHS",
    "NUMBER_WORDS",
    "STOPWORDS",
    "TENS",
    "KeyRuns",
    "content_stems",
    "content_terms",
    "norm_key",
    "split_sentences",
    "stem",
    "words",
]

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*|\d+(?:[.,]\d+)*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say told according one new also s t 's would could may might
    us it's isn't wasn't there's that's year years week weeks day days time times last first two
    """.split()
)

_SUFFIXES = (
    "ational",
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ness",
    "edly",
    "ers",
    "ies",
    "ied",
    "ed",
    "es",
    "er",
    "ly",
    "s",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix-stripping stem: enough to match "rises"/"rising"/"rose" partially, at 1 µs a word."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    # "reduce"/"reduces" and "ban"/"banned" meet: a final e dropped, a final doubled consonant undoubled.
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    if len(w) > 6:
        w = w[:6]
    return w


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


# The months in order, lower case: the quantity reader dates with them, the days-and-months check names them.
MONTHS = tuple(
    "january february march april may june july august september october november december".split()
)

# Numbers written as words, with their values: the quantity reader parses them and the table claims count
# with them. "one" is left out: it is far more often a pronoun ("the one that...") than a count.
_TWO_TO_NINETEEN = """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen""".split()
TENS = tuple("twenty thirty forty fifty sixty seventy eighty ninety".split())
NUMBER_WORDS: dict[str, int] = {
    **{word: n for n, word in enumerate(_TWO_TO_NINETEEN, start=2)},
    **{word: 10 * n for n, word in enumerate(TENS, start=2)},
    "hundred": 100,
    "dozen": 12,
}
# Number, scale and unit words belong to their numbers, which the quantity check compares ("3 billion" =
# "3B"): they are no content words.
_NUMBER_WORDS = frozenset(NUMBER_WORDS) | frozenset(
    "thousand million billion trillion per percent percentage cent".split()
)


def content_terms(text: str) -> list[tuple[str, str]]:
    """(word, stem) of the words that carry content: no stopwords, no numbers (checked apart).

    Hyphenated words count by their parts: "3B-parameter" holds "parameter", "AI-generated" "generated".
    A sentence is read once however many checks ask (cached); a passage once per evidence.
    """
    if len(text) <= _CACHED_CHARS:
        return list(_content_terms_cached(text))
    return _content_terms(text)


_CACHED_CHARS = 1_000
_NOT_CONTENT = STOPWORDS | _NUMBER_WORDS
_HAS_DIGIT_RE = re.compile(r"\d")


@lru_cache(maxsize=16_384)
def _content_terms_cached(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_content_terms(text))


def _content_terms(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for w in _WORD_RE.findall(text):
        for part in w.split("-") if "-" in w else (w,):
            low = part.lower()
            if len(low) < 2 or low in _NOT_CONTENT or low[0].isdigit():
                continue
            if len(low) <= 3 and _HAS_DIGIT_RE.search(low):
                continue  # "3b", "k2": sizes and versions are checked as numbers and names
            out.append((part, stem(low)))
    return out


def content_stems(text: str) -> list[str]:
    """The stems of :func:`content_terms`; a long text is read lower-cased in one pass (evidence)."""
    if len(text) <= _CACHED_CHARS:
        return [s for _, s in _content_terms_cached(text)]
    out: list[str] = []
    for w in _WORD_RE.findall(text.lower()):
        for low in w.split("-") if "-" in w else (w,):
            if len(low) < 2 or low in _NOT_CONTENT or low[0].isdigit():
                continue
            if len(low) <= 3 and _HAS_DIGIT_RE.search(low):
                continue
            out.append(stem(low))
    return out


def norm_key(text: str) -> str:
    """Lower case, possessives dropped, hyphens/underscores/whitespace collapsed: for name look-ups."""
    if len(text) <= 200:
        return _norm_key_cached(text)
    return _norm_key(text)


@lru_cache(maxsize=16_384)
def _norm_key_cached(text: str) -> str:
    return _norm_key(text)


def _norm_key(text: str) -> str:
    t = _POSSESSIVE_RE.sub(" ", text.lower().replace("’", "'"))
    t = _INITIALISM_RE.sub(lambda m: m.group(0).replace(".", ""), t)
    t = _NON_NAME_RE.sub(" ", t)
    t = _LOOSE_DOT_RE.sub(" ", t)
    return f" {' '.join(t.split())} "


class KeyRuns:
    """``k in key`` for :func:`norm_key` texts, answered by their tokens instead of by reading every text.

    A key is its tokens between single spaces (" gpt 5 mini "), so ``" a b " in key`` holds exactly when the
    tokens a, b stand side by side in the key. Each text's tokens are filed by token; a question reads only
    the places of its rarest token. A 2 MB source read once per name of a long claim sentence made the name
    check quadratic (4,000 names against 470,000 characters: 5.5 s). A question not written as a key
    (doubled spaces, no token) is answered by reading the texts, as before.
    """

    __slots__ = ("_places", "_raw", "_tokens")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._tokens: list[list[str]] = []
        self._places: dict[str, list[tuple[int, int]]] = {}
        self._raw: list[str] = []  # texts not written as keys: read whole for every question
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        tokens = _key_tokens(text)
        if tokens is None:
            self._raw.append(text)
            return
        n = len(self._tokens)
        self._tokens.append(tokens)
        for at, token in enumerate(tokens):
            self._places.setdefault(token, []).append((n, at))

    def __contains__(self, k: object) -> bool:
        if not isinstance(k, str):
            return False
        if any(k in text for text in self._raw):
            return True
        tokens = _key_tokens(k)
        if tokens is None:
            # A doubled space is in no key; other shapes (never asked by the checker) are read whole.
            return "  " not in k and any(k in f" {' '.join(t)} " for t in self._tokens)
        first = min(range(len(tokens)), key=lambda i: len(self._places.get(tokens[i], ())))
        width = len(tokens)
        for n, at in self._places.get(tokens[first], ()):
            start = at - first
            if start >= 0 and self._tokens[n][start : start + width] == tokens:
                return True
        return False


def _key_tokens(text: str) -> list[str] | None:
    """The tokens of a text written as :func:`norm_key` writes it (" a b "), else None."""
    if len(text) < 3 or text[0] != " " or text[-1] != " ":
        return None
    tokens = text[1:-1].split(" ")
    return None if "" in tokens else tokens


_POSSESSIVE_RE = re.compile(r"\s?'s\b")
# "u.k." and "u.s.a" read as "uk" and "usa": an initialism is the same name with or without its dots.
_INITIALISM_RE = re.compile(r"(?<![\w.])(?:[a-z]\.){1,4}[a-z]\b\.?")
_NON_NAME_RE = re.compile(r"[^\w.+]+")
_LOOSE_DOT_RE = re.compile(r"\.(?!\w)|(?<!\w)\.")


# The evidence splitter, not the writers' (agent.domain.text, which the checker uses to widen a quote): it
# also ends a sentence at " . " in lower-cased tokenised corpora (CNN/DM summaries) and does not end one at a
# line break. The pair scorer's fitted features read sentences through it, so it stays as it is.
# A sentence ends at . ! ? followed by space and an upper-case letter, digit or quote; decimals ("4.6"),
# initials ("U.S.") and "e.g." do not end one.
_SENT_END_RE = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9\"“'(])|(?<=\s[.!?])\s+")
_ABBREV_RE = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|St|Inc|Ltd|Co|vs|No|Jr|Sr|Prof|e\.g|i\.e)\.)$"
)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text`` (stripped)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END_RE.finditer(text):
        head = text[start : m.start()]
        if _ABBREV_RE.search(head):
            continue
        if head.strip():
            spans.append(_strip_span(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in _sentence_spans(text)]
