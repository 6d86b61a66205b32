"""Terminal rendering and the CLI's registration, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from agent.cli_review import register
from agent.review import draft_renderable, list_pending, open_for_review, pending_table
from agent.review._terminal import decision_label, next_steps
from agent.settings import Settings
from agent.store import Store
from tests.fakes.review_drafts import HOSTILE_TITLE


def rendered(renderable: object) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_draft_shows_every_claim_with_its_verdict_reasons_and_passage(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database_path) as store:
        text = rendered(draft_renderable(open_for_review(settings, store, run_id)))
        pending = rendered(pending_table(list_pending(store)))
    assert "[UNSUPPORTED FLAGGED] Quartz Systems raised $40 million" in text
    assert "why: the number 40 is not in the cited passage" in text
    assert "[ok] Meridian Labs released Sextant 2" in text
    assert "“Quartz Systems raised $40 million in a Series B round" in text
    assert HOSTILE_TITLE in text  # source text is printed as is, never read as console markup
    assert "1 claim needs an override to approve: lead:0:0" in text
    assert "2 claims: 1 supported  1 unsupported" in text
    assert run_id in pending and "1 unsupported" in pending


def test_register_adds_the_sign_off_commands(tmp_path: Path) -> None:
    app = typer.Typer()

    @app.command()
    def other() -> None:
        """Another command, so the app is a group as in agent.cli."""

    register(app)
    runner = CliRunner()
    env = {"INFERENCE_REPORT_HOME": str(tmp_path / "home")}
    helped = runner.invoke(app, ["--help"], env=env)
    assert all(name in helped.output for name in ("review", "serve", "publish"))
    empty = runner.invoke(app, ["review"], env=env)
    assert empty.exit_code == 0 and "No drafts are awaiting review" in empty.output
    missing = runner.invoke(app, ["publish", "no-such-run"], env=env)
    assert missing.exit_code == 2 and "no run 'no-such-run'" in missing.output
    both = runner.invoke(app, ["review", "r", "--approve", "--reject"], env=env)
    assert both.exit_code != 0


def test_the_pending_list_keeps_the_run_id_whole_in_an_80_column_terminal(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database_path) as store:
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
        ("approved", "inference-report publish r-1 --out DIR"),
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
    assert missing.exit_code == 2 and "no run 'run-[bold]x[/bold]'" in missing.output
