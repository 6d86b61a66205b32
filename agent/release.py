"""What the publish node does with an approved run: put it on the site and, with ``auto_send``, mail it
to the readers. :mod:`agent.runs` binds it to the run's store and settings, so the node holds a
callable, not the whole store.

Idempotent: the site is rebuilt to the same bytes, and a reader who already has the revision is not
sent it again.
"""

from __future__ import annotations

from typing import Any

from agent.deps import ProgressFn
from agent.domain.errors import ReportError
from agent.publishing import publish_edition
from agent.sending import SendError, send_edition
from agent.settings import Settings
from agent.store import Store

__all__ = ["publish_approved"]


def publish_approved(
    store: Store, run_id: str, *, settings: Settings, progress: ProgressFn
) -> dict[str, Any]:
    """Publish the approved revision of ``run_id``; send it when ``settings.auto_send``. Returns what
    :func:`~agent.publishing.publish_edition` returned, with ``sent`` and ``send_error`` when it sent."""
    result = publish_edition(store, run_id, settings=settings)
    progress("publish", f"published to {result['dir']}")
    if not settings.auto_send:
        return result
    # The edition is published whatever the mail server says: a failed send is recorded in the
    # store and reported, and `publish RUN_ID --send` retries whoever did not get it.
    try:
        report = send_edition(store, run_id, settings=settings)
        result["sent"] = [r.recipient for r in report.sent]
        progress("publish", f"sent to {len(report.sent)} reader{'' if len(report.sent) == 1 else 's'}")
    except SendError as exc:
        result["sent"] = [r.recipient for r in exc.report.sent]
        result["send_error"] = str(exc)
        progress("publish", f"sending failed: {exc}")
    except ReportError as exc:
        result["send_error"] = str(exc)
        progress("publish", f"not sent: {exc}")
    return result
