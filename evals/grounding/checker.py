"""The claim ledger's verdicts: each claim checked against the passages it cites.

Order of checks: citations must quote the stored text (:mod:`evals.grounding.citations`); then numbers,
names, ranks and moves, negation, direction words, hedges and coverage (:mod:`evals.grounding._core`).
Claims the deterministic layer cannot decide (``unverifiable``) go to the optional judge when one is given;
a judge whose ``scope`` is ``"passed"`` also reads the claims the checks passed, a second reading for what a
lexical check cannot see (who did what to whom), and can only flag them: see :func:`checked_with_coverage`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from agent.domain.models import Citation, Claim, Item, JudgeScope, Leaderboard, LeaderboardMove, Verdict
from agent.domain.text import sentence_spans
from evals.grounding._core import SUPPORTED_COVERAGE, Evidence, SentenceCheck, build_evidence, check_sentence
from evals.grounding._entities import extract_names, gazetteer
from evals.grounding._polarity import direction_words
from evals.grounding._quantities import Quantity, extract_quantities
from evals.grounding._tables import Table, table_from_leaderboard, table_from_moves, tables_in
from evals.grounding._text import words
from evals.grounding._times import date_in_words
from evals.grounding.citations import citation_problems

__all__ = ["ClaimJudge", "check_claims", "checked_with_coverage", "has_factual_content"]


class ClaimJudge(Protocol):
    """What :func:`check_claims` needs from a judge (:mod:`evals.judge`): a second opinion on one claim."""

    @property
    def scope(self) -> JudgeScope: ...

    def judge(self, claim: str, passages: Sequence[str]) -> tuple[Verdict, float, list[str]]: ...


def check_claims(
    claims: Sequence[Claim],
    *,
    items: Mapping[str, Item],
    moves: Sequence[LeaderboardMove] = (),
    judge: ClaimJudge | None = None,
    supported_coverage: float = SUPPORTED_COVERAGE,
) -> list[Claim]:
    """Return copies of ``claims`` with ``verdict``, ``score`` and ``reasons`` set.

    ``supported_coverage``: the share of a sentence's content words the evidence must hold for it to be
    supported when no check finds anything (the shipped value is fitted: :mod:`evals.grounding.fit`).
    """
    checked = checked_with_coverage(
        claims, items=items, moves=moves, judge=judge, supported_coverage=supported_coverage
    )
    return [claim for claim, _ in checked]


def checked_with_coverage(
    claims: Sequence[Claim],
    *,
    items: Mapping[str, Item],
    moves: Sequence[LeaderboardMove] = (),
    judge: ClaimJudge | None = None,
    supported_coverage: float = SUPPORTED_COVERAGE,
) -> list[tuple[Claim, float | None]]:
    """:func:`check_claims`, each claim with its coverage (None when its evidence was never read): what
    the fit of ``supported_coverage`` needs to replay the verdicts at another line.

    The judge decides an undecided claim. Reading a passed claim (scope ``"passed"``) it can only flag
    it: its ``unsupported`` stands, its ``supported`` confirms, and an answer that decides nothing (a
    failed call, a spent budget) leaves the checks' verdict. A claim about a table is not sent: its ranks,
    comparisons and differences were computed from the parsed rows, which a model reading them would
    only redo less reliably. A claim the checks flagged is never sent: it has a concrete reason."""
    context = _Context.build(items, moves)
    checked: list[tuple[Claim, float | None]] = []
    for claim in claims:
        found = _check_one(claim, items, context, supported_coverage)
        verdict, score, reasons = found.verdict, found.score, found.reasons
        if judge is not None and found.passages and _judge_reads(judge.scope, found):
            j_verdict, j_score, j_reasons = judge.judge(claim.text, found.passages)
            if verdict is Verdict.UNVERIFIABLE or j_verdict is not Verdict.UNVERIFIABLE:
                verdict, score = j_verdict, j_score
            reasons = [*reasons, *(f"judge: {r}" for r in j_reasons)]
        update = {"verdict": verdict, "score": score, "reasons": reasons}
        checked.append((claim.model_copy(update=update), found.coverage))
    return checked


@dataclass(frozen=True, slots=True)
class _Found:
    """What the deterministic checks found for one claim."""

    verdict: Verdict
    score: float
    reasons: list[str]
    passages: list[str]  # the cited passages as checked (empty when they were never read)
    coverage: float | None = None
    cites_table: bool = False  # a leaderboard or a printed table: checked by computation


def _judge_reads(scope: JudgeScope, found: _Found) -> bool:
    if found.verdict is Verdict.UNVERIFIABLE:
        return True
    return scope == "passed" and found.verdict is Verdict.SUPPORTED and not found.cites_table


@dataclass(frozen=True, slots=True)
class _Context:
    boards: dict[str, Leaderboard]
    known_names: tuple[str, ...]
    names_seen: frozenset[str]
    moves: tuple[LeaderboardMove, ...]
    # Sentence ranges per item id (their starts beside them), computed once per call: items can be long
    # and are cited many times.
    spans: dict[str, tuple[list[int], list[tuple[int, int]]]]
    # Each board as a table with its moves joined, by item id; boards known only from moves come last.
    tables: dict[str, Table]
    move_tables: tuple[Table, ...]
    # Evidence per set of cited ranges, built once per call: digesting a passage is 90% of the work when a
    # whole article is cited (SummEdits rows: 19 ms a sentence rebuilt each time, against 1 ms checked).
    evidence: dict[tuple[tuple[str, int, int], ...], Evidence]

    @classmethod
    def build(cls, items: Mapping[str, Item], moves: Sequence[LeaderboardMove]) -> _Context:
        boards = {i.id: i.leaderboard for i in items.values() if i.leaderboard is not None}
        known = {row.model for b in boards.values() for row in b.rows} | {m.model for m in moves}
        seen = gazetteer([*(i.title for i in items.values()), *(i.text for i in items.values())])
        tables = {item_id: table_from_leaderboard(b, moves) for item_id, b in boards.items()}
        named = {b.name for b in boards.values()}
        move_tables = table_from_moves([m for m in moves if m.leaderboard not in named])
        return cls(
            boards,
            tuple(sorted(known, key=len, reverse=True)),
            seen | frozenset(known),
            tuple(moves),
            {},
            tables,
            tuple(move_tables),
            {},
        )


def has_factual_content(text: str, known_names: Sequence[str] = ()) -> bool:
    """Does the sentence state something checkable: a number, a name, a date, a rank or a direction?"""
    if extract_quantities(text) or extract_names(text, known_names):
        return True
    up, down = direction_words([w.lower() for w in words(text)])
    return bool(up or down)


def _check_one(claim: Claim, items: Mapping[str, Item], ctx: _Context, supported_coverage: float) -> _Found:
    if not claim.citations:
        if has_factual_content(claim.text, ctx.known_names):
            reason = "the sentence states a fact (number, name, rank or date) but cites no source"
            return _Found(Verdict.NO_CITATION, 0.0, [reason], [])
        reason = (
            "the sentence cites no source; it states no checkable fact (framing or opinion): "
            "a reviewer decides"
        )
        return _Found(Verdict.UNVERIFIABLE, 0.0, [reason], [])
    problems = [p for c in claim.citations for p in citation_problems(c, items)]
    if problems:
        return _Found(Verdict.UNSUPPORTED, 0.0, problems, [])
    passages = [_passage(c, items[c.item_id], ctx.spans) for c in claim.citations]
    key = tuple((c.item_id, c.start, c.end) for c in claim.citations)
    evidence = ctx.evidence.get(key)
    if evidence is None:
        evidence = ctx.evidence[key] = _evidence(claim.citations, passages, items, ctx)
    tables = _cited_tables(claim.citations, items, ctx)
    result = check_sentence(
        claim.text, evidence, known_names=ctx.known_names, names_seen=ctx.names_seen, tables=tables
    )
    where = ", ".join(f"{c.item_id} [{c.start}:{c.end}]" for c in claim.citations)
    verdict, score = _verdict_for(result, supported_coverage)
    reasons = [*result.hard, *result.doubts, *result.soft]
    if verdict is Verdict.SUPPORTED:
        confirmed = f" (e.g. {'; '.join(result.confirmed[:3])})" if result.confirmed else ""
        reasons.append(
            f"checked {result.facts} fact(s){confirmed} and {round(result.coverage * 100)}% of the "
            f"content words against {where}"
        )
    else:
        reasons.append(f"evidence checked: {where}")
    return _Found(verdict, score, reasons, passages, result.coverage, cites_table=bool(tables))


def _verdict_for(result: SentenceCheck, supported_coverage: float) -> tuple[Verdict, float]:
    if result.hard:
        return Verdict.UNSUPPORTED, result.score
    if result.doubts:
        return Verdict.UNVERIFIABLE, result.score
    if result.terms == 0 and result.facts == 0:
        # Nothing to check: "It is what it is." cites a passage and says nothing.
        return Verdict.UNVERIFIABLE, 0.0
    if result.coverage < supported_coverage:
        return Verdict.UNVERIFIABLE, result.score
    return Verdict.SUPPORTED, result.score


def _cited_tables(citations: Sequence[Citation], items: Mapping[str, Item], ctx: _Context) -> list[Table]:
    """The tables a claim cites: its leaderboards (all of them for the moves document) and the tables
    printed in a cited passage."""
    out: dict[int, Table] = {}
    for c in citations:
        if c.item_id in ctx.tables:
            found = [ctx.tables[c.item_id]]
        elif c.item_id.startswith("moves:"):
            found = [*ctx.tables.values(), *ctx.move_tables]
        else:
            touching = _printed(items[c.item_id].text).touching(c.start, c.end)
            found = [t for s, e, t in touching if s < c.end and c.start < e]
        out.update((id(t), t) for t in found)
    return list(out.values())


def _passage(
    citation: Citation, item: Item, spans: dict[str, tuple[list[int], list[tuple[int, int]]]]
) -> str:
    """The quote widened to the sentences it sits in: a quote cut mid-sentence keeps its context.

    Sentences as the writers cut them (:func:`agent.domain.text.sentence_spans`: a line break ends one), so a
    headline is never read as part of the paragraph under it. A quote inside a printed table is widened
    to the whole table: a row means nothing without its header and the rows it is compared with.
    """
    if item.id not in spans:
        ranges = sentence_spans(item.text)
        spans[item.id] = ([s for s, _ in ranges], ranges)
    starts, ranges = spans[item.id]
    start, end = citation.start, citation.end
    # Sentences are in order and apart: only the last one starting at or before an end can hold it (a
    # loop over all of them, for each of 4,000 claims citing one long item, took 6.6 s).
    at = bisect.bisect_right(starts, citation.start) - 1
    if at >= 0 and citation.start < ranges[at][1]:
        start = min(start, ranges[at][0])
    at = bisect.bisect_left(starts, citation.end) - 1
    if at >= 0 and citation.end <= ranges[at][1]:
        end = max(end, ranges[at][1])
    for s, e, _ in _printed(item.text).touching(start, end):
        if s < end and start < e:
            start, end = min(start, s), max(end, e)
    return item.text[start:end]


@dataclass(frozen=True, slots=True)
class _Printed:
    """The tables printed in a text, in runs of tables that overlap one another (in order, apart): a range
    can only ever touch the tables of the runs it touches, found by bisection rather than by reading every
    table of the text for every claim."""

    starts: list[int]  # where each run begins
    ends: list[int]  # and ends
    runs: list[list[tuple[int, int, Table]]]

    def touching(self, start: int, end: int) -> list[tuple[int, int, Table]]:
        """The tables of every run that overlaps ``[start, end)``, in the text's order."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return [t for run in self.runs[first:last] for t in run]


