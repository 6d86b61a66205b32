"""review: stop for a human. ``interrupt()`` hands the draft to the reviewer; the decision resumes here.

The decision was validated and recorded by :mod:`agent.decisions` before the graph was resumed, so
this node only routes (from the latest stored revision, which a hand edit may have made). Code before
``interrupt()`` re-runs on resume and must stay free of side effects.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agent.deps import Deps
from agent.domain.models import Draft
from agent.state import DraftState

__all__ = ["review"]


def _all_outside_window(state: DraftState) -> bool:
    window = state.get("window")
    return bool(window and window.get("all_outside"))


async def review(
    state: DraftState, runtime: Runtime[Deps]
) -> Command[Literal["write", "publish", "__end__"]]:
    draft = Draft.model_validate(state["draft"])
    decision: dict[str, Any] = interrupt(
        {
            "run_id": state["options"]["run_id"],
            "revision": draft.revision,
            "outputs": state.get("outputs", {}),
        }
    )
    update: dict[str, Any] = {"review": decision}
    # A reviewer may have edited sentences by hand while the run waited (agent.edits): each edit is a
    # stored revision, and what follows the decision (a rewrite, publishing) starts from the latest.
    latest = runtime.context.store.latest_draft(state["options"]["run_id"])
    if latest is not None and latest.revision > draft.revision:
        update["draft"] = latest.draft.model_dump(mode="json")
    match decision.get("decision"):
        case "request_changes":
            update |= {"reviewer_comment": decision.get("comment") or "", "revise_round": 0}
            return Command(goto="write", update=update)
        case "approve" if runtime.context.settings.auto_publish and _all_outside_window(state):
            runtime.context.progress(
                "review",
                "auto-publish refused: every dated item is outside the window; the approved edition waits"
                " for `inference-report publish` by hand",
            )
            return Command(goto="__end__", update=update)
        case "approve" if runtime.context.settings.auto_publish:
            return Command(goto="publish", update=update)
        case _:
            return Command(goto="__end__", update=update)
