from __future__ import annotations

from agent.domain.models import Verdict
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
    assert any("words of each other in the source" in r for r in reasons)


def test_a_changed_number_is_unsupported_and_explained() -> None:
    verdict, _, reasons = score_pair(
        SOURCE, "Manchester City have written to 500 fans who took up their offer of free transport."
    )
    assert verdict is Verdict.UNSUPPORTED
    assert any("500" in r for r in reasons)


def test_an_invented_name_lowers_the_score_and_is_named() -> None:
    # One novel word alone does not flip the verdict: on FRANK's valid split faithful abstractive summaries
    # hold novel words too, so the fitted weight per novel word is mild (-0.22 on the logit).
    _, right, _ = score_pair(
        SOURCE, "Manchester City have apologised to supporters after coaches were delayed."
    )
    _, wrong, reasons = score_pair(
        SOURCE, "Chelsea have apologised to supporters after coaches were delayed."
    )
    assert wrong < right - 0.1
    assert any(r.endswith("words not in the source: chelsea") for r in reasons)  # the word, not its stem


def test_an_invented_event_is_unsupported() -> None:
    verdict, _, reasons = score_pair(SOURCE, "Chelsea sacked their manager after losing the derby on Sunday.")
    assert verdict is Verdict.UNSUPPORTED
    assert any("words not in the source" in r for r in reasons)


def test_lower_cased_tokenised_summaries_match_a_cased_article() -> None:
    cased = "The Premier League champions have written to 300 fans who took up their offer of free transport."
    _, a, _ = score_pair(SOURCE, cased)
    _, b, _ = score_pair(
        SOURCE,
        "the premier league champions have written to 300 fans who took up their offer of free transport .",
    )
    assert a == b


def test_the_weakest_sentence_decides() -> None:
    good = "the premier league champions have written to 300 fans who took up their offer of free transport ."
    _, alone, _ = score_pair(SOURCE, good)
    _, with_bad, _ = score_pair(SOURCE, good + " the club will sack its manager on friday .")
    assert with_bad < alone


def test_score_is_in_unit_interval_for_empty_claims() -> None:
    _, score, _ = score_pair(SOURCE, "")
    assert 0.0 <= score <= 1.0


def test_reasons_name_surface_words_not_stems_or_stopwords() -> None:
    # "processing" stems to "proces" and "after" to "aft" (not a stopword as a stem): neither is shown so.
    _, _, reasons = score_pair(SOURCE, "Coaches were delayed after processing under strict rules.")
    novel = [r for r in reasons if "words not in the source" in r]
    assert novel == [
        "\u201cCoaches were delayed after processing under strict rules.\u201d: "
        "words not in the source: processing, strict, rules"
    ]


def test_a_long_sentence_is_quoted_up_to_a_word_boundary() -> None:
    claim = (
        "Manchester City have apologised to supporters after coaches they laid on were delayed in the snow."
    )
    _, _, reasons = score_pair(SOURCE, claim)
    assert reasons[0] == (
        "\u201cManchester City have apologised to supporters after coaches...\u201d: "
        "words not in the source: snow"
    )


def test_reasons_do_not_blame_a_negation_found_elsewhere_in_the_article() -> None:
    # Against a whole article the negation check would pair this sentence with "have not yet signed"
    # and say it "drops the negation"; only numbers and names are checked at document scale.
    source = SOURCE + " The clubs have not yet signed the new travel contracts."
    _, _, reasons = score_pair(source, "The clubs signed new travel contracts.")
    assert not any("negation" in r for r in reasons)
    _, _, reasons = score_pair(source, "The clubs signed 40 new travel contracts.")
    assert any("'40' is not in the source" in r for r in reasons)


def test_a_sentence_with_nothing_from_the_source_is_near_zero() -> None:
    verdict, score, reasons = score_pair(SOURCE, "Microsoft bought a football club.")
    assert verdict is Verdict.UNSUPPORTED and score < 0.05
    assert any("words not in the source: microsoft, bought, football, club" in r for r in reasons)
