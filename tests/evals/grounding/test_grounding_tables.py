"""Tables parsed from passages, and sentences about tables checked by computation."""

from __future__ import annotations

import pytest

from agent.domain.models import Citation, Claim, Item, Section, SourceKind, Verdict
from evals.grounding._tables import parse_cell, tables_in
from tests.evals.grounding.test_grounding_checker import AA_ITEM, MOVES, MOVES_ITEM, SWE_ITEM, _check

LAB_POST = """We release Foo-2 today, our strongest model so far.

Results on coding and reasoning benchmarks

| Model | SWE-bench Verified | GPQA | Latency (ms) | Price ($/1M) |
|:---|---:|---:|---:|---:|
| Foo-2 | 72.1% | 81.0 | 420 | $3.00 |
| Bar-5 | 69.4% | 83.2 | 380 | $5.00 |
| Baz-1 | 69.4% | 77.5 | 610 | $0.80 |

Foo-2 is available in the API today."""

PAPER = """Table 2 compares the systems.
<table><caption>Throughput on H100</caption>
<tr><th>System</th><th>Tokens/s</th><th>TTFT (ms)</th></tr>
<tr><td>vLLM</td><td>1,850</td><td>120</td></tr>
<tr><td>SGLang</td><td>2,310</td><td>95</td></tr>
<tr><td>Ours</td><td>2,940</td><td>88</td></tr>
</table>
Ours is the fastest."""


def test_a_markdown_table_is_parsed_with_its_columns_and_rows() -> None:
    [(start, end, table)] = tables_in(LAB_POST)
    assert LAB_POST[start:end].startswith("| Model |") and LAB_POST[start:end].endswith("$0.80 |")
    assert table.title == "Results on coding and reasoning benchmarks"
    assert [c.kind for c in table.columns] == ["text", "score", "score", "lower", "price"]
    assert table.columns[1].unit == "%"
    assert [r.name for r in table.rows] == ["Foo-2", "Bar-5", "Baz-1"]
    assert table.rows[0].values == (None, 72.1, 81.0, 420.0, 3.0)
    assert table.primary is None  # two benchmarks: a sentence must name one
    # Ties share a rank; lower latency ranks first.
    assert [table.rank_of(r, 1) for r in table.rows] == [1, 2, 2]
    assert [table.rank_of(r, 3) for r in table.rows] == [2, 1, 3]


def test_a_markdown_table_whose_rows_are_split_by_blank_lines_is_still_one_table() -> None:
    text = "| Model | Score |\n\n|---|---|\n\n| A-1 | 60.2 |\n\n| B-2 | 57.3 |"
    [(_, _, table)] = tables_in(text)
    assert [(r.name, r.values[1]) for r in table.rows] == [("A-1", 60.2), ("B-2", 57.3)]


TRANSPOSED = """Foo-2 is our best model yet.

| Benchmark | Foo-2 | Bar-5 | Baz-1 |
|---|---|---|---|
| SWE-bench Verified | 72.1% | 69.4% | 69.4% |
| GPQA Diamond | 81.0 | 83.2 | 77.5 |"""


def test_a_table_with_models_across_the_top_is_also_read_the_other_way() -> None:
    [(_, _, table)] = tables_in(TRANSPOSED)
    assert table.title == "the cited table"  # the line above is a sentence, not a caption
    assert [r.name for r in table.rows] == ["SWE-bench Verified", "GPQA Diamond"]
    assert table.flipped is not None
    assert [c.header for c in table.flipped.columns] == ["Benchmark", "SWE-bench Verified", "GPQA Diamond"]
    assert [(r.name, r.values[2]) for r in table.flipped.rows] == [
        ("Foo-2", 81.0),
        ("Bar-5", 83.2),
        ("Baz-1", 77.5),
    ]


@pytest.mark.parametrize(
    ("sentence", "true"),
    [
        ("Foo-2 outscores Bar-5 on SWE-bench Verified.", True),
        ("Foo-2 outscores Bar-5 on GPQA Diamond.", False),
        ("Bar-5 leads on GPQA Diamond with 83.2.", True),
        ("Baz-1 leads on GPQA Diamond.", False),
        ("Foo-2 scores 72.1% on SWE-bench Verified.", True),
        ("Foo-2 scores 72.1% on GPQA Diamond.", False),
    ],
)
def test_sentences_about_a_table_with_models_across_the_top(sentence: str, true: bool) -> None:
    claim = _cite_passage(sentence, TRANSPOSED, "| GPQA Diamond | 81.0 | 83.2 | 77.5 |")
    assert claim.verdict is (Verdict.SUPPORTED if true else Verdict.UNSUPPORTED), claim.reasons


def test_pipes_that_are_not_a_table_are_ignored() -> None:
    tree = "|-- bin/\n|   |-- python\n|-- lib/"
    assert tables_in(tree) == ()
    assert tables_in("a | b, with no separator line\nc | d") == ()


