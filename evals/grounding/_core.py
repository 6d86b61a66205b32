"""One sentence against its evidence: the pure core shared by the claim checker and the pair scorer.

Each check yields findings: a *hard* finding (a specific number, name, rank, direction or negation the
evidence contradicts or lacks) makes the sentence unsupported, and says what is wrong; a *doubt* (something
the checker cannot settle: a small count, a period the source never names, most of the words new) makes it
unverifiable, for the judge or the reviewer; a *soft* one (a dropped "up to") lowers the score and is shown.
Coverage (the share of the sentence's content words found in the evidence) separates paraphrase from new
content when no hard finding fires; it never raises a red flag alone: "only 2 of 8 words" names no fact
that is wrong (on SummEdits it flagged 184 faithful rows for 420 unfaithful ones).

Directions and negations are compared with the evidence sentences that say the same thing (those sharing
most of the sentence's content words), never with the whole text: a long source always holds a "fell" or
a "not" somewhere.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field

from evals.grounding._case import case_map, is_caseless, restore_case, untokenise
from evals.grounding._entities import extract_names, is_common_word, name_in
from evals.grounding._polarity import (
    OPPOSITES,
    PAIRED,
    bounded_numbers,
    direction_tokens,
    direction_words,
    has_negation,
    hedges,
    negation_scopes,
)
from evals.grounding._quantities import Quantity, QuantityIndex, extract_quantities
from evals.grounding._quotes import quotations, said_word_for_word
from evals.grounding._table_claims import check_table_claims
from evals.grounding._tables import Table
from evals.grounding._text import (
    STOPWORDS,
    KeyRuns,
    content_stems,
    content_terms,
    norm_key,
    split_sentences,
    stem,
    words,
)
from evals.grounding._times import named_times, passage_times, time_kind

__all__ = ["Evidence", "SentenceCheck", "build_evidence", "check_sentence"]

# Each hard finding divides the score by 4, each doubt takes 40% off and each soft one 15%: two hard
# findings put any sentence under 0.07, far below the 0.5 line between supported and not.
_HARD_FACTOR = 0.25
_DOUBT_FACTOR = 0.6
_SOFT_FACTOR = 0.85
# Coverage at or above SUPPORTED_COVERAGE is a paraphrase of the evidence (when no check finds anything);
# below it the judge (or the reviewer) decides. Below _INVENTED the sentence is mostly new content, a doubt
# whatever the line. The line is one of the checker's two fitted numbers (the other:
# NEGATION_SUBJECT_WORDS), chosen for balanced accuracy on SummEdits in grouped cross-validation
# (`scripts/fit_coverage.py`: 0.35 in four folds of five, 0.4 in one; balanced accuracy 0.704 held out;
# 0.648 on all rows at the 0.6 it had, set on the 52 seed pairs). A faithful LLM summary restates with its
# own words: half of them are new to the source.
SUPPORTED_COVERAGE = 0.35
_INVENTED = 0.34
# Under this share the reasons say which words the evidence lacks (shown, never a verdict by itself).
_SHOWN_COVERAGE = 0.6


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
    negated: frozenset[str] = frozenset()  # stems of the words the passages negate (empty: no negation)
    # Sentence indexes by content stem: finds the sentences that say the same thing without reading all.
    index: dict[str, list[int]] = field(default_factory=dict)
    # Read on demand (most sentences need neither): initials of every run of 2-5 words ("year over year"
    # -> "yoy") and the enumerations a count may tally ("English, French and German": 3).
    _initialisms: frozenset[str] | None = None
    _lists: list[Quantity] | None = None
    _case: tuple[dict[str, str], frozenset[str]] | None = None
    _times: frozenset[str] | None = None
    # Look-ups over the quantities, built on the first claim that needs them (:meth:`quantity_index`...).
    _quantity_index: QuantityIndex | None = None
    _list_index: QuantityIndex | None = None
    _by_next_word: dict[str, tuple[Quantity, QuantityIndex]] | None = None
    _periods: dict[str, list[str]] | None = None
    _by_digits: dict[tuple[str, str], Quantity] | None = None
    _runs: KeyRuns | None = None
    _versioned: frozenset[str] | None = None
    _scales: frozenset[str] | None = None

    def has_name(self, name: str) -> bool:
        return any(name_in(name, key) for key in self.keys)

    @property
    def keys(self) -> tuple[Container[str], ...]:
        """What a name or a quotation is looked up in: the passages' key and the names' key, or both by
        their tokens when long (:class:`KeyRuns`)."""
        if len(self.key) + len(self.names_text) <= _SCANNED_CHARS:
            return (self.key, self.names_text)
        return (self.runs,)

    @property
    def runs(self) -> KeyRuns:
        if self._runs is None:
            self._runs = KeyRuns((self.key, self.names_text))
        return self._runs

    @property
    def versioned(self) -> frozenset[str]:
        """Every word (lower case) the passages write with a version after it: "gpt-5", "llama 3"."""
        if self._versioned is None:
            self._versioned = _versioned_words(self.text.lower())
        return self._versioned

    @property
    def scales(self) -> frozenset[str]:
        """The scale words the passages use, whatever their case: "thousand", "million"..."""
        if self._scales is None:
            self._scales = frozenset(
                _SCALE_WORDS[m.lastindex - 1] for m in _SCALE_WORD_RE.finditer(self.text) if m.lastindex
            )
        return self._scales

    @property
    def initialisms(self) -> frozenset[str]:
        if self._initialisms is None:
            self._initialisms = _initialisms(self.text)
        return self._initialisms

    @property
    def case(self) -> tuple[dict[str, str], frozenset[str]]:
        """The names the passages write capitalised, and every word they use (:func:`case_map`)."""
        if self._case is None:
            self._case = case_map(self.text)
        return self._case

    @property
    def times(self) -> frozenset[str]:
        """The days of the week and months the passages name (:func:`passage_times`)."""
        if self._times is None:
            self._times = passage_times(f"{self.text}\n{self.names_text}")
        return self._times

    @property
    def lists(self) -> list[Quantity]:
        if self._lists is None:
            self._lists = _enumerations(self.text)
        return self._lists

    @property
    def quantity_index(self) -> QuantityIndex:
        if self._quantity_index is None:
            self._quantity_index = QuantityIndex(self.quantities)
        return self._quantity_index

    @property
    def list_index(self) -> QuantityIndex:
        if self._list_index is None:
            self._list_index = QuantityIndex(self.lists)
        return self._list_index

    @property
    def by_next_word(self) -> dict[str, tuple[Quantity, QuantityIndex]]:
        """The numbers (not dates, pairs or counts in words) by the content word right after each: the
        first of them and all of them, for :func:`_swapped_in_context`."""
        if self._by_next_word is None:
            grouped: dict[str, list[Quantity]] = {}
            for ev in self.quantities:
                if ev.kind == "number" and (word := _next_word(self.text, ev.end)) is not None:
                    grouped.setdefault(word, []).append(ev)
            self._by_next_word = {w: (qs[0], QuantityIndex(qs)) for w, qs in grouped.items()}
        return self._by_next_word

    @property
    def periods(self) -> dict[str, list[str]]:
        """The quarters and halves the passages name, by unit, as written (sorted)."""
        if self._periods is None:
            found: dict[str, set[str]] = {}
            for ev in self.quantities:
                if ev.kind == "period":
                    found.setdefault(ev.unit, set()).add(ev.describe())
            self._periods = {unit: sorted(raws) for unit, raws in found.items()}
        return self._periods

    @property
    def by_digits(self) -> dict[tuple[str, str], Quantity]:
        """The first quantity of each kind written with each string of digits (:func:`_same_digits`)."""
        if self._by_digits is None:
            self._by_digits = {}
            for ev in self.quantities:
                self._by_digits.setdefault((ev.kind, _digits(ev.raw)), ev)
        return self._by_digits


def build_evidence(
    passages: Sequence[str],
    *,
    names_text: str = "",
    extra_quantities: Sequence[Quantity] = (),
    vocabulary: str = "",
) -> Evidence:
    """``vocabulary``: words that count for coverage only (a leaderboard's own terms: rank, position...)."""
    passages = [_GLUED_RE.sub(". ", p) for p in passages]
    text = "\n".join(passages)
    sentences = [(s, frozenset(content_stems(s))) for p in passages for s in split_sentences(p)]
    index: dict[str, list[int]] = {}
    for i, (_, sentence_stems) in enumerate(sentences):
        for st in sentence_stems:
            index.setdefault(st, []).append(i)
    return Evidence(
        text=text,
        key=norm_key(text),
        tokens=frozenset(words(text.lower())),
        stems=frozenset(index) | frozenset(content_stems(vocabulary)) | frozenset(content_stems(names_text)),
        quantities=[*extract_quantities(text), *extra_quantities],
        sentences=sentences,
        names_text=norm_key(names_text) if names_text else "",
        negated=_negated_stems(text),
        index=index,
    )


# Up to this many characters of keys, a name is looked up by reading them (a few microseconds); past it,
# by the tokens (KeyRuns): reading a 470,000-character source once per name of a 4,000-name sentence took
# 5.5 s. The longest SummEdits source is 13,000 characters: the dev sets never take the other path.
_SCANNED_CHARS = 20_000

_SCALE_WORDS = ("thousand", "million", "billion", "trillion")
_SCALE_WORD_RE = re.compile(r"\b(?:" + "|".join(f"({w})" for w in _SCALE_WORDS) + r")\b", re.IGNORECASE)
# Each run read once, from its first letter, whole (possessive): a plain ([a-z.]+) retried from every letter
# of a run and backtracked through it, 14 s for one word of 40,000 letters.
_VERSIONED_RUN_RE = re.compile(r"(?<![a-z.])([a-z.]++)[\s-]?\d")
_WORD_CHAR_RE = re.compile(r"\w")


def _scale_word(written: str) -> str:
    """ "Million", "MILLION": "million", matched as the passages' scale words are."""
    m = _SCALE_WORD_RE.fullmatch(written)
    return _SCALE_WORDS[m.lastindex - 1] if m is not None and m.lastindex else written


def _versioned_words(lower: str) -> frozenset[str]:
    """Every word of letters and dots that ``lower`` writes from a word boundary with a digit right after it
    (a space or a hyphen at most between): what ``re.search(rf"\\b{word}[\\s-]?\\d", lower)`` finds, for all
    words at once. The run of letters and dots before each digit, when a boundary opens it, and each part
    of it after a dot ("llama.cpp 3": "llama.cpp" and "cpp")."""
    found: set[str] = set()
    for m in _VERSIONED_RUN_RE.finditer(lower):
        run, start = m.group(1), m.start(1)
        if start == 0 or not _WORD_CHAR_RE.match(lower, start - 1):
            found.add(run)
        found.update(run[i + 1 :] for i, c in enumerate(run) if c == ".")
    return frozenset(found)


# A sentence glued to the one before it ("the end of the game.City had forward Sergio Aguero"; XSum sources
# lost the line breaks between paragraphs): read apart, so "City" is a word of the passage and the sentences
# are two. A lower-case letter or digit before the stop and a capitalised word after it: initials ("U.S.A"),
# decimals and file names ("Node.js") stay as written.
_GLUED_RE = re.compile(r"(?<=[a-z0-9)])\.(?=[A-Z][a-z])")


_INITIAL_WORD_RE = re.compile(r"[A-Za-z][A-Za-z']*")


def _initialisms(text: str) -> frozenset[str]:
    initials = [w[0].lower() for w in _INITIAL_WORD_RE.findall(text)]
    found: set[str] = set()
    for n in range(2, 6):
        found.update("".join(initials[i : i + n]) for i in range(len(initials) - n + 1))
    return frozenset(found)


def _negated_stems(text: str) -> frozenset[str]:
    """The stems a negation of ``text`` scopes over; a negation with no scope still marks the text negated."""
    scopes = negation_scopes(text)
    stems = {stem(w) for _, scope in scopes for w in scope}
    return frozenset(stems or ({""} if scopes else set()))


# "English, French, Spanish, German, Italian and Portuguese": an enumeration a sentence may count ("six
# languages"). Items are one to three words; at least three items.
# Only from the start of a word: a match never starts inside one (its first item would be the whole word),
# and trying from every letter of a long word backtracked through the rest of it (3.5 s for a 20,000-letter
# word, once per passage).
_ENUMERATION_RE = re.compile(
    r"(?<![\w\-])(?:[\w\-]+(?: [\w\-]+){0,2}, )+(?:[\w\-]+(?: [\w\-]+){0,2},? )(?:and|or) [\w\-]+"
)
_ITEM_SPLIT_RE = re.compile(r",? (?:and|or) |, ")


_WORD_START_RE = re.compile(r"(?<![\w\-])[\w\-]")
_LIST_ITEM_RE = re.compile(r"[\w\-]+(?: [\w\-]+){0,2}, ")  # an item of a list and the ", " after it


def _enumerations(text: str) -> list[Quantity]:
    out = []
    for m in _enumeration_matches(text):
        count = len(_ITEM_SPLIT_RE.split(m.group(0)))
        out.append(Quantity(float(count), "", f"a list of {count}", 0.0, "number"))
    return out


def _enumeration_matches(text: str) -> list[re.Match[str]]:
    """What ``_ENUMERATION_RE.finditer(text)`` finds, without retrying a list from each of its words.

    A list that never ends in "and" or "or" ("ab, ab, ab, ...", a tag list) failed from its first word
    after reading all of it, and again from each later word: 6.4 s for 40,000 characters. A try that fails
    from a word fails from every word of the items it could read on from there (each such try reaches the
    same next item with at least one item read, so it has the same ways on), so those are skipped.
    """
    found: list[re.Match[str]] = []
    done = 0  # tries start at or after the last match's end, as finditer's do
    failed_to = -1  # every word starting at or before this fails
    for start in (m.start() for m in _WORD_START_RE.finditer(text)):
        if start < done or start <= failed_to:
            continue
        m = _ENUMERATION_RE.match(text, start)
        if m is not None:
            found.append(m)
            done = m.end()
            continue
        reach = start
        while (item := _LIST_ITEM_RE.match(text, reach)) is not None:
            reach = item.end()
        failed_to = reach if reach > start else failed_to
    return found


@dataclass(slots=True)
class SentenceCheck:
    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    coverage: float = 1.0
    facts: int = 0  # numbers, names and relations the sentence states
    terms: int = 0  # content words the sentence has

    @property
    def score(self) -> float:
        base = 0.5 + 0.5 * self.coverage if self.coverage >= SUPPORTED_COVERAGE else self.coverage * 0.8
        factor = _HARD_FACTOR ** len(self.hard) * _DOUBT_FACTOR ** len(self.doubts)
        return round(base * factor * _SOFT_FACTOR ** len(self.soft), 4)


def check_sentence(
    sentence: str,
    evidence: Evidence,
    *,
    known_names: Sequence[str] = (),
    names_seen: frozenset[str] = frozenset(),
    tables: Sequence[Table] = (),
) -> SentenceCheck:
    result = SentenceCheck()
    caseless = is_caseless(sentence)
    if caseless:
        # A lower-cased, tokenised summary sentence: read with the names the evidence writes capitalised.
        sentence = restore_case(untokenise(sentence), *evidence.case)
    relations = check_table_claims(sentence, tables)
    related_values = {v for r in relations for v in r.values}
    for rel in relations:
        result.facts += 1
        (result.confirmed if rel.held else result.hard).append(rel.reason)
    terms = content_terms(sentence)
    stems = [s for _, s in terms]
    result.terms = len(stems)
    aligned = _aligned_sentences(stems, evidence)
    _check_quantities(sentence, evidence, related_values, aligned, result)
    _check_names(sentence, evidence, known_names, names_seen, result)
    _check_times(sentence, evidence, caseless, result)
    _check_quotations(sentence, evidence, result)
    _check_subject(sentence, evidence, aligned, known_names, names_seen, result)
    _check_negation(sentence, evidence, aligned, result)
    _check_direction(sentence, evidence, aligned, result, skip=bool(relations))
    _check_rank_words(sentence, evidence, aligned, result, skip=bool(relations))
    _check_hedges(sentence, aligned, result)
    if stems:
        found = sum(1 for s in stems if s in evidence.stems)
        result.coverage = found / len(stems)
        if result.coverage < _SHOWN_COVERAGE:
            missing = sorted({w for w, s in terms if s not in evidence.stems})[:6]
            message = (
                f"only {found} of {len(stems)} content words are in the cited passage "
                f"(missing: {', '.join(missing)})"
            )
            if result.coverage < _INVENTED:
                result.doubts.append(message)
            else:
                result.soft.append(message)
    return result


def _check_quantities(
    sentence: str, evidence: Evidence, related: set[float], aligned: list[str], result: SentenceCheck
) -> None:
    # "the first half of the call": sorted, disjoint spans, so only the last one starting before a
    # quantity's end can hold it.
    parts = [m.span() for m in _TIME_RANK_RE.finditer(sentence) if m.group(2)]
    starts = [a for a, _ in parts]
    aligned_lists: list[Quantity] | None = None
    for q in extract_quantities(sentence):
        at = bisect.bisect_left(starts, q.end) - 1
        if _is_list_marker(sentence, q) or (at >= 0 and q.end <= parts[at][1]):
            continue
        result.facts += 1
        match, conflicting = evidence.quantity_index.find(q)
        if match is None and q.kind in ("word", "number"):
            match = evidence.list_index.find(q)[0]
        if match is not None:
            swapped = _swapped_in_context(sentence, q, evidence)
            if swapped is not None:
                result.hard.append(swapped)
            else:
                result.confirmed.append(f"{q.describe()} = {match.describe()}")
            continue
        if q.value in related:
            continue
        if q.kind == "period":
            named = evidence.periods.get(q.unit, [])
            if named:
                result.hard.append(
                    f"the sentence says {q.describe()!r}; the cited passage names {', '.join(named[:3])}"
                )
            else:
                result.doubts.append(f"the cited passage never names the {q.unit} ({q.describe()!r})")
            continue
        if q.kind == "word" and q.value <= _SMALL_COUNT and _counts_a_list(sentence, q):
            result.confirmed.append(f"{q.describe()} = the names listed")
            continue
        if conflicting is not None:
            result.hard.append(
                f"the unit differs: the sentence says {q.describe()!r}, the passage "
                f"{conflicting.describe()!r}"
            )
            continue
        rescaled = _same_digits(q, evidence)
        if rescaled is not None:
            result.hard.append(
                f"the scale differs: the sentence says {q.describe()!r}, the passage {rescaled.describe()!r}"
            )
            continue
        what = {"date": "date", "pair": "vote/score", "word": "number"}.get(q.kind, "number")
        message = f"the {what} {q.describe()!r} is not in the cited passage"
        # "two friends", "three options": a small count in words is often the writer's own tally of what
        # the source lists; the checker cannot count for it, unless the sentence it restates lists them
        # ("seven languages" for "English, French and German"). A figure in digits is stated, not tallied.
        tallied = q.kind == "word" and q.value <= _SMALL_COUNT
        if tallied and aligned_lists is None:
            aligned_lists = [e for text in aligned for e in _enumerations(text)]
        (result.doubts if tallied and not aligned_lists else result.hard).append(message)


_SMALL_COUNT = 12
# "Two friends, Steve and Carly": the count names its list right after it.
_LISTED_NAMES_RE = re.compile(r"[A-Z][\w'’\-]*(?:(?:,\s+|,?\s+(?:and|&)\s+)[A-Z][\w'’\-]*)+")


def _counts_a_list(sentence: str, q: Quantity) -> bool:
    tail = sentence[q.end : q.end + 80]
    m = _LISTED_NAMES_RE.search(tail)
    if m is None or m.start() > 30:
        return False
    return len(re.split(r",\s+|,?\s+(?:and|&)\s+", m.group(0))) == int(q.value)


def _is_list_marker(sentence: str, q: Quantity) -> bool:
    """ "8) The document examines...": an item number, not a quantity."""
    start = q.end - len(q.raw)
    return not sentence[:start].strip() and sentence[q.end : q.end + 1] in (")", ".") and q.kind == "number"


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
    same_word = evidence.by_next_word.get(word)
    if same_word is None or same_word[1].find(q)[0] is not None:
        return None
    other = same_word[0]
    return (
        f"the passage has {other.describe()!r} {word}, the sentence {q.describe()!r} {word}: "
        "the number belongs to something else"
    )


def _digits(raw: str) -> str:
    return "".join(c for c in raw if c.isdigit() or c == ".")


def _same_digits(q: Quantity, evidence: Evidence) -> Quantity | None:
    digits = _digits(q.raw)
    if not digits.strip("."):
        return None  # "two" and "three" share no digits: no scale can tell them apart
    return evidence.by_digits.get((q.kind, digits))


def _check_names(
    sentence: str, evidence: Evidence, known: Sequence[str], seen: frozenset[str], result: SentenceCheck
) -> None:
    for name in extract_names(sentence, known, seen):
        result.facts += 1
        if evidence.has_name(name):
            continue
        parts = name.split()
        if len(parts) > 1 and all(evidence.has_name(p) for p in parts if p[0].isalpha() or p[0].isdigit()):
            message = f"the words of {name!r} are in the cited passage, but not together"
            # Two names of the passage spliced into one ("Early Bird Bundle Offer" where it has "Early Bird
            # Bundle" and "Launch Offer"): on SummEdits 19 edited sentences against 1 faithful. A name with
            # a figure in it ("Elche 1-0") is a name and a score, and one with a possessive ("Microsoft's
            # Copilot") an owner and its thing, said apart.
            apart = any(c.isdigit() for c in name) or "'s " in name or "’s " in name
            (result.soft if apart else result.doubts).append(message)
            continue
        if (
            len(parts) > 1
            and parts[0].lower().strip(".") in _QUALIFIERS
            and evidence.has_name(" ".join(parts[1:]))
        ):
            result.soft.append(f"{' '.join(parts[1:])!r} is in the cited passage, without {parts[0]!r}")
            continue
        variant = _written_otherwise(name, evidence)
        if variant is not None:
            result.soft.append(f"{name!r} is written {variant!r} in the cited passage")
            continue
        result.hard.append(f"the name {name!r} is not in the cited passage")


def _check_times(sentence: str, evidence: Evidence, caseless: bool, result: SentenceCheck) -> None:
    for time in named_times(sentence, caseless=caseless):
        result.facts += 1
        if time not in evidence.times:
            result.hard.append(f"the {time_kind(time)} {time.capitalize()!r} is not in the cited passage")


def _check_quotations(sentence: str, evidence: Evidence, result: SentenceCheck) -> None:
    for quotation in quotations(sentence):
        result.facts += 1
        if not said_word_for_word(quotation, evidence.keys):
            result.hard.append(f"the quotation {_quote(quotation)} is not word for word in the cited passage")


# A capitalised first word followed by a word, not by a comma ("However, ...") or a hyphen.
_FIRST_WORD_RE = re.compile(r"[\s\"'“(]*([A-Z][a-z]+)\s+(?=[a-z$\d])")


def _check_subject(
    sentence: str,
    evidence: Evidence,
    aligned: list[str],
    known: Sequence[str],
    seen: frozenset[str],
    result: SentenceCheck,
) -> None:
    """A capitalised first word the evidence never uses, where the sentence saying the same thing opens
    with a name this sentence leaves out: "Lisbon costs $0.40 per million" for "Mistral Medium 3 is priced
    at $0.40 per million". A first word alone is not read as a name (names_seen); it is when it takes the
    place of one."""
    m = _FIRST_WORD_RE.match(sentence)
    if m is None or m.group(1).lower() in evidence.tokens or is_common_word(m.group(1)):
        return
    key = norm_key(sentence)
    for text in aligned:
        opening = extract_names(text, known, seen | {text.split()[0]} if text.split() else seen)
        first = [n for n in opening if norm_key(text).startswith(norm_key(n))]
        if first and norm_key(first[0]) not in key:
            result.hard.append(
                f"the sentence is about {m.group(1)!r}, which the cited passage never names; the passage "
                f"says this of {first[0]!r}"
            )
            return


_ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z]{1,5}$")
_VERSIONED_RE = re.compile(r"^([A-Za-z][A-Za-z.]+?)[\s-]?(\d+(?:\.\d+)?)$")


