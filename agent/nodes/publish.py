"""publish: put an approved edition on the site (page, Markdown, email, archive, feed) and, with
``auto_send``, mail it to the readers. Idempotent: the site is rebuilt to the same bytes, and a reader
who already has the revision is not sent it again."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.deps import Deps
from agent.domain.errors import ReportError
from agent.publishing import publish_edition
from agent.state import DraftState

__all__ = ["publish"]


async def publish(state: DraftState, runtime: Runtime[Deps]) -> dict[str, Any]:
    deps = runtime.context
    run_id = state["options"]["run_id"]
    result = publish_edition(deps.store, run_id, settings=deps.settings)
    deps.progress("publish", f"published to {result['dir']}")
    if deps.settings.auto_send:
        from agent.sending import SendError, send_edition

        # The edition is published whatever the mail server says: a failed send is recorded in the
        # store and reported, and `publish RUN_ID --send` retries whoever did not get it.
        try:
            report = send_edition(deps.store, run_id, settings=deps.settings)
            result["sent"] = [r.recipient for r in report.sent]
            deps.progress("publish", f"sent to {len(report.sent)} readers")
        except SendError as exc:
            result["sent"] = [r.recipient for r in exc.report.sent]
            result["send_error"] = str(exc)
            deps.progress("publish", f"sending failed: {exc}")
        except ReportError as exc:
            result["send_error"] = str(exc)
            deps.progress("publish", f"not sent: {exc}")
    return {"published": result}
