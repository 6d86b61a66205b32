"""The checker's one fitted number: its coverage line, replayed, chosen and cross-validated by document."""

from __future__ import annotations

from agent.domain.models import Verdict
from evals.grounding._core import SUPPORTED_COVERAGE
from evals.grounding.documents import DocumentClaim, check_documents
from evals.grounding.fit import GRID, choose_line, cross_validated, fold_of, replay

SOURCE = (
    "After a month of debate, Wikipedia editors voted 44-2 to ban AI-generated content from articles, "
    "with narrow exceptions for translation aids. The rule takes effect in June."
)
CLAIMS = [
    "Wikipedia editors voted 44-2 to ban AI-generated content.",  # every word in the source
    "Wikipedia editors decided against machine-written prose after debate.",  # 3 of 7 words
    "Wikipedia volunteers decided against machine-written prose.",  # 2 of 6 words
    "Wikipedia editors voted 40-6 to ban AI-generated content.",  # a wrong vote
    "The rule takes effect in June. Editors voted 44-2.",
]


def _rows() -> list[DocumentClaim]:
    return [DocumentClaim(str(n), SOURCE, c) for n, c in enumerate(CLAIMS)]


def test_a_replay_at_the_shipped_line_gives_the_checker_s_own_verdicts() -> None:
    direct = check_documents(_rows())
    unheld = check_documents(_rows(), supported_coverage=0.0)
    assert [replay(r, SUPPORTED_COVERAGE) for r in unheld] == [r.verdict for r in direct]
    for line in GRID:
        at_line = check_documents(_rows(), supported_coverage=line)
        assert [replay(r, line) for r in unheld] == [r.verdict for r in at_line]


def test_the_line_only_moves_supported_and_unverifiable() -> None:
    unheld = check_documents(_rows(), supported_coverage=0.0)
    low, high = [replay(r, 0.3) for r in unheld], [replay(r, 0.7) for r in unheld]
    assert low[1] is Verdict.SUPPORTED and high[1] is Verdict.UNVERIFIABLE
    assert low[3] is high[3] is Verdict.UNSUPPORTED


def test_the_line_is_chosen_for_balanced_accuracy_and_held_out_by_document() -> None:
    unheld = check_documents(_rows(), supported_coverage=0.0)
    # Label the loose paraphrase faithful: a low line is best; unfaithful: the highest line that rejects it.
    assert choose_line(unheld, [1, 1, 0, 0, 1]) <= 0.4
    assert choose_line(unheld, [1, 0, 0, 0, 1]) == max(
        line for line in GRID if replay(unheld[1], line) is not Verdict.SUPPORTED
    )
    groups = ["doc-a", "doc-a", "doc-b", "doc-c", "doc-d"]
    held_out, lines = cross_validated(unheld, [1, 1, 0, 0, 1], groups, folds=2)
    assert len(held_out) == 5 and len(lines) == 2
    # A document's fold is fixed by its name alone, the same in every process and on every machine (a
    # salted hash() would give a new split, and new cross-validated figures, on each run).
    names = ("doc-a", "doc-b", "doc-c", "doc-d", "cnndm-17", "xsum-3")
    assert [fold_of(g) for g in names] == [0, 2, 1, 0, 0, 3]
    assert [fold_of(g, 2) for g in groups] == [1, 1, 1, 0, 1]