def _written_otherwise(name: str, evidence: Evidence) -> str | None:
    """The form the evidence writes ``name`` in, when it is the same name written another way, else None.

    An acronym the evidence spells out ("YoY": "year-over-year"), a name of several words the evidence
    abbreviates ("Los Angeles": "LA"), a versioned name the evidence writes bare and never with another
    version ("COVID-19": "COVID", but not "GPT-4" where the evidence has "GPT-5").
    """
    bare = name.replace(".", "")
    if _ACRONYM_RE.match(bare) and sum(c.isupper() for c in bare) >= 2:
        letters = bare[:-1] if bare.endswith("s") and bare[:-1].isupper() else bare
        if letters.lower() in evidence.initialisms:
            return f"as the words {letters}... stand for"
    parts = name.split()
    if len(parts) > 1 and all(p[:1].isupper() for p in parts):
        initials = "".join(p[0] for p in parts).lower()
        if initials in evidence.tokens:
            return initials.upper()
    versioned = _VERSIONED_RE.match(name)
    if versioned is not None:
        base = versioned.group(1)
        if evidence.has_name(base) and base.lower() not in evidence.versioned:
            return base
    return None


def _aligned_sentences(stems: list[str], evidence: Evidence) -> list[str]:
    """Evidence sentences that share at least half their content words with the claim sentence."""
    claim = set(stems)
    shared: dict[int, int] = {}
    for st in claim:
        for i in evidence.index.get(st, ()):
            shared[i] = shared.get(i, 0) + 1
    out = []
    for i in sorted(shared):
        text, ev_stems = evidence.sentences[i]
        if shared[i] >= max(2, 0.5 * min(len(ev_stems), len(claim))):
            out.append(text)
    return out


