"""Tables a claim can cite, parsed once and bound cell by cell: leaderboard snapshots and tables in passages.

A :class:`Table` is rows of named things (models, systems, files) against columns of numbers. Each column
has a kind, which says what a sentence's words mean against it: ``rank`` (#, Rank), ``score`` (higher is
better), ``lower`` (price, latency, error: lower is better; ``price`` and ``speed`` are named so
"cheaper" and "faster" find them), ``previous`` (last week's rank or score, from the computed moves).

Sources of tables:

- :func:`table_from_leaderboard`: the pipeline's parsed leaderboards, with the week-on-week moves joined.
- :func:`tables_in`: Markdown pipe tables (as trafilatura prints a page's ``<table>``) and HTML tables
  inside a passage, as lab posts and papers print them. Parsed once per text (cached).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, TypeVar

from agent.domain.models import Leaderboard, LeaderboardMove, LeaderboardRow

T = TypeVar("T")

__all__ = [
    "Column",
    "Row",
    "Table",
    "parse_cell",
    "table_from_leaderboard",
    "table_from_moves",
    "tables_in",
]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str  # rank | score | price | speed | lower | previous_rank | previous_score | text
    unit: str = ""  # "%", "USD", "tok/s" or ""

    @property
    def lower_is_better(self) -> bool:
        return self.kind in ("price", "lower", "rank")


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    values: tuple[float | None, ...]  # one per column of the table; None where the cell holds no number
    cells: tuple[str, ...]  # the printed cells, for reasons
    position: int  # 1-based order in the table


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # The column the table is ranked by (a leaderboard's score), or None when it has several benchmarks.
    primary: int | None = None
    # Words that name the table in a sentence ("SWE-rebench", "Artificial Analysis").
    aliases: tuple[str, ...] = ()
    # The same table read the other way (rows as columns): a lab post often prints benchmarks as rows and
    # models as columns. Only for printed tables whose every column but the first holds numbers.
    flipped: Table | None = None
    # Each numeric column's values, sorted, and each column's ranking, computed on first use: a rank read
    # by scanning every row, for every row, made one ranking of a 2,000-row table take 0.05 s and a sentence
    # of 400 rank statements against it 16 s.
    _memo: dict[tuple[str, int | None], Any] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )

    def remembered(self, name: str, make: Callable[[Table], T]) -> T:
        """``make(self)``, computed once per table: what a reader derives from the table alone (the
        patterns its column names give) is not derived again for each sentence."""
        key = (f"remembered:{name}", None)
        if key not in self._memo:
            self._memo[key] = make(self)
        found: T = self._memo[key]
        return found

    def column(self, kind: str) -> int | None:
        # Remembered: a table read the other way has a column per row, and each rank asks for it.
        key = (f"column:{kind}", None)
        if key not in self._memo:
            self._memo[key] = next((i for i, c in enumerate(self.columns) if c.kind == kind), None)
        found: int | None = self._memo[key]
        return found

    def rank_of(self, row: Row, column: int | None = None) -> int | None:
        """The row's rank: the rank column's value, else competition rank by ``column`` (ties share)."""
        rank_col = self.column("rank")
        if column is None or column == self.primary:
            if rank_col is not None and row.values[rank_col] is not None:
                return int(row.values[rank_col] or 0)
            column = self.primary
        if column is None or row.values[column] is None:
            return None
        mine = row.values[column]
        assert mine is not None
        values = self._memo.get(("values", column))
        if values is None:
            values = self._memo[("values", column)] = sorted(
                v for r in self.rows if (v := r.values[column]) is not None
            )
        if self.columns[column].lower_is_better:
            better = bisect.bisect_left(values, mine)  # how many are lower
        else:
            better = len(values) - bisect.bisect_right(values, mine)  # how many are higher
        return better + 1

    def ranked(self, column: int | None = None) -> list[tuple[int, Row]]:
        """Rows with a rank, best first."""
        ranked = self._memo.get(("ranked", column))
        if ranked is None:
            out = [(rank, row) for row in self.rows if (rank := self.rank_of(row, column)) is not None]
            ranked = sorted(out, key=lambda pair: (pair[0], pair[1].position))
            self._memo[("ranked", column)] = ranked
        return list(ranked)

    def rows_near(self, column: int, value: float, width: float) -> list[int]:
        """The indexes of the rows whose value in ``column`` may be within ``width`` of ``value`` (a hair
        wider, for rounding: the caller compares exactly), in no particular order."""
        by_value = self._memo.get(("by_value", column))
        if by_value is None:
            pairs = sorted((v, i) for i, r in enumerate(self.rows) if (v := r.values[column]) is not None)
            by_value = self._memo[("by_value", column)] = ([v for v, _ in pairs], [i for _, i in pairs])
        values, indexes = by_value
        slack = width * 1e-6 + abs(value) * 1e-12
        lo = bisect.bisect_left(values, value - width - slack)
        hi = bisect.bisect_right(values, value + width + slack)
        return indexes[lo:hi]

    def at_rank(self, rank: int, column: int | None = None) -> Row | None:
        """The first row (best first) holding ``rank``, or None."""
        firsts = self._memo.get(("at_rank", column))
        if firsts is None:
            firsts = {}
            for k, held in self.ranked(column):
                firsts.setdefault(k, held)
            self._memo[("at_rank", column)] = firsts
        found: Row | None = firsts.get(rank)
        return found


# ---------------------------------------------------------------- leaderboards


def table_from_leaderboard(board: Leaderboard, moves: Sequence[LeaderboardMove] = ()) -> Table:
    """A leaderboard as a table: rank, score and the optional speed and price; last week's rank and score
    from ``moves`` of this board (matched by model name)."""
    unit = next((r.unit for r in board.rows if r.unit), "")
    columns = [Column("#", "rank"), Column(board.metric or "Score", "score", unit)]
    has_speed = any(r.tokens_per_second is not None for r in board.rows)
    has_price = any(r.usd_per_million_tokens is not None for r in board.rows)
    if has_speed:
        columns.append(Column("tok/s", "speed", "tok/s"))
    if has_price:
        columns.append(Column("$/1M", "price", "USD"))
    mine = {m.model: m for m in moves if m.leaderboard == board.name}
    if mine:
        columns += [Column("previous #", "previous_rank"), Column("previous score", "previous_score", unit)]
    rows = []
    for position, r in enumerate(board.rows, start=1):
        values: list[float | None] = [float(r.rank), r.score]
        cells = [str(r.rank), f"{r.score:g}{r.unit}"]
        if has_speed:
            values.append(r.tokens_per_second)
            cells.append("" if r.tokens_per_second is None else f"{r.tokens_per_second:g}")
        if has_price:
            values.append(r.usd_per_million_tokens)
            cells.append("" if r.usd_per_million_tokens is None else f"${r.usd_per_million_tokens:,.2f}")
        if mine:
            move = mine.get(r.model)
            prev_rank = None if move is None or move.previous_rank is None else float(move.previous_rank)
            prev_score = None if move is None else move.previous_score
            values += [prev_rank, prev_score]
            cells += [
                "" if prev_rank is None else f"{prev_rank:g}",
                "" if prev_score is None else f"{prev_score:g}",
            ]
        rows.append(Row(r.model, tuple(values), tuple(cells), position))
    first_word = board.name.split()[0] if board.name else ""
    aliases = tuple(a for a in dict.fromkeys((board.name, first_word, board.metric)) if a)
    return Table(board.name, tuple(columns), tuple(rows), primary=1, aliases=aliases)


def table_from_moves(moves: Sequence[LeaderboardMove]) -> list[Table]:
    """One table per board named in ``moves`` when the board itself is not at hand: rank, score and last
    week's rank and score of each model that moved."""
    boards: dict[str, list[LeaderboardMove]] = {}
    for move in moves:
        boards.setdefault(move.leaderboard, []).append(move)
    out = []
    for name, mine in boards.items():
        board = Leaderboard(
            name=name,
            metric="Score",
            rows=tuple(
                LeaderboardRow(rank=m.rank, model=m.model, score=m.score, unit=m.unit)
                for m in sorted(mine, key=lambda m: m.rank)
            ),
        )
        out.append(table_from_leaderboard(board, mine))
    return out


