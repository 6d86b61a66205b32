"""Rank and comparison statements checked against parsed leaderboards and computed week-on-week moves.

Handles "X holds the top position", "X ranked 3rd / at No. 3", "models ranked 2 through 7 cluster between
64.4% and 62.3%", "X moved to / jumped to / fell to 51.4", "X is the cheapest / fastest / most expensive",
"X ahead of Y". Each relation found gives a :class:`Relation` (held or not, with a readable reason).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.domain.models import Leaderboard, LeaderboardMove, LeaderboardRow
from evals.grounding._text import norm_key

__all__ = ["Relation", "check_ranks"]


@dataclass(frozen=True, slots=True)
class Relation:
    held: bool
    reason: str
    values: tuple[float, ...] = ()  # numbers of the sentence this relation accounts for


_TOP_RE = re.compile(
    r"\b(?:holds?|held|takes?|took|keeps?|kept|claims?|claimed|retains?|sits? (?:at|in)) (?:the )?"
    r"(?:top|first|No\.?\s?1|#1|number one) (?:position|spot|place|rank)?|\btops\b|\btopped\b|\bleads\b|"
    r"\bin first place\b|\branks? first\b|\bat the top\b|\bnumber one\b|#1\b|No\.\s?1\b",
    re.IGNORECASE,
)
_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_RANK_RE = re.compile(
    r"(?:\b(?:ranked|ranks|ranking|rank|position|place|placed|No\.|number)\s*|#)(\d{1,3})(?:st|nd|rd|th)?\b(?!\.\d)"
    r"|\b(\d{1,3})(?:st|nd|rd|th)\s+(?:place|position|spot)?"
    r"|\b(second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:place|position|spot)"
    r"|\b(?:ranked|ranks|placed|sits|is|finished|came|comes)\s+(second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth)\b",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(
    r"\b(?:ranked|ranks|positions?|places?|No\.)\s*(\d{1,3})\s*(?:through|to|-|–|and)\s*(?:position\s*|No\.\s*)?"
    r"(\d{1,3})\b(?!\.\d)",
    re.IGNORECASE,
)
_MOVE_RE = re.compile(
    r"\b(moved|moves|jumped|jumps|rose|rises|climbed|climbs|fell|falls|dropped|drops|slipped|slips|slid|"
    r"gained|lost|improved|declined)\b(?:\s+(?:up|down|back))?\s+(?:to|by)\s+(No\.\s?|#)?(\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
_FROM_RANK_RE = re.compile(
    r"\bfrom (?:rank|position|place|No\.|#)\s?(\d{1,3}) to (?:rank|position|place|No\.|#)\s?(\d{1,3})\b",
    re.IGNORECASE,
)
_UP_VERBS = frozenset("jumped jumps rose rises climbed climbs gained improved".split())
_DOWN_VERBS = frozenset("fell falls dropped drops slipped slips slid lost declined".split())
_SUPERLATIVES = {
    "cheapest": ("usd_per_million_tokens", min),
    "least expensive": ("usd_per_million_tokens", min),
    "most expensive": ("usd_per_million_tokens", max),
    "priciest": ("usd_per_million_tokens", max),
    "fastest": ("tokens_per_second", max),
    "slowest": ("tokens_per_second", min),
    "highest-scoring": ("score", max),
    "highest score": ("score", max),
    "lowest score": ("score", min),
}
_SUPERLATIVE_RE = re.compile(r"\b(" + "|".join(_SUPERLATIVES) + r")\b", re.IGNORECASE)
_AHEAD_RE = re.compile(r"\b(ahead of|above|behind|below|outranks|trails|beats)\b", re.IGNORECASE)
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b)")
_SPREAD_RE = re.compile(r"(\d+(?:\.\d+)?)\s?(?:percentage points?|points?|pp)\b")


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    board: Leaderboard
    row: LeaderboardRow


def _find_name(low: str, name: str, start: int = 0) -> int:
    """Index of ``name`` in ``low`` as a whole name ("GLM-5" does not match inside "GLM-5.1"), or -1."""
    i = low.find(name, start)
    while i >= 0:
        end = i + len(name)
        before_ok = i == 0 or not (low[i - 1].isalnum() or low[i - 1] in ".-")
        after_ok = end == len(low) or not (
            low[end].isalnum() or (low[end] in ".-" and end + 1 < len(low) and low[end + 1].isalnum())
        )
        if before_ok and after_ok:
            return i
        i = low.find(name, end)
    return -1


def _mentions(sentence: str, boards: Sequence[Leaderboard]) -> list[_Mention]:
    low = sentence.lower()
    found: list[_Mention] = []
    for board in boards:
        for row in board.rows:
            name = row.model.lower()
            i = _find_name(low, name)
            while i >= 0:
                found.append(_Mention(i, i + len(name), board, row))
                i = _find_name(low, name, i + len(name))
    # Keep the longest name at each place ("GLM-5.1" over "GLM-5").
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[_Mention] = []
    for m in found:
        if kept and m.start < kept[-1].end and m.board.name == kept[-1].board.name:
            continue
        kept.append(m)
    return kept


def _scope(sentence: str, mentions: list[_Mention], index: int) -> str:
    end = mentions[index + 1].start if index + 1 < len(mentions) else len(sentence)
    return sentence[mentions[index].end : end]


def _board_named(sentence: str, boards: Sequence[Leaderboard]) -> list[Leaderboard]:
    key = norm_key(sentence)
    named = [b for b in boards if norm_key(b.name.split()[0]) in key or norm_key(b.name) in key]
    return named or list(boards)


def check_ranks(
    sentence: str, boards: Sequence[Leaderboard], moves: Sequence[LeaderboardMove] = ()
) -> list[Relation]:
    """Every rank, move or comparison relation ``sentence`` states about the given boards, checked."""
    if not boards and not moves:
        return []
    relations: list[Relation] = []
    mentions = _mentions(sentence, _board_named(sentence, boards))
    for i, mention in enumerate(mentions):
        relations.extend(_check_mention(sentence, _scope(sentence, mentions, i), mention, mentions, moves))
    relations.extend(_check_rank_ranges(sentence, _board_named(sentence, boards)))
    if moves:
        relations.extend(_check_moves(sentence, moves))
    return relations


def _check_mention(
    sentence: str, scope: str, mention: _Mention, mentions: list[_Mention], moves: Sequence[LeaderboardMove]
) -> list[Relation]:
    row, board = mention.row, mention.board
    out: list[Relation] = []
    if _TOP_RE.search(scope):
        out.append(
            Relation(
                row.rank == 1,
                f"{row.model} is #{row.rank} on {board.name}, not the top position"
                if row.rank != 1
                else f"{row.model} is #1 on {board.name}",
                (1.0,),
            )
        )
    for m in _RANK_RE.finditer(scope):
        if _RANGE_RE.match(scope, m.start()) or _FROM_RANK_RE.search(scope, max(0, m.start() - 40)):
            continue  # a range, or a move "from rank 2 to rank 1": checked against the moves instead
        number = m.group(1) or m.group(2)
        rank = int(number) if number else _ORDINALS[(m.group(3) or m.group(4)).lower()]
        out.append(
            Relation(
                row.rank == rank,
                f"{row.model} is #{row.rank} on {board.name}"
                + ("" if row.rank == rank else f", not #{rank}"),
                (float(rank),),
            )
        )
    for m in _SUPERLATIVE_RE.finditer(scope):
        field, pick = _SUPERLATIVES[m.group(1).lower()]
        values = [(getattr(r, field), r.model) for r in board.rows if getattr(r, field) is not None]
        if not values or getattr(row, field) is None:
            continue
        best = pick(values, key=lambda v: v[0])
        held = getattr(row, field) == best[0]
        out.append(
            Relation(
                held,
                f"'{m.group(1)}' on {board.name}: "
                + (
                    f"{row.model} is ({getattr(row, field)})"
                    if held
                    else f"{best[1]} is ({best[0]}), not {row.model}"
                ),
            )
        )
    ahead = _AHEAD_RE.search(scope)
    if ahead:
        later = [o for o in mentions if o.start >= mention.end + ahead.start() and o.board.name == board.name]
        if later:
            other = later[0].row
            word = ahead.group(1).lower()
            wants_better = word in ("ahead of", "above", "outranks", "beats")
            held = (row.rank < other.rank) == wants_better
            out.append(
                Relation(
                    held,
                    f"{row.model} is #{row.rank} and {other.model} #{other.rank} on "
                    f"{board.name}: '{word}' " + ("holds" if held else "does not hold"),
                )
            )
    return out


def _check_rank_ranges(sentence: str, boards: Sequence[Leaderboard]) -> list[Relation]:
    out: list[Relation] = []
    for m in _RANGE_RE.finditer(sentence):
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        for board in boards:
            rows = [r for r in board.rows if lo <= r.rank <= hi]
            if not rows:
                continue
            if len(rows) < hi - lo + 1:
                out.append(
                    Relation(
                        False, f"{board.name} has no rows for every rank {lo} to {hi}", (float(lo), float(hi))
                    )
                )
                continue
            bounds = [float(x) for x in _PERCENT_RE.findall(sentence[m.end() :])]
            spread = _SPREAD_RE.search(sentence[m.end() :])
            if spread and len(bounds) < 2:
                ends = [r.score for r in rows if r.rank in (lo, hi)]
                want_gap, have_gap = float(spread.group(1)), round(max(ends) - min(ends), 4)
                held = abs(want_gap - have_gap) < 0.051
                out.append(
                    Relation(
                        held,
                        f"{board.name}: #{lo} to #{hi} spans {have_gap:g} points"
                        + ("" if held else f", not {want_gap:g}"),
                        (float(lo), float(hi), want_gap),
                    )
                )
            elif len(bounds) >= 2:
                want = (min(bounds[:2]), max(bounds[:2]))
                have = (min(r.score for r in rows), max(r.score for r in rows))
                held = abs(want[0] - have[0]) < 0.051 and abs(want[1] - have[1]) < 0.051
                out.append(
                    Relation(
                        held,
                        f"ranks {lo}-{hi} on {board.name} score {have[0]} to {have[1]}"
                        + ("" if held else f", not {want[0]} to {want[1]}"),
                        (float(lo), float(hi), *want),
                    )
                )
            else:
                out.append(Relation(True, f"{board.name} has ranks {lo} to {hi}", (float(lo), float(hi))))
            break
    return out


def _check_moves(sentence: str, moves: Sequence[LeaderboardMove]) -> list[Relation]:
    out: list[Relation] = []
    low = sentence.lower()
    for move in moves:
        i = _find_name(low, move.model.lower())
        if i < 0:
            continue
        ranks = _FROM_RANK_RE.search(sentence, i + len(move.model))
        if ranks is not None:
            before, after = int(ranks.group(1)), int(ranks.group(2))
            held = before == move.previous_rank and after == move.rank
            out.append(
                Relation(
                    held,
                    f"{move.model} went from #{move.previous_rank} to #{move.rank} on "
                    f"{move.leaderboard}" + ("" if held else f", not #{before} to #{after}"),
                    (float(before), float(after)),
                )
            )
        m = _MOVE_RE.search(sentence, i + len(move.model))
        if m is None or (m.start() - i - len(move.model)) > 40:
            continue
        verb, is_rank, value = m.group(1).lower(), bool(m.group(2)), float(m.group(3))
        target = float(move.rank) if is_rank else move.score
        reasons = []
        held = abs(target - value) < 0.051
        if not held:
            reasons.append(f"{move.model} is at {target:g} on {move.leaderboard}, not {value:g}")
        change = move.rank_change if is_rank else move.score_change
        if change is not None and verb in _UP_VERBS | _DOWN_VERBS:
            went_up = change > 0
            if (verb in _UP_VERBS) != went_up:
                held = False
                prev = move.previous_rank if is_rank else move.previous_score
                reasons.append(f"'{verb}' but {move.model} went from {prev:g} to {target:g}")
        if held:
            reasons.append(
                f"{move.model} {verb} to {target:g} on {move.leaderboard} (was "
                f"{move.previous_score if not is_rank else move.previous_rank})"
            )
        out.append(Relation(held, "; ".join(reasons), (value,)))
    return out
