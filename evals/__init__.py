"""The grounding checker, the optional judge, the eval suites and their gate (``inference-report eval``)."""

from evals.grounding.checker import check_claims
from evals.grounding.citations import citation_problems
from evals.grounding.pairs import score_pair

__all__ = ["check_claims", "citation_problems", "score_pair"]
