"""The run report (``run-report.json``): what an editor or operator needs to trust or fix a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from agent.models import Draft, Verdict
from agent.state import DraftState

__all__ = ["build_run_report"]


def build_run_report(
    state: DraftState,
    *,
    draft: Draft,
    revision_hash: str,
    outputs: Mapping[str, str],
    counters: Mapping[str, int],
) -> dict[str, Any]:
    options = state["options"]
    verdicts = Counter(c.verdict.value if c.verdict else "unchecked" for c in draft.claims)
    usage = state.get("usage") or {}
    return {
        "run_id": options["run_id"],
        "edition_date": options["edition_date"],
        "writer": draft.writer,
        "revision": draft.revision,
        "revision_hash": revision_hash,
        "replay": options["replay"],
        "sources": [
            {
                "name": r["name"],
                "kind": r["kind"],
                "section": r["section"],
                "status": r["status"],
                "items": r["items"],
                "error": r["error"],
            }
            for r in state.get("source_reports", [])
        ],
        "items_per_section": {section: len(ids) for section, ids in (state.get("selected") or {}).items()},
        "items_extracted": sum(r["items"] for r in state.get("source_reports", [])),
        "claims": {
            "total": len(draft.claims),
            "by_verdict": {v.value: verdicts.get(v.value, 0) for v in Verdict},
            "flagged": sum(1 for c in draft.claims if c.flagged),
        },
        "revise_rounds": state.get("revise_round", 0),
        "writer_failures": state.get("failures", []),
        "skipped_for_budget": state.get("skipped", []),
        "cost": {
            "input_tokens": usage.get("input_tokens", 0),
            "output_tokens": usage.get("output_tokens", 0),
            "cache_write_tokens": usage.get("cache_write_tokens", 0),
            "cache_read_tokens": usage.get("cache_read_tokens", 0),
            "usd": usage.get("usd", 0.0),
        },
        "prompts": state.get("prompts", []),
        "outputs": dict(outputs),
        "this_process": dict(counters),
    }
