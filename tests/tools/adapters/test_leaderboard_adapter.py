"""Leaderboards: both real Artificial Analysis captures, and HTML tables mapped by header."""

from __future__ import annotations

import itertools
import json

import pytest

from agent.domain.models import Item, LeaderboardRow, Section, SourceKind
from agent.domain.sources import ColumnMapping
from tests.tools.adapters._helpers import DATA, MakeContext, RealCapture
from tools.adapters import ParseError, parse_artificial_analysis, parse_html_table
from tools.adapters.leaderboard import parse_number

AA_FILES = [
    "leaderboards/artificial_analysis_llms_models_2026_subset_keyed_by_slug.json",
    "leaderboards/artificial_analysis_llms_models_rewrapped.json",
]
SWE_COLUMNS = ColumnMapping(
    model="model", score="Resolved Rate", tokens_per_second="TOKENS/S", usd_per_million_tokens="Cost per 1M"
)


def _board(items: list[Item]) -> tuple[LeaderboardRow, ...]:
    [item] = items
    assert item.leaderboard is not None
    return item.leaderboard.rows


def _assert_ranked(rows: tuple[LeaderboardRow, ...]) -> None:
    scores = [row.score for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0].rank == 1
    for before, after in itertools.pairwise(rows):
        assert after.rank == (before.rank if after.score == before.score else rows.index(after) + 1)


@pytest.mark.parametrize("relative", AA_FILES)
def test_real_artificial_analysis_captures_rank_by_the_index(
    relative: str, real_capture: RealCapture
) -> None:
    body, context = real_capture(
        relative,
        url="https://artificialanalysis.ai/api/v2/data/llms/models",
        kind=SourceKind.LEADERBOARD,
        section=Section.BENCHMARKS,
        source="artificial-analysis",
        max_items=500,
    )
    document = json.loads(body)
    records = document["models"] if "models" in document else list(document.values())
    indexed = [
        r for r in records if (r.get("evaluations") or {}).get("artificial_analysis_intelligence_index")
    ]
    [item] = parse_artificial_analysis(body, context)
    assert item.id == "leaderboard:artificial-analysis"
    assert item.kind is SourceKind.LEADERBOARD and item.section is Section.BENCHMARKS
    assert item.leaderboard is not None and item.leaderboard.metric == "Intelligence Index"
    rows = item.leaderboard.rows
    assert len(rows) == len(indexed) > 0, "every record with the index, and only those"
    _assert_ranked(rows)
    best = max(indexed, key=lambda r: r["evaluations"]["artificial_analysis_intelligence_index"])
    assert rows[0].model == best["name"]
    assert rows[0].usd_per_million_tokens == best["pricing"]["price_1m_blended_3_to_1"]
    assert rows[0].tokens_per_second == best["median_output_tokens_per_second"]
    assert rows[0].creator == best["model_creator"]["name"]
    sentences = item.text.split(". Rank ")
    assert len(sentences) == len(rows)
    assert item.text.startswith(f"Rank 1: {rows[0].model} scores {rows[0].score:g} on the Intelligence Index")


def test_the_rewrapped_capture_top_rows(real_capture: RealCapture) -> None:
    rows = _board(parse_artificial_analysis(*real_capture(AA_FILES[1], max_items=3)))
    assert [(r.rank, r.model, r.score) for r in rows] == [
        (1, "Gemini 3 Pro Preview (high)", 72.8),
        (2, "GPT-5.2 (xhigh)", 72.6),
        (3, "Gemini 3 Flash Preview (Reasoning)", 71.3),
    ]


