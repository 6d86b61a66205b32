"""The grounding checker: every claim verified against the passages it cites."""

from evals.grounding.checker import ClaimJudge, check_claims, has_factual_content
from evals.grounding.citations import citation_problems
from evals.grounding.pairs import PAIR_THRESHOLD, score_pair

__all__ = [
    "PAIR_THRESHOLD",
    "ClaimJudge",
    "check_claims",
    "citation_problems",
    "has_factual_content",
    "score_pair",
]
