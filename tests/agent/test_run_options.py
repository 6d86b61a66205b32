"""A run keeps its options: the model, byline, writer and auto-publish it was drafted with hold on every
resume, whatever the settings of the process that resumes it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from agent.decisions import decide
from agent.llm import CostMeter
from agent.review import DecisionRequest
from agent.runs import Factories
from agent.settings import Settings, load_settings
from agent.state import RunOptions
from agent.store import Store
from agent.writers.base import Writer
from agent.writers.extractive import ExtractiveWriter
from tests.fakes.review_drafts import SITE_URL, database_of, start_review_draft


def _settings(home: Path, **values: object) -> Settings:
    return load_settings(environ={}, home=home, reviewer="ana", site_url=SITE_URL, **values)


def _drafting(home: Path, **values: object) -> tuple[Settings, str]:
    settings = _settings(home, **values)
    return settings, start_review_draft(home, settings=settings)


class _Recorded:
    """A writer factory that remembers the settings and options each writer was built with."""

    def __init__(self) -> None:
        self.built: list[tuple[Settings, RunOptions]] = []

    def __call__(self, settings: Settings, options: RunOptions, meter: CostMeter) -> Writer:
        self.built.append((settings, options))
        return ExtractiveWriter()


def test_a_resume_writes_with_the_model_byline_and_writer_the_run_was_drafted_with(home: Path) -> None:
    _, run_id = _drafting(home, byline="Desk A", model="model-a", writer="extractive")
    with Store.open(database_of(home)) as store:
        kept = store.get_run(run_id).options
    assert kept is not None
    assert (kept["model"], kept["byline"], kept["writer"], kept["auto_publish"]) == (
        "model-a",
        "Desk A",
        "extractive",
        False,
    )

    other = _settings(home, byline="Desk B", model="model-b", writer="claude", auto_publish=True)
    recorded = _Recorded()
    outcome = asyncio.run(
        decide(
            other,
            run_id,
            DecisionRequest(decision="request_changes", reviewer="ana", comment="Shorter, please."),
            factories=Factories(writer=recorded),
        )
    )
    assert outcome.status == "awaiting_review"
    [(settings, options)] = recorded.built
    assert (settings.model, settings.byline, options["writer"]) == ("model-a", "Desk A", "extractive")
    with Store.open(database_of(home)) as store:
        latest = store.latest_draft(run_id)
    assert latest is not None and latest.revision == 2 and latest.draft.byline == "Desk A"


def test_approval_publishes_only_when_the_run_was_drafted_to_auto_publish(
    new_home: Callable[[str], Path],
) -> None:
    kept_off, off_id = _drafting(new_home("off"), auto_publish=False)
    approve = DecisionRequest(decision="approve", reviewer="ana")
    eager = kept_off.model_copy(update={"auto_publish": True})
    assert asyncio.run(decide(eager, off_id, approve)).status == "approved"

    kept_on, on_id = _drafting(new_home("on"), auto_publish=True)
    reluctant = kept_on.model_copy(update={"auto_publish": False})
    outcome = asyncio.run(decide(reluctant, on_id, approve))
    assert outcome.status == "published" and outcome.published is not None
