from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from agent.domain.errors import RunNotFound
from agent.domain.models import PromptRef, Usage
from agent.store import RunStatus, Store

DAY = date(2026, 11, 26)


def test_create_get_and_list_runs(store: Store) -> None:
    first = store.create_run("run-a", edition_date=DAY, writer="extractive", sources_path="sources.toml")
    store.create_run("run-b", edition_date=DAY, writer="claude")
    assert first.status is RunStatus.RUNNING
    assert first.sources_path == "sources.toml"
    assert first.created_at.tzinfo is not None
    assert store.get_run("run-a") == first
    assert [r.run_id for r in store.list_runs()] == ["run-b", "run-a"]  # newest first


def test_create_run_is_idempotent_for_a_resumed_node(store: Store) -> None:
    first = store.create_run("run-a", edition_date=DAY, writer="extractive")
    store.set_run_status("run-a", RunStatus.AWAITING_REVIEW)
    again = store.create_run("run-a", edition_date=DAY, writer="extractive")
    assert again.created_at == first.created_at
    assert again.status is RunStatus.AWAITING_REVIEW


def test_status_and_report(store: Store) -> None:
    store.create_run("run-a", edition_date=DAY, writer="extractive")
    store.create_run("run-b", edition_date=DAY, writer="extractive")
    store.set_run_status("run-a", RunStatus.AWAITING_REVIEW)
    store.set_run_report(
        "run-a", {"run_id": "run-a", "sources": [{"name": "arxiv", "status": "ok", "items": 3}]}
    )
    run = store.get_run("run-a")
    assert run.report == {"run_id": "run-a", "sources": [{"name": "arxiv", "status": "ok", "items": 3}]}
    assert run.updated_at > run.created_at
    assert [r.run_id for r in store.list_runs(status=RunStatus.AWAITING_REVIEW)] == ["run-a"]
    assert [r.run_id for r in store.list_runs(status=RunStatus.RUNNING)] == ["run-b"]


def test_unknown_runs_raise_run_not_found(store: Store) -> None:
    with pytest.raises(RunNotFound):
        store.get_run("nope")
    with pytest.raises(RunNotFound):
        store.set_run_status("nope", RunStatus.FAILED)
    with pytest.raises(RunNotFound):
        store.set_run_report("nope", {})


def test_a_status_outside_the_list_is_refused(store: Store) -> None:
    store.create_run("run-a", edition_date=DAY, writer="extractive")
    with pytest.raises(ValueError):
        store.set_run_status("run-a", "done")


def test_usage_is_summed_per_run_and_stage_with_the_prompts_used(store: Store) -> None:
    store.create_run("run-a", edition_date=DAY, writer="claude")
    store.create_run("run-b", edition_date=DAY, writer="claude")
    summary = PromptRef(name="paper_summary", version=2, sha256="ab" * 32)
    lead = PromptRef(name="lead_essay", version=1, sha256="cd" * 32)
    store.record_usage(
        "run-a",
        stage="papers",
        item_id="arxiv:2611.01234",
        model="claude-sonnet-4-5",
        usage=Usage(input_tokens=1200, output_tokens=300, cache_write_tokens=900, usd=0.0123),
        prompts=[summary],
    )
    store.record_usage(
        "run-a",
        stage="papers",
        item_id="arxiv:2611.05678",
        model="claude-sonnet-4-5",
        usage=Usage(input_tokens=1100, output_tokens=280, cache_read_tokens=900, usd=0.0101),
        prompts=[summary],
    )
    store.record_usage(
        "run-a",
        stage="lead",
        model="claude-sonnet-4-5",
        usage=Usage(input_tokens=8000, output_tokens=1500, usd=0.0465),
        prompts=[lead],
    )
    store.record_usage("run-b", stage="lead", model="claude-sonnet-4-5", usage=Usage(input_tokens=5, usd=1.0))

    totals = store.usage_totals("run-a")
    assert totals.calls == 3
    assert totals.total.input_tokens == 10300
    assert totals.total.output_tokens == 2080
    assert totals.total.cache_write_tokens == 900
    assert totals.total.cache_read_tokens == 900
    assert totals.total.usd == pytest.approx(0.0689)
    assert totals.by_stage["papers"].input_tokens == 2300
    assert totals.by_stage["lead"].usd == pytest.approx(0.0465)
    assert totals.prompts == (summary, lead)
    assert store.usage_totals("run-none").calls == 0


def test_usage_for_an_unknown_run_is_refused(store: Store) -> None:
    with pytest.raises(RunNotFound):
        store.record_usage("nope", stage="lead", model="m", usage=Usage())


def test_a_second_connection_sees_committed_runs(store: Store, database: str) -> None:
    store.create_run("run-a", edition_date=DAY, writer="extractive")
    with Store.open(database) as other:
        other.set_run_status("run-a", RunStatus.APPROVED)
    assert store.get_run("run-a").status is RunStatus.APPROVED


def test_create_run_takes_the_callers_clock_and_statuses_as_strings(store: Store) -> None:
    moment = datetime(2026, 11, 26, 6, 30)  # naive: taken as UTC
    run = store.create_run("run-a", edition_date=DAY, writer="extractive", created_at=moment)
    assert run.created_at == moment.replace(tzinfo=UTC)
    store.set_run_status("run-a", "awaiting_review")
    assert store.get_run("run-a").status is RunStatus.AWAITING_REVIEW
    assert [r.run_id for r in store.list_runs("awaiting_review")] == ["run-a"]


def test_times_are_stored_in_utc_so_newest_first_holds_across_offsets(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    store.create_run(
        "early", edition_date=DAY, writer="x", created_at=datetime(2026, 11, 26, 9, 30, tzinfo=paris)
    )
    store.create_run(
        "late", edition_date=DAY, writer="x", created_at=datetime(2026, 11, 26, 8, 45, tzinfo=UTC)
    )
    assert [r.run_id for r in store.list_runs()] == ["late", "early"]
    assert store.get_run("early").created_at == datetime(2026, 11, 26, 8, 30, tzinfo=UTC)
