"""publish: put an approved edition on the site (page, Markdown, email, archive, feed) and, with
``auto_send``, mail it to the readers (:mod:`agent.release`, bound to the run's store by
:mod:`agent.runs`). Idempotent: the site is rebuilt to the same bytes, and a reader who already has the
revision is not sent it again."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.state import DraftState

__all__ = ["publish"]


async def publish(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    return {"published": runtime.context.publish(state["options"]["run_id"])}
