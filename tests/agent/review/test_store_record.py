"""The store is the one record of a revision: review, the review page and publishing read it alone,
never the run's checkpoint, and load no LangGraph module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from agent.domain.models import Draft, Item, PaperSummary, Section, SourceKind
from agent.render import render_markdown
from agent.review import edition_view, open_for_review
from agent.settings import Settings
from agent.store import Store

_ROOT = Path(__file__).resolve().parents[3]

# Lists, shows and serves a drafted run the way a reviewer does, then prints the LangGraph modules loaded.
_REVIEW_WITHOUT_GRAPH = textwrap.dedent(
    """
    import json, sys
    from urllib.parse import quote

    from starlette.testclient import TestClient
    from typer.testing import CliRunner

    from agent.cli import app
    from agent.settings import load_settings
    from agent.web import create_app

    run_id = sys.argv[1]
    runner = CliRunner()
    for args in (["review"], ["review", run_id]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    client = TestClient(create_app(load_settings(), token="token-of-at-least-16"), base_url="http://127.0.0.1")
    headers = {"authorization": "Bearer token-of-at-least-16"}
    item = quote("https://news.example/quartz-raises", safe="")
    for path in ("/", f"/runs/{run_id}", f"/runs/{run_id}/claims/lead:0:0", f"/runs/{run_id}/archive/{item}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
    print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "langgraph")))
    """
)


def test_review_and_the_review_page_load_no_langgraph_module(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "INFERENCE_REPORT_"))}
    env["INFERENCE_REPORT_HOME"] = str(settings.home)
    done = subprocess.run(
        [sys.executable, "-c", _REVIEW_WITHOUT_GRAPH, run_id],
        cwd=_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_stored_revision_renders_the_draft_files_exactly(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        record = store.latest_draft(run_id)
        assert record is not None and record.sections is not None
        outputs = store.get_run(run_id).report["outputs"]  # type: ignore[index]
        view = edition_view(store, record)
    assert render_markdown(view) == Path(outputs["markdown"]).read_text(encoding="utf-8")
    assert record.source_urls == {"example-news": ["https://news.example/feed.xml"]}


def test_a_revision_saved_before_the_order_was_stored_shows_its_selected_items_in_saved_order(
    drafted: tuple[Settings, str],
) -> None:
    settings, run_id = drafted
    with Store.open(settings.database) as store:
        store._db.execute("UPDATE editions SET sections = NULL, source_urls = NULL")
        review = open_for_review(store, run_id)
        selected = store.items(run_id, selected_only=True)
    shown = [i.id for items in review.view.sections.values() for i in items]
    assert shown == [i.id for i in selected] and shown


def test_an_old_revisions_papers_keep_the_drafts_order(database: str) -> None:
    papers = [
        Item(
            id=f"p{n}",
            source="arxiv",
            section=Section.PAPERS,
            kind=SourceKind.ARXIV,
            title=f"P{n}",
            url=f"https://a/{n}",
        )
        for n in (1, 2, 3)
    ]
    draft = Draft(
        edition_date=date(2026, 11, 26),
        byline="desk",
        writer="extractive",
        papers=[PaperSummary(item_id=i) for i in ("p3", "p1", "p2")],
    )
    with Store.open(database) as store:
        store.create_run("r1", edition_date=date(2026, 11, 26), writer="extractive")
        store.save_items("r1", papers)
        store.mark_selected("r1", ["p1", "p2", "p3"])
        store.save_draft("r1", draft)  # as before the order was stored: no sections
        record = store.latest_draft("r1")
        assert record is not None and record.sections is None
        view = edition_view(store, record)
    assert [i.id for i in view.sections[Section.PAPERS]] == ["p3", "p1", "p2"]