# ---------------------------------------------------------------- cells and headers

_NUMBER_RE = re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?|[-+−]?\.\d+")
_RANK_HEADERS = frozenset({"#", "rank", "no", "no.", "position", "pos", "place", "ranking"})
_PRICE_RE = re.compile(r"\$|€|£|\bprice\b|\bcost\b|\busd\b|per 1m|/1m|/ ?m tok", re.IGNORECASE)
_SPEED_RE = re.compile(r"tok(?:ens)?/s|tokens per second|throughput|\bspeed\b|\bqps\b|\brps\b", re.IGNORECASE)
_LOWER_RE = re.compile(
    r"latency|\btime\b|\bttft\b|\btpot\b|\berror\b|\bwer\b|\bcer\b|perplexity|\bppl\b|\bloss\b|\bms\b|"
    r"\(s\)|seconds|memory|\bvram\b|↓",
    re.IGNORECASE,
)
_CHANGE_RE = re.compile(r"change|\bdelta\b|Δ|±|\bmove\b|\bdiff", re.IGNORECASE)


def parse_cell(text: str) -> tuple[float, str] | None:
    """``"65.3%"`` -> (65.3, "%"); ``"$1.25"`` -> (1.25, "USD"); ``"1,234"`` -> (1234.0, ""); text -> None.

    A cell whose number is a small part of it ("GPT-5.5", "Llama 3 70B") is a name, not a number."""
    stripped = text.strip().strip("*_`")
    m = _NUMBER_RE.search(stripped)
    if m is None:
        return None
    before, after = stripped[: m.start()].strip(), stripped[m.end() :].strip()
    if re.search(r"[A-Za-z]", before) and before.upper() not in ("US$", "USD"):
        return None
    if any(len(w) > 5 for w in re.findall(r"[A-Za-z]+", after)) and not _SPEED_RE.search(after):
        return None
    value = float(m.group(0).replace(",", "").replace("−", "-"))
    unit = "%" if "%" in after else ("USD" if "$" in before or "USD" in before.upper() else "")
    return value, unit