def test_an_html_table_is_parsed_with_its_caption() -> None:
    [(start, _, table)] = tables_in(PAPER)
    assert PAPER[start:].startswith("<table>")
    assert table.title == "Throughput on H100"
    assert [c.kind for c in table.columns] == ["text", "speed", "lower"]
    assert [r.values[1] for r in table.rows] == [1850.0, 2310.0, 2940.0]


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("65.3%", (65.3, "%")),
        ("$1.25", (1.25, "USD")),
        ("1,234", (1234.0, "")),
        ("2.3 GB/s", (2.3, "")),
        ("81.0 ± 0.4", (81.0, "")),
        ("GPT-5.5", None),
        ("Llama 3 70B", None),
        ("n/a", None),
    ],
)
def test_cells_are_numbers_or_names(cell: str, parsed: tuple[float, str] | None) -> None:
    assert parse_cell(cell) == parsed


def _cite_passage(sentence: str, text: str, quote: str) -> Claim:
    item = Item(
        id="https://lab.example/post",
        source="lab",
        section=Section.LABS,
        kind=SourceKind.PAGE,
        title="Foo-2",
        url="https://lab.example/post",
        text=text,
    )
    start = text.index(quote)
    citation = Citation(item_id=item.id, start=start, end=start + len(quote), quote=quote)
    claim = Claim(id="c", block="lead", paragraph=0, text=sentence, citations=[citation])
    from evals.grounding.checker import check_claims

    return check_claims([claim], items={item.id: item})[0]


@pytest.mark.parametrize(
    ("sentence", "verdict", "reason"),
    [
        ("Foo-2 scores 72.1% on SWE-bench Verified.", Verdict.SUPPORTED, ""),
        ("Foo-2 outscores Bar-5 on SWE-bench Verified.", Verdict.SUPPORTED, ""),
        ("Foo-2 leads Bar-5 on SWE-bench Verified by 2.7 points.", Verdict.SUPPORTED, ""),
        ("Bar-5 and Baz-1 are tied at 69.4% on SWE-bench Verified.", Verdict.SUPPORTED, ""),
        ("Baz-1 is cheaper than Foo-2.", Verdict.SUPPORTED, ""),
        ("Foo-2 outscores Bar-5 on GPQA.", Verdict.UNSUPPORTED, "'outscores' does not hold"),
        ("Foo-2 scores 69.4% on SWE-bench Verified.", Verdict.UNSUPPORTED, "69.4% is Bar-5's"),
        ("Foo-2 leads Bar-5 on SWE-bench Verified by 3.7 points.", Verdict.UNSUPPORTED, "2.7 points apart"),
        ("Foo-2 and Bar-5 are tied on SWE-bench Verified.", Verdict.UNSUPPORTED, "not tied"),
        ("Foo-2 is cheaper than Baz-1.", Verdict.UNSUPPORTED, "Foo-2 has $3.00 and Baz-1 $0.80"),
    ],
)
def test_sentences_about_a_table_in_a_cited_passage_are_computed(
    sentence: str, verdict: Verdict, reason: str
) -> None:
    claim = _cite_passage(sentence, LAB_POST, "| Foo-2 | 72.1% | 81.0 | 420 | $3.00 |")
    assert claim.verdict is verdict, claim.reasons
    assert any(reason in r for r in claim.reasons), claim.reasons


@pytest.mark.parametrize(
    ("sentence", "true"),
    [
        ("Bar-5 has the highest GPQA score.", True),
        ("Foo-2 has the highest GPQA score.", False),
        ("Bar-5 has the lowest latency of the three.", True),
        ("Baz-1 has the lowest latency of the three.", False),
        ("Baz-1 has the worst latency at 610 ms.", True),
    ],
)
def test_a_superlative_on_a_named_column_is_computed(sentence: str, true: bool) -> None:
    claim = _cite_passage(sentence, LAB_POST, "| Foo-2 | 72.1% | 81.0 | 420 | $3.00 |")
    assert claim.verdict is (Verdict.SUPPORTED if true else Verdict.UNSUPPORTED), claim.reasons


def test_an_html_table_in_a_paper_is_checked_too() -> None:
    ok = _cite_passage("Ours is faster than SGLang on H100.", PAPER, "<tr><td>Ours</td>")
    assert ok.verdict is Verdict.SUPPORTED, ok.reasons
    bad = _cite_passage("vLLM is faster than SGLang on H100.", PAPER, "<tr><td>Ours</td>")
    assert bad.verdict is Verdict.UNSUPPORTED
    assert any("vLLM has 1,850 and SGLang 2,310" in r for r in bad.reasons), bad.reasons


