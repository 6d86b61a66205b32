"""Acting: a decision, an edit by hand, a correction of an approved edition, publishing. They call the
same functions as the terminal (:mod:`agent.decisions`, :mod:`agent.edits`, :mod:`agent.publishing`),
so the same rules apply; a refused
action shows the draft again with the reason and the reviewer's form as they sent it."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agent.decisions import decide, start_correction
from agent.domain.errors import ReportError, RunNotFound
from agent.edits import ClaimEdit, edit_claim
from agent.publishing import publish_edition
from agent.review import DecisionRequest, next_steps
from agent.reviewers import Identity
from agent.web._context import forbidden, guarded, not_found, redirect_with_notice, run_id_of, web
from agent.web._drafts import draft_page
from agent.web._wording import web_wording

__all__ = ["ROUTES", "correction_notice"]


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items() if k != "csrf"}


def _decider(request: Request) -> Identity | None:
    """The signed-in reviewer allowed to decide; None for an editor (or nobody)."""
    identity = web(request).identity(request)
    return identity if identity is not None and identity.can_decide else None


_EDITORS_READ = "an editor reads drafts; only a reviewer may decide, edit, correct or publish"


async def _acting(request: Request) -> tuple[str, Identity, dict[str, str]] | Response:
    """What every action starts from: the run it names, the reviewer allowed to act and the form sent;
    or the response that refuses it (no such run, or an editor)."""
    try:
        run_id = run_id_of(request)
    except RunNotFound as exc:
        return not_found(exc)
    decider = _decider(request)
    if decider is None:
        return forbidden(_EDITORS_READ)
    return run_id, decider, await _form(request)


async def decision(request: Request) -> Response:
    ctx = web(request)
    acting = await _acting(request)
    if isinstance(acting, Response):
        return acting
    run_id, decider, form = acting
    request_ = DecisionRequest(
        decision=form.get("decision", ""),  # type: ignore[arg-type]  # the rules refuse anything else
        # Who signed in, never a name typed into the form.
        reviewer=decider.name,
        comment=form.get("comment", "").strip() or None,
        override_reason=form.get("override", "").strip() or None,
        revision_hash=form.get("revision_hash") or None,
    )
    try:
        outcome = await decide(ctx.settings, run_id, request_, clock=ctx.clock, factories=ctx.factories)
    except RunNotFound as exc:
        return not_found(exc)
    except ReportError as exc:
        return await run_in_threadpool(
            draft_page, request, run_id, status=409, error=web_wording(str(exc)), form=form
        )
    decided, status = outcome.review.decision.replace("_", " "), outcome.status.replace("_", " ")
    return redirect_with_notice(run_id, f"{decided} recorded; the run is now {status}")


async def edit(request: Request) -> Response:
    ctx = web(request)
    acting = await _acting(request)
    if isinstance(acting, Response):
        return acting
    run_id, decider, form = acting
    claim_id = str(request.path_params["claim_id"])
    deleting = form.get("action") == "delete"
    request_ = ClaimEdit(
        claim_id=claim_id,
        editor=decider.name,  # who signed in, never a typed name
        text=None if deleting else form.get("text", ""),
        delete=deleting,
        cite_item=None if deleting else form.get("cite") or None,
        quote=None if deleting else form.get("quote", "").strip() or None,
        revision_hash=form.get("revision_hash") or None,
    )
    try:
        outcome = await run_in_threadpool(edit_claim, ctx.settings, run_id, request_, clock=ctx.clock)
    except RunNotFound as exc:
        return not_found(exc)
    except ReportError as exc:
        error = f"The edit was not saved: {web_wording(str(exc))}"
        return await run_in_threadpool(draft_page, request, run_id, status=409, error=error)
    if outcome.claim is None:
        return redirect_with_notice(run_id, f"{claim_id} deleted: revision {outcome.revision}")
    verdict = outcome.claim.verdict.value if outcome.claim.verdict else "unchecked"
    notice = f"{claim_id} edited: revision {outcome.revision}, checked {verdict.replace('_', ' ')}"
    return redirect_with_notice(run_id, notice)


def correction_notice(
    run_id: str, *, corrected: int, reviewer: str, new_revision: int | None, status: str
) -> str:
    """What the page says once a correction ran: the new revision's state and what comes next, as the
    terminal's ``review --correct`` says it."""
    requested = f"correction of revision {corrected} requested by {reviewer}"
    if status == "awaiting_review" and new_revision is not None:
        return (
            f"{requested}: the writer drafted revision {new_revision}, which is awaiting review below "
            f"(the approved revision {corrected} stays as it was)"
        )
    steps = " ".join(line.strip() for line in next_steps(run_id, status))
    return f"{requested}. {steps}"


async def correction(request: Request) -> Response:
    ctx = web(request)
    acting = await _acting(request)
    if isinstance(acting, Response):
        return acting
    run_id, decider, form = acting
    try:
        # Inline, as the terminal does it: write, check and render run in this request and the run
        # pauses for review again, so the redirect shows the new revision (or where it stopped).
        outcome = await start_correction(
            ctx.settings,
            run_id,
            reviewer=decider.name,
            comment=form.get("comment", ""),
            clock=ctx.clock,
            factories=ctx.factories,
        )
    except RunNotFound as exc:
        return not_found(exc)
    except ReportError as exc:
        return await run_in_threadpool(
            draft_page, request, run_id, status=409, error=web_wording(str(exc)), form=form
        )

    def latest_revision() -> int | None:
        with ctx.store() as s:
            latest = s.latest_draft(run_id)
        return latest.revision if latest else None

    notice = correction_notice(
        run_id,
        corrected=outcome.review.revision,
        reviewer=outcome.review.reviewer,
        new_revision=await run_in_threadpool(latest_revision),
        status=outcome.status,
    )
    return redirect_with_notice(run_id, notice)


async def publish(request: Request) -> Response:
    ctx = web(request)
    if _decider(request) is None:
        return forbidden(_EDITORS_READ)
    try:
        run_id = run_id_of(request)

        def run() -> dict[str, Any]:
            with ctx.store() as s:
                return publish_edition(s, run_id, settings=ctx.settings)

        result = await run_in_threadpool(run)
    except RunNotFound as exc:
        return not_found(exc)
    except ReportError as exc:
        return await run_in_threadpool(draft_page, request, run_id, status=409, error=web_wording(str(exc)))
    return redirect_with_notice(run_id, f"published to {result['dir']}")


ROUTES = [
    Route("/runs/{run_id}/decision", guarded(decision), methods=["POST"]),
    Route("/runs/{run_id}/publish", guarded(publish), methods=["POST"]),
    Route("/runs/{run_id}/correction", guarded(correction), methods=["POST"]),
    Route("/runs/{run_id}/edit/{claim_id:path}", guarded(edit), methods=["POST"]),
]
