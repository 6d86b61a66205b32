"""The review page: a Starlette app built by :func:`create_app` (nothing is created at import time).

Every page needs the reviewer token: ``Authorization: Bearer TOKEN`` or the session cookie the
login page sets. Forms posted with the cookie carry the session's CSRF token; the login form carries
its own, tied to a short-lived pre-login cookie (``_auth``). Decisions and corrections call the same
service as the terminal (:mod:`agent.review`), so the same rules apply. Everything that came
from a source is autoescaped by Jinja; archived source bodies are served as ``text/plain`` under a
``sandbox`` Content-Security-Policy, so source HTML never runs on this origin.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from agent.decisions import decide, start_correction
from agent.deps import Clock, utc_now
from agent.domain.errors import ReportError, ReviewError, RunNotFound
from agent.domain.models import Item, content_hash
from agent.publishing import publish_edition
from agent.render import layout, safe_url
from agent.review import (
    DecisionRequest,
    blocking_claims,
    ledger_claims,
    list_pending,
    next_steps,
    open_for_review,
    short_hash,
    writer_notes,
)
from agent.runs import Factories, evidence_archive
from agent.settings import Settings
from agent.store import Review, Store
from agent.web._auth import (
    LOGIN_COOKIE,
    LOGIN_FORM_MAX_AGE_S,
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    Keys,
    Session,
    safe_next,
)
from agent.web._evidence import archive_candidates, passage
from tools.archive import ArchiveError, read_archived
from tools.fetching import FetchResponse

__all__ = ["create_app"]

_STATIC = Path(__file__).resolve().parent / "static"
# Run ids are made by agent.runs ("2026-11-26-1d49660e"); anything else never reaches the file system.
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
# The archived copy of a source: inert text, no scripts, no same-origin access even if a browser sniffs.
ARCHIVE_HEADERS: dict[str, str] = {
    "content-security-policy": "sandbox; default-src 'none'",
    "x-content-type-options": "nosniff",
    "content-disposition": "inline",
    "cache-control": "no-store",
}

Handler = Callable[[Request], Awaitable[Response]]
# States where the page offers no form: the run is being written, or stopped before review.
_STOPPED = ("running", "failed", "changes_requested")
_DECIDED = {"approve": "approved", "reject": "rejected", "request_changes": "changes requested"}


@dataclass(frozen=True)
class _Context:
    settings: Settings
    keys: Keys
    templates: Environment
    clock: Clock


def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("agent.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["short_hash"] = short_hash
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    env.filters["safe_link"] = safe_url
    env.filters["label"] = lambda value: str(value).replace("_", " ")
    return env


def _session(ctx: _Context, request: Request) -> Session | None:
    return ctx.keys.read_cookie(request.cookies.get(SESSION_COOKIE), ctx.clock())


def _page(ctx: _Context, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    session = _session(ctx, request)
    html = ctx.templates.get_template(template).render(
        csrf=ctx.keys.csrf_token(session) if session else "",
        logged_in=session is not None,
        **values,
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def _guarded(ctx: _Context, handler: Handler) -> Handler:
    """Token or session required; a cookie-authenticated POST also needs the session's CSRF token."""

    async def guarded(request: Request) -> Response:
        bearer = ctx.keys.bearer_matches(request.headers.get("authorization"))
        session = None if bearer else _session(ctx, request)
        if not bearer and session is None:
            wants_html = request.method == "GET" and "text/html" in request.headers.get("accept", "")
            if wants_html:
                target = "/login?next=" + quote(request.url.path, safe="/")
                return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
            return PlainTextResponse(
                "401: log in or send Authorization: Bearer TOKEN",
                401,
                headers={**SECURITY_HEADERS, "www-authenticate": 'Bearer realm="inference-report review"'},
            )
        if request.method == "POST" and session is not None:
            form = await request.form()
            if not ctx.keys.csrf_matches(session, str(form.get("csrf", ""))):
                return PlainTextResponse(
                    "403: the form's CSRF token is missing or wrong: reload the page",
                    403,
                    headers=SECURITY_HEADERS,
                )
        return await handler(request)

    return guarded


