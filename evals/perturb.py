"""Perturbations of supported sentences: the errors an editor fears, made on purpose to measure recall.

Works on any list of (sentence, evidence passage) pairs. Each kind changes one thing and keeps the rest:
``number`` (65.3% -> 71.8%), ``scale`` ($725 billion -> $725 million, 58% -> 58 percentage points),
``entity`` (a name swapped for another name of the same set of documents that the passage lacks), ``rank``
(top -> second, jumped -> fell, cheapest -> most expensive), ``negation`` (is -> is not; did not -> did),
``date`` (a day of the week or a month the sentence names -> another the passage never names), ``quote``
(a word dropped from the middle of a quotation, as a writer tidying it would),
``invented`` (another pair's sentence cited with this passage). ``untouched`` sentences measure false
alarms. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evals.grounding._entities import extract_names
from evals.grounding._polarity import OPPOSITES
from evals.grounding._quotes import quotations
from evals.grounding._text import norm_key
from evals.grounding._times import DAYS, MONTHS, named_times, passage_times

__all__ = ["KINDS", "Pair", "Perturbed", "perturb"]

KINDS = ("number", "scale", "entity", "rank", "negation", "date", "quote", "invented")


@dataclass(frozen=True, slots=True)
class Pair:
    sentence: str
    evidence: str
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Perturbed:
    kind: str  # one of KINDS, or "untouched"
    sentence: str
    evidence: str
    original: str
    doc: str = ""  # the pair's document: its item, when the caller knows it, vouches for its own names


_NUMBER_RE = re.compile(r"(?<![\w.\-])(\d+(?:\.\d+)?)(?![\w.]*\d)(?!-\d)")
_SCALE_SWAPS = [
    (re.compile(r"\bbillion\b"), "million"),
    (re.compile(r"\bmillion\b"), "billion"),
    (re.compile(r"\bthousand\b"), "million"),
    (re.compile(r"(?<=\d)%"), " percentage points"),
    (re.compile(r"\bpercentage points\b"), "percent"),
    (re.compile(r"\bpercent\b"), "percentage points"),
    (re.compile(r"\$(?=\d)"), "€"),
    (re.compile(r"\bEUR\b"), "USD"),
    (re.compile(r"(?<=\d)x\b"), "%"),
    (re.compile(r"\btokens per second\b"), "ms per token"),
    (re.compile(r"(?<=\d) W\b"), " kW"),
]
_RANK_SWAPS = [
    (re.compile(r"\bholds the top position\b"), "holds the second position"),
    (re.compile(r"\bleads\b"), "trails"),
    (re.compile(r"\branked third\b"), "ranked fifth"),
    (re.compile(r"\bfrom position 1 to position 10\b"), "from position 2 to position 12"),
    (re.compile(r"\bmoved to\b"), "fell to"),
    *[
        (re.compile(rf"\b{re.escape(w)}\b"), o)
        for w, o in OPPOSITES.items()
        if " " not in w and w not in ("up", "down")
    ],
]
_NEGATIONS = [
    (re.compile(r"\bdid not\b"), "did"),
    (re.compile(r"\bdoes not\b"), "does"),
    (re.compile(r"\bnot\b"), ""),
    (re.compile(r"\b(is|are|was|were|has|have|will|can)\b"), r"\1 not"),
    *[
        (re.compile(rf"\b{verb}\b"), f"did not {base}")
        for verb, base in (
            ("cut", "cut"),
            ("raised", "raise"),
            ("released", "release"),
            ("banned", "ban"),
            ("delivers", "deliver"),
            ("reduces", "reduce"),
            ("recovers", "recover"),
            ("lets", "let"),
            ("hosts", "host"),
            ("costs", "cost"),
            ("compares", "compare"),
            ("draws", "draw"),
            ("serves", "serve"),
            ("jumped", "jump"),
            ("moved", "move"),
            ("leads", "lead"),
            ("holds", "hold"),
        )
    ],
]


def _sub_first(patterns: Sequence[tuple[re.Pattern[str], str]], text: str) -> str | None:
    for pattern, repl in patterns:
        new, n = pattern.subn(repl, text, count=1)
        if n and new != text:
            return re.sub(r"\s{2,}", " ", new)
    return None


def _swap_number(sentence: str, rng: random.Random) -> str | None:
    matches = [m for m in _NUMBER_RE.finditer(sentence) if not (1900 <= float(m.group(1)) <= 2100)]
    if not matches:
        return None
    m = rng.choice(matches)
    raw = m.group(1)
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    value = float(raw)
    # At least +10% and +1 unit of the last digit times 7, so rounding never hides the change.
    new = value * rng.choice((1.1, 1.25, 0.8, 0.7)) + (7 * 10**-decimals if value < 10 else 3)
    text = f"{new:.{decimals}f}"
    if text == raw:
        return None
    return sentence[: m.start(1)] + text + sentence[m.end(1) :]


def _swap_entity(pair: Pair, pool: Sequence[str], rng: random.Random) -> str | None:
    names = [n for n in extract_names(pair.sentence) if not n[0].isdigit()]
    if not names:
        return None
    evidence = norm_key(pair.evidence)
    candidates = [
        p for p in pool if norm_key(p) not in evidence and norm_key(p) not in norm_key(pair.sentence)
    ]
    if not candidates:
        return None
    target = rng.choice(names)
    return pair.sentence.replace(target, rng.choice(candidates), 1)


def _swap_date(pair: Pair, rng: random.Random) -> str | None:
    named = named_times(pair.sentence)
    if not named:
        return None
    target = named[0]
    kind = MONTHS if target in MONTHS else DAYS
    unnamed = [t for t in kind if t not in passage_times(pair.evidence)]
    if not unnamed:
        return None
    written = re.search(rf"\b{target}\b", pair.sentence, re.IGNORECASE)
    assert written is not None  # named_times found it there
    new = rng.choice(unnamed).capitalize()
    return pair.sentence[: written.start()] + new + pair.sentence[written.end() :]


_QUOTED_WORD_RE = re.compile(r"[A-Za-z]{4,}")


def _misquote(sentence: str) -> str | None:
    quoted = quotations(sentence)
    if not quoted:
        return None
    quotation = quoted[0]
    words = list(_QUOTED_WORD_RE.finditer(quotation))
    if len(words) < 3:
        return None
    middle = words[len(words) // 2]  # never the first or last word: the quotation keeps its frame
    tidied = quotation[: middle.start()].rstrip() + " " + quotation[middle.end() :].lstrip()
    return sentence.replace(quotation, tidied, 1)


def _invent(pair: Pair, pairs: Sequence[Pair], rng: random.Random) -> str | None:
    others = [p.sentence for p in pairs if p.doc != pair.doc and p.sentence != pair.sentence]
    return rng.choice(others) if others else None


def perturb(pairs: Sequence[Pair], *, seed: int = 20261128) -> list[Perturbed]:
    """Every applicable perturbation of every pair, plus each pair untouched."""
    rng = random.Random(seed)
    pool = sorted({n for p in pairs for n in extract_names(p.evidence) if not n[0].isdigit() and len(n) > 2})
    makers: dict[str, Callable[[Pair], str | None]] = {
        "number": lambda p: _swap_number(p.sentence, rng),
        "scale": lambda p: _sub_first(_SCALE_SWAPS, p.sentence),
        "entity": lambda p: _swap_entity(p, pool, rng),
        "rank": lambda p: _sub_first(_RANK_SWAPS, p.sentence),
        "negation": lambda p: _sub_first(_NEGATIONS, p.sentence),
        "date": lambda p: _swap_date(p, rng),
        "quote": lambda p: _misquote(p.sentence),
        "invented": lambda p: _invent(p, pairs, rng),
    }
    out: list[Perturbed] = []
    for pair in pairs:
        out.append(Perturbed("untouched", pair.sentence, pair.evidence, pair.sentence, pair.doc))
        for kind in KINDS:
            new = makers[kind](pair)
            if new is not None and new != pair.sentence:
                out.append(Perturbed(kind, new, pair.evidence, pair.sentence, pair.doc))
    return out
