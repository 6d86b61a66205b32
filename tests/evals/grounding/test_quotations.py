"""A quotation of three words or more must be in the cited passage word for word: a writer that tidies a
quotation misquotes. Each sentence as the pipeline checks it, citing its passage."""

from __future__ import annotations

import pytest

from agent.domain.models import Citation, Claim, Item, Section, SourceKind, Verdict
from evals.grounding._quotes import quotations, said_word_for_word
from evals.grounding._text import norm_key
from evals.grounding.checker import check_claims

PASSAGE = (
    "NASA's chief scientist said: \"I think we're going to have strong indications of life beyond Earth "
    'within a decade, and definitive evidence within 20 to 30 years." The agency did not say how.'
)


def _check(sentence: str, passage: str = PASSAGE, *, title: str = "") -> tuple[Verdict, list[str]]:
    item = Item(
        id="a",
        source="test",
        section=Section.WIRE,
        kind=SourceKind.PAGE,
        title=title,
        url="https://example.org/a",
        text=passage,
    )
    claim = Claim(
        id="lead:0:0",
        block="lead",
        paragraph=0,
        text=sentence,
        citations=[Citation(item_id="a", start=0, end=len(passage), quote=passage)],
    )
    checked = check_claims([claim], items={"a": item})[0]
    assert checked.verdict is not None  # the checker sets every verdict
    return checked.verdict, checked.reasons


@pytest.mark.parametrize(
    "sentence",
    [
        "NASA's chief scientist said: “I think we're going to have strong indications of life beyond Earth "
        "within a decade.”",
        'NASA\'s chief scientist expects "strong indications of life beyond Earth within a decade".',
        "NASA's chief scientist said “I think we’re going to have strong indications of life … within a "
        "decade.”",  # a cut marked with an ellipsis
        "NASA's chief scientist said “[NASA is] going to have strong indications of life beyond Earth.”",
    ],
)
def test_a_quotation_word_for_word_passes(sentence: str) -> None:
    assert _check(sentence)[0] is Verdict.SUPPORTED


def test_a_tidied_quotation_is_a_red_flag_that_quotes_it() -> None:
    tidied = "I think we're going to have strong indications of life within a decade."
    verdict, reasons = _check(f"NASA's chief scientist said: “{tidied}”")
    assert verdict is Verdict.UNSUPPORTED
    assert any(f"the quotation “{tidied}” is not word for word in the cited passage" in r for r in reasons)


def test_a_quoted_title_may_come_from_the_item() -> None:
    passage = "Speculative decoding accelerates inference by letting a small draft model propose tokens."
    sentence = "In “SpecServe: Adaptive Speculation Length”, the authors say a draft model proposes tokens."
    assert _check(sentence, passage, title="SpecServe: Adaptive Speculation Length")[0] is Verdict.SUPPORTED
    assert _check(sentence, passage)[0] is Verdict.UNSUPPORTED


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("So-called “reasoning” models and “test-time compute” are in fashion.", []),  # terms, scare quotes
        ("He said 'we will not ship until it is safe' on Monday.", []),  # single marks: also apostrophes
        ('He said "we will not ship" and "until it is safe".', ["we will not ship", "until it is safe"]),
        ("An unclosed “quotation of many words at the end", []),
    ],
)
def test_what_counts_as_a_quotation(sentence: str, found: list[str]) -> None:
    assert quotations(sentence) == found


def test_every_piece_of_a_cut_quotation_must_be_there() -> None:
    key = norm_key(PASSAGE)
    assert said_word_for_word("I think ... within a decade", [key])
    assert not said_word_for_word("I think ... within a year", [key])
