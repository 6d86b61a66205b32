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
from agent.web import _decisions, _drafts, _login
from agent.web._auth import Keys
from agent.web._context import WebContext, templates

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
            *_login.ROUTES,
            *_drafts.ROUTES,
            *_decisions.ROUTES,
            Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
        ]
    )
    app.state.web = WebContext(
        settings=settings, keys=Keys(token), templates=templates(), clock=clock, factories=factories
    )
    return app
