"""The failure classes of issue 11, each as a faithful restatement of a long source that must not be flagged,
and, where the class has one, the wrong version that must still be caught. Read as `eval score` reads a row:
every sentence a claim citing the whole source."""

from __future__ import annotations

import pytest

from agent.domain.models import Verdict
from evals.grounding.documents import DocumentClaim, check_documents

# A long source: the direction and negation words of its other paragraphs must not be read against a
# sentence about something else.
FILLER = (
    "Costs fell sharply in the logistics unit, and the company does not expect them to rise again. "
    "Headcount declined in Europe. The board did not approve the dividend. "
)


@pytest.mark.parametrize(
    ("source", "claim"),
    [
        # Sentence-initial capitalised words are not names.
        ("Shares of the company rose 4% on Tuesday.", "Shares rose 4% on Tuesday."),
        (
            "The firm had earlier posted a loss of $2 million.",
            "Previously, the firm posted a $2 million loss.",
        ),
        # Abbreviation variants and plural acronyms.
        ("The rules apply in the UK from March.", "The rules apply in the U.K. from March."),
        ("The paper trains a GAN on medical images.", "The paper trains GANs on medical images."),
        # Lists of names are several names.
        (
            "Emily said she would meet James at the Javits Center at 6.",
            "Emily and James will meet at the Javits Center at 6.",
        ),
        # Periods and abbreviations restated.
        ("Revenue in the fourth quarter of 2020 was $12 million.", "Revenue in Q4 2020 was $12 million."),
        ("Organic revenues were up 19% year-over-year.", "Organic revenues grew 19% YoY."),
        (
            "Conditions remain uncertain due to the impact of COVID.",
            "Conditions remain uncertain because of COVID-19.",
        ),
        # Hedges restated.
        ("Margins were over 10% in the quarter.", "Margins were exceeding 10% in the quarter."),
        # A count of a list the sentence itself names.
        (
            "Steve asked Carly to join him for a drink at Kings.",
            "Two friends, Steve and Carly, plan a drink at Kings.",
        ),
    ],
)
def test_a_faithful_restatement_is_never_flagged(source: str, claim: str) -> None:
    row = check_documents([DocumentClaim("r", FILLER + source, claim)])[0]
    assert row.verdict is not Verdict.UNSUPPORTED, row.reasons


@pytest.mark.parametrize(
    ("source", "claim"),
    [
        ("Revenue in the fourth quarter of 2020 was $12 million.", "Revenue in Q3 2020 was $12 million."),
        ("Revenue in the fourth quarter of 2020 was $12 million.", "Revenue in Q4 2020 was $15 million."),
        ("Organic revenues were up 19% year-over-year.", "Organic revenues were down 19% year-over-year."),
        (
            "The paper trains a GAN on medical images.",
            "The paper trains a GAN on satellite images from NASA.",
        ),
    ],
)
def test_the_wrong_version_is_still_caught(source: str, claim: str) -> None:
    row = check_documents([DocumentClaim("r", FILLER + source, claim)])[0]
    assert row.verdict is not Verdict.SUPPORTED, row.reasons


# The source uses "worked" (of something else) and never negates it; "functional" it never uses.
_EXPENSES = "Lola asked about the expenses form. Chris worked on the billing system last month. "


def test_a_negated_word_the_source_uses_and_never_negates_is_unsupported() -> None:
    row = check_documents(
        [DocumentClaim("r", FILLER + _EXPENSES, "Lola says the expenses form does not work.")]
    )[0]
    assert row.verdict is Verdict.UNSUPPORTED, row.reasons
    assert any("uses 'work' and never negates it" in r for r in row.reasons), row.reasons


def test_a_negated_word_the_source_never_uses_is_left_undecided() -> None:
    claim = "Lola says the expenses form is not functional."
    row = check_documents([DocumentClaim("r", FILLER + _EXPENSES, claim)])[0]
    assert row.verdict is Verdict.UNVERIFIABLE, row.reasons


@pytest.mark.parametrize(
    ("source", "claim"),
    [
        # "at least" bounds a number; it says nothing went down.
        (
            "Earnings per share rose to $5.52 in the quarter.",
            "Earnings per share reached at least $5.52 in the quarter.",
        ),
        # A capitalised direction word inside a sentence is a name ("Slide 36"), not a move.
        ("On Slide 36, consolidated sales were $441 million.", "Consolidated sales grew to $441 million."),
        # "oh, no, is it bad?": a "no" the punctuation closes negates nothing after it.
        (
            "James: I have to stay late at work.\n"
            "Emily: oh, no, is the project bad and stressful?\nJames: yes.",
            "James says the project is bad and stressful.",
        ),
    ],
)
def test_words_that_state_no_direction_or_negation_are_not_read_as_one(source: str, claim: str) -> None:
    row = check_documents([DocumentClaim("r", FILLER + source, claim)])[0]
    assert row.verdict is Verdict.SUPPORTED, row.reasons


