"""The review page against a hostile network (issue 14): Host headers beyond loopback, short tokens, token
guessing, and a session cookie copied before its session was logged out."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from agent.settings import Settings
from agent.web import create_app

TOKEN = "review-token-for-tests"
BASE = "http://127.0.0.1"
ROOT = Path(__file__).resolve().parents[3]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _login_csrf(client: TestClient) -> str:
    found = re.search(r'name="login_csrf" value="([^"]+)"', client.get("/login").text)
    assert found is not None
    return found.group(1)


def _try_login(client: TestClient, token: str) -> int:
    data = {"token": token, "next": "/", "login_csrf": _login_csrf(client)}
    return client.post("/login", data=data, follow_redirects=False).status_code


def test_a_token_shorter_than_16_characters_is_refused(drafted: tuple[Settings, str], tmp_path: Path) -> None:
    settings, _ = drafted
    with pytest.raises(ValueError, match="the review token is 15 characters: it needs at least 16"):
        create_app(settings, token="x" * 15)
    create_app(settings, token="x" * 16)
    env = {
        **os.environ,
        "INFERENCE_REPORT_HOME": str(tmp_path),
        "INFERENCE_REPORT_REVIEW_TOKEN": "hunter2",
        "PYTHONPATH": str(ROOT),
    }
    port = str(_free_port("127.0.0.1"))
    result = subprocess.run(  # a process with a timeout: a serve that starts anyway fails, not hangs
        [sys.executable, "-m", "agent", "serve", "--port", port],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert (
        "INFERENCE_REPORT_REVIEW_TOKEN: the review token is 7 characters: it needs at least 16"
        in " ".join(result.stderr.split())
    )


def test_repeated_wrong_tokens_are_slowed_and_the_right_one_waits_its_turn(
    drafted: tuple[Settings, str],
) -> None:
    settings, _ = drafted
    clock = Clock()
    client = TestClient(create_app(settings, token=TOKEN, clock=clock), base_url=BASE)
    assert [_try_login(client, f"guess-{n}") for n in range(3)] == [401, 401, 401]
    # The fourth try comes too soon: refused unchecked, even with the right token.
    data = {"token": TOKEN, "next": "/", "login_csrf": _login_csrf(client)}
    early = client.post("/login", data=data, follow_redirects=False)
    assert early.status_code == 429 and early.headers["retry-after"] == "1"
    assert "wait 1 s" in early.text and "ir_session" not in client.cookies
    clock.now += timedelta(seconds=1)
    assert _try_login(client, "guess-3") == 401
    clock.now += timedelta(seconds=1)
    assert _try_login(client, TOKEN) == 429  # now 2 s after the latest failure
    clock.now += timedelta(seconds=1)
    assert _try_login(client, TOKEN) == 303
    # A right token forgives the past.
    assert _try_login(client, "guess-4") == 401 and _try_login(client, TOKEN) == 303


def test_logging_out_ends_the_session_everywhere(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    browser = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    assert _try_login(browser, TOKEN) == 303
    saved = browser.cookies["ir_session"]
    elsewhere = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    elsewhere.cookies.set("ir_session", saved)
    assert elsewhere.get(f"/runs/{run_id}", headers={"accept": "*/*"}).status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get(f"/runs/{run_id}").text)
    assert csrf is not None
    assert browser.post("/logout", data={"csrf": csrf.group(1)}, follow_redirects=False).status_code == 303
    assert elsewhere.get(f"/runs/{run_id}", headers={"accept": "*/*"}).status_code == 401
    # Still ended after a restart with the same token: the store remembers, not the process.
    restarted = TestClient(create_app(settings, token=TOKEN), base_url=BASE)
    restarted.cookies.set("ir_session", saved)
    assert restarted.get(f"/runs/{run_id}", headers={"accept": "*/*"}).status_code == 401
    # Logging in again gives a new session that works.
    assert _try_login(restarted, TOKEN) == 303
    assert restarted.get(f"/runs/{run_id}").status_code == 200


def test_with_allowed_hosts_another_host_header_is_refused(drafted: tuple[Settings, str]) -> None:
    settings, _ = drafted
    app = create_app(settings, token=TOKEN, allowed_hosts=["review.example.org"])
    named = TestClient(app, base_url="http://review.example.org:8765")
    assert named.get("/login").status_code == 200
    for host in ("evil.example", "127.0.0.1", "review.example.org.evil.example"):
        refused = named.get("/login", headers={"host": host})
        assert refused.status_code == 400, host


def test_serving_on_every_address_needs_the_names_to_answer_to(tmp_path: Path) -> None:
    # A process with a timeout: a serve that starts anyway must fail the test, not hang it.
    env = {**os.environ, "INFERENCE_REPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("INFERENCE_REPORT_REVIEW_HOSTS", None)
    port = str(_free_port("127.0.0.1"))
    result = subprocess.run(
        [sys.executable, "-m", "agent", "serve", "--host", "0.0.0.0", "--port", port],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "INFERENCE_REPORT_REVIEW_HOSTS" in " ".join(result.stderr.split())


def test_a_port_in_use_is_a_plain_error_before_any_address_is_printed(tmp_path: Path) -> None:
    env = {**os.environ, "INFERENCE_REPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = str(holder.getsockname()[1])
        result = subprocess.run(  # a timeout: a serve that starts anyway fails the test, not hangs it
            [sys.executable, "-m", "agent", "serve", "--port", port],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    # uvicorn's own exit (3) broke the 0/1/2 convention, after a token and the other process's address.
    assert result.returncode == 1
    assert f"error: cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "review page:" not in result.stdout and "review token" not in result.stdout


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def test_serve_beyond_loopback_answers_only_to_its_names(drafted: tuple[Settings, str]) -> None:
    """A real ``serve`` bound to 127.0.0.2, an address it does not treat as loopback."""
    settings, _ = drafted
    host = "127.0.0.2"
    try:
        port = _free_port(host)
    except OSError:
        pytest.skip("127.0.0.2 cannot be bound here")
    env = {
        **os.environ,
        "INFERENCE_REPORT_HOME": str(settings.home),
        "INFERENCE_REPORT_REVIEW_TOKEN": TOKEN,
        "INFERENCE_REPORT_REVIEW_HOSTS": "review.example.org",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "agent", "serve", "--host", host, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def status(host_header: str) -> int:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", "/login", headers={"Host": host_header})
            return connection.getresponse().status

        deadline = time.monotonic() + 30
        while True:
            try:
                first = status("review.example.org")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert first == 200
        assert status(f"review.example.org:{port}") == 200
        assert status(f"{host}:{port}") == 200  # the address it is bound to
        assert status("evil.example") == 400
        assert status("localhost") == 400
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server.stderr is not None
    assert "answering only to review.example.org, 127.0.0.2" in " ".join(server.stderr.read().split())


def test_the_address_printed_is_one_the_page_answers_to() -> None:
    from agent.cli_review import page_url

    # Bound to every address, the page refuses Host: 0.0.0.0 ("Invalid host header"): print a name.
    assert page_url("0.0.0.0", 8765, ["review.example.org"]) == "http://review.example.org:8765/"
    assert page_url("::", 8765, ["review.example.org"]) == "http://review.example.org:8765/"
    assert page_url("127.0.0.1", 8765, None) == "http://127.0.0.1:8765/"
    assert page_url("127.0.0.2", 8765, ["review.example.org", "127.0.0.2"]) == "http://127.0.0.2:8765/"
    assert page_url("::1", 8765, None) == "http://[::1]:8765/"
