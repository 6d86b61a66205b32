"""The grounding checker, the optional judge, the eval suites and their gate (``inference-report eval``).

The checker's names load on first use: every command imports this package (``eval`` is mounted on
the CLI), and only the ones that check claims need the checker's compiled patterns.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evals.grounding.checker import check_claims
    from evals.grounding.citations import citation_problems
    from evals.grounding.documents import DocumentClaim, check_documents

__all__ = ["DocumentClaim", "check_claims", "check_documents", "citation_problems"]

_HOMES = {
    "DocumentClaim": "evals.grounding.documents",
    "check_claims": "evals.grounding.checker",
    "check_documents": "evals.grounding.documents",
    "citation_problems": "evals.grounding.citations",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'evals' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
