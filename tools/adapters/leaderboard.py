"""Leaderboards: Artificial Analysis model records (API v2 JSON) and generic HTML tables.

Each source yields one item whose ``leaderboard`` holds the parsed rows (tables are rendered from
it) and whose ``text`` has one citable sentence per row, built only from the parsed numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import lxml.html

from agent.domain.models import Item, Leaderboard, LeaderboardRow
from agent.domain.sources import ColumnMapping
from tools.adapters._context import AdapterContext
from tools.adapters._encoding import html_document
from tools.adapters._errors import ParseError
from tools.adapters._sniff import body_kind, describe_body
from tools.adapters._text import normalise_whitespace

__all__ = [
    "leaderboard_item",
    "parse_artificial_analysis",
    "parse_html_table",
    "parse_number",
    "row_sentence",
]

AA_NAME = "Artificial Analysis Intelligence Index"
AA_METRIC = "Intelligence Index"
_AA_INDEX = "artificial_analysis_intelligence_index"
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "leaderboard"


def _format(value: float) -> str:
    """A score as printed: no trailing zeros, no exponent (60.2, 65.3, 1,234)."""
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def row_sentence(row: LeaderboardRow, *, metric: str) -> str:
    """e.g. "Rank 1: GPT-5.5 scores 60.2 on the Intelligence Index, at 65 output tokens per second and
    $11.25 per 1M tokens." Only the row's own numbers appear."""
    sentence = f"Rank {row.rank}: {row.model} scores {_format(row.score)}{row.unit} on the {metric}"
    extras = []
    if row.tokens_per_second is not None:
        extras.append(f"{row.tokens_per_second:,.0f} output tokens per second")
    if row.usd_per_million_tokens is not None:
        extras.append(f"${row.usd_per_million_tokens:,.2f} per 1M tokens")
    if extras:
        sentence += ", at " + " and ".join(extras)
    return sentence + "."


def leaderboard_item(
    board: Leaderboard, context: AdapterContext, *, extra: dict[str, Any] | None = None
) -> Item:
    """The one item a leaderboard source yields."""
    return Item(
        id=f"leaderboard:{_slug(context.source or board.name)}",
        source=context.source,
        section=context.section,
        kind=context.kind,
        title=board.name,
        url=context.url,
        text=" ".join(row_sentence(row, metric=board.metric) for row in board.rows),
        fetched_at=context.fetched_at,
        content_hash=context.content_hash,
        leaderboard=board,
        extra=extra or {},
    )


# --- Artificial Analysis ------------------------------------------------------------------------


def _aa_records(document: Any, context: AdapterContext) -> list[Mapping[str, Any]]:
    """The model records of any of the shapes seen: the live API's {"status", "data": [...]}, a
    scraper's {"models": [...]}, an object keyed by slug, or a bare list."""
    if isinstance(document, Mapping):
        status = document.get("status")
        if "data" not in document and (document.get("error") or document.get("message")):
            raise ParseError(
                f"Artificial Analysis answered an error (status {status}): "
                f"{document.get('error') or document.get('message')}; check the API key and the url",
                url=context.url,
                source=context.source,
            )
        for key in ("data", "models"):
            if isinstance(document.get(key), list):
                return [r for r in document[key] if isinstance(r, Mapping)]
        values = [v for v in document.values() if isinstance(v, Mapping) and "evaluations" in v]
        if values:
            return values
    elif isinstance(document, list):
        return [r for r in document if isinstance(r, Mapping)]
    raise ParseError(
        f'{context.url}: no Artificial Analysis model records found (expected {{"data": [...]}} from '
        "/api/v2/data/llms/models)",
        url=context.url,
        source=context.source,
    )


def _float(value: object) -> float | None:
    """A JSON number as a float; None for anything else, and for NaN and Infinity (which Python's JSON
    reader accepts): a board row scored NaN crashed the whole run when the edition was rendered."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _competition_ranks(scores: list[float]) -> list[int]:
    """1224 ranking: equal scores share a rank, so a tie is never presented as an order."""
    ranks: list[int] = []
    for position, score in enumerate(scores, start=1):
        ranks.append(ranks[-1] if ranks and score == scores[position - 2] else position)
    return ranks


def parse_artificial_analysis(
    body: bytes,
    context: AdapterContext,
    *,
    name: str = AA_NAME,
    metric: str = AA_METRIC,
    description: str = "",
) -> list[Item]:
    """One leaderboard item ranked by the Intelligence Index (highest first), capped at ``max_items``
    rows; records without the index are skipped."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(
            f"source {context.source!r}: {context.url} answered {describe_body(body)} where the Artificial"
            f" Analysis API's JSON (/api/v2/data/llms/models) was expected ({exc})",
            url=context.url,
            source=context.source,
        ) from exc
    records = _aa_records(document, context)
    scored: list[tuple[float, str, Mapping[str, Any]]] = []
    for record in records:
        evaluations = record.get("evaluations")
        score = _float(evaluations.get(_AA_INDEX)) if isinstance(evaluations, Mapping) else None
        model = normalise_whitespace(str(record.get("name") or record.get("slug") or ""))
        if score is not None and model:
            scored.append((score, model, record))
    if not scored:
        raise ParseError(
            f"{context.url}: none of the {len(records)} model records has {_AA_INDEX}",
            url=context.url,
            source=context.source,
        )
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    ranks = _competition_ranks([score for score, _, _ in scored])
    rows: list[LeaderboardRow] = []
    for rank, (score, model, record) in zip(ranks, scored, strict=True):
        pricing = record.get("pricing")
        creator = record.get("model_creator")
        rows.append(
            LeaderboardRow(
                rank=rank,
                model=model,
                score=score,
                tokens_per_second=_float(record.get("median_output_tokens_per_second")) or None,
                usd_per_million_tokens=(
                    _float(pricing.get("price_1m_blended_3_to_1")) if isinstance(pricing, Mapping) else None
                ),
                creator=str(creator.get("name"))
                if isinstance(creator, Mapping) and creator.get("name")
                else None,
            )
        )
    board = Leaderboard(
        name=name, metric=metric, description=description, rows=tuple(rows[: context.cap(len(rows))])
    )
    return [leaderboard_item(board, context, extra={"models_ranked": len(rows), "records": len(records)})]


