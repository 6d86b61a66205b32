"""Week-on-week leaderboard moves, computed from stored snapshots, and written as a citable document.

The lead writer may only state a move that is in :func:`moves_document`'s text, so every sentence
there is generated from the numbers, never by a model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time

from agent.domain.models import (
    Item,
    Leaderboard,
    LeaderboardMove,
    LeaderboardRow,
    Section,
    SourceKind,
    content_hash,
)

__all__ = [
    "MOVES_SOURCE",
    "compute_moves",
    "format_score",
    "move_label",
    "move_sentence",
    "moves_document",
    "moves_document_id",
    "normalise_model_name",
    "score_decimals",
]

MOVES_SOURCE = "leaderboard-moves"

_NOT_NAME = re.compile(r"[^\w.]+|_")


def normalise_model_name(name: str) -> str:
    """``"Claude Opus 4.6"``, ``"claude-opus-4.6"`` and ``"CLAUDE_OPUS 4.6"`` match; versions stay apart."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(_NOT_NAME.sub(" ", folded).split())


def compute_moves(current: Leaderboard, previous: Leaderboard | None) -> list[LeaderboardMove]:
    """One move per row of ``current``, in rank order, matched to ``previous`` by normalised name.

    Without a previous snapshot there is nothing to compare with: no moves (not "all new").
    """
    if previous is None:
        return []
    before: dict[str, LeaderboardRow] = {}
    for row in sorted(previous.rows, key=lambda r: r.rank):
        before.setdefault(normalise_model_name(row.model), row)
    moves = []
    for row in sorted(current.rows, key=lambda r: r.rank):
        earlier = before.get(normalise_model_name(row.model))
        moves.append(
            LeaderboardMove(
                leaderboard=current.name,
                model=row.model,
                rank=row.rank,
                score=row.score,
                previous_rank=None if earlier is None else earlier.rank,
                previous_score=None if earlier is None else earlier.score,
                unit=row.unit,
            )
        )
    return moves


def score_decimals(values: Iterable[float | None]) -> int:
    """How many decimals (0-2) print every value exactly: a board's column shares one precision."""
    needed = 0
    for value in values:
        if value is not None:
            text = f"{value:.2f}".rstrip("0")
            needed = max(needed, len(text.split(".")[1]))
    return needed


def format_score(value: float, unit: str, decimals: int | None = None) -> str:
    """``65.3%``, ``51.4``, ``63.0%`` beside ``64.1%``: at most two decimals, as leaderboards print them."""
    places = score_decimals([value]) if decimals is None else decimals
    text = f"{value:.{places}f}"
    return ("0" if float(text) == 0 else text) + unit


def move_label(move: LeaderboardMove) -> str:
    """The table's move column: ``▲2``, ``▼1``, ``new`` or ``–`` (same rank)."""
    change = move.rank_change
    if change is None:
        return "new"
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "–"


def _score_change(move: LeaderboardMove, places: int) -> str:
    change = move.score_change
    if change is None or move.previous_score is None:
        return ""
    if change == 0:
        return " (score unchanged)"
    size = format_score(abs(change), "", score_decimals([abs(change)]))
    points = "point" if size == "1" else "points"
    direction = "up" if change > 0 else "down"
    return f" ({direction} {size} {points} from {format_score(move.previous_score, move.unit, places)})"


def move_sentence(move: LeaderboardMove) -> str:
    places = score_decimals([move.score, move.previous_score])
    score = format_score(move.score, move.unit, places)
    where = f"On {move.leaderboard}, {move.model}"
    if move.previous_rank is None:
        amount = score if move.unit else f"a score of {score}"
        return f"{where} is new on the board at rank {move.rank} with {amount}."
    change = _score_change(move, places)
    if move.previous_rank == move.rank:
        return f"{where} held rank {move.rank}, with a score of {score}{change}."
    moved = f"moved from rank {move.previous_rank} to rank {move.rank}"
    return f"{where} {moved}, with a score of {score}{change}."


def moves_document_id(edition_date: date) -> str:
    return f"moves:{edition_date.isoformat()}"


def moves_document(moves: Sequence[LeaderboardMove], edition_date: date) -> Item:
    """The moves as an item the lead writer can cite: one sentence per move, one per line.

    Its text is empty when there are no moves; callers then leave it out.
    """
    text = "\n".join(move_sentence(m) for m in moves)
    return Item(
        id=moves_document_id(edition_date),
        source=MOVES_SOURCE,
        section=Section.BENCHMARKS,
        kind=SourceKind.LEADERBOARD,
        title=f"Leaderboard moves for {edition_date.isoformat()}, against each board's previous snapshot",
        url="",
        text=text,
        published=datetime.combine(edition_date, time(0, 0), tzinfo=UTC),
        content_hash=content_hash(text.encode("utf-8")),
    )
