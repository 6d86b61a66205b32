"""Terminal rendering and the CLI's registration, in-process."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from agent.cli_review import register
from agent.decisions import decide
from agent.review import (
    DecisionRequest,
    draft_renderable,
    list_pending,
    open_for_review,
    pending_table,
    writer_notes,
)
from agent.review._terminal import decision_label, next_steps
from agent.settings import Settings
from agent.store import Store
from tests.fakes.review_drafts import HOSTILE_TITLE, REFUSED_CLAIM_ID


def rendered(renderable: object) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_draft_shows_every_claim_with_its_verdict_reasons_and_passage(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        text = rendered(draft_renderable(open_for_review(store, run_id)))
        pending = rendered(pending_table(list_pending(store)))
    assert "[UNSUPPORTED FLAGGED] Example News reports: “Quartz Systems raised $40 million" in text
    assert "why: the number 40 is not in the cited passage" in text
    assert "[ok] According to Example News, “Meridian Labs released Sextant 2" in text
    assert "“Quartz Systems raised $40 million in a Series B round" in text
    assert HOSTILE_TITLE in text  # source text is printed as is, never read as console markup
    assert f"1 claim needs an override to approve: {REFUSED_CLAIM_ID}" in text
    assert "3 claims: 2 supported  1 unsupported" in text
    assert run_id in pending and "1 unsupported" in pending


def test_register_adds_the_sign_off_commands(home: Path) -> None:
    app = typer.Typer()

    @app.command()
    def other() -> None:
        """Another command, so the app is a group as in agent.cli."""

    register(app)
    runner = CliRunner()
    env = {"INFERENCE_REPORT_HOME": str(home)}
    helped = runner.invoke(app, ["--help"], env=env)
    assert all(name in helped.output for name in ("review", "serve", "publish"))
    empty = runner.invoke(app, ["review"], env=env)
    assert empty.exit_code == 0 and "No drafts are awaiting review" in empty.output
    missing = runner.invoke(app, ["publish", "no-such-run"], env=env)
    assert missing.exit_code == 1 and "no run 'no-such-run'" in missing.output
    both = runner.invoke(app, ["review", "r", "--approve", "--reject"], env=env)
    # A usage error, before the run is looked up (exit 1 "no run 'r'" would mean both were taken).
    assert both.exit_code == 2 and "choose one of --approve, --reject" in " ".join(both.output.split())


def test_the_pending_list_keeps_the_run_id_whole_in_an_80_column_terminal(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        pending = list_pending(store)
    console = Console(record=True, width=80, color_system=None)
    console.print(pending_table(pending))
    text = console.export_text()
    assert run_id in text  # what the reviewer copies into the next command
    assert "1 unsupported" in text and "1 flagged" in text


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("awaiting_review", "inference-report review r-1  "),
        ("approved", "inference-report publish r-1  # into the site"),
        ("published", 'inference-report review r-1 --correct --comment "what to correct"'),
        ("failed", "inference-report draft --resume r-1"),
        ("rejected", "Run r-1 is rejected."),
    ],
)
def test_every_status_says_what_to_do_next(status: str, expected: str) -> None:
    assert any(expected in line for line in next_steps("r-1", status))


def test_a_reviewer_looking_at_a_draft_is_shown_the_decisions_with_the_override_when_needed() -> None:
    clean = next_steps("r-1", "awaiting_review", viewing=True)
    assert "  inference-report review r-1 --approve" in clean
    blocked = "\n".join(next_steps("r-1", "awaiting_review", blocking=2, viewing=True))
    assert 'review r-1 --approve --override "' in blocked and "2 claims unsupported" in blocked


def test_decisions_read_in_the_past_tense() -> None:
    assert [decision_label(d) for d in ("approve", "reject", "request_changes")] == [
        "approved",
        "rejected",
        "changes requested",
    ]


def test_an_error_quoting_brackets_prints_them(tmp_path: Path) -> None:
    app = typer.Typer()

    @app.command()
    def other() -> None:
        """Another command, so the app is a group as in agent.cli."""

    register(app)
    env = {"INFERENCE_REPORT_HOME": str(tmp_path / "home")}
    missing = CliRunner().invoke(app, ["publish", "run-[bold]x[/bold]"], env=env)
    assert missing.exit_code == 1 and "no run 'run-[bold]x[/bold]'" in missing.output


CANNOT_FOLLOW = "The extractive writer cannot follow the comment"


def review_app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def other() -> None:
        """Another command, so the app is a group as in agent.cli."""

    register(app)
    return app


def flat(text: str) -> str:
    """Console output with its line wrapping undone: notes are long sentences."""
    return " ".join(text.split())


def test_writer_notes_are_those_of_the_revision_shown() -> None:
    report = {
        "revision_hash": "sha256:new",
        "writer_problems": [
            {"block": "lead", "problem": "could not follow the comment"},
            {"block": "paper:arxiv:2611.00001", "problem": "a quote \x1b[31mdiffers"},
        ],
    }
    assert writer_notes(report, revision_hash="sha256:new") == [
        "lead: could not follow the comment",
        "summary of arxiv:2611.00001: a quote  [31mdiffers",  # no control character reaches a terminal
    ]
    # A report written for an earlier revision (or none yet) says nothing about this one.
    assert writer_notes(report, revision_hash="sha256:old") == []
    assert writer_notes(None, revision_hash="sha256:new") == []
    assert writer_notes({"revision_hash": "sha256:new"}, revision_hash="sha256:new") == []


def test_a_draft_without_writer_notes_shows_no_notes_box(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    shown = CliRunner().invoke(
        review_app(), ["review", run_id], env={"INFERENCE_REPORT_HOME": str(settings.home)}
    )
    assert shown.exit_code == 0, shown.output
    assert "Writer notes" not in shown.output and "writer note" not in shown.output


def test_a_comment_the_extractive_writer_cannot_follow_is_said_wherever_the_reviewer_looks(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    app, runner = review_app(), CliRunner()
    env = {"INFERENCE_REPORT_HOME": str(settings.home), "INFERENCE_REPORT_REVIEWER": "ana"}
    asyncio.run(
        decide(settings, run_id, DecisionRequest(decision="approve", reviewer="ana", override_reason="ok"))
    )

    corrected = runner.invoke(
        app, ["review", run_id, "--correct", "--comment", "the round was $40M"], env=env
    )
    assert corrected.exit_code == 0, corrected.output
    said = flat(corrected.output)
    assert "revision 2 is awaiting review" in said
    assert f'writer note: lead: {CANNOT_FOLLOW} ("the round was $40M")' in said
    assert "--writer claude" in said

    shown = runner.invoke(app, ["review", run_id], env=env)
    assert shown.exit_code == 0, shown.output
    text = flat(shown.output)
    assert "Writer notes" in text
    assert f'note: lead: {CANNOT_FOLLOW} ("the round was $40M")' in text
    # Above the claims it concerns, where a reviewer starts reading.
    assert text.index("Writer notes") < text.index("Lead")

    changes = runner.invoke(
        app, ["review", run_id, "--request-changes", "--comment", "Name the lead investor"], env=env
    )
    assert changes.exit_code == 0, changes.output
    said = flat(changes.output)
    assert "changes requested by ana (revision 2); now awaiting review" in said
    assert '("Name the lead investor")' in said
    # Only the current revision's notes: revision 2's comment is no longer what the writer missed.
    again = flat(runner.invoke(app, ["review", run_id], env=env).output)
    assert '("Name the lead investor")' in again and "$40M" not in again.split("Decisions")[0]
