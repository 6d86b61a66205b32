"""The product on PostgreSQL: a draft, its review, a decision and its publication, in one process and in
several."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agent.decisions import DecisionRequest, decide
from agent.publishing import publish_edition
from agent.runs import DraftOptions, read_snapshot, start_draft
from agent.settings import load_settings
from agent.store import RunStatus, Store


async def test_a_sample_draft_and_its_approval_live_in_postgresql_and_write_no_sqlite_file(
    tmp_path: Path, pg_url: str
) -> None:
    home = tmp_path / "home"
    settings = load_settings(
        {"INFERENCE_REPORT_DATABASE_URL": pg_url, "INFERENCE_REPORT_SITE_URL": "https://report.example/"},
        home=home,
    )
    outcome = await start_draft(
        settings, DraftOptions(sample=True, writer="extractive", out_dir=tmp_path / "out")
    )
    assert outcome.status == "awaiting_review"
    with Store.open(pg_url) as store:
        assert store.engine == "postgresql"
        assert store.get_run(outcome.run_id).status is RunStatus.AWAITING_REVIEW
        assert store.claims(outcome.run_id)
    snapshot = await read_snapshot(settings, outcome.run_id)
    assert snapshot.values["options"]["run_id"] == outcome.run_id and snapshot.next
    decided = await decide(settings, outcome.run_id, DecisionRequest(decision="approve", reviewer="ana"))
    assert decided.status == "approved"  # drafted without auto-publish: publishing is the next step
    assert not (await read_snapshot(settings, outcome.run_id)).next
    with Store.open(pg_url) as store:
        published = publish_edition(store, outcome.run_id, settings=settings)
        assert store.publication(outcome.run_id) is not None
        assert store.get_run(outcome.run_id).status is RunStatus.PUBLISHED
    assert Path(published["page"]).is_file()
    # The archives and drafts stay files; no database file is written in the data folder.
    assert not list(home.rglob("*.sqlite*"))
    assert (home / "runs").is_dir()


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "agent", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_draft_in_one_process_and_racing_decisions_from_others_resume_the_run_once(
    tmp_path: Path, pg_url: str
) -> None:
    env = {
        **os.environ,
        "INFERENCE_REPORT_DATABASE_URL": pg_url,
        "INFERENCE_REPORT_HOME": str(tmp_path / "home"),
    }
    draft = _cli(["draft", "--sample", "--writer", "extractive", "--out", str(tmp_path / "out")], env)
    _out, err = draft.communicate(timeout=300)
    assert draft.returncode == 0, err
    with Store.open(pg_url) as store:
        [run] = store.list_runs(RunStatus.AWAITING_REVIEW)
    # Three reviewers on three machines decide at once: one approval, one rejection, one approval.
    racers = [
        _cli(
            ["review", run.run_id, decision, "--reviewer", name, "--comment", "ok", "--override", "checked"],
            env,
        )
        for name, decision in (("ana", "--approve"), ("bo", "--reject"), ("cy", "--approve"))
    ]
    results = [
        (p.wait(timeout=300), p.stdout.read() if p.stdout else "", p.stderr.read() if p.stderr else "")
        for p in racers
    ]
    assert sum(code == 0 for code, _, _ in results) == 1, results
    with Store.open(pg_url) as store:
        reviews = store.reviews(run.run_id)
        assert len(reviews) == 1
        final = store.get_run(run.run_id).status
        expected = {"approve": {RunStatus.APPROVED, RunStatus.PUBLISHED}, "reject": {RunStatus.REJECTED}}
        assert final in expected[reviews[0].decision]
        # Nothing lost: the draft and its ledger are still there.
        assert store.latest_draft(run.run_id) is not None and store.claims(run.run_id)
    settings = load_settings(env)
    import asyncio

    snapshot = asyncio.run(read_snapshot(settings, run.run_id))
    assert not snapshot.next  # resumed once, to the end
    assert not list((tmp_path / "home").rglob("*.sqlite*"))


def test_the_review_page_in_one_process_and_the_terminal_in_another_decide_once(
    tmp_path: Path, pg_url: str
) -> None:
    import socket
    import threading
    import time
    import urllib.error
    import urllib.request

    token = "shared-desk-token-0123456789"
    env = {
        **os.environ,
        "INFERENCE_REPORT_DATABASE_URL": pg_url,
        "INFERENCE_REPORT_HOME": str(tmp_path / "home"),
        "INFERENCE_REPORT_REVIEW_TOKEN": token,
    }
    drafted = _cli(["draft", "--sample", "--writer", "extractive"], env)
    _, err = drafted.communicate(timeout=300)
    assert drafted.returncode == 0, err
    with Store.open(pg_url) as store:
        [run] = store.list_runs(RunStatus.AWAITING_REVIEW)
        latest = store.latest_draft(run.run_id)
    assert latest is not None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _cli(["serve", "--port", str(port)], env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.2)
        answers: list[int] = []

        def by_page() -> None:
            body = f"decision=reject&revision_hash={latest.revision_hash}".encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/runs/{run.run_id}/decision",
                data=body,
                headers={"authorization": f"Bearer {token}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=120) as response:  # follows the 303
                    answers.append(response.status)
            except urllib.error.HTTPError as refused:
                answers.append(refused.code)

        page = threading.Thread(target=by_page)
        page.start()
        terminal = _cli(["review", run.run_id, "--reject", "--comment", "from the terminal"], env)
        terminal.wait(timeout=300)
        page.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # One of the two decisions wins; the other is refused (409 on the page, exit 1 in the terminal).
    assert sorted([answers[0] == 200, terminal.returncode == 0]) == [False, True], (
        answers,
        terminal.returncode,
    )
    with Store.open(pg_url) as store:
        [review] = store.reviews(run.run_id)
        assert review.reviewer == "desk (shared token)"
        assert store.get_run(run.run_id).status is RunStatus.REJECTED
