"""What every route of the review page shares: the app's dependencies (kept in ``app.state``), the
page and error responses with their security headers, and the access guard.

Every page needs the reviewer token: ``Authorization: Bearer TOKEN`` or the session cookie the login
page sets. Forms posted with the cookie carry the session's CSRF token.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from agent.deps import Clock
from agent.domain.errors import RunNotFound
from agent.render import safe_url
from agent.review import short_hash
from agent.reviewers import SHARED_NAME, Identity, authenticate
from agent.runs import Factories
from agent.settings import Settings
from agent.store import Store
from agent.web._auth import SESSION_COOKIE, Keys, LoginThrottle, Session
from agent.web._wording import move_class

__all__ = [
    "SECURITY_HEADERS",
    "Handler",
    "WebContext",
    "forbidden",
    "guarded",
    "not_found",
    "page",
    "redirect_with_notice",
    "run_id_of",
    "templates",
    "web",
]

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
# Run ids are made by agent.runs ("2026-11-26-1d49660e"); anything else never reaches the file system.
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class WebContext:
    """The review app's dependencies: ``app.state.web``."""

    settings: Settings
    keys: Keys
    templates: Environment
    clock: Clock
    # Handed to the runs a decision or correction resumes (tests inject fakes).
    factories: Factories | None = None
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

    def store(self) -> Store:
        return Store.open(self.settings.database, clock=self.clock)

    def identity(self, request: Request) -> Identity | None:
        """Who sent the request: the reviewer a bearer token or the session names (a removed reviewer's
        session stops working), the desk's shared token, or nobody. Read once per request."""
        if "identity" not in request.scope.setdefault("state", {}):
            request.state.identity = self._identity(request)
        found: Identity | None = request.state.identity
        return found

    def _identity(self, request: Request) -> Identity | None:
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and bearer.strip():
            with self.store() as store:
                return authenticate(store, bearer.strip(), shared_token=self.keys.token)
        session = self.session(request)
        if session is None:
            return None
        if session.reviewer is None:
            return Identity(SHARED_NAME, "reviewer", shared=True)
        with self.store() as store:
            found = store.reviewer(session.reviewer)
        return None if found is None else Identity(found.name, found.role)

    def session(self, request: Request) -> Session | None:
        """The request's live session: a cookie signed by our keys, unexpired, and not logged out (a
        copy of a cookie whose session ended stops working). Read once per request."""
        if "session" not in request.scope.setdefault("state", {}):
            session = self.keys.read_cookie(request.cookies.get(SESSION_COOKIE), self.clock())
            if session is not None:
                with self.store() as store:
                    if store.session_revoked(session.session_id):
                        session = None
            request.state.session = session
        found: Session | None = request.state.session
        return found


def templates() -> Environment:
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
    env.filters["move_class"] = move_class
    return env


def web(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    ctx = web(request)
    session = ctx.session(request)
    html = ctx.templates.get_template(template).render(
        csrf=ctx.keys.csrf_token(session) if session else "",
        logged_in=session is not None,
        identity=ctx.identity(request),
        **values,
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def guarded(handler: Handler) -> Handler:
    """A token (named or shared) or a session required; a cookie-authenticated POST also needs the
    session's CSRF token."""

    async def guard(request: Request) -> Response:
        ctx = web(request)
        identity = ctx.identity(request)
        bearer = identity is not None and request.headers.get("authorization") is not None
        session = None if bearer else ctx.session(request)
        if identity is None:
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

    return guard


def run_id_of(request: Request) -> str:
    run_id = str(request.path_params["run_id"])
    if not _RUN_ID.match(run_id):
        raise RunNotFound(f"no run {run_id!r}")
    return run_id


def forbidden(message: str) -> Response:
    return PlainTextResponse(f"403: {message}", 403, headers=SECURITY_HEADERS)


def not_found(exc: Exception | str) -> Response:
    return PlainTextResponse(f"404: {exc}", 404, headers=SECURITY_HEADERS)


def redirect_with_notice(run_id: str, notice: str) -> Response:
    """Back to the run's page, which shows ``notice`` above the draft."""
    return RedirectResponse(f"/runs/{quote(run_id)}?notice={quote(notice)}", 303, headers=SECURITY_HEADERS)
