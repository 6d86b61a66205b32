"""The run report (``run-report.json``): what an editor or operator needs to trust or fix a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from agent.domain.models import Draft, Verdict
from agent.state import DraftState
from agent.store import UsageTotals

__all__ = ["build_run_report"]


def build_run_report(
    state: DraftState,
    *,
    draft: Draft,
    revision_hash: str,
    outputs: Mapping[str, str],
    counters: Mapping[str, int],
    usage: UsageTotals,
) -> dict[str, Any]:
    """``usage`` is the run's recorded model usage (every process that worked on it, every stage)."""
    options = state["options"]
    verdicts = Counter(c.verdict.value if c.verdict else "unchecked" for c in draft.claims)
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
        "fetches": {
            "responses": sum(len(f["responses"]) for f in state.get("fetched", [])),
            # Conditional GETs answered 304: the stored copy was reused.
            "not_modified": sum(
                1 for f in state.get("fetched", []) for r in f["responses"] if r.get("not_modified")
            ),
            "seconds": round(sum(f["seconds"] for f in state.get("fetched", [])), 3),
        },
        "claims": {
            "total": len(draft.claims),
            "by_verdict": {v.value: verdicts.get(v.value, 0) for v in Verdict},
            "flagged": sum(1 for c in draft.claims if c.flagged),
        },
        "revise_rounds": state.get("revise_round", 0),
        "writer_failures": state.get("failures", []),
        "writer_problems": state.get("writer_problems", []),
        "skipped_for_budget": state.get("skipped", []),
        "cost": {
            **usage.total.model_dump(),
            "calls": usage.calls,
            "by_stage": {stage: u.model_dump() for stage, u in usage.by_stage.items()},
            "max_cost_usd": options["max_cost_usd"],
        },
        "prompts": [p.model_dump() for p in usage.prompts] or state.get("prompts", []),
        "theme": state.get("theme"),
        "outputs": dict(outputs),
        "this_process": dict(counters),
    }
