from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent.web._auth import LOGIN_FORM_MAX_AGE_S, SESSION_MAX_AGE_S, Keys, safe_next

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_token_and_bearer_matching() -> None:
    keys = Keys("s3cret-token")
    assert keys.token_matches("s3cret-token")
    assert not keys.token_matches("s3cret-toke")
    assert not keys.token_matches("")
    assert not keys.token_matches(None)
    assert keys.bearer_matches("Bearer s3cret-token")
    assert keys.bearer_matches("bearer s3cret-token")
    assert not keys.bearer_matches("Basic s3cret-token")
    assert not keys.bearer_matches("Bearer wrong")
    assert not keys.bearer_matches(None)


def test_a_session_cookie_is_signed_and_expires() -> None:
    keys = Keys("t")
    cookie = keys.new_cookie(NOW)
    session = keys.read_cookie(cookie, NOW + timedelta(hours=1))
    assert session is not None
    assert keys.read_cookie(cookie, NOW + timedelta(seconds=SESSION_MAX_AGE_S + 1)) is None
    session_id, issued, signature = cookie.split(".")
    assert keys.read_cookie(f"{session_id}x.{issued}.{signature}", NOW) is None  # tampered id
    assert keys.read_cookie(f"{session_id}.{int(issued) + 3600}.{signature}", NOW) is None  # extended life
    assert keys.read_cookie("garbage", NOW) is None
    assert keys.read_cookie(None, NOW) is None


def test_a_new_token_invalidates_old_sessions() -> None:
    cookie = Keys("old").new_cookie(NOW)
    assert Keys("new").read_cookie(cookie, NOW) is None


def test_csrf_tokens_belong_to_one_session() -> None:
    keys = Keys("t")
    one = keys.read_cookie(keys.new_cookie(NOW), NOW)
    two = keys.read_cookie(keys.new_cookie(NOW), NOW)
    assert one is not None and two is not None
    assert keys.csrf_matches(one, keys.csrf_token(one))
    assert not keys.csrf_matches(one, keys.csrf_token(two))
    assert not keys.csrf_matches(one, "")
    assert not keys.csrf_matches(one, None)


def test_after_login_only_local_paths() -> None:
    assert safe_next("/runs/abc") == "/runs/abc"
    assert safe_next("//evil.example/") == "/"
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("/\\evil.example") == "/"
    assert safe_next(None) == "/"


def test_the_login_forms_token_belongs_to_its_pre_login_cookie() -> None:
    keys = Keys("t")
    cookie, field = keys.login_form_tokens(None, NOW)
    assert keys.login_csrf_matches(cookie, field, NOW + timedelta(minutes=5))
    # The same live cookie gives the same field (two tabs on the login page both work).
    assert keys.login_form_tokens(cookie, NOW + timedelta(minutes=1)) == (cookie, field)
    other_cookie, other_field = keys.login_form_tokens(None, NOW)
    assert not keys.login_csrf_matches(cookie, other_field, NOW)
    assert not keys.login_csrf_matches(None, field, NOW)
    assert not keys.login_csrf_matches(cookie, "", NOW)
    assert not keys.login_csrf_matches(cookie, None, NOW)
    assert not Keys("other").login_csrf_matches(cookie, field, NOW)
    expired = NOW + timedelta(seconds=LOGIN_FORM_MAX_AGE_S + 1)
    assert not keys.login_csrf_matches(cookie, field, expired)
    renewed, _ = keys.login_form_tokens(cookie, expired)
    assert renewed != cookie and keys.read_login_cookie(renewed, expired) is not None
    # Signed for another purpose: a pre-login cookie is no session, and a session no pre-login cookie.
    assert keys.read_cookie(cookie, NOW) is None
    assert keys.read_login_cookie(keys.new_cookie(NOW), NOW) is None
    assert other_cookie != cookie
