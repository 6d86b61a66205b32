"""The grounding checker, the optional judge, the eval suites and their gate (``inference-report eval``)."""

from evals.grounding.checker import check_claims
from evals.grounding.citations import citation_problems
from evals.grounding.documents import DocumentClaim, check_documents

__all__ = ["DocumentClaim", "check_claims", "check_documents", "citation_problems"]
