"""A throwaway PostgreSQL cluster for the tests: started once per session, one fresh database per test.

``INFERENCE_REPORT_TEST_DATABASE_URL`` names a server to use instead (its user must be allowed to
create databases). Otherwise the server binaries are looked up on PATH and in Debian's
``/usr/lib/postgresql/N/bin``; as root, ``initdb`` and ``pg_ctl`` run as the ``postgres`` user
(``initdb`` refuses root). When neither works the tests that need it skip, saying why.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PgServer", "pg_server", "point_home_at"]

URL_VARIABLE = "INFERENCE_REPORT_TEST_DATABASE_URL"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url  # a URL whose database is the maintenance database
        self._schema_template: str | None = None

    def _base(self) -> str:
        return self.admin_url.rsplit("/", 1)[0]

    def create_database(self, *, schema: bool = False) -> str:
        """A new database's URL: empty, or with ``schema`` the store's tables and LangGraph's checkpoint
        tables already built (a copy of a template built once a session: a per-test database that
        copies it skips the migrations and the saver's setup)."""
        if not schema:
            return self._create("template1")
        if self._schema_template is None:
            self._schema_template = self._built_template()
        return self.clone_database(self._schema_template)

    def clone_database(self, url: str) -> str:
        """A new database that starts as a copy of ``url``'s (which nobody may be connected to): a
        drafted data folder's database, copied per test like its files."""
        return self._create(url.rsplit("/", 1)[1])

    def _create(self, template: str) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return f"{self._base()}/{name}"

    def drop_templates(self) -> None:
        """Drop what the session built to copy from (a named server keeps no leftovers)."""
        if self._schema_template is not None:
            self.drop_database(self._schema_template)
            self._schema_template = None

    def _built_template(self) -> str:
        from langgraph.checkpoint.postgres import PostgresSaver

        from agent.store import Store

        url = self.create_database()
        with Store.open(url):
            pass
        with PostgresSaver.from_conn_string(url) as saver:
            saver.setup()
        return url

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def point_home_at(home: Path, database: str) -> Path:
    """The data folder ``home`` with its store on ``database``: a PostgreSQL URL goes into its
    config.toml (first, before any table), so every way in (settings, the CLI, a subprocess) finds it; a
    SQLite path is the default file and needs nothing written."""
    if not database.startswith("postgresql://"):
        return home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    kept = config.read_text(encoding="utf-8").splitlines(keepends=True) if config.exists() else []
    kept = [line for line in kept if not line.startswith("database_url")]
    config.write_text(f'database_url = "{database}"\n' + "".join(kept), encoding="utf-8")
    return home


def _run_as(user: str | None, args: list[str]) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", user, "--", *args] if user else args
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@contextmanager
def pg_server() -> Iterator[PgServer | str]:
    """A server, or the reason there is none (a string), for the session."""
    if os.environ.get(URL_VARIABLE):
        yield PgServer(os.environ[URL_VARIABLE])
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        yield (
            "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: "
            f"install Debian's postgresql package or set {URL_VARIABLE}"
        )
        return
    user: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            yield "running as root and there is no postgres user to run initdb as"
            return
        user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="inference-report-pg-"))
    if user:
        shutil.chown(folder, user)
    data = folder / "data"
    port = _free_port()
    made = _run_as(user, [initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"])
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        yield f"initdb failed: {made.stderr.strip()[-300:]}"
        return
    # A test cluster: nothing in it must survive a crash, so durability is switched off for speed.
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200"
    )
    started = _run_as(
        user, [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
    )
    if started.returncode != 0:
        log = (folder / "log").read_text(errors="replace")[-300:] if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        yield f"pg_ctl start failed: {started.stderr.strip()[-300:]} {log}"
        return
    try:
        yield PgServer(f"postgresql://postgres@127.0.0.1:{port}/postgres")
    finally:
        _run_as(user, [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