@lru_cache(maxsize=256)
def _printed(text: str) -> _Printed:
    printed = _Printed([], [], [])
    for table in tables_in(text):  # sorted by start
        if printed.runs and table[0] < printed.ends[-1]:
            printed.runs[-1].append(table)
            printed.ends[-1] = max(printed.ends[-1], table[1])
        else:
            printed.starts.append(table[0])
            printed.ends.append(table[1])
            printed.runs.append([table])
    return printed


def _evidence(
    citations: Sequence[Citation], passages: list[str], items: Mapping[str, Item], ctx: _Context
) -> Evidence:
    extra: list[Quantity] = []
    names: list[str] = []
    vocabulary: list[str] = []
    for c in citations:
        item = items[c.item_id]
        # The item vouches for its own title, authors and publisher: "Corvid Research writes: ..." quotes
        # Corvid Research's post without the post printing its publisher's name.
        names.extend((item.title, item.publisher))
        names.extend(item.authors)
        if item.published is not None:
            # The writer is shown each item's publication date and the reviewer sees it: "said on Tuesday"
            # or "on 1 December" of an article published that day rests on the item, though its text says
            # "today".
            published = date_in_words(item.published.date())
            names.append(f"published {published}")
            extra.extend(extract_quantities(published))
        boards = [ctx.boards[c.item_id]] if c.item_id in ctx.boards else []
        if c.item_id.startswith("moves:"):
            boards = list(ctx.boards.values())
            for move in ctx.moves:
                names.append(move.model)
                values = (move.score, move.previous_score, move.score_change)
                extra.extend(Quantity(abs(v), "", f"{v:g}") for v in values if v is not None)
                extra.extend(Quantity(float(r), "", f"#{r}") for r in (move.rank, move.previous_rank) if r)
        for board in boards:
            names.extend((board.name, board.metric))
            vocabulary.extend((_BOARD_VOCABULARY, board.description))
        if tables_in(item.text):
            vocabulary.append(_BOARD_VOCABULARY)
        for board in boards[:1] if c.item_id in ctx.boards else ():
            for row in board.rows:
                names.append(row.model)
                extra.append(
                    Quantity(row.score, row.unit if row.unit == "%" else "", f"{row.score:g}{row.unit}")
                )
                extra.append(Quantity(float(row.rank), "", f"#{row.rank}"))
                if row.tokens_per_second is not None:
                    extra.append(Quantity(row.tokens_per_second, "tok/s", f"{row.tokens_per_second:g} tok/s"))
                if row.usd_per_million_tokens is not None:
                    extra.append(
                        Quantity(row.usd_per_million_tokens, "USD", f"${row.usd_per_million_tokens:g}")
                    )
    return build_evidence(
        passages, names_text=" ; ".join(names), extra_quantities=extra, vocabulary=" ".join(vocabulary)
    )


# The words a sentence about a leaderboard uses that its table never prints: they count for coverage only;
# ranks, moves and superlatives themselves are checked against the parsed rows.
_BOARD_VOCABULARY = (
    "rank ranked ranks ranking position positions place spot top leaderboard board model models score scores "
    "scored scoring index benchmark moved moves jumped climbed rose fell dropped slipped gained lost holds "
    "held leads sits cluster clustered spread spans gap between behind ahead tied first second third fourth "
    "fifth sixth seventh eighth ninth tenth points percentage tokens second million price cost costs "
    "cheapest fastest slowest expensive priced week new entry best worst highest lowest strongest weakest "
    "result results"
)
