"""Verdicts for claims. This first version checks citations only; the full checker extends it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.models import Claim, Item, LeaderboardMove, Verdict
from evals.grounding.citations import citation_problems

__all__ = ["check_claims"]


def check_claims(
    claims: Sequence[Claim],
    *,
    items: Mapping[str, Item],
    moves: Sequence[LeaderboardMove] = (),
) -> list[Claim]:
    """Return copies of ``claims`` with ``verdict``, ``score`` and ``reasons`` set."""
    checked: list[Claim] = []
    for claim in claims:
        if not claim.citations:
            checked.append(claim.model_copy(update={"verdict": Verdict.NO_CITATION, "score": 0.0,
                                                     "reasons": ["the sentence cites no source"]}))
            continue
        problems = [p for c in claim.citations for p in citation_problems(c, items)]
        verdict = Verdict.UNSUPPORTED if problems else Verdict.SUPPORTED
        checked.append(claim.model_copy(update={"verdict": verdict, "score": 0.0 if problems else 1.0,
                                                 "reasons": problems or ["every citation quotes the stored text"]}))
    return checked
