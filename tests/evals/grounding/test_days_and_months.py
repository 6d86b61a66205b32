"""A day of the week or a month the sentence names must be one the cited passage names: in words, in a
numeric date, or as the weekday of a full date. Each row as `eval score` reads it."""

from __future__ import annotations

import pytest

from agent.domain.models import Verdict
from evals.grounding._times import DAYS, MONTHS, named_times, passage_times
from evals.grounding.documents import DocumentClaim, check_documents

SOURCE = (
    "Peggy: The national congress is held in Warsaw (12-13.01). Maria needs help with the workshops on "
    "Saturday. Joe: we are going to Ukraine on the last weekend of January."
)


def _verdict(source: str, claim: str) -> tuple[Verdict, list[str]]:
    row = check_documents([DocumentClaim("r", source, claim)])[0]
    return row.verdict, row.reasons


def test_a_day_the_source_never_names_is_a_red_flag_that_names_it() -> None:
    verdict, reasons = _verdict(SOURCE, "Maria needs help with the workshops on Sunday.")
    assert verdict is Verdict.UNSUPPORTED
    assert any("the day 'Sunday' is not in the cited passage" in r for r in reasons)


def test_a_month_the_source_never_names_is_a_red_flag() -> None:
    verdict, reasons = _verdict(SOURCE, "Joe is going to Ukraine with friends in July.")
    assert verdict is Verdict.UNSUPPORTED
    assert any("the month 'July' is not in the cited passage" in r for r in reasons)


@pytest.mark.parametrize(
    "claim",
    [
        "Maria needs help with the workshops on Saturday.",
        "Joe is going to Ukraine on the last weekend of January.",
        "The national congress in Warsaw is in January.",  # 12-13.01
    ],
)
def test_a_day_or_month_the_source_names_passes(claim: str) -> None:
    assert _verdict(SOURCE, claim)[0] is Verdict.SUPPORTED


def test_the_weekday_of_a_full_date_counts_as_named() -> None:
    source = "OpenAI released the model on 1 December 2026, and the lab opened its API the same day."
    assert _verdict(source, "OpenAI released the model on Tuesday.")[0] is Verdict.SUPPORTED
    assert _verdict(source, "OpenAI released the model on Wednesday.")[0] is Verdict.UNSUPPORTED


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("The 2026-07-14 release", {"july", "tuesday"}),
        ("Released 14/07/2026", {"july", "tuesday"}),
        ("Released 07/14/2026", {"july", "tuesday"}),
        ("Thu, Sept. 3", {"thursday", "september"}),
        ("Wanna grab some beer? TGIF", {"friday"}),
        ("Published December 1, 2026", {"december", "tuesday"}),
        ("Every day of the week: MONDAY, Tue, weds, Thursday, friday, Sat., SUNDAY", set(DAYS)),
        ("Every month: " + ", ".join(m.capitalize() for m in MONTHS), set(MONTHS)),
        ("Jan, Feb, Mar, Apr, Jun, Jul, Aug, Sept, Oct, Nov, Dec", set(MONTHS) - {"may"}),
    ],
)
def test_a_passage_names_days_and_months_however_it_writes_them(text: str, named: set[str]) -> None:
    assert passage_times(text) == frozenset(named)


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("The model may ship in May, and it will march on.", ["may"]),
        ("March 3 is the deadline; the lab may say more.", ["march"]),
        ("Prices may rise, the lab said on Friday.", ["friday"]),
        ("Analysts expect growth through March.", ["march"]),
        ("The friday meeting was moved.", []),  # lower-case in cased text: not a claim about a day
    ],
)
def test_may_and_march_are_months_only_where_a_time_is_meant(sentence: str, named: list[str]) -> None:
    assert named_times(sentence) == named


def test_a_lower_cased_summary_names_days_in_lower_case() -> None:
    sentence = "blackpool drew 1-1 at the bottom of the championship on saturday ."
    assert named_times(sentence, caseless=True) == ["saturday"]
    source = "Blackpool drew 1-1 at Bloomfield Road, bottom of the Championship."
    verdict, reasons = _verdict(source, sentence)
    assert verdict is Verdict.UNSUPPORTED
    assert any("'Saturday'" in r for r in reasons)


def test_a_hostile_row_of_mays_is_read_quickly() -> None:
    # Each "may" is judged by the few words beside it. Before, each re-read the sentence up to it: this
    # row (240 kB) would take minutes; it now takes a second. No timer here (speed is the benchmarks'
    # business), but the suite would stall on a regression.
    assert named_times("the may and " * 20_000, caseless=True) == []
    assert named_times("in may " * 20_000, caseless=True) == ["may"]
