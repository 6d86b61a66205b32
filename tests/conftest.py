"""Test-wide guards: no network but loopback, no API key, and the shared fixtures located in place."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL_FIXTURES = SHARED / "fixtures" / "real"

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: Any) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if not _is_loopback(host):
        raise RuntimeError(f"tests must not touch the network: connect to {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network_no_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    # A test that names no data folder and finds none falls back to the user data directory: this
    # one, never the real ~/.local/share/inference-report (subprocesses inherit it too).
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    for var in (
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_BASE_URL",
        "INFERENCE_REPORT_HOME",
        "INFERENCE_REPORT_CONFIG",
        "INFERENCE_REPORT_REVIEW_TOKEN",
        "ARTIFICIAL_ANALYSIS_API_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture
def real_fixtures() -> Path:
    """``../shared/fixtures/real``, or a skip that says why."""
    if not REAL_FIXTURES.is_dir():
        pytest.skip(f"../shared is absent ({REAL_FIXTURES} not found): real-capture tests need it")
    return REAL_FIXTURES


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED} not found)")
    return SHARED


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """The session's throwaway PostgreSQL server (tests/pg_server.py), or the reason there is none."""
    from tests.pg_server import pg_server as start

    with start() as server:
        yield server
        if not isinstance(server, str):
            server.drop_templates()


def _no_server(reason: str) -> None:
    """Skip, saying why; under CI (the ``CI`` variable set) fail instead: .ci/run installs the server, so
    the PostgreSQL half of the suites must not go quietly missing there."""
    if os.environ.get("CI"):
        pytest.fail(f"no PostgreSQL server under CI: {reason}")
    pytest.skip(f"no PostgreSQL server for this test: {reason}")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> str:
    """The store's engine, once each: every fixture that makes a store (``database``, ``home``, the
    drafted data folders) follows it, so a test using any of them runs on SQLite, then on PostgreSQL
    (skipped, saying why, when no server can be started)."""
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        if isinstance(server, str):
            _no_server(server)
    return str(request.param)


@pytest.fixture
def pg_url(pg_server: Any) -> Iterator[str]:
    """A fresh empty PostgreSQL database for one test, dropped afterwards."""
    if isinstance(pg_server, str):
        _no_server(pg_server)
    url: str = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def pg_schema_url(pg_server: Any) -> Iterator[str]:
    """A fresh PostgreSQL database for one test with the schema already built, dropped afterwards."""
    if isinstance(pg_server, str):
        _no_server(pg_server)
    url: str = pg_server.create_database(schema=True)
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def database(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's store lives, once per engine: a SQLite file in the test's folder, or a fresh
    PostgreSQL database."""
    if engine == "sqlite":
        return str(tmp_path / "data" / "report.sqlite")
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def new_home(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``new_home(name)``: the data folder ``tmp_path / name`` with its own store on the test's engine:
    the default SQLite file in it, or a fresh PostgreSQL database named in its config.toml (dropped after
    the test)."""
    from tests.pg_server import point_home_at

    made: list[str] = []

    def make(name: str) -> Path:
        folder = tmp_path / name
        if engine == "sqlite":
            return folder
        made.append(request.getfixturevalue("pg_server").create_database(schema=True))
        return point_home_at(folder, made[-1])

    yield make
    for url in made:
        request.getfixturevalue("pg_server").drop_database(url)


@pytest.fixture
def home(new_home: Callable[[str], Path]) -> Path:
    """A test's data folder, ``tmp_path / "home"``, with its store on the test's engine."""
    return new_home("home")
