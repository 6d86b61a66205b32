"""One sentence against its evidence: the pure core shared by the claim checker and the pair scorer.

Each check yields findings: a *hard* finding (a number, name, rank, direction or negation the evidence
contradicts or lacks) makes the sentence unsupported; a *soft* one (a dropped "up to") lowers the score and
is shown to the reviewer. Coverage (the share of the sentence's content words found in the evidence)
separates paraphrase from invention when no hard finding fires.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from evals.grounding._entities import extract_names, name_in
from evals.grounding._polarity import (
    OPPOSITES,
    bounded_numbers,
    direction_words,
    has_negation,
    hedges,
    negation_scopes,
)
from evals.grounding._quantities import Quantity, extract_quantities, find_match
from evals.grounding._table_claims import check_table_claims
from evals.grounding._tables import Table
from evals.grounding._text import (
    STOPWORDS,
    content_stems,
    content_terms,
    norm_key,
    split_sentences,
    stem,
    words,
)

__all__ = ["Evidence", "SentenceCheck", "build_evidence", "check_facts", "check_sentence"]

# Each hard finding divides the score by 4 and each soft one takes 15% off: two hard findings put any
# sentence under 0.07, far below the 0.5 line between supported and not.
_HARD_FACTOR = 0.25
_SOFT_FACTOR = 0.85
# Coverage at or above this is a paraphrase of the evidence; below _INVENTED it is mostly new content;
# in between, the judge (or the reviewer) decides. On the 52 seed pairs, untouched sentences cover 0.5-1.0
# (median 1.0) and invented ones 0.0-0.2.
SUPPORTED_COVERAGE = 0.6
_INVENTED = 0.34


@dataclass(slots=True)
class Evidence:
    """The passages a sentence is checked against, pre-digested once (claims share citations)."""

    text: str
    key: str
    tokens: frozenset[str]
    stems: frozenset[str]
    quantities: list[Quantity]
    sentences: list[tuple[str, frozenset[str]]]  # each sentence with its content stems
    names_text: str = ""  # titles and authors: names may come from them, numbers may not

    def has_name(self, name: str) -> bool:
        return name_in(name, self.key) or name_in(name, self.names_text)


def build_evidence(
    passages: Sequence[str],
    *,
    names_text: str = "",
    extra_quantities: Sequence[Quantity] = (),
    vocabulary: str = "",
) -> Evidence:
    """``vocabulary``: words that count for coverage only (a leaderboard's own terms: rank, position...)."""
    text = "\n".join(passages)
    sentences = [(s, frozenset(content_stems(s))) for p in passages for s in split_sentences(p)]
    return Evidence(
        text=text,
        key=norm_key(text),
        tokens=frozenset(w.lower() for w in words(text)),
        stems=frozenset(content_stems(text))
        | frozenset(content_stems(vocabulary))
        | frozenset(content_stems(names_text)),
        quantities=[*extract_quantities(text), *_enumerations(text), *extra_quantities],
        sentences=sentences,
        names_text=norm_key(names_text) if names_text else "",
    )


# "English, French, Spanish, German, Italian and Portuguese": an enumeration a sentence may count ("six
# languages"). Items are one to three words; at least three items.
_ENUMERATION_RE = re.compile(
    r"(?:[\w\-]+(?: [\w\-]+){0,2}, )+(?:[\w\-]+(?: [\w\-]+){0,2},? )(?:and|or) [\w\-]+"
)
_ITEM_SPLIT_RE = re.compile(r",? (?:and|or) |, ")


def _enumerations(text: str) -> list[Quantity]:
    out = []
    for m in _ENUMERATION_RE.finditer(text):
        count = len(_ITEM_SPLIT_RE.split(m.group(0)))
        out.append(Quantity(float(count), "", f"a list of {count}", 0.0, "number"))
    return out


@dataclass(slots=True)
class SentenceCheck:
    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    coverage: float = 1.0
    facts: int = 0  # numbers, names and relations the sentence states
    terms: int = 0  # content words the sentence has

    @property
    def score(self) -> float:
        base = 0.5 + 0.5 * self.coverage if self.coverage >= SUPPORTED_COVERAGE else self.coverage * 0.8
        return round(base * _HARD_FACTOR ** len(self.hard) * _SOFT_FACTOR ** len(self.soft), 4)


def check_sentence(
    sentence: str,
    evidence: Evidence,
    *,
    known_names: Sequence[str] = (),
    names_seen: frozenset[str] = frozenset(),
    tables: Sequence[Table] = (),
) -> SentenceCheck:
    result = SentenceCheck()
    relations = check_table_claims(sentence, tables)
    related_values = {v for r in relations for v in r.values}
    for rel in relations:
        result.facts += 1
        (result.confirmed if rel.held else result.hard).append(rel.reason)
    _check_quantities(sentence, evidence, related_values, result)
    _check_names(sentence, evidence, known_names, names_seen, result)
    terms = content_terms(sentence)
    stems = [s for _, s in terms]
    result.terms = len(stems)
    aligned = _aligned_sentences(stems, evidence)
    _check_negation(sentence, evidence, aligned, result)
    _check_direction(sentence, evidence, result, skip=bool(relations))
    _check_rank_words(sentence, evidence, result, skip=bool(relations))
    _check_hedges(sentence, aligned, result)
    if stems:
        found = sum(1 for s in stems if s in evidence.stems)
        result.coverage = found / len(stems)
        if result.coverage < SUPPORTED_COVERAGE:
            missing = sorted({w for w, s in terms if s not in evidence.stems})[:6]
            message = (
                f"only {found} of {len(stems)} content words are in the cited passage "
                f"(missing: {', '.join(missing)})"
            )
            if result.coverage < _INVENTED:
                result.hard.append(message)
            else:
                result.soft.append(message)
    return result


def check_facts(
    sentence: str, evidence: Evidence, *, names_seen: frozenset[str] = frozenset()
) -> SentenceCheck:
    """Only the numbers and names of ``sentence``: the checks whose findings hold against a whole article.

    Negation, direction and hedge checks compare a sentence with the passage it cites; read against a whole
    article they fire on any "not" or "falling" that shares a few words with it. On grounding_dev they fired
    on as many faithful summaries as unfaithful ones, each with a reason that misdescribed the sentence.
    """
    result = SentenceCheck()
    _check_quantities(sentence, evidence, set(), result)
    _check_names(sentence, evidence, (), names_seen, result)
    return result


def _check_quantities(sentence: str, evidence: Evidence, related: set[float], result: SentenceCheck) -> None:
    for q in extract_quantities(sentence):
        result.facts += 1
        match, conflicting = find_match(q, evidence.quantities)
        if match is not None:
            swapped = _swapped_in_context(sentence, q, evidence)
            if swapped is not None:
                result.hard.append(swapped)
            else:
                result.confirmed.append(f"{q.describe()} = {match.describe()}")
            continue
        if q.value in related:
            continue
        if conflicting is not None:
            result.hard.append(
                f"the unit differs: the sentence says {q.describe()!r}, the passage "
                f"{conflicting.describe()!r}"
            )
            continue
        rescaled = _same_digits(q, evidence.quantities)
        if rescaled is not None:
            result.hard.append(
                f"the scale differs: the sentence says {q.describe()!r}, the passage {rescaled.describe()!r}"
            )
            continue
        what = {"date": "date", "pair": "vote/score", "word": "number"}.get(q.kind, "number")
        result.hard.append(f"the {what} {q.describe()!r} is not in the cited passage")


# Place qualifiers a writer adds to a name the source gives bare ("EU AI Act" for "the AI Act"): a soft
# finding, not a hard one. A company or product prefix is never dropped ("Anthropic Codex" stays hard).
_QUALIFIERS = frozenset(
    "eu us u.s uk u.k european american british chinese french german japanese korean indian global".split()
)

_NEXT_WORD_RE = re.compile(r"[\s\-]*([A-Za-z][\w\-]*)")


def _next_word(text: str, end: int) -> str | None:
    """The content word right after a quantity ("8B draft models" -> "draft"), or None."""
    if end < 0:
        return None
    m = _NEXT_WORD_RE.match(text, end)
    if m is None:
        return None
    word = m.group(1).lower()
    return None if word in STOPWORDS else word


def _swapped_in_context(sentence: str, q: Quantity, evidence: Evidence) -> str | None:
    """The value is in the passage, but the passage gives the word after it a different number.

    "8B target models with 8B draft models" against "8B target models with 1B draft models": the 8B is
    found (for "target"), while "draft" goes with 1B in the passage and never with 8B.
    """
    word = _next_word(sentence, q.end)
    if word is None or q.kind != "number":
        return None
    same_word = [
        ev for ev in evidence.quantities if ev.kind == "number" and _next_word(evidence.text, ev.end) == word
    ]
    if not same_word or find_match(q, same_word)[0] is not None:
        return None
    other = same_word[0]
    return (
        f"the passage has {other.describe()!r} {word}, the sentence {q.describe()!r} {word}: "
        "the number belongs to something else"
    )


def _same_digits(q: Quantity, evidence: Sequence[Quantity]) -> Quantity | None:
    digits = "".join(c for c in q.raw if c.isdigit() or c == ".")
    for ev in evidence:
        if ev.kind == q.kind and "".join(c for c in ev.raw if c.isdigit() or c == ".") == digits:
            return ev
    return None


def _check_names(
    sentence: str, evidence: Evidence, known: Sequence[str], seen: frozenset[str], result: SentenceCheck
) -> None:
    for name in extract_names(sentence, known, seen):
        result.facts += 1
        if evidence.has_name(name):
            continue
        parts = name.split()
        if len(parts) > 1 and all(evidence.has_name(p) for p in parts if p[0].isalpha() or p[0].isdigit()):
            result.soft.append(f"the words of {name!r} are in the cited passage, but not together")
            continue
        if (
            len(parts) > 1
            and parts[0].lower().strip(".") in _QUALIFIERS
            and evidence.has_name(" ".join(parts[1:]))
        ):
            result.soft.append(f"{' '.join(parts[1:])!r} is in the cited passage, without {parts[0]!r}")
            continue
        result.hard.append(f"the name {name!r} is not in the cited passage")


def _aligned_sentences(stems: list[str], evidence: Evidence) -> list[str]:
    """Evidence sentences that share at least half their content words with the claim sentence."""
    claim = set(stems)
    out = []
    for text, ev_stems in evidence.sentences:
        if ev_stems and len(claim & ev_stems) >= max(2, 0.5 * min(len(ev_stems), len(claim))):
            out.append(text)
    return out


def _check_negation(sentence: str, evidence: Evidence, aligned: list[str], result: SentenceCheck) -> None:
    claim_neg = negation_scopes(sentence)
    if claim_neg:
        cue, scope = claim_neg[0]
        if not has_negation(evidence.text):
            result.hard.append(
                f"the sentence negates ({cue!r} {' '.join(scope)}) but the cited passage has no negation"
            )
            return
        # The passage negates something else ("no-offload baseline"): the negated words must match.
        ev_scope = {stem(w) for _, sc in negation_scopes(evidence.text) for w in sc}
        for cue, scope in claim_neg:
            if scope and not {stem(w) for w in scope} & ev_scope:
                result.hard.append(
                    f"the sentence negates {cue!r} {' '.join(scope)}; the cited passage does not"
                )
                return
        return
    claim_stems = {stem(w) for w in words(sentence)}
    for text in aligned:
        for cue, scope in negation_scopes(text):
            if scope and stem(scope[0]) in claim_stems:
                result.hard.append(
                    f"the cited passage says {cue!r} {' '.join(scope)}; the sentence drops the negation"
                )
                return


def _check_direction(sentence: str, evidence: Evidence, result: SentenceCheck, *, skip: bool) -> None:
    tokens = [w.lower() for w in words(sentence)]
    up, down = direction_words(tokens)
    low = sentence.lower()
    ev_up, ev_down = direction_words(list(evidence.tokens))
    for word in sorted(up | down):
        if word in evidence.tokens:
            continue
        opposite = OPPOSITES.get(word)
        contrary = (ev_down if word in up else ev_up) - set(tokens)
        if opposite and opposite in evidence.tokens and opposite not in low:
            result.hard.append(f"the sentence says {word!r} where the cited passage says {opposite!r}")
        elif contrary and not skip:
            result.hard.append(
                f"the sentence says {word!r}; the cited passage says {', '.join(sorted(contrary)[:3])}"
            )


def _check_hedges(sentence: str, aligned: list[str], result: SentenceCheck) -> None:
    """A bound on a number the sentence repeats ("up to 49%") that the sentence drops."""
    claim_hedges = hedges(sentence)
    claim_values = {q.value for q in extract_quantities(sentence) if q.kind == "number"}
    if not claim_values:
        return
    for text in aligned:
        for hedge, value in bounded_numbers(text):
            if hedge not in claim_hedges and value in claim_values:
                result.soft.append(
                    f"the cited passage says {hedge!r} {value:g}; the sentence drops {hedge!r}"
                )
                return


def _check_rank_words(sentence: str, evidence: Evidence, result: SentenceCheck, *, skip: bool) -> None:
    """Ordinals and scale words stated without a number: "second position", "per billion tokens"."""
    if skip:
        return
    low_tokens = [w.lower() for w in words(sentence)]
    for word in low_tokens:
        if word in _RANK_WORDS and word not in evidence.tokens:
            result.hard.append(f"the rank word {word!r} is not in the cited passage")
    for m in _BARE_SCALE_RE.finditer(sentence):
        # Searched in the text, not the tokens: "8-billion-parameter" is one token but states "billion".
        if not re.search(rf"\b{m.group(1)}\b", evidence.text, re.IGNORECASE):
            result.hard.append(f"the scale {m.group(0)!r} is not in the cited passage")


_RANK_WORDS = frozenset(
    "top first second third fourth fifth sixth seventh eighth ninth tenth last bottom "
    "cheapest fastest slowest largest smallest highest lowest".split()
)
_BARE_SCALE_RE = re.compile(r"(?<![\d\s])\s*\b(?<!\d )(thousand|million|billion|trillion)\b", re.IGNORECASE)