def _run_id(request: Request) -> str:
    run_id = str(request.path_params["run_id"])
    if not _RUN_ID.match(run_id):
        raise RunNotFound(f"no run {run_id!r}")
    return run_id


def _not_found(exc: Exception | str) -> Response:
    return PlainTextResponse(f"404: {exc}", 404, headers=SECURITY_HEADERS)


def create_app(
    settings: Settings, *, token: str, clock: Clock = utc_now, factories: Factories | None = None
) -> Starlette:
    """The review app. ``token`` is what a reviewer must present; ``factories`` are handed to resumed
    runs (tests inject fakes)."""
    if not token:
        raise ValueError("the review page needs a non-empty token")
    ctx = _Context(settings=settings, keys=Keys(token), templates=_templates(), clock=clock)

    def store() -> Store:
        return Store.open(settings.database_path, clock=ctx.clock)

    def _login_page(request: Request, target: str, status: int = 200, error: str | None = None) -> Response:
        """The login form with its own CSRF token: the live pre-login cookie's, or a new one."""
        cookie, login_csrf = ctx.keys.login_form_tokens(request.cookies.get(LOGIN_COOKIE), ctx.clock())
        response = _page(
            ctx, request, "login.html.j2", status, next=target, error=error, login_csrf=login_csrf
        )
        response.set_cookie(
            LOGIN_COOKIE,
            cookie,
            max_age=LOGIN_FORM_MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/login",
        )
        return response

    async def login_form(request: Request) -> Response:
        return _login_page(request, safe_next(request.query_params.get("next")))

    async def login(request: Request) -> Response:
        form = await request.form()
        target = safe_next(str(form.get("next", "/")))
        # Checked before the token: a login posted from another site is refused whatever it carries.
        if not ctx.keys.login_csrf_matches(
            request.cookies.get(LOGIN_COOKIE), str(form.get("login_csrf", "")), ctx.clock()
        ):
            return _login_page(
                request,
                target,
                403,
                error="This login form has expired or was not sent from this page: enter the token again.",
            )
        if not ctx.keys.token_matches(str(form.get("token", ""))):
            return _login_page(request, target, 401, error="That token is not right.")
        response = RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
        response.delete_cookie(LOGIN_COOKIE, path="/login", httponly=True, samesite="strict")
        response.set_cookie(
            SESSION_COOKIE,
            ctx.keys.new_cookie(ctx.clock()),
            max_age=SESSION_MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    async def logout(request: Request) -> Response:
        response = RedirectResponse("/login", status_code=303, headers=SECURITY_HEADERS)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    async def index(request: Request) -> Response:
        def load() -> tuple[Any, Any]:
            with store() as s:
                return list_pending(s), s.list_runs()

        pending, runs = await run_in_threadpool(load)
        return _page(ctx, request, "index.html.j2", pending=pending, runs=runs[:50])

    def _draft_page(
        request: Request,
        run_id: str,
        *,
        status: int = 200,
        error: str | None = None,
        form: dict[str, str] | None = None,
    ) -> Response:
        with store() as s:
            review = open_for_review(
                s, run_id, reviewer=settings.reviewer if error is None else None, clock=ctx.clock
            )
            publication = s.publication(run_id)
            notes = writer_notes(s.get_run(run_id).report, revision_hash=review.record.revision_hash)
        return _page(
            ctx,
            request,
            "draft.html.j2",
            status,
            review=review,
            e=layout(review.view),
            blocking=blocking_claims(review.claims),
            error=error,
            form=form or {},
            reviewer=settings.reviewer,
            publication=publication,
            writer_notes=notes,
            account=review.selection,
            empty=review.selection.empty_reasons() if review.selection else {},
            notice=request.query_params.get("notice"),
            history=decision_history(review.reviews),
            steps=next_steps(run_id, review.status) if review.status in _STOPPED else [],
        )

    async def draft_page(request: Request) -> Response:
        try:
            run_id = _run_id(request)
            return await run_in_threadpool(_draft_page, request, run_id)
        except (RunNotFound, ReviewError) as exc:
            return _not_found(exc)

    async def claim_evidence(request: Request) -> Response:
        try:
            run_id = _run_id(request)
            claim_id = str(request.path_params["claim_id"])

            def load() -> tuple[Any, dict[str, Item]]:
                with store() as s:
                    record = s.latest_draft(run_id)
                    if record is None:
                        raise RunNotFound(f"run {run_id} has no draft")
                    claims = ledger_claims(s, record)
                    items = {i.id: i for i in s.items(run_id)}
                return next((c for c in claims if c.id == claim_id), None), items

            claim, items = await run_in_threadpool(load)
        except RunNotFound as exc:
            return _not_found(exc)
        if claim is None:
            return _not_found(f"run {run_id} has no claim {claim_id!r}")
        evidence = [
            (
                citation,
                items.get(citation.item_id),
                passage(items[citation.item_id].text, citation) if citation.item_id in items else None,
            )
            for citation in claim.citations
        ]
        return _page(ctx, request, "evidence.html.j2", run_id=run_id, claim=claim, evidence=evidence)

    async def archived(request: Request) -> Response:
        try:
            run_id = _run_id(request)
            item_id = str(request.path_params["item_id"])

            def load() -> tuple[Item | None, dict[str, list[str]]]:
                with store() as s:
                    s.get_run(run_id)
                    item = next((i for i in s.items(run_id) if i.id == item_id), None)
                    latest = s.latest_draft(run_id)
                return item, (latest.source_urls if latest and latest.source_urls else {})

            item, source_urls = await run_in_threadpool(load)
        except RunNotFound as exc:
            return _not_found(exc)
        if item is None:
            return _not_found(f"run {run_id} has no item {item_id!r}")
        archive = evidence_archive(settings, run_id)
        found: list[tuple[str, FetchResponse]] = []
        for url in archive_candidates(item, source_urls):
            try:
                response = await run_in_threadpool(read_archived, archive, url)
            except ArchiveError as exc:
                return _not_found(exc)
            if response is not None:
                found.append((url, response))
        # The copy the item's text was extracted from (its content hash), not another source's copy of
        # the same link; without a match, the best candidate.
        exact = [(u, r) for u, r in found if content_hash(r.body) == item.content_hash]
        for url, response in (exact or found)[:1]:
            charset = _charset(response.content_type)
            text = response.body.decode(charset, errors="replace")
            header = (
                f"Archived copy of {url}\n"
                f"fetched {response.fetched_at.isoformat()}, HTTP {response.status}, "
                f"{response.content_type or 'no content type'}\n\n"
            )
            return PlainTextResponse(header + text, headers=ARCHIVE_HEADERS)
        return _not_found(f"the run's archive holds no copy of {item.url}")

    async def decision(request: Request) -> Response:
        try:
            run_id = _run_id(request)
        except RunNotFound as exc:
            return _not_found(exc)
        form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf"}
        choice = form.get("decision", "")
        request_ = DecisionRequest(
            decision=choice,  # type: ignore[arg-type]  # the rules refuse anything else
            reviewer=form.get("reviewer", "").strip() or settings.reviewer,
            comment=form.get("comment", "").strip() or None,
            override_reason=form.get("override", "").strip() or None,
            revision_hash=form.get("revision_hash") or None,
        )
        try:
            outcome = await decide(settings, run_id, request_, clock=ctx.clock, factories=factories)
        except RunNotFound as exc:
            return _not_found(exc)
        except ReportError as exc:
            return await run_in_threadpool(
                _draft_page, request, run_id, status=409, error=str(exc), form=form
            )
        decided, status = outcome.review.decision.replace("_", " "), outcome.status.replace("_", " ")
        notice = f"{decided} recorded; the run is now {status}"
        return RedirectResponse(
            f"/runs/{quote(run_id)}?notice={quote(notice)}", 303, headers=SECURITY_HEADERS
        )

    async def correction(request: Request) -> Response:
        try:
            run_id = _run_id(request)
        except RunNotFound as exc:
            return _not_found(exc)
        form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf"}
        reviewer = form.get("reviewer", "").strip() or settings.reviewer
        try:
            # Inline, as the terminal does it: write, check and render run in this request and the run
            # pauses for review again, so the redirect shows the new revision (or where it stopped).
            outcome = await start_correction(
                settings,
                run_id,
                reviewer=reviewer,
                comment=form.get("comment", ""),
                clock=ctx.clock,
                factories=factories,
            )
        except RunNotFound as exc:
            return _not_found(exc)
        except ReportError as exc:
            return await run_in_threadpool(
                _draft_page, request, run_id, status=409, error=str(exc), form=form
            )

        def latest_revision() -> int | None:
            with store() as s:
                latest = s.latest_draft(run_id)
            return latest.revision if latest else None

        notice = correction_notice(
            run_id,
            corrected=outcome.review.revision,
            reviewer=outcome.review.reviewer,
            new_revision=await run_in_threadpool(latest_revision),
            status=outcome.status,
        )
        return RedirectResponse(
            f"/runs/{quote(run_id)}?notice={quote(notice)}", 303, headers=SECURITY_HEADERS
        )

    async def publish(request: Request) -> Response:
        try:
            run_id = _run_id(request)

            def run() -> dict[str, Any]:
                with store() as s:
                    return publish_edition(s, run_id, settings=settings)

            result = await run_in_threadpool(run)
        except RunNotFound as exc:
            return _not_found(exc)
        except ReportError as exc:
            return await run_in_threadpool(_draft_page, request, run_id, status=409, error=str(exc))
        notice = f"published to {result['dir']}"
        return RedirectResponse(
            f"/runs/{quote(run_id)}?notice={quote(notice)}", 303, headers=SECURITY_HEADERS
        )

    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", _guarded(ctx, logout), methods=["POST"]),
        Route("/", _guarded(ctx, index), methods=["GET"]),
        Route("/runs/{run_id}", _guarded(ctx, draft_page), methods=["GET"]),
        Route("/runs/{run_id}/claims/{claim_id:path}", _guarded(ctx, claim_evidence), methods=["GET"]),
        Route("/runs/{run_id}/archive/{item_id:path}", _guarded(ctx, archived), methods=["GET"]),
        Route("/runs/{run_id}/decision", _guarded(ctx, decision), methods=["POST"]),
        Route("/runs/{run_id}/publish", _guarded(ctx, publish), methods=["POST"]),
        Route("/runs/{run_id}/correction", _guarded(ctx, correction), methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
    ]
    return Starlette(routes=routes)


def _charset(content_type: str) -> str:
    match = re.search(r"charset=([\w.-]+)", content_type, re.IGNORECASE)
    if match:
        try:
            "".encode(match.group(1))
            return match.group(1)
        except LookupError:
            pass
    return "utf-8"


def decision_history(reviews: list[Review]) -> list[tuple[Review, str]]:
    """Each past decision with how it reads: a request for changes on an approved revision is how the
    service records a correction, and the page says "correction requested"."""
    approved: set[int] = set()
    history: list[tuple[Review, str]] = []
    for past in reviews:
        label = _DECIDED.get(past.decision, past.decision.replace("_", " "))
        if past.decision == "request_changes" and past.revision in approved:
            label = "correction requested"
        if past.decision == "approve":
            approved.add(past.revision)
        history.append((past, label))
    return history


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
