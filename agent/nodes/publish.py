"""publish: render an approved edition (Markdown, email-safe HTML, the feed). Idempotent."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.state import DraftState

__all__ = ["publish"]


async def publish(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    from agent.publishing import publish_edition

    deps = runtime.context
    # The state is at hand: the selection is not read back from the checkpoint this run is writing.
    result = publish_edition(deps.store, state["options"]["run_id"], settings=deps.settings, state=state)
    deps.progress("publish", f"published to {result['dir']}")
    return {"published": result}