def test_live_api_shape_ties_and_text(make_context: MakeContext) -> None:
    def record(name: str, index: float | None, speed: float | None, price: float | None) -> dict[str, object]:
        return {
            "name": name,
            "slug": name.lower(),
            "model_creator": {"name": "Lab"},
            "evaluations": {"artificial_analysis_intelligence_index": index},
            "pricing": {"price_1m_blended_3_to_1": price},
            "median_output_tokens_per_second": speed,
        }

    document = {
        "status": 200,
        "data": [
            record("Beta", 57.3, 63.2, 10.94),
            record("Alpha", 60.2, 65.4, 11.25),
            record("Gamma", 57.3, None, None),
            record("NoIndex", None, 100.0, 1.0),
        ],
    }
    body = json.dumps(document).encode()
    [item] = parse_artificial_analysis(
        body, make_context(body, kind=SourceKind.LEADERBOARD, source="AA board")
    )
    assert item.id == "leaderboard:aa-board"
    assert item.leaderboard is not None
    assert [(r.rank, r.model) for r in item.leaderboard.rows] == [(1, "Alpha"), (2, "Beta"), (2, "Gamma")]
    assert item.text == (
        "Rank 1: Alpha scores 60.2 on the Intelligence Index, at 65 output tokens per second and "
        "$11.25 per 1M tokens. Rank 2: Beta scores 57.3 on the Intelligence Index, at 63 output tokens "
        "per second and $10.94 per 1M tokens. Rank 2: Gamma scores 57.3 on the Intelligence Index."
    )


def test_nan_and_infinity_are_no_score_speed_or_price(make_context: MakeContext) -> None:
    # Python's JSON reader takes NaN and Infinity; a row scored NaN crashed the whole run at rendering.
    body = (
        b'{"data": [{"name": "Finite", "evaluations": {"artificial_analysis_intelligence_index": 50},'
        b' "median_output_tokens_per_second": Infinity, "pricing": {"price_1m_blended_3_to_1": NaN}},'
        b' {"name": "NotANumber", "evaluations": {"artificial_analysis_intelligence_index": NaN}},'
        b' {"name": "Endless", "evaluations": {"artificial_analysis_intelligence_index": Infinity}}]}'
    )
    [item] = parse_artificial_analysis(body, make_context(body, kind=SourceKind.LEADERBOARD))
    assert item.leaderboard is not None
    assert item.leaderboard.rows == (LeaderboardRow(rank=1, model="Finite", score=50.0),)
    assert item.extra == {"models_ranked": 1, "records": 3}


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{"status": 401, "error": "Invalid API key"}', "answered an error .*Invalid API key"),
        (b"<html>Bad gateway</html>", "answered an HTML page where the Artificial Analysis API.s JSON"),
        (b'{"status": 200, "data": [{"name": "x", "evaluations": {}}]}', "none of the 1 model records"),
        (b'{"unexpected": true}', "no Artificial Analysis model records"),
    ],
)
def test_artificial_analysis_errors(body: bytes, match: str, make_context: MakeContext) -> None:
    with pytest.raises(ParseError, match=match):
        parse_artificial_analysis(body, make_context(body, kind=SourceKind.LEADERBOARD))


def test_html_table_with_a_mapping(make_context: MakeContext) -> None:
    body = (DATA / "leaderboard_table.html").read_bytes()
    context = make_context(body, kind=SourceKind.LEADERBOARD, source="swe-rebench", url="https://lb.example/")
    [item] = parse_html_table(body, context, columns=SWE_COLUMNS, table_index=1, name="SWE-rebench")
    assert item.leaderboard is not None
    assert item.leaderboard.name == "SWE-rebench" and item.leaderboard.metric == "Resolved Rate"
    assert item.leaderboard.rows == (
        LeaderboardRow(
            rank=1,
            model="Claude Opus 4.6",
            score=65.3,
            unit="%",
            tokens_per_second=63.0,
            usd_per_million_tokens=10.94,
        ),
        LeaderboardRow(
            rank=2,
            model="gpt-5.2-2025-12-11-medium",
            score=64.4,
            unit="%",
            tokens_per_second=1205.0,
            usd_per_million_tokens=4.5,
        ),
        # Tied scores and no rank column: the tie shares a rank, as the AA ranking does.
        LeaderboardRow(rank=3, model="GLM-5", score=62.8, unit="%"),
        LeaderboardRow(rank=3, model="Junie", score=62.8, unit="%"),
    )
    assert item.extra == {"rows_found": 5, "rows_parsed": 4}
    assert item.text.startswith(
        "Rank 1: Claude Opus 4.6 scores 65.3% on the Resolved Rate, at 63 output tokens per second and "
        "$10.94 per 1M tokens. Rank 2:"
    )
    assert "Rank 3: GLM-5 scores 62.8% on the Resolved Rate." in item.text
    capped = parse_html_table(body, make_context(body, max_items=2), columns=SWE_COLUMNS, table_index=1)
    assert len(_board(capped)) == 2


