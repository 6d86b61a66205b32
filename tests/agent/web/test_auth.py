from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from itsdangerous import TimestampSigner
from itsdangerous.encoding import base64_encode, int_to_bytes

from agent.web._auth import LOGIN_FORM_MAX_AGE_S, SESSION_MAX_AGE_S, Keys, LoginThrottle, safe_next

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return base64_encode(int_to_bytes(int(moment.timestamp()))).decode()


def test_a_session_cookie_is_signed_and_expires() -> None:
    keys = Keys("t")
    cookie = keys.new_cookie(NOW)
    session = keys.read_cookie(cookie, NOW + timedelta(hours=1))
    assert session is not None and session.issued_at == int(NOW.timestamp())
    assert keys.read_cookie(cookie, NOW + timedelta(seconds=SESSION_MAX_AGE_S + 1)) is None
    assert keys.read_cookie(cookie, NOW - timedelta(minutes=5)) is None  # issued in the future
    session_id, issued, signature = cookie.split(".")
    assert issued == _stamp(NOW)
    assert keys.read_cookie(f"{session_id}x.{issued}.{signature}", NOW) is None  # tampered id
    later = _stamp(NOW + timedelta(hours=1))
    assert keys.read_cookie(f"{session_id}.{later}.{signature}", NOW + timedelta(hours=1)) is None  # extended
    assert keys.read_cookie("garbage", NOW) is None
    assert keys.read_cookie(None, NOW) is None


def test_the_cookie_is_itsdangerous_timestamp_signing_with_its_own_salt() -> None:
    keys = Keys("s3cret-token-of-16+")
    cookie = keys.new_cookie(NOW)
    signer = TimestampSigner(
        "s3cret-token-of-16+", salt="inference-report:session", digest_method=hashlib.sha256
    )
    assert signer.unsign(cookie).decode() == cookie.split(".")[0]
    other = TimestampSigner(
        "s3cret-token-of-16+", salt="inference-report:login", digest_method=hashlib.sha256
    )
    assert keys.read_cookie(other.sign("made-up-session").decode(), NOW) is None


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


def test_failed_logins_from_one_client_wait_longer_and_longer() -> None:
    throttle = LoginThrottle(free=3, cap_s=300)
    t = 1_000.0
    for _ in range(3):  # three wrong tokens in a row cost nothing
        assert throttle.wait_s("10.0.0.9", t) == 0
        throttle.failed("10.0.0.9", t)
    waits = []
    for _ in range(12):
        waits.append(throttle.wait_s("10.0.0.9", t))
        t += waits[-1]
        throttle.failed("10.0.0.9", t)
    assert waits[:5] == [1, 2, 4, 8, 16] and waits[-1] == 300
    assert throttle.wait_s("10.0.0.7", t) == 0  # another client is not slowed
    throttle.succeeded("10.0.0.9")
    assert throttle.wait_s("10.0.0.9", t) == 0


def test_a_csrf_token_spelled_any_other_way_is_refused() -> None:
    """Base64's last character carries unused bits: only the exact text passes, not another spelling."""
    keys = Keys("review-token-for-tests")
    session = keys.read_cookie(keys.new_cookie(NOW), NOW)
    assert session is not None
    token = keys.csrf_token(session)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    variants = [token[:-1] + c for c in alphabet if c != token[-1]]
    assert not any(keys.csrf_matches(session, v) for v in variants)
    assert keys.csrf_matches(session, token)
