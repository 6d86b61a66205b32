from __future__ import annotations

import pytest

from evals.grounding._quantities import Quantity, extract_quantities, find_match


def _values(text: str) -> list[tuple[float, str, str]]:
    return [(q.value, q.unit, q.kind) for q in extract_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cut click-through rates by 58 percent", [(58.0, "%", "number")]),
        ("cut click-through rates by 58%", [(58.0, "%", "number")]),
        ("spans only 4.3 percentage points", [(4.3, "pp", "number")]),
        ("spending $725 billion on compute", [(725e9, "USD", "number")]),
        ("725 billion dollars", [(725e9, "USD", "number")]),
        ("1.2M users", [(1.2e6, "users", "number")]),
        ("between 62.3%-64.4% of tasks", [(62.3, "%", "number"), (64.4, "%", "number")]),
        ("banned by a 44-2 vote", [(440002.0, "pair", "pair")]),
        ("Claude Opus 4.6 and 4.7", [(4.6, "", "number"), (4.7, "", "number")]),
        ("on May 14, 2026", [(514, "date", "date"), (2026.0, "", "number")]),
        ("three sim cards", [(3.0, "", "word")]),
        ("65 tok/s for $11.25", [(65.0, "tok/s", "number"), (11.25, "USD", "number")]),
    ],
)
def test_extracts_normalised_quantities(text: str, expected: list[tuple[float, str, str]]) -> None:
    assert _values(text) == expected


def test_a_model_id_with_a_date_inside_is_not_a_date() -> None:
    assert [q.kind for q in extract_quantities("gpt-5.2-2025-12-11-medium scored 64.4%")] == ["number"]


def test_iso_and_written_dates_are_equal() -> None:
    iso = extract_quantities("2026-05-14")
    written = extract_quantities("14 May 2026")
    assert {(q.value, q.kind) for q in iso} == {(q.value, q.kind) for q in written}


def _match(claim: str, evidence: str) -> tuple[Quantity | None, Quantity | None]:
    return find_match(extract_quantities(claim)[0], extract_quantities(evidence))


def test_percent_spellings_match() -> None:
    assert _match("58 percent", "58%")[0] is not None


def test_percent_and_percentage_points_conflict() -> None:
    match, conflicting = _match("4.3%", "4.3 percentage points")
    assert match is None and conflicting is not None


def test_scale_is_part_of_the_value() -> None:
    assert _match("$725 million", "$725 billion") == (None, None)
    assert _match("$725 billion", "725 billion dollars")[0] is not None


def test_currency_conflict() -> None:
    assert _match("€725 billion", "$725 billion")[1] is not None


def test_a_rounded_claim_matches_but_a_different_number_does_not() -> None:
    assert _match("65%", "65.3%")[0] is not None
    assert _match("65.0%", "65.3%")[0] is None
    assert _match("4.7", "4.6")[0] is None


def test_votes_match_as_a_pair_only() -> None:
    assert _match("a 44-2 vote", "voted 44-2")[0] is not None
    assert _match("a 44-3 vote", "voted 44-2")[0] is None
