"""The whole graph with the Claude writer, over real HTTP against the loopback fake Messages API."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent.domain.models import Verdict
from agent.llm.testing import FakeMessagesAPI
from agent.runs import DraftOptions, Factories, resume_draft, start_draft
from agent.settings import Settings, load_settings
from agent.store import Store


class StopAfterWrite(Exception):
    pass


@pytest.fixture
def api() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI(FakeMessagesAPI.citing_responder()) as server:
        yield server


def claude_settings(home: Path, api: FakeMessagesAPI) -> Settings:
    return load_settings(
        {"ANTHROPIC_API_KEY": "sk-test-secret", "ANTHROPIC_BASE_URL": api.base_url}, home=home
    )


async def test_sample_edition_with_claude_records_cost_prompts_and_a_checked_ledger(
    home: Path, tmp_path: Path, api: FakeMessagesAPI
) -> None:
    out = tmp_path / "out"
    outcome = await start_draft(claude_settings(home, api), DraftOptions(sample=True, out_dir=out))
    assert outcome.status == "awaiting_review"
    assert api.problems == []
    report = json.loads((out / "run-report.json").read_text())
    assert report["writer"] == "claude"
    cost = report["cost"]
    for key in ("input_tokens", "output_tokens", "cache_write_tokens", "cache_read_tokens", "usd"):
        assert key in cost
    assert cost["usd"] > 0 and cost["output_tokens"] > 0
    assert cost["cache_read_tokens"] > 0, "the shared document prefix is read from the cache"
    assert {"select", "write"} <= set(cost["by_stage"])
    assert {p["name"] for p in report["prompts"]} >= {"paper_summary", "lead_essay"}
    assert all(len(p["sha256"]) >= 64 for p in report["prompts"])
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    assert claims and all(c["verdict"] for c in claims)
    assert all(c["citations"] for c in claims if c["verdict"] == Verdict.SUPPORTED.value)
    assert report["theme"]
    # Summaries and the lead were sent as citable documents with citations enabled.
    cited = [r for r in api.message_requests if r.documents]
    assert cited and all(d.get("citations", {}).get("enabled") for r in cited for d in r.documents)
    # Nothing recorded holds the key.
    assert "sk-test-secret" not in json.dumps([r.headers for r in api.requests])


async def test_max_cost_stops_writing_cleanly_and_the_report_says_what_was_skipped(
    home: Path, tmp_path: Path, api: FakeMessagesAPI
) -> None:
    out = tmp_path / "out"
    options = DraftOptions(sample=True, out_dir=out, max_cost_usd=0.0001)
    outcome = await start_draft(claude_settings(home, api), options)
    assert outcome.status == "awaiting_review"
    report = json.loads((out / "run-report.json").read_text())
    assert report["skipped_for_budget"], report
    assert report["cost"]["max_cost_usd"] == 0.0001
    assert (out / "edition.md").exists()


async def test_a_resumed_run_makes_no_second_model_call(
    new_home: Callable[[str], Path], tmp_path: Path, api: FakeMessagesAPI
) -> None:
    # A run that is never interrupted makes N calls (summaries, lead, any revise round)...
    await start_draft(claude_settings(new_home("reference"), api), DraftOptions(sample=True))
    uninterrupted_calls = len(api.message_requests)
    settings = claude_settings(new_home("home"), api)

    def stop_after_write(claims: object, **kwargs: object) -> list[object]:
        raise StopAfterWrite  # the run stops right after the write stage was checkpointed

    with pytest.raises(StopAfterWrite):
        await start_draft(
            settings,
            DraftOptions(sample=True, run_id="claude-resume", out_dir=tmp_path / "out"),
            factories=Factories(checker=stop_after_write),  # type: ignore[arg-type]
        )
    calls_before_stop = len(api.message_requests) - uninterrupted_calls
    assert calls_before_stop > 0
    outcome = await resume_draft(settings, "claude-resume")
    assert outcome.status == "awaiting_review"
    # ... and a run stopped after write then resumed makes the same N: nothing written before is asked again.
    assert len(api.message_requests) - uninterrupted_calls == uninterrupted_calls
    assert outcome.report["cost"]["usd"] > 0, "the first process's spend is still in the report"


async def test_the_judge_option_puts_a_claude_judge_behind_the_checks(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    from agent.runs import _default_checker
    from evals.judge import ClaudeJudge

    settings = claude_settings(tmp_path / "home", api)
    with Store.open(settings.database) as store:
        checker, close = _default_checker(settings, {"judge": "claude"}, store)  # type: ignore[typeddict-item]
    judge = checker.keywords["judge"]  # type: ignore[attr-defined]
    assert isinstance(judge, ClaudeJudge)
    assert close is not None
    close()
    with pytest.raises(sqlite3.ProgrammingError):  # the cache's database is closed with the run
        judge.cache.get("any key")
    # A whole draft with the judge on completes. The fake writer copies its sentences from the sources,
    # so the checks decide every one: in the default scope the judge reads none of them (the claims it
    # does read, and their reasons, are in tests/evals/test_judge_cost.py, whose writer pads them).
    out = tmp_path / "out"
    outcome = await start_draft(settings, DraftOptions(sample=True, out_dir=out, judge="claude"))
    assert outcome.status == "awaiting_review"
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    assert claims and all(c["verdict"] == Verdict.SUPPORTED.value for c in claims)
    asked = [r for r in api.message_requests if r.output_schema and "<claim>" in r.user_text]
    assert asked == [] and not any(r.startswith("judge:") for c in claims for r in c["reasons"])


async def test_the_judge_scope_passed_reads_the_claims_the_checks_pass_too(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    settings = claude_settings(tmp_path / "home", api)

    async def judged_claims(name: str, scope: str | None) -> list[dict[str, object]]:
        out = tmp_path / name
        options = DraftOptions(sample=True, out_dir=out, judge="claude", judge_scope=scope, force=True)
        outcome = await start_draft(settings, options)
        assert outcome.status == "awaiting_review"
        with Store.open(settings.database) as store:
            kept = store.get_run(outcome.run_id).options
            assert kept is not None and kept["judge_scope"] == (scope or "undecided")
        claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
        return [c for c in claims if any(str(r).startswith("judge:") for r in c["reasons"])]

    undecided = await judged_claims("undecided", None)
    passed = await judged_claims("passed", "passed")
    # The second reading adds the passed prose claims; the fake judge calls them supported, so they stay so.
    assert len(passed) > len(undecided)
    assert any(c["verdict"] == "supported" and c not in undecided for c in passed)


@pytest.mark.parametrize(
    ("judge", "scope", "message"),
    [("claude", "everything", "unknown judge scope"), (None, "passed", "needs --judge claude")],
)
def test_a_judge_scope_is_refused_before_anything_is_fetched(
    tmp_path: Path, api: FakeMessagesAPI, judge: str | None, scope: str, message: str
) -> None:
    import asyncio

    from agent.domain.errors import ConfigError

    settings = claude_settings(tmp_path / "home", api)
    with pytest.raises(ConfigError, match=message):
        asyncio.run(start_draft(settings, DraftOptions(sample=True, judge=judge, judge_scope=scope)))
    assert api.message_requests == []


def test_the_judge_needs_a_key_before_anything_is_fetched(tmp_path: Path) -> None:
    from agent.domain.errors import MissingCredentialError

    with pytest.raises(MissingCredentialError, match="ANTHROPIC_API_KEY"):
        import asyncio

        asyncio.run(
            start_draft(
                load_settings({}, home=tmp_path),
                DraftOptions(sample=True, writer="extractive", judge="claude"),
            )
        )
    assert not (tmp_path / "runs").exists()


async def test_the_writers_client_is_closed_with_the_run(tmp_path: Path, api: FakeMessagesAPI) -> None:
    from agent.llm import CostMeter
    from agent.runs import make_writer
    from agent.state import RunOptions
    from agent.writers.base import Writer
    from agent.writers.claude import ClaudeWriter

    made: list[ClaudeWriter] = []

    def keep(settings: Settings, options: RunOptions, meter: CostMeter) -> Writer:
        writer = make_writer(settings, options, meter)
        assert isinstance(writer, ClaudeWriter)
        made.append(writer)
        return writer

    settings = claude_settings(tmp_path / "home", api)
    await start_draft(settings, DraftOptions(sample=True), factories=Factories(writer=keep))
    assert made and made[0].client.sdk.is_closed()


async def test_a_batch_run_says_it_is_waiting_before_the_wait(
    home: Path, tmp_path: Path, api: FakeMessagesAPI
) -> None:
    from agent.llm import CostMeter
    from agent.state import RunOptions
    from agent.writers.base import Writer
    from agent.writers.claude import make_claude_writer

    lines: list[str] = []

    async def no_wait(seconds: float) -> None:
        lines.append(f"slept {seconds:g}")

    def writer(settings: Settings, options: RunOptions, meter: CostMeter) -> Writer:
        return make_claude_writer(settings, batch=options["batch"], meter=meter, sleep=no_wait)

    outcome = await start_draft(
        claude_settings(home, api),
        DraftOptions(sample=True, batch=True, out_dir=tmp_path / "out"),
        factories=Factories(writer=writer),
        progress=lambda stage, message: lines.append(f"{stage}: {message}"),
    )
    assert outcome.status == "awaiting_review"
    # Before: not a line between "select" and the batch's end, which may be a day later.
    waiting = next(i for i, line in enumerate(lines) if "paper summaries sent as a Message Batch" in line)
    assert lines[waiting + 1].startswith("slept")
    assert any(line.startswith("write: lead essay sent as a Message Batch") for line in lines)


def test_the_runs_writer_keeps_its_batches_in_the_store(tmp_path: Path, api: FakeMessagesAPI) -> None:
    from agent.llm import CostMeter
    from agent.runs import _RunBatches, make_writer
    from agent.writers.claude import ClaudeWriter

    settings = claude_settings(tmp_path / "home", api)
    with Store.open(settings.database) as store:
        batches = _RunBatches(store, "run-a")
        options = {"writer": "claude", "max_cost_usd": None, "batch": True}
        writer = make_writer(settings, options, CostMeter(), batches=batches)  # type: ignore[arg-type]
        assert isinstance(writer, ClaudeWriter) and writer.batches is batches