def _check_negation(sentence: str, evidence: Evidence, aligned: list[str], result: SentenceCheck) -> None:
    claim_neg = negation_scopes(sentence)
    if claim_neg:
        cue, scope = claim_neg[0]
        if not evidence.negated:
            result.hard.append(
                f"the sentence negates ({cue!r} {' '.join(scope)}) but the cited passage has no negation"
            )
            return
        # The passage negates something else ("no-offload baseline"): the negated words must match.
        for cue, scope in claim_neg:
            scope_stems = {stem(w) for w in scope}
            if not scope or scope_stems & evidence.negated:
                continue
            stated = [t for t in aligned if scope_stems <= {stem(w) for w in words(t)}]
            if stated:
                result.hard.append(
                    f"the sentence negates {cue!r} {' '.join(scope)}; the cited passage states it "
                    f"({_quote(stated[0])})"
                )
            elif stem(scope[0]) in evidence.stems:
                # The passage uses the negated word and never negates it ("not working" where the
                # source has "working" and no negation of it): on SummEdits 110 more edited rows caught
                # for 15 faithful ones flagged (catch 37.4% -> 42.4%, false flags 3.1% -> 4.4%).
                result.hard.append(
                    f"the sentence negates {cue!r} {' '.join(scope)}; the cited passage uses "
                    f"{scope[0]!r} and never negates it"
                )
            elif _negated_alike(sentence, cue, scope, evidence):
                pass
            else:
                result.doubts.append(
                    f"the sentence negates {cue!r} {' '.join(scope)}; the cited passage never negates it"
                )
            return
        return
    claim_stems = {stem(w) for w in words(sentence)}
    content = set(content_stems(sentence))
    for text in aligned:
        for cue, scope in negation_scopes(text):
            if scope and stem(scope[0]) in claim_stems:
                message = f"the cited passage says {cue!r} {' '.join(scope)}; the sentence drops the negation"
                # The same statement (most of the sentence's words) without its "not" is a contradiction;
                # a sentence that shares only some words may say "good" for "not bad".
                shared = len(content & set(content_stems(text))) / len(content) if content else 0.0
                (result.hard if shared >= _SAME_STATEMENT else result.doubts).append(message)
                return


