"""Nothing silently lost: every fetched item is in the edition or in the run report's ``dropped``, with
its reason; a run whose every dated item is outside the window warns and is not auto-published."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.decisions import decide
from agent.report import empty_section_reason
from agent.review import DecisionRequest
from agent.runs import DraftOptions, start_draft
from agent.settings import load_settings
from tools.sample import SAMPLE_DATE


def _accounted(report: dict[str, Any]) -> tuple[int, int, int]:
    fetched = sum(s["items"] for s in report["sources"])
    shown = sum(report["items_per_section"].values())
    return fetched, shown, len(report["dropped"])


@pytest.mark.parametrize("shift_days", [0, 10])
async def test_fetched_items_add_up_to_the_edition_plus_the_dropped(
    home: Path, tmp_path: Path, shift_days: int
) -> None:
    out = tmp_path / "out"
    outcome = await start_draft(
        load_settings({}, home=home),
        DraftOptions(
            sample=True,
            writer="extractive",
            out_dir=out,
            edition_date=SAMPLE_DATE + timedelta(days=shift_days),
        ),
    )
    report = json.loads((out / "run-report.json").read_text())
    fetched, shown, dropped = _accounted(report)
    assert fetched == shown + dropped
    assert outcome.report["dropped"] == report["dropped"]
    for entry in report["dropped"]:
        assert set(entry) >= {"item_id", "title", "source", "reason", "detail"}
        assert entry["detail"], entry
    if shift_days == 0:
        # The sample shows 27 of its 33 items: the other 6 are accounted for.
        assert (fetched, shown, dropped) == (33, 27, 6)
        assert not report["warnings"]
        return
    # Ten days on, every news and paper item is outside the window: each says when it was published.
    outside = [d for d in report["dropped"] if d["reason"] == "outside_window"]
    assert len(outside) == 21
    assert all("published 2026-11-" in d["detail"] and "outside the window" in d["detail"] for d in outside)
    assert report["window"]["all_outside"] is True
    assert any("every dated item (21) is outside the window" in w for w in report["warnings"])
    for section in ("labs", "wire", "papers"):
        assert "were left out (7 outside window)" in (empty_section_reason(report, section) or "")
    assert empty_section_reason(report, "repos") is None


async def test_an_edition_of_repositories_alone_is_not_auto_published(home: Path) -> None:
    # The site address is set: auto-publish could run, and the edition's content is what stops it.
    settings = load_settings({}, home=home, auto_publish=True, site_url="https://report.example.org/")
    outcome = await start_draft(
        settings,
        DraftOptions(sample=True, writer="extractive", edition_date=date(2027, 3, 1)),
    )
    decided = await decide(
        settings,
        outcome.run_id,
        DecisionRequest(decision="approve", reviewer="ed", override_reason="repositories only, on purpose"),
    )
    assert decided.status == "approved"
    assert decided.published is None
