"""The review page: a Starlette app built by :func:`create_app` (nothing is created at import time).

Its routes are grouped by concern: logging in (``_login``), reading drafts and evidence (``_drafts``),
deciding, correcting and publishing (``_decisions``). Their shared dependencies (settings, keys,
templates, clock, factories) live in ``app.state.web`` (``_context``), and every page but the login
form needs the reviewer token or a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from agent.deps import Clock, utc_now
from agent.runs import Factories
from agent.settings import Settings
from agent.web._auth import MIN_TOKEN_LENGTH, Keys
from agent.web._context import WebContext, templates
from agent.web._decisions import ROUTES as DECISION_ROUTES
from agent.web._drafts import ROUTES as DRAFT_ROUTES
from agent.web._login import ROUTES as LOGIN_ROUTES

__all__ = ["create_app"]

_STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings,
    *,
    token: str,
    clock: Clock = utc_now,
    factories: Factories | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> Starlette:
    """The review app. ``token`` is what a reviewer must present (at least ``MIN_TOKEN_LENGTH``
    characters); ``factories`` are handed to resumed runs (tests inject fakes); with ``allowed_hosts``
    a request whose Host header names anything else is refused (400), so a page served beyond
    loopback answers only to the names it is published under."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(
            f"the review token is {len(token)} characters: it needs at least {MIN_TOKEN_LENGTH} "
            "(leave INFERENCE_REPORT_REVIEW_TOKEN unset and serve makes one)"
        )
    middleware = (
        [Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False)]
        if allowed_hosts is not None
        else []
    )
    app = Starlette(
        routes=[
            *LOGIN_ROUTES,
            *DRAFT_ROUTES,
            *DECISION_ROUTES,
            Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
        ],
        middleware=middleware,
    )
    app.state.web = WebContext(
        settings=settings, keys=Keys(token), templates=templates(), clock=clock, factories=factories
    )
    return app
