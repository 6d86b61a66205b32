"""Negation, hedges and direction words: the small words that flip what a sentence says."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "OPPOSITES",
    "PAIRED",
    "bounded_numbers",
    "direction_tokens",
    "direction_words",
    "has_negation",
    "hedges",
    "negation_scopes",
]

_NEG_RE = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|can't|won't|n't|lacks?|fails?\s+to|"
    r"failed\s+to|refused\s+to|declined\s+to|denied|denies)\b|n['’]t\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-z][\w\-]*")
_SCOPE_STOP = frozenset(
    "a an the be been is are was were to of that this it its any ever yet only more".split()
)

_HEDGE_RE = re.compile(
    r"\b(?:up to|as much as|as many as|at most|at least|more than|less than|fewer than|over|under|"
    r"nearly|almost|about|around|roughly|approximately|some|reportedly|may|might|could|possibly|likely|"
    r"expected to|plans? to|"
    r"aims? to|estimated)\b",
    re.IGNORECASE,
)

_UP = frozenset(
    """rose rise rises rising risen increase increased increases increasing up gain gained gains jump jumped
    jumps climb climbed climbs grew grow grows growing surge surged surges soar soared soars higher highest
    more most above ahead boost boosted boosts raise raised raises raising top tops topped lead leads leading
    led best faster fastest expand expanded expands expansion overtook overtakes beat beats outperforms
    outperformed upgrade upgraded improved improves improve largest biggest greater strongest hiked hikes
    doubled doubles tripled triples surpassed surpasses exceeded exceeds""".split()
)
_DOWN = frozenset(
    """fell fall falls falling fallen decrease decreased decreases decreasing down drop dropped drops
    decline declined declines declining lost lose loses losing slip slipped slips slid slide slides cut cuts
    cutting lower lowest less least fewer below behind shrank shrink shrinks reduce reduced reduces reducing
    bottom trails trailed trailing worst slower slowest contract contracted contracts downgrade downgraded
    worsened worsens worsen smallest weaker weakest lowered lowers slashed slashes trimmed trims halved halves
    shed sheds""".split()
)
# Pairs a writer (or a perturbation) may swap: the opposite of each direction word.
OPPOSITES = {
    "rose": "fell",
    "fell": "rose",
    "increased": "decreased",
    "decreased": "increased",
    "jumped": "dropped",
    "dropped": "jumped",
    "climbed": "slipped",
    "slipped": "climbed",
    "higher": "lower",
    "lower": "higher",
    "more": "fewer",
    "fewer": "more",
    "above": "below",
    "below": "above",
    "ahead of": "behind",
    "behind": "ahead of",
    "top": "bottom",
    "bottom": "top",
    "cheapest": "most expensive",
    "most expensive": "cheapest",
    "fastest": "slowest",
    "slowest": "fastest",
    "gained": "lost",
    "lost": "gained",
    "cut": "raised",
    "raised": "cut",
    "reduces": "increases",
    "increases": "reduces",
    "grew": "shrank",
    "shrank": "grew",
    "rises": "falls",
    "falls": "rises",
    "narrowing": "widening",
    "widening": "narrowing",
    "tightening": "loosening",
    "largest": "smallest",
    "smallest": "largest",
    "best": "worst",
    "worst": "best",
    "faster": "slower",
    "slower": "faster",
    "highest": "lowest",
    "lowest": "highest",
    "up": "down",
    "down": "up",
    "less": "more",
    "leads": "trails",
    "trails": "leads",
    # The other forms of the same verbs: "decrease" where the passage says "increase".
    "increase": "decrease",
    "decrease": "increase",
    "increasing": "decreasing",
    "decreasing": "increasing",
    "raise": "lower",
    "raising": "lowering",
    "lowered": "raised",
    "lowering": "raising",
    "grow": "shrink",
    "growing": "shrinking",
    "shrink": "grow",
    "rise": "fall",
    "rising": "falling",
    "fall": "rise",
    "falling": "rising",
}
_PAIRED_UP = frozenset({"narrowing", "tightening", "cheapest", "cheaper"})
_PAIRED_DOWN = frozenset({"widening", "loosening", "expensive", "pricier"})
# Words of an axis of their own (price, spread): opposed by each other only.
PAIRED = _PAIRED_UP | _PAIRED_DOWN


def has_negation(text: str) -> bool:
    return _NEG_RE.search(text) is not None


def negation_scopes(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each negation cue and the next two content words ("no cap ever triggers": cap, triggers)."""
    if len(text) <= 1_000:
        return list(_negation_scopes_cached(text))
    return _negation_scopes(text)


