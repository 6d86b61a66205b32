"""The ``tables`` suite: true sentences about tables, perturbed by hand, run through :func:`check_claims`.

Material: ``evals/data/table_claims.json``, synthetic leaderboards (with week-on-week moves), a lab post
with a Markdown table and a paper with an HTML table, and true sentences citing them. Each sentence lists
perturbations ``[kind, old, new]`` written to make it false: a swapped model, a number moved to another
row, a flipped comparison, a wrong difference, a wrong tie, a wrong subset, a wrong rank, a wrong move or
a wrong list of names. Every sentence is cited as the pipeline cites it (a leaderboard item, the moves
document, or the table's row in its passage).

Metrics: ``recall.<kind>`` (perturbed sentences not passed as supported), ``no_false_alarm_rate``
(untouched sentences not called unsupported) and ``untouched_supported_rate``. Floors: 1.0 for all.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from agent.domain.models import (
    Citation,
    Claim,
    Item,
    Leaderboard,
    LeaderboardMove,
    LeaderboardRow,
    Section,
    SourceKind,
    Verdict,
)
from agent.moves import moves_document
from evals.grounding.checker import check_claims

__all__ = ["TABLE_CLAIMS", "TABLE_KINDS", "table_perturbations"]

TABLE_CLAIMS = Path(__file__).resolve().parent / "data" / "table_claims.json"
TABLE_KINDS = (
    "swap_model",
    "move_number",
    "flip_comparison",
    "wrong_difference",
    "wrong_tie",
    "wrong_subset",
    "wrong_rank",
    "wrong_move",
    "wrong_list",
)
_EDITION = date(2026, 5, 14)


def _row_text(row: LeaderboardRow, metric: str) -> str:
    """As :func:`tools.adapters.leaderboard.row_sentence` writes a board row (the checker may not import
    the adapters)."""
    text = f"Rank {row.rank}: {row.model} scores {row.score:g}{row.unit} on the {metric}"
    extras = []
    if row.tokens_per_second is not None:
        extras.append(f"{row.tokens_per_second:,.0f} output tokens per second")
    if row.usd_per_million_tokens is not None:
        extras.append(f"${row.usd_per_million_tokens:,.2f} per 1M tokens")
    return text + (", at " + " and ".join(extras) if extras else "") + "."


def _material(data: dict[str, Any]) -> tuple[dict[str, Item], list[LeaderboardMove], dict[str, str]]:
    items: dict[str, Item] = {}
    quotes: dict[str, str] = {}
    for spec in data["boards"]:
        board = Leaderboard(
            name=spec["name"],
            metric=spec["metric"],
            rows=tuple(LeaderboardRow(**row) for row in spec["rows"]),
        )
        text = " ".join(_row_text(row, board.metric) for row in board.rows)
        items[spec["id"]] = Item(
            id=spec["id"],
            source="table-suite",
            section=Section.BENCHMARKS,
            kind=SourceKind.LEADERBOARD,
            title=board.name,
            url=f"https://boards.example/{spec['id']}",
            text=text,
            leaderboard=board,
        )
    moves = [LeaderboardMove(**move) for move in data["moves"]]
    items["moves"] = moves_document(moves, _EDITION)  # cited as "moves"; its id is moves:<date>
    for spec in data["passages"]:
        items[spec["id"]] = Item(
            id=spec["id"],
            source="table-suite",
            section=Section.LABS,
            kind=SourceKind.PAGE,
            title=spec["title"],
            url=spec["id"],
            text=spec["text"],
        )
        quotes[spec["id"]] = spec["quote"]
    return items, moves, quotes


def _citation(item: Item, quote: str | None) -> Citation:
    if quote is None:
        return Citation(item_id=item.id, start=0, end=len(item.text), quote=item.text)
    start = item.text.index(quote)
    return Citation(item_id=item.id, start=start, end=start + len(quote), quote=quote)


def table_perturbations(path: Path = TABLE_CLAIMS) -> tuple[dict[str, float], dict[str, object]]:
    """(metrics, details) of the suite; raises ``OSError`` / ``ValueError`` on unreadable material."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items, moves, quotes = _material(data)
    cases: list[tuple[str, str]] = []  # (kind, sentence)
    claims: list[Claim] = []
    for n, spec in enumerate(data["sentences"]):
        citation = _citation(items[spec["cites"]], quotes.get(spec["cites"]))
        variants = [("untouched", spec["sentence"])]
        for kind, old, new in spec["perturbations"]:
            if kind not in TABLE_KINDS or old not in spec["sentence"]:
                raise ValueError(f"{path}: sentence {n}: bad perturbation {[kind, old, new]}")
            variants.append((kind, spec["sentence"].replace(old, new, 1)))
        for kind, sentence in variants:
            cases.append((kind, sentence))
            claims.append(
                Claim(id=f"t{len(claims)}", block="lead", paragraph=0, text=sentence, citations=[citation])
            )
    checked = check_claims(claims, items={item.id: item for item in items.values()}, moves=moves)
    caught: dict[str, list[int]] = {kind: [] for kind in TABLE_KINDS}
    missed: list[str] = []
    false_alarms: list[str] = []
    undecided: list[str] = []
    for (kind, sentence), claim in zip(cases, checked, strict=True):
        if kind == "untouched":
            if claim.verdict is Verdict.UNSUPPORTED:
                false_alarms.append(f"{sentence} -> {claim.reasons}")
            elif claim.verdict is not Verdict.SUPPORTED:
                undecided.append(f"{sentence} -> {claim.reasons}")
            continue
        caught[kind].append(int(claim.verdict is not Verdict.SUPPORTED))
        if claim.verdict is Verdict.SUPPORTED:
            missed.append(f"{kind}: {sentence} -> {claim.reasons}")
    untouched = len(data["sentences"])
    metrics = {f"recall.{kind}": round(sum(v) / len(v), 4) for kind, v in caught.items() if v}
    metrics["no_false_alarm_rate"] = round(1 - len(false_alarms) / untouched, 4)
    metrics["untouched_supported_rate"] = round(1 - (len(false_alarms) + len(undecided)) / untouched, 4)
    details: dict[str, object] = {
        "source": str(path.name),
        "cases": {"untouched": untouched, **{k: len(v) for k, v in caught.items()}},
        "missed": missed,
        "false_alarms": false_alarms,
        "undecided": undecided,
    }
    return metrics, details
