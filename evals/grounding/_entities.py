"""Names in a sentence: models with versions, companies, people, products, repositories.

A name is a run of capitalised tokens (with the numbers and version tags that follow it: "Claude Opus
4.6", "Kimi K2 Thinking"), a token with an internal digit or capital ("GPT-5.5", "trycua/cua", "DeepSeek"),
or a known name from the documents at hand (``known``: leaderboard models, names seen mid-sentence).
The first word of a sentence counts only when it is a known name or looks like one (digits, inner caps):
"Marginal" at the start of a sentence is not a company.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from evals.grounding._text import STOPWORDS, KeyRuns, norm_key

__all__ = ["extract_names", "gazetteer", "is_common_word", "name_in"]

_TOKEN = r"[A-Z][\w'’.\-/]*[\w]|[A-Z]"
_SPAN_RE = re.compile(
    rf"(?<![\w\-.])(?:{_TOKEN})(?:(?:\s+|-)(?:{_TOKEN}|(?:of|de|la|von|van|the|for|&)(?=\s+[A-Z])|v?\d+(?:\.\d+)*[A-Za-z]*\b))*"
)
_ODD_TOKEN_RE = re.compile(r"\b(?:[a-z]+[A-Z][\w\-.]*|[\w]+/[\w.\-]+|[A-Za-z]+-?\d[\w.\-]*)\b")
_COMMON_CAPS = frozenset(
    """the a an and but or yet so if in on at by for of to from with as after before while when where this
    that these those it its their our his her we they he she i you there here however meanwhile still also
    within across among between during since until although though because despite instead moreover
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december mr mrs ms dr prof new more most some many several both each
    every all one two three four five six seven eight nine ten first second third last next other another
    such no not only just even now then today tomorrow yesterday week month year what which who how why
    chinese american european british french german japanese korean indian ai llm llms ceo""".split()
)


# Summarisers write UNK for a word they could not produce: not a name, and no claim about one.
_PLACEHOLDERS = frozenset({"UNK", "unk"})
# Periods and rates written like names ("Q3", "H1", "FY2021", "YoY"): quarters are checked as quantities
# (:mod:`evals.grounding._quantities`), and a rate abbreviation names nothing.
_NOT_NAMES_RE = re.compile(
    r"^(?:Q[1-4]|[1-4]Q|H[12]|FY\d{0,4}|CY\d{0,4}|YoY|QoQ|MoM|WoW|YTD|TTM)$", re.IGNORECASE
)
# A compound adjective built on a name ("Sims-oriented", "AI-driven") asserts the name, not the compound.
_COMPOUND_TAIL_RE = re.compile(
    r"(?<=[A-Za-z0-9])(?:-(?:[a-z]+(?:ed|ing)|like|type|kind|style|centric|specific|friendly|native|wide|"
    r"level|free|first|only|heavy|ready|grade|scale|class))+$"
)


def _clean(span: str) -> str:
    span = span.strip(" .,'’-")
    if span.endswith(("'s", "’s")):
        span = span[:-2]
    return _COMPOUND_TAIL_RE.sub("", span)


def extract_names(
    sentence: str, known: Iterable[str] = (), names_seen: frozenset[str] = frozenset()
) -> list[str]:
    """The names ``sentence`` asserts, longest first.

    ``known`` names (leaderboard models) are found case-insensitively; ``names_seen`` (a :func:`gazetteer`)
    says which capitalised first words of a sentence are names rather than ordinary words.
    """
    names: list[str] = []
    key = norm_key(sentence)
    for name in known:
        if len(name) > 2 and norm_key(name) in key:
            names.append(name)
    first_word_end = len(sentence) - len(sentence.lstrip(" \"'“(")) + 1
    for m in _SPAN_RE.finditer(sentence):
        span = m.group(0)
        tokens = span.split()
        # Drop common words a span starts with ("The", "Within"), and a lone sentence-initial word.
        while tokens and (
            tokens[0].lower().strip(".,'’") in _COMMON_CAPS
            or tokens[0][0].isdigit()
            or tokens[0].strip("[]") in _PLACEHOLDERS
            or _NOT_NAMES_RE.match(_clean(tokens[0]))
        ):
            tokens = tokens[1:]
        while tokens and _NOT_NAMES_RE.match(_clean(tokens[-1])):
            tokens = tokens[:-1]
        if not tokens:
            continue
        cleaned = _clean(" ".join(tokens))
        if len(cleaned) < 2 or cleaned.lower() in STOPWORDS:
            continue
        # Only the first word dropped counts ("The Company" is mid-sentence); a period dropped from the end
        # does not ("Company's Q2 revenues": "Company" still opens the sentence).
        at_start = m.start() < first_word_end and tokens[0] == span.split()[0]
        if at_start and len(tokens) == 1 and not (_looks_like_name(cleaned) or cleaned in names_seen):
            continue
        names.append(cleaned)
    for m in _ODD_TOKEN_RE.finditer(sentence):
        odd = _clean(m.group(0))
        if odd and not _NOT_NAMES_RE.match(odd) and odd.lower() not in _COMMON_CAPS:
            names.append(odd)
    seen: set[str] = set()
    # Past a handful of names, "inside a longer one" is asked of their tokens: a sentence of 4,000 names
    # compared each with all the others (16 million substring tests, 2 s).
    runs = KeyRuns() if len(names) > _FEW_NAMES else None
    unique: list[str] = []
    for n in sorted(names, key=len, reverse=True):
        k = norm_key(n)
        if k in seen or (k in runs if runs is not None else any(k in s for s in seen)):
            continue
        seen.add(k)
        if runs is not None:
            runs.add(k)
        unique.append(n)
    return unique


_FEW_NAMES = 16


def is_common_word(token: str) -> bool:
    """A capitalised word that starts sentences without naming anything ("However", "The", "UNK")."""
    return token.lower() in _COMMON_CAPS or token.lower() in STOPWORDS or token in _PLACEHOLDERS


def _looks_like_name(token: str) -> bool:
    return any(c.isdigit() for c in token) or any(c.isupper() for c in token[1:]) or "/" in token


def name_in(name: str, evidence_key: Container[str]) -> bool:
    """Is ``name`` in the evidence (given as :func:`norm_key` text, or a :class:`KeyRuns` of such texts)?
    A possessive or plural still counts,
    so does a plural acronym ("GANs" for "GAN") and a product's "+" ("ProcessAutomation+")."""
    k = norm_key(name)
    if k in evidence_key or k[:-1] + "s " in evidence_key or k[:-1] + "+ " in evidence_key:
        return True
    return name.endswith("s") and any(c.isupper() for c in name[:-1]) and (k[:-2] + " ") in evidence_key


def gazetteer(texts: Iterable[str]) -> frozenset[str]:
    """Names written mid-sentence in ``texts``: lets a sentence-initial "Anthropic" count as a name."""
    found: set[str] = set()
    for text in texts:
        for m in _SPAN_RE.finditer(text):
            if m.start() > 1 and text[m.start() - 2] not in ".!?":
                for tok in m.group(0).split():
                    tok = _clean(tok)
                    if len(tok) > 2 and tok.lower() not in _COMMON_CAPS:
                        found.add(tok)
    return frozenset(found)
