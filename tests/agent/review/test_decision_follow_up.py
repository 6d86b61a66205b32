"""A decision is recorded only when what follows it can run: a Claude-written run decided where there
is no Anthropic key, and an approval with auto-publish but no site address."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent.decisions import decide, start_correction
from agent.domain.errors import ConfigError, MissingCredentialError
from agent.llm.testing import FakeMessagesAPI
from agent.review import DecisionRequest, list_pending
from agent.runs import DraftOptions, start_draft
from agent.settings import Settings, load_settings
from agent.store import RunStatus, Store
from tests.fakes.review_drafts import SITE_URL, start_review_draft, template_home


@pytest.fixture(scope="module")
def claude_template(
    engine: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """A sample edition written by Claude (the loopback fake Messages API), paused at review."""
    with (
        template_home(tmp_path_factory.mktemp("claude-run") / "home", engine, request) as home,
        FakeMessagesAPI(FakeMessagesAPI.citing_responder()) as api,
    ):
        settings = load_settings(
            {"ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": api.base_url}, home=home, reviewer="ana"
        )
        outcome = asyncio.run(start_draft(settings, DraftOptions(sample=True, writer="claude")))
        assert outcome.status == "awaiting_review"
        yield home, outcome.run_id


@pytest.fixture
def keyless(
    claude_template: tuple[Path, str], copy_drafted: Callable[[Path, Path], Path], tmp_path: Path
) -> tuple[Settings, str]:
    """The Claude-written run in a private home, with settings that hold no Anthropic key."""
    template, run_id = claude_template
    home = copy_drafted(template, tmp_path / "home")
    settings = load_settings({"INFERENCE_REPORT_SITE_URL": SITE_URL}, home=home, reviewer="ana")
    assert not settings.has_anthropic_credentials
    return settings, run_id


def _state(settings: Settings, run_id: str) -> tuple[RunStatus, list[str], list[str]]:
    with Store.open(settings.database) as store:
        return (
            store.get_run(run_id).status,
            [r.decision for r in store.reviews(run_id)],
            [p.run_id for p in list_pending(store)],
        )


def test_a_request_for_changes_without_the_key_is_refused_before_it_is_recorded(
    keyless: tuple[Settings, str],
) -> None:
    settings, run_id = keyless
    request = DecisionRequest(decision="request_changes", reviewer="ana", comment="Lead on the price war")
    with pytest.raises(MissingCredentialError, match="nothing was recorded") as refused:
        asyncio.run(decide(settings, run_id, request))
    assert "ANTHROPIC_API_KEY" in str(refused.value) and "--approve and --reject need no key" in str(
        refused.value
    )
    # Nothing happened: still awaiting review, still in the list, no review row.
    assert _state(settings, run_id) == (RunStatus.AWAITING_REVIEW, [], [run_id])


def test_approve_needs_no_key(keyless: tuple[Settings, str]) -> None:
    settings, run_id = keyless
    approve = DecisionRequest(decision="approve", reviewer="ana", override_reason="checked by phone")
    outcome = asyncio.run(decide(settings, run_id, approve))
    assert outcome.status == "approved"
    assert _state(settings, run_id) == (RunStatus.APPROVED, ["approve"], [])


def test_reject_needs_no_key(
    claude_template: tuple[Path, str], copy_drafted: Callable[[Path, Path], Path], tmp_path: Path
) -> None:
    template, run_id = claude_template
    settings = load_settings({}, home=copy_drafted(template, tmp_path / "home"), reviewer="ana")
    outcome = asyncio.run(
        decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana", comment="off topic"))
    )
    assert outcome.status == "rejected"
    assert _state(settings, run_id) == (RunStatus.REJECTED, ["reject"], [])


def test_auto_publish_without_a_site_address_refuses_the_approval(home: Path) -> None:
    # Auto-publish is the run's own, kept from when it was drafted.
    settings = load_settings({}, home=home, reviewer="ana", auto_publish=True)
    run_id = start_review_draft(home, settings=settings)
    approve = DecisionRequest(decision="approve", reviewer="ana", override_reason="checked by phone")
    with pytest.raises(
        ConfigError, match=r"auto-publish is on.*INFERENCE_REPORT_SITE_URL.*nothing was recorded"
    ):
        asyncio.run(decide(settings, run_id, approve))
    assert _state(settings, run_id) == (RunStatus.AWAITING_REVIEW, [], [run_id])
    outcome = asyncio.run(decide(settings.model_copy(update={"site_url": SITE_URL}), run_id, approve))
    assert outcome.status == "published"


def test_a_correction_without_the_key_is_refused_before_it_is_recorded(keyless: tuple[Settings, str]) -> None:
    settings, run_id = keyless
    approve = DecisionRequest(decision="approve", reviewer="ana", override_reason="checked by phone")
    asyncio.run(decide(settings, run_id, approve))
    with pytest.raises(MissingCredentialError, match="nothing was recorded"):
        asyncio.run(start_correction(settings, run_id, reviewer="ana", comment="Say who led the round"))
    assert _state(settings, run_id) == (RunStatus.APPROVED, ["approve"], [])


def test_a_run_between_reviews_is_still_listed(keyless: tuple[Settings, str]) -> None:
    """A request for changes whose redraft stopped is not awaiting review: the list still names it."""
    from typer.testing import CliRunner

    from agent.cli import app

    settings, run_id = keyless
    with Store.open(settings.database) as store:
        store.set_run_status(run_id, RunStatus.CHANGES_REQUESTED)
    result = CliRunner().invoke(
        app, ["review"], env={"INFERENCE_REPORT_HOME": str(settings.home), "COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "No drafts are awaiting review." in result.output
    assert f"run {run_id} (2026-11-26) is changes requested, not back for review yet" in result.output
    assert f"inference-report draft --resume {run_id}" in result.output
