"""publish: render an approved edition (Markdown, email-safe HTML, the feed). Idempotent."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.publishing import publish_edition
from agent.state import DraftState

__all__ = ["publish"]


async def publish(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    result = publish_edition(deps.store, state["options"]["run_id"], settings=deps.settings)
    deps.progress("publish", f"published to {result['dir']}")
    return {"published": result}