def _negated_alike(sentence: str, cue: str, scope: tuple[str, ...], evidence: Evidence) -> bool:
    """A passage sentence about what the negation is said of (the content words just before the cue) is
    itself negative: "the apps he installed are not functioning" for "the apps I installed don't work".

    The writer restated a negative statement in other words; the checker cannot match "functioning" to
    "work", but it can see that the passage says something negative about the apps."""
    if not scope or stem(scope[0]) in _NEGATIVE_VERBS:
        return False
    at = sentence.lower().find(cue)
    window = NEGATION_SUBJECT_WORDS
    before = content_stems(sentence[:at])[-window:] if at >= 0 and window > 0 else []
    subject = set(before) - {stem(w) for w in scope}
    if not subject:
        return False
    need = min(2, len(subject))
    shared: dict[int, int] = {}
    for st in subject:
        for i in evidence.index.get(st, ()):
            shared[i] = shared.get(i, 0) + 1
    return any(n >= need and has_negation(evidence.sentences[i][0]) for i, n in shared.items())


# Verbs that negate by themselves: "will not stop hiring" says hiring goes on, so a negative passage
# sentence about the same thing ("would not hire") contradicts it rather than restating it.
_NEGATIVE_VERBS = frozenset(
    stem(w) for w in "stop cease quit halt end avoid refuse prevent lack fail deny abandon miss lose".split()
)
# How many content words before a negation say what it is about: the checker's second fitted number, chosen
# for balanced accuracy on SummEdits in grouped cross-validation (`scripts/fit_negation_window.py`; 0 turns
# the rule off).
NEGATION_SUBJECT_WORDS = 6