def _column_kind(header: str, values: list[tuple[float, str] | None]) -> Column:
    key = header.strip().strip("*_`").lower()
    numeric = [v for v in values if v is not None]
    if not numeric or len(numeric) < max(1, len(values) // 2):
        return Column(header, "text")
    unit = (
        "%" if any(u == "%" for _, u in numeric) else ("USD" if any(u == "USD" for _, u in numeric) else "")
    )
    if key in _RANK_HEADERS and all(v == int(v) for v, _ in numeric):
        return Column(header, "rank")
    if _CHANGE_RE.search(header):
        return Column(header, "change", unit)
    if unit == "USD" or _PRICE_RE.search(header):
        return Column(header, "price", "USD")
    if _SPEED_RE.search(header):
        return Column(header, "speed", "tok/s")
    if _LOWER_RE.search(header):
        return Column(header, "lower", unit)
    return Column(header, "score", unit)


def _build(title: str, header: list[str], body: list[list[str]], *, flip: bool = True) -> Table | None:
    width = len(header)
    body = [(row + [""] * width)[:width] for row in body if any(c.strip() for c in row)]
    if width < 2 or not body:
        return None
    parsed = [[parse_cell(c) for c in row] for row in body]
    columns = [_column_kind(header[i], [p[i] for p in parsed]) for i in range(width)]
    name_col = next((i for i, c in enumerate(columns) if c.kind == "text"), None)
    if name_col is None:
        return None
    rows = []
    for position, (cells, values) in enumerate(zip(body, parsed, strict=True), start=1):
        name = cells[name_col].strip().strip("*_`").strip()
        if not name:
            continue
        nums = tuple(None if columns[i].kind == "text" or v is None else v[0] for i, v in enumerate(values))
        rows.append(Row(name, nums, tuple(c.strip() for c in cells), position))
    scores = [i for i, c in enumerate(columns) if c.kind == "score"]
    primary = scores[0] if len(scores) == 1 else None
    if not rows:
        return None
    table = Table(
        title or "the cited table",
        tuple(columns),
        tuple(rows),
        primary=primary,
        aliases=(title,) if title else (),
    )
    numeric = [i for i in range(width) if i != name_col]
    if not flip or name_col != 0 or len(rows) < 2 or any(columns[i].kind == "text" for i in numeric):
        return table
    flipped = _build(
        title,
        [header[0], *(r.name for r in rows)],
        [[header[i], *(r.cells[i] for r in rows)] for i in numeric],
        flip=False,
    )
    return replace(table, flipped=flipped)


# ---------------------------------------------------------------- Markdown and HTML in passages

_PIPE_ROW_RE = re.compile(r"^[ \t]*\|?(.*\|.*?)\|?[ \t]*$")
_SEPARATOR_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")


def _split_pipe_row(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def _markdown_tables(text: str) -> list[tuple[int, int, Table]]:
    # Blank lines between rows are allowed: a page extracted before tables were kept whole has them.
    lines = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\n]*", text) if m.group(0).strip()]
    out: list[tuple[int, int, Table]] = []
    i = 0
    while i + 1 < len(lines):
        head, sep = lines[i], lines[i + 1]
        if "|" not in head[2] or not _SEPARATOR_RE.match(sep[2]):
            i += 1
            continue
        header = _split_pipe_row(head[2])
        body: list[list[str]] = []
        j, end = i + 2, sep[1]
        while j < len(lines) and "|" in lines[j][2] and not _SEPARATOR_RE.match(lines[j][2]):
            body.append(_split_pipe_row(lines[j][2]))
            end = lines[j][1]
            j += 1
        table = _build(_title_before(text, head[0]), header, body)
        if table is not None:
            out.append((head[0], end, table))
        i = j
    return out


def _title_before(text: str, start: int) -> str:
    """The line above a table, when it is short enough to be its caption or heading."""
    # Read back from the table, not by copying all the text before it: once per table, that copy made a
    # page of 4,000 small tables quadratic.
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    above = text[text.rfind("\n", 0, end) + 1 : end].strip().lstrip("#").strip()
    # A caption or a heading: short, and not a sentence of the text ("Table 2: Results." is a caption).
    caption = not above.endswith((".", "!", "?")) or above.lower().startswith(("table", "figure"))
    return above if 0 < len(above) <= 80 and "|" not in above and caption else ""


_HTML_TABLE_RE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def _html_tables(text: str) -> list[tuple[int, int, Table]]:
    import lxml.html  # only a passage with a <table> pays for it

    out: list[tuple[int, int, Table]] = []
    for m in _HTML_TABLE_RE.finditer(text):
        try:
            element = lxml.html.fragment_fromstring(m.group(0))
        except (ValueError, lxml.etree.ParserError):
            continue
        rows = [
            [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
            for tr in element.iter("tr")
        ]
        rows = [r for r in rows if r]
        if len(rows) < 2:
            continue
        caption = element.find(".//caption")
        title = (
            " ".join(caption.text_content().split())
            if caption is not None
            else _title_before(text, m.start())
        )
        table = _build(title, rows[0], rows[1:])
        if table is not None:
            out.append((m.start(), m.end(), table))
    return out


@lru_cache(maxsize=4096)
def tables_in(text: str) -> tuple[tuple[int, int, Table], ...]:
    """Every table printed in ``text`` with its character range: Markdown pipe tables and HTML tables."""
    if "|" not in text and "<table" not in text.lower():
        return ()
    found = _markdown_tables(text) if "|" in text else []
    if "<table" in text.lower():
        found += _html_tables(text)
    return tuple(sorted(found, key=lambda t: t[0]))
