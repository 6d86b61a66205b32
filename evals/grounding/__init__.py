"""The grounding checker: every claim verified against the passages it cites."""

from evals.grounding.checker import ClaimJudge, check_claims, has_factual_content
from evals.grounding.citations import citation_problems
from evals.grounding.documents import DocumentClaim, RowVerdict, check_documents

__all__ = [
    "ClaimJudge",
    "DocumentClaim",
    "RowVerdict",
    "check_claims",
    "check_documents",
    "citation_problems",
    "has_factual_content",
]
