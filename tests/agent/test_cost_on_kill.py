"""Claude spend survives a kill (issue 14): every call the Messages API billed before the process died is in
the resumed run's cost, and in the budget the resume starts from."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.llm.testing import FakeMessagesAPI, RecordedRequest, Reply, error_reply
from agent.runs import resume_draft
from agent.settings import load_settings
from agent.store import Store
from tests.fakes.review_drafts import database_of

ROOT = Path(__file__).resolve().parents[2]

_DRAFT = """
import asyncio, sys
from pathlib import Path
from agent.runs import DraftOptions, start_draft
from agent.settings import load_settings

settings = load_settings(home=Path(sys.argv[1]))
asyncio.run(start_draft(settings, DraftOptions(sample=True, writer="claude", run_id="killed-run")))
"""


def _is_lead(request: RecordedRequest) -> bool:
    return "Write the lead essay" in request.user_text


class HoldFirstLead:
    """Answers like the citing responder, but holds the first lead request until released (then
    refuses it, unbilled): the process asking is killed while it waits."""

    def __init__(self) -> None:
        self.inner = FakeMessagesAPI.citing_responder()
        self.lead_asked = threading.Event()
        self.release = threading.Event()

    def __call__(self, request: RecordedRequest) -> Reply:
        if _is_lead(request) and not self.lead_asked.is_set():
            self.lead_asked.set()
            self.release.wait(60)
            return error_reply(529)
        return self.inner(request)


@pytest.fixture
def held() -> HoldFirstLead:
    return HoldFirstLead()


@pytest.fixture
def api(held: HoldFirstLead) -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI(held) as server:
        yield server
    held.release.set()


async def test_calls_billed_before_a_kill_are_in_the_resumed_runs_cost(
    home: Path, api: FakeMessagesAPI, held: HoldFirstLead
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env.update(
        ANTHROPIC_API_KEY="sk-test",
        ANTHROPIC_BASE_URL=api.base_url,
        PYTHONPATH=str(ROOT),
        INFERENCE_REPORT_HOME="",
    )
    first = subprocess.Popen(
        [sys.executable, "-c", _DRAFT, str(home)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while not held.lead_asked.is_set():
            assert first.poll() is None, first.stderr.read().decode()[-2000:] if first.stderr else ""
            assert time.monotonic() < deadline, "the first process never asked for its lead"
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)  # killed while the write stage waits for its lead
        first.wait(timeout=30)
    finally:
        held.release.set()
    billed_before_kill = len(api.billed)
    assert billed_before_kill >= 3, "selection help and paper summaries were billed before the kill"
    with Store.open(database_of(home)) as store:
        recorded = store.usage_totals("killed-run")
    assert recorded.calls == billed_before_kill
    assert "write" in recorded.by_stage

    settings = load_settings({"ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": api.base_url}, home=home)
    outcome = await resume_draft(settings, "killed-run")
    assert outcome.status == "awaiting_review"
    cost = outcome.report["cost"]
    billed = api.billed_totals()
    assert cost["calls"] == len(api.billed) > billed_before_kill
    assert cost["input_tokens"] == billed["input_tokens"]
    assert cost["output_tokens"] == billed["output_tokens"]
    assert cost["cache_read_tokens"] == billed["cache_read_input_tokens"]


class _StuckWriter:
    """Summarizes nothing, ever: the draft waits in the write stage until it is cancelled."""

    name = "extractive"

    def __init__(self) -> None:
        self.waiting = asyncio.Event()

    async def summarize_papers(self, papers: object, *, notes: object = None) -> dict[str, object]:
        self.waiting.set()
        await asyncio.Event().wait()
        return {}

    async def write_lead(self, request: object) -> object:
        raise AssertionError("not reached")


async def test_an_interrupted_draft_says_how_to_continue_it(tmp_path: Path) -> None:
    from agent.runs import DraftOptions, Factories, start_draft

    stuck = _StuckWriter()
    lines: list[tuple[str, str]] = []
    factories = Factories(writer=lambda settings, options, meter: stuck)  # type: ignore[arg-type,return-value]
    task = asyncio.create_task(
        start_draft(
            load_settings({}, home=tmp_path / "home"),
            DraftOptions(sample=True, writer="extractive", run_id="stopped-run"),
            factories=factories,
            progress=lambda stage, message: lines.append((stage, message)),
        )
    )
    await asyncio.wait_for(stuck.waiting.wait(), 120)
    task.cancel()  # what asyncio.run does to the command's task on Ctrl-C
    with pytest.raises(asyncio.CancelledError):
        await task
    # Before: nothing after the last stage line, and the shell showed exit 130.
    assert lines[-1] == (
        "stopped",
        "run stopped-run interrupted: inference-report draft --resume stopped-run continues it",
    )
