"""Terminal rendering and the CLI's registration, in-process."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from typer.testing import CliRunner

from agent.cli_review import register
from agent.review import draft_renderable, list_pending, open_for_review, pending_table
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
    assert "1 claim(s) need an override to approve" in text
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