# Sentences about the leaderboards of test_grounding_checker, each with what it must come to.
_BOARD_CASES = [
    ("Claude Opus 4.6 holds the top position on SWE-rebench at 65.3%.", SWE_ITEM, True),
    ("gpt-5.2-2025-12-11-medium holds first place at 65.3%.", SWE_ITEM, False),
    ("Claude Opus 4.6 outscores GLM-5 on SWE-rebench.", SWE_ITEM, True),
    ("GLM-5 outscores Claude Opus 4.6 on SWE-rebench.", SWE_ITEM, False),
    ("GLM-5 trails Claude Opus 4.6 by 2.5 points.", SWE_ITEM, True),
    ("GLM-5 trails Claude Opus 4.6 by 1.5 points.", SWE_ITEM, False),
    ("gpt-5.2-2025-12-11-medium trails the leader by 0.9 points.", SWE_ITEM, True),
    ("gpt-5.2 trails the leader by 1.9 points.", SWE_ITEM, False),
    ("GLM-5, Junie and gpt-5.4-2026-03-05-medium are tied at 62.8%.", SWE_ITEM, True),
    ("GLM-5 and Kimi K2.6 are tied at 62.8%.", SWE_ITEM, False),
    ("Three models tie at 62.8% on SWE-rebench.", SWE_ITEM, True),
    ("Four models tie at 62.8% on SWE-rebench.", SWE_ITEM, False),
    ("GLM-5 is tied for third on SWE-rebench.", SWE_ITEM, True),
    ("Kimi K2.6 is tied for third on SWE-rebench.", SWE_ITEM, False),
    ("Gemini 3.1 Pro Preview is the cheapest of the top three.", AA_ITEM, True),
    ("GLM-5.1 is the cheapest of the top three.", AA_ITEM, False),
    ("Gemini 3.1 Pro Preview is faster than GPT-5.5.", AA_ITEM, True),
    ("GPT-5.5 is faster than Gemini 3.1 Pro Preview.", AA_ITEM, False),
    ("GLM-5.1 is cheaper than Claude Opus 4.7.", AA_ITEM, True),
    ("Claude Opus 4.7 is cheaper than GLM-5.1.", AA_ITEM, False),
    ("The top three are GPT-5.5, Claude Opus 4.7 and Gemini 3.1 Pro Preview.", AA_ITEM, True),
    ("The top three are GPT-5.5, Claude Opus 4.7 and GLM-5.1.", AA_ITEM, False),
    ("GPT-5.5 and Claude Opus 4.7 score 60.2 and 57.3 respectively.", AA_ITEM, True),
    ("GPT-5.5 and Claude Opus 4.7 score 57.3 and 60.2 respectively.", AA_ITEM, False),
    ("GPT-5.5 beat Claude Opus 4.7, 60.2 to 57.3.", AA_ITEM, True),
    ("GLM-5.1 is in the top five.", AA_ITEM, True),
    ("GLM-5.1 is in the top three.", AA_ITEM, False),
    ("The top five span 19.3 points on the index.", AA_ITEM, True),
    ("The top five span 9.3 points on the index.", AA_ITEM, False),
    ("GLM-5.1 climbed two places to rank 4 on Artificial Analysis.", MOVES_ITEM, True),
    ("GLM-5.1 climbed three places on Artificial Analysis.", MOVES_ITEM, False),
    ("GLM-5.1 gained 1.6 points on Artificial Analysis.", MOVES_ITEM, True),
    ("GLM-5.1 lost 1.6 points on Artificial Analysis.", MOVES_ITEM, False),
    ("Kimi K2 Thinking rose 2.9 points from 38.0 on Artificial Analysis.", MOVES_ITEM, True),
    ("Kimi K2 Thinking rose 2.9 points from 37.0 on Artificial Analysis.", MOVES_ITEM, False),
    ("Kimi K2 Thinking held rank 5 on Artificial Analysis.", MOVES_ITEM, True),
    ("GLM-5.1 held rank 4 on Artificial Analysis.", MOVES_ITEM, False),
]


@pytest.mark.parametrize(("sentence", "item", "true"), _BOARD_CASES)
def test_board_statements_are_computed(sentence: str, item: Item, true: bool) -> None:
    claim = _check(sentence, item, moves=MOVES, extra=(SWE_ITEM, AA_ITEM))
    assert claim.verdict is (Verdict.SUPPORTED if true else Verdict.UNSUPPORTED), claim.reasons


def test_a_score_of_another_row_says_whose_it_is() -> None:
    claim = _check("Claude Opus 4.6 holds the top position on SWE-rebench at 64.4%.", SWE_ITEM)
    assert claim.verdict is Verdict.UNSUPPORTED
    assert (
        "64.4% is gpt-5.2-2025-12-11-medium's Resolved rate at rank 2 on SWE-rebench; "
        "Claude Opus 4.6 at rank 1 holds 65.3%"
    ) in claim.reasons, claim.reasons


def test_a_rank_below_the_snapshot_is_left_to_the_other_checks() -> None:
    board = SWE_ITEM.leaderboard
    assert board is not None
    top5 = SWE_ITEM.model_copy(update={"leaderboard": board.model_copy(update={"rows": board.rows[:5]})})
    claim = _check("Within SWE-rebench, the spread from position 1 to position 10 spans 4.3 points.", top5)
    assert not any("SWE-rebench" in r for r in claim.reasons[:-1]), claim.reasons


def test_a_later_number_that_is_no_cell_is_left_to_the_other_checks() -> None:
    claim = _check("Claude Opus 4.6 scores 65.3% on SWE-rebench, 12% better than a year ago.", SWE_ITEM)
    assert claim.verdict is Verdict.UNSUPPORTED
    assert claim.reasons[0] == "the number '12%' is not in the cited passage", claim.reasons
