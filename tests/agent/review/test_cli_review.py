"""Terminal review across processes: one process drafts, others list, show, decide and publish."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent.decisions import decide
from agent.review import DecisionRequest
from agent.settings import Settings
from agent.store import Store
from tests.conftest import ROOT
from tests.fakes.review_drafts import SITE_URL, database_of

AGENT = [sys.executable, "-m", "agent"]
# Each command starts a fresh interpreter that imports LangGraph: generous, never a speed test.
TIMEOUT_S = 120


def run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    environ |= {
        "INFERENCE_REPORT_HOME": str(home),
        "INFERENCE_REPORT_REVIEWER": "ana",
        "INFERENCE_REPORT_SITE_URL": SITE_URL,
        "COLUMNS": "200",
        **env,
    }
    return subprocess.run(args, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=TIMEOUT_S)


def _stored_text(home: Path) -> str:
    """Everything the store holds, as text: the SQLite file's bytes, or every PostgreSQL table's rows."""
    database = database_of(home)
    if not database.startswith("postgresql://"):
        return Path(database).read_bytes().decode(errors="replace")
    import psycopg

    with psycopg.connect(database) as conn:
        tables = [t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return "\n".join(str(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))


@pytest.fixture
def home_with_draft(home: Path) -> tuple[Path, str]:
    drafted = run([sys.executable, "-m", "tests.fakes.review_drafts", str(home), "--unsupported"], home)
    assert drafted.returncode == 0, drafted.stderr
    return home, drafted.stdout.strip().splitlines()[-1]


def test_review_in_another_process_from_refusal_to_publication(
    home_with_draft: tuple[Path, str], tmp_path: Path
) -> None:
    home, run_id = home_with_draft

    listed = run([*AGENT, "review"], home)
    assert listed.returncode == 0, listed.stderr
    assert run_id in listed.stdout and "1 unsupported" in listed.stdout

    shown = run([*AGENT, "review", run_id], home)
    assert shown.returncode == 0, shown.stderr
    assert "UNSUPPORTED" in shown.stdout
    assert "the number 40 is not in the cited passage" in shown.stdout  # the reason
    assert "Harbor Ventures" in shown.stdout  # the cited passage

    refused = run([*AGENT, "review", run_id, "--approve"], home)
    assert refused.returncode != 0
    assert "override" in refused.stderr and "Traceback" not in refused.stderr

    out = tmp_path / "out"
    not_yet = run([*AGENT, "publish", run_id, "--out", str(out)], home)
    assert not_yet.returncode != 0 and "not approved" in not_yet.stderr
    assert not out.exists()

    changes = run([*AGENT, "review", run_id, "--request-changes", "--comment", "Cut the funding line"], home)
    assert changes.returncode == 0, changes.stderr
    assert "now awaiting review" in changes.stdout

    # ana looked at revision 1; revision 2 came back since: a decision now is refused.
    stale = run([*AGENT, "review", run_id, "--approve", "--override", "checked"], home)
    assert stale.returncode != 0
    assert "changed since you looked" in stale.stderr and f"inference-report review {run_id}" in stale.stderr

    assert run([*AGENT, "review", run_id], home).returncode == 0
    approved = run([*AGENT, "review", run_id, "--approve", "--override", "checked with the company"], home)
    assert approved.returncode == 0, approved.stderr
    assert "approved by ana (revision 2); now approved" in approved.stdout
    assert f"inference-report publish {run_id}  #" in approved.stdout  # the next step, to copy as it is

    first = run([*AGENT, "publish", run_id, "--out", str(out)], home)
    assert first.returncode == 0, first.stderr
    assert f"published (revision 2) at {SITE_URL}2026-11-26/" in first.stdout
    files = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = run([*AGENT, "publish", run_id, "--out", str(out)], home)
    assert second.returncode == 0, second.stderr
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == files
    assert sorted(files) == [
        ".publish.lock",
        "2026-11-26/edition.md",
        "2026-11-26/email.html",
        "2026-11-26/index.html",
        "feed.xml",
        "index.html",
    ]
    entries = ET.fromstring(files["feed.xml"]).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1


def test_a_named_revision_is_checked_against_the_latest(home_with_draft: tuple[Path, str]) -> None:
    home, run_id = home_with_draft
    wrong = run([*AGENT, "review", run_id, "--reject", "--revision", "sha256:" + "0" * 64], home)
    assert wrong.returncode != 0 and "changed since you looked" in wrong.stderr
    listed = run([*AGENT, "review"], home)
    short = next(word.strip("()") for word in listed.stdout.split() if word.strip("()").startswith("sha256:"))
    # The short form printed by the list is enough.
    rejected = run([*AGENT, "review", run_id, "--reject", "--revision", short, "--reviewer", "bo"], home)
    assert rejected.returncode == 0, rejected.stderr
    again = run([*AGENT, "review", run_id, "--approve", "--override", "x"], home)
    assert again.returncode != 0 and "rejected, not awaiting review" in again.stderr


def test_the_sample_edition_drafted_in_one_process_is_approved_and_published_from_others(
    home: Path, tmp_path: Path
) -> None:
    drafted = run(
        [*AGENT, "draft", "--sample", "--writer", "extractive", "--out", str(tmp_path / "draft")], home
    )
    assert drafted.returncode == 0, drafted.stderr
    # The draft ends with the next step: the review command for this run.
    run_id = re.findall(r"inference-report review (\S+)", drafted.stdout)[-1]
    assert f"Run {run_id} is awaiting review" in drafted.stdout
    listed = run([*AGENT, "review"], home)
    assert run_id in listed.stdout
    shown = run([*AGENT, "review", run_id], home)
    assert shown.returncode == 0, shown.stderr
    assert "cites:" in shown.stdout
    # Every claim of the extractive sample is supported: no override is needed.
    approved = run([*AGENT, "review", run_id, "--approve", "--comment", "clean week"], home)
    assert approved.returncode == 0, approved.stderr
    out = tmp_path / "published"
    published = run([*AGENT, "publish", run_id, "--out", str(out)], home)
    assert published.returncode == 0, published.stderr
    [edition] = [p for p in out.iterdir() if p.is_dir()]
    assert "<table" in (edition / "email.html").read_text(encoding="utf-8")
    assert (edition / "edition.md").read_text(encoding="utf-8").startswith("# The Inference Report")


async def test_correct_in_another_process(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    home = settings.home

    not_approved = run([*AGENT, "review", run_id, "--correct", "--comment", "Fix the figure"], home)
    assert not_approved.returncode != 0 and "Traceback" not in not_approved.stderr
    assert "not approved or published" in not_approved.stderr

    await decide(
        settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="checked")
    )
    no_comment = run([*AGENT, "review", run_id, "--correct"], home)
    assert no_comment.returncode != 0 and "--comment" in no_comment.stderr
    mixed = run([*AGENT, "review", run_id, "--correct", "--approve", "--comment", "x"], home)
    assert mixed.returncode != 0 and "not a decision" in mixed.stderr

    corrected = run([*AGENT, "review", run_id, "--correct", "--comment", "Fix the figure"], home)
    assert corrected.returncode == 0, corrected.stderr
    assert "revision 2 is awaiting review" in corrected.stdout
    listed = run([*AGENT, "review"], home)
    assert run_id in listed.stdout
    with Store.open(settings.database) as store:
        [approval, correction] = store.reviews(run_id)
    assert (approval.decision, approval.revision) == ("approve", 1)
    assert (correction.decision, correction.revision, correction.comment) == (
        "request_changes",
        1,
        "Fix the figure",
    )


def test_named_reviewers_decide_by_token_and_the_audit_trail_names_them(
    home_with_draft: tuple[Path, str],
) -> None:
    home, run_id = home_with_draft
    added = run([*AGENT, "reviewers", "add", "Ana Lima"], home)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[1]
    assert len(token) >= 40
    editor = run([*AGENT, "reviewers", "add", "Ed", "--role", "editor"], home)
    ed_token = editor.stdout.strip().splitlines()[1]
    listed = run([*AGENT, "reviewers", "list"], home)
    assert "Ana Lima (reviewer)" in listed.stdout and "Ed (editor)" in listed.stdout
    assert token not in listed.stdout and token not in _stored_text(home)
    decide_ = [*AGENT, "review", run_id, "--reject", "--comment", "no"]
    # Once reviewers exist, a decision needs a token; a typed name is not taken with one.
    no_token = run(decide_, home)
    assert no_token.returncode == 1 and "named reviewers" in no_token.stderr
    typed = run([*decide_, "--reviewer", "The CEO (verified)", "--token", token], home)
    assert typed.returncode == 1 and "--reviewer is not taken" in typed.stderr
    assert run([*decide_, "--token", "wrong-token-wrong-token"], home).returncode == 1
    by_editor = run(decide_, home, INFERENCE_REPORT_REVIEW_TOKEN=ed_token)
    assert by_editor.returncode == 1 and "editor" in by_editor.stderr
    # Publishing is a reviewer's too.
    unnamed = run([*AGENT, "publish", run_id], home)
    assert unnamed.returncode == 1 and "named reviewers" in unnamed.stderr
    by_editor = run([*AGENT, "publish", run_id, "--token", ed_token], home)
    assert by_editor.returncode == 1 and "editor" in by_editor.stderr
    decided = run(decide_, home, INFERENCE_REPORT_REVIEW_TOKEN=token)
    assert decided.returncode == 0, decided.stderr
    assert "by Ana Lima" in decided.stdout
    removed = run([*AGENT, "reviewers", "remove", "Ed"], home)
    assert removed.returncode == 0 and "Ed (" not in run([*AGENT, "reviewers", "list"], home).stdout
    with Store.open(database_of(home)) as store:
        assert [r.reviewer for r in store.reviews(run_id)] == ["Ana Lima"]


def test_the_shared_token_of_a_one_person_desk_is_recorded_as_such(home_with_draft: tuple[Path, str]) -> None:
    home, run_id = home_with_draft
    shared = "a-shared-desk-token-0123456789"
    decided = run([*AGENT, "review", run_id, "--reject"], home, INFERENCE_REPORT_REVIEW_TOKEN=shared)
    assert decided.returncode == 0, decided.stderr
    with Store.open(database_of(home)) as store:
        assert [r.reviewer for r in store.reviews(run_id)] == ["desk (shared token)"]