# The share of a sentence's content words an evidence sentence must hold to be read as the same statement.
_SAME_STATEMENT = 0.7


def _check_direction(
    sentence: str, evidence: Evidence, aligned: list[str], result: SentenceCheck, *, skip: bool
) -> None:
    """A direction word ("rose") where the evidence sentences that say the same thing go the other way.

    Only those sentences count: a long source always falls somewhere. Its exact opposite ("fell"), or a
    word of the other direction in a sentence that is the same statement (most of the words shared), is a
    red flag; a word of the other direction in a sentence sharing fewer words is a doubt ("cheaper than
    its rivals" and "the rivals are expensive" agree).
    """
    if skip or not aligned:
        return
    tokens = direction_tokens(sentence)
    up, down = direction_words(tokens)
    if not (up or down):
        return
    low = sentence.lower()
    content = set(content_stems(sentence))
    aligned_tokens = [set(direction_tokens(text)) for text in aligned]
    for word in sorted(up | down):
        if any(word in toks for toks in aligned_tokens):
            continue
        opposite = OPPOSITES.get(word)
        for text, toks in zip(aligned, aligned_tokens, strict=True):
            if (
                opposite
                and opposite not in low
                and (opposite in toks or (" " in opposite and opposite in text.lower()))
            ):
                result.hard.append(
                    f"the sentence says {word!r} where the cited passage says {opposite!r} ({_quote(text)})"
                )
                return
        for text, toks in zip(aligned, aligned_tokens, strict=True):
            ev_up, ev_down = direction_words(list(toks))
            contrary = (ev_down - ev_up if word in up else ev_up - ev_down) - set(tokens)
            if word in PAIRED:
                # "expensive" states a price, not a move: only its own axis ("cheaper") contradicts it,
                # never a "more" or an "up" ("a more comprehensive plan").
                contrary &= PAIRED
            same = ev_up if word in up else ev_down
            if not contrary or same:
                continue
            message = (
                f"the sentence says {word!r}; the cited passage says {', '.join(sorted(contrary)[:3])} "
                f"({_quote(text)})"
            )
            shared = len(content & set(content_stems(text))) / len(content) if content else 0.0
            (result.hard if shared >= _SAME_STATEMENT else result.doubts).append(message)
            return


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit] + "..."
    return f"\u201c{text}\u201d"


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