def test_html_table_rank_column(make_context: MakeContext) -> None:
    body = b"""<table><tr><td>#</td><td>Model</td><td>Score</td></tr>
      <tr><td>3</td><td>Three</td><td>50.5</td></tr><tr><td>7</td><td>Seven</td><td>40</td></tr></table>"""
    rows = _board(
        parse_html_table(
            body, make_context(body), columns=ColumnMapping(rank="#", model="Model", score="Score")
        )
    )
    assert [(r.rank, r.model, r.score, r.unit) for r in rows] == [
        (3, "Three", 50.5, ""),
        (7, "Seven", 40.0, ""),
    ]


def test_html_table_ties_share_a_rank_and_a_blank_rank_cell_follows_the_tie(
    make_context: MakeContext,
) -> None:
    body = b"""<table><tr><th>#</th><th>Model</th><th>Score</th></tr>
      <tr><td>1</td><td>A</td><td>60</td></tr><tr><td></td><td>B</td><td>60</td></tr>
      <tr><td></td><td>C</td><td>50</td></tr></table>"""
    ranked = ColumnMapping(rank="#", model="Model", score="Score")
    rows = _board(parse_html_table(body, make_context(body), columns=ranked))
    assert [(r.rank, r.model) for r in rows] == [(1, "A"), (1, "B"), (3, "C")]
    unranked = ColumnMapping(model="Model", score="Score")
    rows = _board(parse_html_table(body, make_context(body), columns=unranked))
    assert [(r.rank, r.model) for r in rows] == [(1, "A"), (1, "B"), (3, "C")]


@pytest.mark.parametrize(
    "table",
    [
        # The header row in <thead> written with <td>; body rows with a row-header <th>.
        b"<table><thead><tr><td>Model</td><td>Score</td></tr></thead>"
        b"<tbody><tr><th>A</th><td>5</td></tr><tr><th>B</th><td>4</td></tr></tbody></table>",
        b"<table><tr><td>Model</td><td>Score</td></tr><tr><th>A</th><td>5</td></tr><tr><th>B</th><td>4</td></tr></table>",
        # A caption row above an all-<th> header row.
        b"<table><tr><td colspan='2'>Week 47</td></tr><tr><th>Model</th><th>Score</th></tr>"
        b"<tr><th>A</th><td>5</td></tr><tr><th>B</th><td>4</td></tr></table>",
    ],
)
def test_html_table_header_row_among_row_headers(table: bytes, make_context: MakeContext) -> None:
    rows = _board(
        parse_html_table(table, make_context(table), columns=ColumnMapping(model="Model", score="Score"))
    )
    assert [(r.rank, r.model, r.score) for r in rows] == [(1, "A", 5.0), (2, "B", 4.0)]


def test_html_table_missing_column_names_it_and_the_headers_found(make_context: MakeContext) -> None:
    body = (DATA / "leaderboard_table.html").read_bytes()
    columns = ColumnMapping(model="Model", score="Pass@1")
    with pytest.raises(ParseError) as caught:
        parse_html_table(body, make_context(body), columns=columns, table_index=1)
    message = str(caught.value)
    assert "no column 'Pass@1' (for score)" in message
    assert "headers found: ['Model', 'Resolved Rate', 'Tokens/s', 'Cost per 1M', 'Notes']" in message


def test_html_table_index_out_of_range(make_context: MakeContext) -> None:
    body = b"<html><body><div id='app'></div></body></html>"
    with pytest.raises(ParseError, match=r"has 0 table.*JavaScript"):
        parse_html_table(body, make_context(body), columns=SWE_COLUMNS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65.3%", (65.3, "%")),
        ("62.8 %", (62.8, "%")),
        ("$1.25", (1.25, "$")),
        ("1,234", (1234.0, "")),
        ("65.3 ± 1.2", (65.3, "")),
        ("n/a", None),
        ("", None),
        ("9" * 400, None),  # read as infinity: no number a board can rank or print
    ],
)
def test_parse_number(text: str, expected: tuple[float, str] | None) -> None:
    assert parse_number(text) == expected
