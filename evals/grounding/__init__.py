"""The grounding checker: every claim verified against the passages it cites."""

from evals.grounding.checker import check_claims
from evals.grounding.citations import citation_problems

__all__ = ["check_claims", "citation_problems"]