def _check_rank_words(
    sentence: str, evidence: Evidence, aligned: list[str], result: SentenceCheck, *, skip: bool
) -> None:
    """Ordinals and scale words stated without a number: "second position", "per billion tokens".

    A rank word the evidence lacks is a red flag when a sentence saying the same thing ranks with another
    word ("second" where it says "third"); otherwise the checker cannot tell ("the first time" restated).
    """
    if skip:
        return
    low_tokens = [w.lower() for w in words(sentence)]
    timed = {(m.group(1) or m.group(2)).lower() for m in _TIME_RANK_RE.finditer(sentence)}
    stated = [w for w in low_tokens if w in _RANK_WORDS and w not in evidence.tokens and w not in timed]
    aligned_ranks = {w.lower() for t in aligned for w in words(t)} & _RANK_WORDS if stated else set()
    others = sorted(aligned_ranks - set(low_tokens))
    for word in stated:
        if others:
            listed = ", ".join(others[:3])
            result.hard.append(f"the rank word {word!r} is not in the cited passage, which says {listed}")
        else:
            result.doubts.append(f"the rank word {word!r} is not in the cited passage")
    for m in _BARE_SCALE_RE.finditer(sentence):
        # Searched in the text, not the tokens: "8-billion-parameter" is one token but states "billion".
        if _scale_word(m.group(1)) not in evidence.scales:
            result.hard.append(f"the scale {m.group(0)!r} is not in the cited passage")


# "last year", "the second half of the document": a time or a part of the text, not a rank. ("the second
# quarter" is a period, checked as one; "the first time" may contradict "the last time".)
_TIME_RANK_RE = re.compile(
    r"\b(last|next)\s+(?:fiscal\s+)?(?:year|month|week|night|weekend|day|season|session|meeting|call|visit)s?"
    r"(?:['’]s)?\b|"
    r"\b(last|first|second|third|fourth|fifth)\s+(?:half|part|section)\s+of\s+the\s+(?:document|episode|"
    r"podcast|conversation|transcript|call|meeting|email|article|video|text|discussion|show)\b",
    re.IGNORECASE,
)
_RANK_WORDS = frozenset(
    "top first second third fourth fifth sixth seventh eighth ninth tenth last bottom "
    "cheapest fastest slowest largest smallest highest lowest".split()
)
_BARE_SCALE_RE = re.compile(r"(?<![\d\s])\s*\b(?<!\d )(thousand|million|billion|trillion)\b", re.IGNORECASE)
