"""Claims that lost their case (lower-cased, tokenised summaries) read as if they had it, and sources whose
sentences lost the space between them read apart. Each row as `eval score` reads it."""

from __future__ import annotations

import pytest

from agent.domain.models import Verdict
from evals.grounding._case import case_map, is_caseless, restore_case, untokenise
from evals.grounding.documents import DocumentClaim, check_documents

SOURCE = (
    "Manchester City have apologised to supporters after coaches they laid on were delayed. "
    "The club's manager Manuel Pellegrini said the trip to Selhurst Park had gone wrong. "
    "Greece has denied it will miss a repayment of £330million to the fund, the city was told."
)


def _verdict(source: str, claim: str) -> tuple[Verdict, list[str]]:
    row = check_documents([DocumentClaim("r", source, claim)])[0]
    return row.verdict, row.reasons


@pytest.mark.parametrize(
    ("sentence", "caseless"),
    [
        ("manchester city have apologised to supporters .", True),
        ("Greece 's repayment of # 330million was made on time .", True),  # capital first, tokenised
        ("The company reobtained $20 million of provisions.", False),  # cased text naming nothing
        ("Manchester City have apologised.", False),
        ("ok , fine .", False),  # too short to tell
        ("james UNK , 11 , suffers from a rare sunlight allergy .", True),
    ],
)
def test_a_caseless_sentence_is_told_from_cased_text(sentence: str, caseless: bool) -> None:
    assert is_caseless(sentence) is caseless


def test_tokeniser_marks_are_put_back() -> None:
    text = "spain 's defeat -lrb- 2-0 -rrb- cost # 330million and # 50, 000 , a # 10.25 m loan , he said ."
    assert untokenise(text) == "spain's defeat (2-0) cost £330million and £50,000, a £10.25m loan, he said."


def test_names_are_restored_as_the_source_writes_them() -> None:
    names, vocabulary = case_map(SOURCE)
    restored = restore_case(
        untokenise("manuel pellegrini said manchester city 's trip to greece went wrong ."), names, vocabulary
    )
    assert restored == "Manuel Pellegrini said Manchester City's trip to Greece went wrong."


def test_a_word_the_source_writes_lower_case_stays_lower_case() -> None:
    names, vocabulary = case_map(SOURCE)
    # "city" is written lower-case in the source ("the city was told"): a common word there.
    assert restore_case("the city was told", names, vocabulary) == "the city was told"


def test_an_invented_person_in_a_caseless_claim_is_caught() -> None:
    # The source names Pellegrini; the claim invents Pochettino, a word no English word list holds.
    verdict, reasons = _verdict(
        SOURCE, "chelsea boss mauricio pochettino said the trip to selhurst park had gone wrong ."
    )
    assert verdict is Verdict.UNSUPPORTED, reasons
    assert any("Pochettino" in r for r in reasons), reasons


def test_a_faithful_caseless_claim_passes() -> None:
    verdict, reasons = _verdict(
        SOURCE, "greece has denied it will miss a repayment of # 330million to the fund ."
    )
    assert verdict is Verdict.SUPPORTED, reasons


def test_british_spellings_and_placeholders_are_not_read_as_names() -> None:
    source = "James, 11, suffers from a rare allergy. Police said the offences were committed in June."
    verdict, reasons = _verdict(source, "police said the offences by james UNK were committed in june .")
    assert verdict is not Verdict.UNSUPPORTED, reasons


def test_a_sentence_glued_to_the_one_before_is_read_apart() -> None:
    # XSum sources lost the space between paragraphs: "3-1.City had forward Sergio Aguero".
    source = "Chelsea won the game at the Etihad Stadium 3-1.City had forward Sergio Aguero sent off."
    verdict, reasons = _verdict(source, "Sergio Aguero was sent off for City at the Etihad Stadium.")
    assert verdict is not Verdict.UNSUPPORTED, reasons
