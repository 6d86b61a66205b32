"""Logging in and out of the review page. The login form carries its own CSRF token, tied to a
short-lived pre-login cookie (``_auth``): a login posted from another site is refused. Wrong tokens from
one client slow its next tries (``LoginThrottle``); logging out revokes the session in the store."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from agent.reviewers import authenticate
from agent.web._auth import LOGIN_COOKIE, LOGIN_FORM_MAX_AGE_S, SESSION_COOKIE, SESSION_MAX_AGE_S, safe_next
from agent.web._context import SECURITY_HEADERS, guarded, page, web

__all__ = ["ROUTES"]


def _login_page(request: Request, target: str, status: int = 200, error: str | None = None) -> Response:
    """The login form with its own CSRF token: the live pre-login cookie's, or a new one."""
    ctx = web(request)
    cookie, login_csrf = ctx.keys.login_form_tokens(request.cookies.get(LOGIN_COOKIE), ctx.clock())
    response = page(request, "login.html.j2", status, next=target, error=error, login_csrf=login_csrf)
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
    ctx = web(request)
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
    client = request.client.host if request.client else "unknown"
    now = ctx.clock().timestamp()
    wait = ctx.throttle.wait_s(client, now)
    if wait > 0:  # checked before the token: a guess sent too soon is not even tried
        response = _login_page(
            request,
            target,
            429,
            error=f"Too many wrong tokens: wait {math.ceil(wait)} s before trying again.",
        )
        response.headers["retry-after"] = str(math.ceil(wait))
        return response
    with ctx.store() as store:
        identity = authenticate(store, str(form.get("token", "")), shared_token=ctx.keys.token)
    if identity is None:
        ctx.throttle.failed(client, now)
        return _login_page(request, target, 401, error="That token is not right.")
    ctx.throttle.succeeded(client)
    response = RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
    response.delete_cookie(LOGIN_COOKIE, path="/login", httponly=True, samesite="strict")
    response.set_cookie(
        SESSION_COOKIE,
        ctx.keys.new_cookie(ctx.clock(), None if identity.shared else identity.name),
        max_age=SESSION_MAX_AGE_S,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def logout(request: Request) -> Response:
    """Ends the session in the store, not only in this browser: a saved copy of its cookie stops working."""
    ctx = web(request)
    session = ctx.session(request)
    if session is not None:
        with ctx.store() as store:
            store.revoke_session(
                session.session_id,
                expires_at=datetime.fromtimestamp(session.issued_at + SESSION_MAX_AGE_S, UTC),
            )
    response = RedirectResponse("/login", status_code=303, headers=SECURITY_HEADERS)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", guarded(logout), methods=["POST"]),
]
