"""The review page: a Starlette app built by :func:`create_app` (nothing is created at import time).

Its routes are grouped by concern: logging in (``_login``), reading drafts and evidence (``_drafts``),
deciding, correcting and publishing (``_decisions``). Their shared dependencies (settings, keys,
templates, clock, factories) live in ``app.state.web`` (``_context``), and every page but the login
form needs the reviewer token or a session.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from agent.deps import Clock, utc_now
from agent.runs import Factories
from agent.settings import Settings
from agent.web._auth import Keys
from agent.web._context import WebContext, templates
from agent.web._decisions import ROUTES as DECISION_ROUTES
from agent.web._drafts import ROUTES as DRAFT_ROUTES
from agent.web._login import ROUTES as LOGIN_ROUTES

__all__ = ["create_app"]

_STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings, *, token: str, clock: Clock = utc_now, factories: Factories | None = None
) -> Starlette:
    """The review app. ``token`` is what a reviewer must present; ``factories`` are handed to resumed
    runs (tests inject fakes)."""
    if not token:
        raise ValueError("the review page needs a non-empty token")
    app = Starlette(
        routes=[
            *LOGIN_ROUTES,
            *DRAFT_ROUTES,
            *DECISION_ROUTES,
            Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
        ]
    )
    app.state.web = WebContext(
        settings=settings, keys=Keys(token), templates=templates(), clock=clock, factories=factories
    )
    return app