@lru_cache(maxsize=16_384)
def _negation_scopes_cached(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(_negation_scopes(text))


def _negation_scopes(text: str) -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = []
    for m in _NEG_RE.finditer(text):
        if m.group(0).lower() == "no" and _INTERJECTION_RE.match(text, m.end()):
            # "oh, no, is it bad?", "No. I'll call him": a "no" the punctuation closes negates no words after
            # it (a "not." does: "the contract was not.").
            continue
        scope: list[str] = []
        for w in _WORD_RE.finditer(text, m.end()):
            lw = w.group(0).lower()
            if lw in _SCOPE_STOP:
                continue
            scope.append(lw)
            if len(scope) == 2:
                break
        out.append((m.group(0).lower(), tuple(scope)))
    return out


_INTERJECTION_RE = re.compile(r"\s*(?:[,.!?;:]|$)")


def hedges(text: str) -> set[str]:
    return {m.group(0).lower() for m in _HEDGE_RE.finditer(text)}


# Direction words that state no direction: a bound ("at least $5"), a closing formula ("Best regards").
_NOT_DIRECTION_RE = re.compile(r"\bat\s+(least|most)\b|\b(best)\s+(?:regards|wishes)\b", re.IGNORECASE)
_DIRECTION_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*|\d+(?:[.,]\d+)*")


def direction_tokens(text: str) -> list[str]:
    """The lower-cased words of ``text`` a direction may be read from: without bounds and closing formulas,
    and without a capitalised word inside a sentence ("On Slide 36", "Top Gear": a name, not a move)."""
    if len(text) <= 1_000:
        return list(_direction_tokens_cached(text))
    return _direction_tokens(text)


@lru_cache(maxsize=16_384)
def _direction_tokens_cached(text: str) -> tuple[str, ...]:
    return tuple(_direction_tokens(text))


_SENTENCE_END_RE = re.compile(r"[.!?:\n]\s*$")


def _direction_tokens(text: str) -> list[str]:
    matches = list(_DIRECTION_TOKEN_RE.finditer(text))
    lowered = [m.group(0).lower() for m in matches]
    if not any(w in _UP or w in _DOWN for w in lowered):
        return lowered  # most sentences state no direction: nothing to drop
    dropped = {m.start(1) if m.group(1) else m.start(2) for m in _NOT_DIRECTION_RE.finditer(text)}
    out = []
    for i, (m, lw) in enumerate(zip(matches, lowered, strict=True)):
        if not (lw in _UP or lw in _DOWN):
            out.append(lw)
            continue
        if m.start() in dropped:
            continue  # "at least", "Best regards"
        inside = i > 0 and not _SENTENCE_END_RE.search(text, matches[i - 1].end(), m.start())
        if m.group(0)[0].isupper() and inside:
            continue
        out.append(lw)
    return out


def direction_words(tokens: list[str]) -> tuple[set[str], set[str]]:
    """(upward words, downward words) among lower-cased ``tokens``."""
    up = {t for t in tokens if t in _UP or t in _PAIRED_UP}
    down = {t for t in tokens if t in _DOWN or t in _PAIRED_DOWN}
    return up, down


_BOUNDED_RE = re.compile(
    r"\b(up to|as much as|as many as|at most|at least|more than|less than|fewer than|nearly|almost|over|"
    r"under)"
    r"\s+(?:[$€£])?(\d+(?:\.\d+)?)",
    re.IGNORECASE,
)


def bounded_numbers(text: str) -> list[tuple[str, float]]:
    """("up to", 49.0) for "up to 49%": a hedge that bounds the number right after it."""
    return [(m.group(1).lower(), float(m.group(2))) for m in _BOUNDED_RE.finditer(text)]
