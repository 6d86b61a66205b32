from __future__ import annotations

from datetime import date

from agent.domain.models import (
    Leaderboard,
    LeaderboardMove,
    LeaderboardRow,
    Section,
    SourceKind,
    content_hash,
)
from agent.moves import (
    compute_moves,
    format_score,
    move_label,
    moves_document,
    normalise_model_name,
    score_decimals,
)

DAY = date(2026, 11, 26)


def _swe(*rows: tuple[str, float]) -> Leaderboard:
    return Leaderboard(
        name="SWE-rebench",
        metric="Resolved rate",
        rows=tuple(LeaderboardRow(rank=n, model=m, score=s, unit="%") for n, (m, s) in enumerate(rows, 1)),
    )


LAST_WEEK = _swe(
    ("gpt-5.2-2025-12-11-medium", 64.5),
    ("GLM-5", 63.0),
    ("claude-opus-4.6", 64.1),  # spelled differently last week
    ("Junie", 62.8),
    ("Kimi K2 Thinking", 58.0),  # drops off this week
)
THIS_WEEK = _swe(
    ("Claude Opus 4.6", 65.3),
    ("gpt-5.2-2025-12-11-medium", 64.4),
    ("GLM-5", 63.0),
    ("gpt-5.4-2026-03-05-medium", 62.8),
    ("Junie", 62.8),
)


def test_names_match_across_spelling_but_not_across_versions() -> None:
    assert normalise_model_name("Claude Opus 4.6") == normalise_model_name("claude-opus-4.6")
    assert normalise_model_name("CLAUDE_OPUS  4.6") == normalise_model_name("Claude Opus 4.6")
    assert normalise_model_name("Claude Opus 4.6") != normalise_model_name("Claude Opus 4.7")
    assert normalise_model_name("GPT‑5.5") == normalise_model_name("gpt 5.5")  # non-breaking hyphen


def test_compute_moves_one_per_current_row_in_rank_order() -> None:
    moves = compute_moves(THIS_WEEK, LAST_WEEK)
    assert [(m.model, m.rank, m.previous_rank, m.previous_score) for m in moves] == [
        ("Claude Opus 4.6", 1, 3, 64.1),
        ("gpt-5.2-2025-12-11-medium", 2, 1, 64.5),
        ("GLM-5", 3, 2, 63.0),
        ("gpt-5.4-2026-03-05-medium", 4, None, None),
        ("Junie", 5, 4, 62.8),
    ]
    assert {m.leaderboard for m in moves} == {"SWE-rebench"}
    assert {m.unit for m in moves} == {"%"}
    assert moves[0].rank_change == 2
    assert moves[0].score_change == 1.2
    assert [move_label(m) for m in moves] == ["▲2", "▼1", "▼1", "new", "▼1"]


def test_without_a_previous_snapshot_there_are_no_moves() -> None:
    assert compute_moves(THIS_WEEK, None) == []


def test_a_model_that_held_its_rank_is_labelled_as_such() -> None:
    moves = compute_moves(_swe(("A", 60.0), ("B", 50.0)), _swe(("A", 59.0), ("B", 50.0)))
    assert [move_label(m) for m in moves] == ["–", "–"]
    # One place either way is a move, not a held rank.
    swapped = compute_moves(_swe(("A", 60.0), ("B", 50.0)), _swe(("B", 61.0), ("A", 59.0)))
    assert [move_label(m) for m in swapped] == ["▲1", "▼1"]


def test_moves_document_has_one_citable_sentence_per_move() -> None:
    doc = moves_document(compute_moves(THIS_WEEK, LAST_WEEK), DAY)
    assert doc.id == "moves:2026-11-26"
    assert (doc.section, doc.kind) == (Section.BENCHMARKS, SourceKind.LEADERBOARD)
    assert doc.content_hash == content_hash(doc.text.encode("utf-8"))
    assert doc.text.splitlines() == [
        "On SWE-rebench, Claude Opus 4.6 moved from rank 3 to rank 1, with a score of 65.3% "
        "(up 1.2 points from 64.1%).",
        "On SWE-rebench, gpt-5.2-2025-12-11-medium moved from rank 1 to rank 2, with a score of 64.4% "
        "(down 0.1 points from 64.5%).",
        "On SWE-rebench, GLM-5 moved from rank 2 to rank 3, with a score of 63% (score unchanged).",
        "On SWE-rebench, gpt-5.4-2026-03-05-medium is new on the board at rank 4 with 62.8%.",
        "On SWE-rebench, Junie moved from rank 4 to rank 5, with a score of 62.8% (score unchanged).",
    ]


def test_index_scores_are_written_without_a_unit_and_held_ranks_say_so() -> None:
    index = Leaderboard(
        name="Artificial Analysis Intelligence Index",
        metric="Intelligence Index",
        rows=(
            LeaderboardRow(rank=1, model="GPT-5.5", score=60.2),
            LeaderboardRow(rank=2, model="Kimi K2.6", score=53.9),
        ),
    )
    before = Leaderboard(
        name=index.name, metric=index.metric, rows=(LeaderboardRow(rank=1, model="GPT-5.5", score=59.2),)
    )
    doc = moves_document(compute_moves(index, before), DAY)
    assert doc.text.splitlines() == [
        "On Artificial Analysis Intelligence Index, GPT-5.5 held rank 1, with a score of 60.2 "
        "(up 1 point from 59.2).",
        "On Artificial Analysis Intelligence Index, Kimi K2.6 is new on the board at rank 2 "
        "with a score of 53.9.",
    ]


def test_every_number_in_the_document_is_one_the_boards_hold() -> None:
    moves = compute_moves(THIS_WEEK, LAST_WEEK)
    text = moves_document(moves, DAY).text
    for move in moves:
        assert format_score(move.score, move.unit) in text


def test_no_moves_give_an_empty_document() -> None:
    doc = moves_document([], DAY)
    assert doc.text == ""
    assert doc.id == "moves:2026-11-26"


def test_format_score_keeps_at_most_two_decimals() -> None:
    assert format_score(65.3, "%") == "65.3%"
    assert format_score(60.0, "") == "60"
    assert format_score(0.6534, "") == "0.65"
    assert LeaderboardMove(leaderboard="x", model="m", rank=1, score=1.0).unit == ""


def test_a_score_shares_the_precision_of_the_one_it_is_compared_with() -> None:
    moves = compute_moves(_swe(("GLM-5", 63.0)), _swe(("GLM-5", 64.1)))
    assert moves_document(moves, DAY).text == (
        "On SWE-rebench, GLM-5 held rank 1, with a score of 63.0% (down 1.1 points from 64.1%)."
    )
    assert score_decimals([55.0, 63.5, None]) == 1
    assert score_decimals([55.0, 62.0]) == 0
    assert score_decimals([0.6534]) == 2
    assert format_score(55.0, "", 1) == "55.0"
