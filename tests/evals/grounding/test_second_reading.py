"""A judge with scope "passed" reads the claims the checks pass, and can only flag them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.domain.models import Citation, Claim, Item, JudgeScope, Section, SourceKind, Verdict
from evals.grounding.checker import check_claims

# Every word of the swapped sentence is in the passage: only the relation is wrong, which the lexical
# checks cannot read (FRANK's remaining errors are of this kind).
TEXT = (
    "Northwind Labs acquired Corvid Research for $2 billion in cash, the companies said on Monday. "
    "Corvid Research will keep its name.\n\n"
    "| Model | Score |\n|---|---|\n| Foo-2 | 72.1% |\n| Bar-5 | 69.4% |"
)
ITEM = Item(
    id="deal",
    source="test",
    section=Section.WIRE,
    kind=SourceKind.PAGE,
    title="A deal",
    url="https://example.org/deal",
    text=TEXT,
)
FAITHFUL = "Northwind Labs acquired Corvid Research for $2 billion in cash."
SWAPPED = "Corvid Research acquired Northwind Labs for $2 billion in cash."
WRONG_NUMBER = "Northwind Labs acquired Corvid Research for $3 billion in cash."
ABOUT_THE_TABLE = "Foo-2 leads the table with 72.1%, ahead of Bar-5."


class ScriptedJudge:
    """Answers from a script by claim (unlisted claims: supported), and remembers what it was asked."""

    def __init__(self, scope: JudgeScope, answers: Mapping[str, Verdict] | None = None) -> None:
        self.scope: JudgeScope = scope
        self.answers = dict(answers or {})
        self.asked: list[str] = []

    def judge(self, claim: str, passages: Sequence[str]) -> tuple[Verdict, float, list[str]]:
        self.asked.append(claim)
        verdict = self.answers.get(claim, Verdict.SUPPORTED)
        score = {Verdict.SUPPORTED: 0.9, Verdict.UNSUPPORTED: 0.1}.get(verdict, 0.0)
        return verdict, score, [f"scripted {verdict.value}"]


def _claim(sentence: str, quote: str) -> Claim:
    start = TEXT.index(quote)
    citation = Citation(item_id=ITEM.id, start=start, end=start + len(quote), quote=quote)
    return Claim(id="lead:0:0", block="lead", paragraph=0, text=sentence, citations=[citation])


def _check(
    sentence: str, judge: ScriptedJudge, quote: str = "Northwind Labs acquired Corvid Research"
) -> Claim:
    [checked] = check_claims([_claim(sentence, quote)], items={ITEM.id: ITEM}, judge=judge)
    return checked


def test_the_checks_alone_pass_a_swapped_relation() -> None:
    judge = ScriptedJudge("undecided", {SWAPPED: Verdict.UNSUPPORTED})
    checked = _check(SWAPPED, judge)
    assert checked.verdict is Verdict.SUPPORTED
    assert judge.asked == []  # the default scope never reads a passed claim


def test_a_second_reading_flags_what_the_checks_passed_and_keeps_their_reasons() -> None:
    judge = ScriptedJudge("passed", {SWAPPED: Verdict.UNSUPPORTED})
    checked = _check(SWAPPED, judge)
    assert judge.asked == [SWAPPED]
    assert checked.verdict is Verdict.UNSUPPORTED and checked.score == 0.1
    assert any(r.startswith("checked ") for r in checked.reasons)  # what the checks confirmed stays shown
    assert "judge: scripted unsupported" in checked.reasons


def test_a_second_reading_confirms_a_faithful_claim() -> None:
    checked = _check(FAITHFUL, ScriptedJudge("passed"))
    assert checked.verdict is Verdict.SUPPORTED
    assert "judge: scripted supported" in checked.reasons


def test_a_second_reading_that_decides_nothing_leaves_the_checks_verdict() -> None:
    # A failed call, a spent budget or "cannot tell": the claim keeps its verdict and shows why.
    judge = ScriptedJudge("passed", {FAITHFUL: Verdict.UNVERIFIABLE})
    checked = _check(FAITHFUL, judge)
    assert checked.verdict is Verdict.SUPPORTED
    assert "judge: scripted unverifiable" in checked.reasons


def test_a_flagged_claim_is_never_sent_and_an_undecided_one_still_is() -> None:
    judge = ScriptedJudge("passed")
    flagged = _check(WRONG_NUMBER, judge)
    assert flagged.verdict is Verdict.UNSUPPORTED and judge.asked == []
    undecided = "Regulators will probably look closely at the consolidation of research labs."
    decided = _check(undecided, judge)
    assert judge.asked == [undecided] and decided.verdict is Verdict.SUPPORTED


def test_a_claim_about_a_table_is_computed_not_read_again() -> None:
    judge = ScriptedJudge("passed", {ABOUT_THE_TABLE: Verdict.UNSUPPORTED})
    checked = _check(ABOUT_THE_TABLE, judge, quote="| Foo-2 | 72.1% |")
    assert checked.verdict is Verdict.SUPPORTED
    assert judge.asked == []
