"""Checkers for graph tests: the real checker, with one claim's verdict forced."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from agent.domain.models import Claim, Item, LeaderboardMove, Verdict
from evals.grounding import check_claims

DOUBTED = "lead:0:0"
DOUBT = "the desk doubts it"


def doubting_checker(
    claims: Sequence[Claim], *, items: Mapping[str, Item], moves: Sequence[LeaderboardMove] = ()
) -> list[Claim]:
    """The real checker, except that the lead's first sentence is never supported, whatever it says: every
    draft or revision of the lead goes through both revise rounds."""
    checked = check_claims(claims, items=items, moves=moves)
    return [
        c.model_copy(update={"verdict": Verdict.UNSUPPORTED, "score": 0.1, "reasons": [DOUBT]})
        if c.id == DOUBTED
        else c
        for c in checked
    ]
