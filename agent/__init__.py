"""The Inference Report: a drafting desk for a weekly AI-industry newsletter."""

from agent._lean_imports import defer as _defer_unused_packages

_defer_unused_packages()
