from __future__ import annotations

from agent.models import Verdict
from evals.grounding.pairs import PAIR_THRESHOLD, score_pair

SOURCE = (
    "Manchester City have apologised to supporters after coaches they laid on for free were delayed. "
    "The Premier League champions have written to 300 fans who took up their offer of free transport. "
    "All of those onboard the six coaches missed the kick-off at Crystal Palace."
)


def test_a_copied_summary_is_supported() -> None:
    verdict, score, reasons = score_pair(
        SOURCE,
        "the premier league champions have written to 300 fans who took up their offer of free transport .",
    )
    assert verdict is Verdict.SUPPORTED and score >= PAIR_THRESHOLD
    assert reasons


def test_words_spliced_from_two_sentences_lower_the_score_and_say_so() -> None:
    _, copied, _ = score_pair(SOURCE, "the premier league champions have written to 300 fans .")
    _, spliced, reasons = score_pair(
        SOURCE, "the premier league champions missed the kick-off at crystal palace ."
    )
    assert spliced < copied
    assert any("never together in a source sentence" in r for r in reasons)


def test_a_changed_number_is_unsupported_and_explained() -> None:
    verdict, _, reasons = score_pair(
        SOURCE, "Manchester City have written to 500 fans who took up their offer of free transport."
    )
    assert verdict is Verdict.UNSUPPORTED
    assert any("500" in r for r in reasons)


def test_an_invented_name_is_unsupported() -> None:
    verdict, _, reasons = score_pair(
        SOURCE, "Chelsea have apologised to supporters after coaches were delayed."
    )
    assert verdict is Verdict.UNSUPPORTED
    assert any("chelsea" in r.lower() for r in reasons)


def test_the_weakest_sentence_decides() -> None:
    good = "the premier league champions have written to 300 fans who took up their offer of free transport ."
    _, alone, _ = score_pair(SOURCE, good)
    _, with_bad, _ = score_pair(SOURCE, good + " the club will sack its manager on friday .")
    assert with_bad < alone


def test_score_is_in_unit_interval_for_empty_claims() -> None:
    _, score, _ = score_pair(SOURCE, "")
    assert 0.0 <= score <= 1.0