def test_a_common_word_opening_a_sentence_is_no_name_when_a_period_follows_it() -> None:
    # "Q2" is dropped from the end of the span "Company's Q2"; "Company" still opens the sentence.
    source = "Headcount declined in Europe. In Q2, our revenues increased by 19%."
    row = check_documents([DocumentClaim("r", source, "Company's Q2 revenues increased by 19%.")])[0]
    assert row.verdict is Verdict.SUPPORTED, row.reasons


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("The product should cost at most 12.50 Euros.", Verdict.SUPPORTED),
        ("The product should cost at most 15.50 Euros.", Verdict.UNSUPPORTED),
    ],
)
def test_a_price_as_it_is_spoken_is_the_price_a_summary_writes(claim: str, verdict: Verdict) -> None:
    source = "Project Manager: the product costs will be not more than twelve Euros and fifty centimes ."
    row = check_documents([DocumentClaim("r", source, claim)])[0]
    assert row.verdict is verdict, row.reasons


def test_a_name_spliced_from_two_names_of_the_source_is_left_undecided() -> None:
    source = FILLER + "Sign up for the Early Bird Bundle today. The Launch Offer ends on Friday."
    row = check_documents([DocumentClaim("r", source, "The Early Bird Offer ends on Friday.")])[0]
    assert row.verdict is Verdict.UNVERIFIABLE, row.reasons
    assert any("not together" in r for r in row.reasons), row.reasons


@pytest.mark.parametrize(
    ("source", "claim"),
    [
        # "last year" is a time, not a rank.
        ("Revenue grew 5% compared with a year earlier.", "Revenue grew 5% compared to last year."),
        # "the second half of the document" is a part of the text, not a rank or a period.
        (
            "Host: welcome back. Today we talk about the city budget and the new stadium.",
            "The second half of the document discusses the city budget and the new stadium.",
        ),
    ],
)
def test_a_time_or_a_part_of_the_text_is_not_a_rank(source: str, claim: str) -> None:
    row = check_documents([DocumentClaim("r", FILLER + source, claim)])[0]
    assert row.verdict is Verdict.SUPPORTED, row.reasons


_APPS = (
    "Will: Maggie, can you help me? The apps I installed yesterday don't work.\nMaggie: sure, after lunch."
)


def test_a_negative_statement_restated_in_other_words_is_supported() -> None:
    # "not functioning" for "don't work": the passage's sentence about the apps is itself negative.
    claim = "Will asks Maggie for help because the apps he installed are not functioning."
    row = check_documents([DocumentClaim("r", FILLER + _APPS, claim)])[0]
    assert row.verdict is Verdict.SUPPORTED, row.reasons


def test_a_negation_of_what_the_passage_says_nothing_negative_about_stays_undecided() -> None:
    row = check_documents([DocumentClaim("r", FILLER + _APPS, "Maggie is not available after lunch.")])[0]
    assert row.verdict is Verdict.UNVERIFIABLE, row.reasons


def test_a_price_word_is_not_contradicted_by_a_degree_word() -> None:
    # "more comprehensive" is a degree, not a move; "expensive" is opposed only by "cheaper", "cheapest".
    source = (
        FILLER
        + "Agent: The Gold plan offers more comprehensive coverage at $300 a month.\nClient: that is a lot."
    )
    claim = "The Gold plan's comprehensive coverage at $300 a month was too expensive for the client."
    row = check_documents([DocumentClaim("r", source, claim)])[0]
    assert row.verdict is Verdict.SUPPORTED, row.reasons


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("Despite this, they expect consolidated sales to decrease next quarter.", Verdict.UNSUPPORTED),
        ("Despite this, they expect consolidated sales to increase next quarter.", Verdict.SUPPORTED),
    ],
)
def test_the_exact_opposite_of_a_verb_in_any_of_its_forms_is_a_red_flag(claim: str, verdict: Verdict) -> None:
    source = (
        FILLER
        + "We expect our fiscal 2022 second-quarter consolidated sales to increase in the mid-single digits."
    )
    row = check_documents([DocumentClaim("r", source, claim)])[0]
    assert row.verdict is verdict, row.reasons