# --- HTML tables ---------------------------------------------------------------------------------


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    return normalise_whitespace(cell.text_content())


def _header_key(text: str) -> str:
    return normalise_whitespace(text).casefold()


def _is_header_row(row: lxml.html.HtmlElement) -> bool:
    cells = [c for c in row if c.tag in ("th", "td")]
    in_head = row.getparent() is not None and row.getparent().tag == "thead"
    # Body rows often carry the model name in a row-header <th>: only an all-<th> row is a header.
    return in_head or (bool(cells) and all(c.tag == "th" for c in cells))


def _table_rows(table: lxml.html.HtmlElement) -> tuple[list[str], list[list[str]]]:
    rows = [r for r in table.iter("tr") if r.getparent() is not None]
    header_row = next((r for r in rows if _is_header_row(r)), rows[0] if rows else None)
    if header_row is None:
        return [], []
    headers = [_cell_text(c) for c in header_row if c.tag in ("th", "td")]
    body = [[_cell_text(c) for c in r if c.tag in ("th", "td")] for r in rows if r is not header_row]
    return headers, body


def parse_number(text: str) -> tuple[float, str] | None:
    """``"65.3%"`` -> (65.3, "%"); ``"$1.25"`` -> (1.25, "$"); ``"1,234"`` -> (1234.0, "").

    None when the cell holds no number, or one too long to be a float (309 digits read as infinity)."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    value = float(match.group(0).replace(",", ""))
    if not math.isfinite(value):
        return None
    unit = "%" if "%" in text[match.end() :] else ("$" if "$" in text[: match.start()] else "")
    return value, unit


def parse_html_table(
    body: bytes,
    context: AdapterContext,
    *,
    columns: ColumnMapping,
    table_index: int = 0,
    name: str = "",
    metric: str = "",
    description: str = "",
) -> list[Item]:
    """One leaderboard item from an HTML table whose headers ``columns`` names (case-insensitive).

    Without a rank column the rank is the row's position. A missing header raises
    :class:`ParseError` naming it and the headers found.
    """
    if body_kind(body) in ("feed", "json"):
        raise ParseError(
            f"source {context.source!r}: {context.url} answered {describe_body(body)} where an HTML page with"
            " a leaderboard table was expected (format = 'html_table')",
            url=context.url,
            source=context.source,
        )
    doc = html_document(body, context)
    tables = doc.xpath("//table")
    if len(tables) <= table_index:
        raise ParseError(
            f"{context.url} has {len(tables)} table(s); table_index = {table_index} does not exist"
            + ("" if tables else " (the page may build its table with JavaScript)"),
            url=context.url,
            source=context.source,
        )
    headers, data = _table_rows(tables[table_index])
    position = {_header_key(h): i for i, h in reversed(list(enumerate(headers)))}
    wanted = {
        "rank": columns.rank,
        "model": columns.model,
        "score": columns.score,
        "tokens_per_second": columns.tokens_per_second,
        "usd_per_million_tokens": columns.usd_per_million_tokens,
    }
    missing = [
        f"{header!r} (for {field})"
        for field, header in wanted.items()
        if header and _header_key(header) not in position
    ]
    if missing:
        raise ParseError(
            f"{context.url}: table {table_index} has no column {', '.join(missing)}; "
            f"headers found: {headers}",
            url=context.url,
            source=context.source,
        )
    index = {field: position[_header_key(header)] for field, header in wanted.items() if header}
    board_name = name or context.source
    rows = list(_table_board_rows(data, index))
    if not rows:
        raise ParseError(
            f"{context.url}: table {table_index} has no row with a model and a numeric {columns.score!r}",
            url=context.url,
            source=context.source,
        )
    board = Leaderboard(
        name=board_name,
        metric=metric or columns.score,
        description=description,
        rows=tuple(rows[: context.cap(len(rows))]),
    )
    return [leaderboard_item(board, context, extra={"rows_found": len(data), "rows_parsed": len(rows)})]


def _table_board_rows(data: Iterable[list[str]], index: Mapping[str, int]) -> Iterable[LeaderboardRow]:
    def cell(row: list[str], field: str) -> str:
        column = index.get(field)
        return row[column] if column is not None and column < len(row) else ""

    position = 0
    previous: LeaderboardRow | None = None
    for row in data:
        model = cell(row, "model")
        score = parse_number(cell(row, "score"))
        if not model or score is None:
            continue
        position += 1
        rank = parse_number(cell(row, "rank")) if "rank" in index else None
        if rank is not None:
            row_rank = int(rank[0])
        elif previous is not None and previous.score == score[0]:
            # A tie (no rank column, or a blank rank cell under a tied row) shares the rank above it,
            # as in _competition_ranks: a tie is never presented as an order.
            row_rank = previous.rank
        else:
            row_rank = position
        speed = parse_number(cell(row, "tokens_per_second"))
        price = parse_number(cell(row, "usd_per_million_tokens"))
        previous = LeaderboardRow(
            rank=row_rank,
            model=model,
            score=score[0],
            unit="%" if score[1] == "%" else "",
            tokens_per_second=speed[0] if speed else None,
            usd_per_million_tokens=price[0] if price else None,
        )
        yield previous
