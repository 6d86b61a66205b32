"""What the judge spends, end to end: in the run report, on the run's budget, across a resume, in evals.

The whole graph runs with the Claude writer against the loopback fake Messages API. The fake's writer
answers copy sentences from the documents, which the deterministic checks already support; here every
cited sentence gets uncited words appended so that the checks leave it ``unverifiable`` and it goes to
the judge, which the fake answers "supported".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.domain.models import Usage, Verdict
from agent.llm import CostMeter, usage_from_api
from agent.llm.testing import FakeMessagesAPI, RecordedRequest, Reply, schema_instance
from agent.runs import DraftOptions, Factories, make_writer, resume_draft, start_draft
from agent.settings import Settings, load_settings
from agent.state import RunOptions
from agent.store import Store
from agent.writers.base import Writer
from evals.grounding.documents import DocumentClaim, check_documents

# Content words the sources never use: appended to a copied sentence (8 for every 10 of its words) they
# bring its coverage under the checker's 0.6 "supported" line without making it "invented" (under 0.34).
_PADDING = "observers describe remarkable momentum welcomed across several communities amid lively debate"
_JUDGE_REASON = "every fact is in the passages"


def _is_judge_request(request: RecordedRequest) -> bool:
    return request.output_schema is not None and "<claim>" in request.user_text


def _structured(request: RecordedRequest) -> Any:
    if _is_judge_request(request):
        return {"verdict": "supported", "score": 0.8, "reasons": [_JUDGE_REASON]}
    schema = request.output_schema
    assert schema is not None
    return schema_instance(schema)  # the writer's ranking and theme


def _padded_responder() -> Any:
    base = FakeMessagesAPI.citing_responder(structured=_structured)
    padding = _PADDING.split()

    def respond(request: RecordedRequest) -> Reply:
        reply = base(request)
        blocks = []
        for block in reply.content:
            if block.get("citations"):
                words = block["text"].rstrip(".!?").split()
                extra = (padding * 4)[: max(2, len(words) * 8 // 10)]
                block = {**block, "text": f"{' '.join(words)}, {' '.join(extra)}."}
            blocks.append(block)
        reply.content = blocks
        return reply

    return respond


@pytest.fixture
def api() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI(_padded_responder()) as server:
        yield server


def _settings(home: Path, api: FakeMessagesAPI) -> Settings:
    return load_settings({"ANTHROPIC_API_KEY": "test", "ANTHROPIC_BASE_URL": api.base_url}, home=home)


def _judge_requests(api: FakeMessagesAPI) -> list[RecordedRequest]:
    return [r for r in api.message_requests if _is_judge_request(r)]


def _claims(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]


def _report(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / "run-report.json").read_text())
    return report


@dataclass(frozen=True)
class Reference:
    """A run with the judge and no budget, on its own fake server and data directory."""

    report: dict[str, Any]
    claims: list[dict[str, Any]]
    judge_billed: list[dict[str, Any]]  # what the fake billed for each judge call

    @property
    def judged(self) -> list[dict[str, Any]]:
        """Claims with the judge's verdict; a sentence both a summary and the lead use is asked once."""
        return [c for c in self.claims if f"judge: {_JUDGE_REASON}" in c["reasons"]]

    @property
    def writing_usd(self) -> float:
        return round(sum(u["usd"] for s, u in self.report["cost"]["by_stage"].items() if s != "check"), 6)


async def _reference_run(tmp_path: Path) -> Reference:
    with FakeMessagesAPI(_padded_responder()) as server:
        out = tmp_path / "reference-out"
        settings = _settings(tmp_path / "reference-home", server)
        await start_draft(settings, DraftOptions(sample=True, out_dir=out, judge="claude"))
        judged = len(_judge_requests(server))
        # The check stage comes after all writing and its calls are sequential: the judge's are the last.
        assert judged and all(_is_judge_request(r) for r in server.message_requests[-judged:])
        return Reference(_report(out), _claims(out), server.billed[-judged:])


async def test_the_judges_spend_is_in_the_run_report_under_check_priced_like_the_writers(
    tmp_path: Path,
) -> None:
    reference = await _reference_run(tmp_path)
    cost = reference.report["cost"]
    assert {"select", "write", "check"} <= set(cost["by_stage"])
    expected = Usage()
    for billed in reference.judge_billed:
        expected = expected + usage_from_api(billed, str(billed["model"]))
    assert expected.usd > 0
    assert cost["by_stage"]["check"] == expected.model_dump()
    assert cost["usd"] == pytest.approx(sum(u["usd"] for u in cost["by_stage"].values()), abs=1e-6)
    assert "judge" in {p["name"] for p in reference.report["prompts"]}
    assert 0 < len(reference.judge_billed) <= len(reference.judged)
    assert all(c["verdict"] == Verdict.SUPPORTED.value for c in reference.judged)
    assert reference.report["skipped_for_budget"] == []


async def test_a_judge_answer_from_the_cache_costs_the_next_run_nothing(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    settings = _settings(tmp_path / "home", api)
    first = await start_draft(settings, DraftOptions(sample=True, out_dir=tmp_path / "1", judge="claude"))
    asked = len(_judge_requests(api))
    assert asked and "check" in first.report["cost"]["by_stage"]
    judged_first = [c for c in _claims(tmp_path / "1") if f"judge: {_JUDGE_REASON}" in c["reasons"]]
    # Same sources, same writer answers, same data directory: every claim's verdict is in the cache.
    second = await start_draft(
        settings, DraftOptions(sample=True, out_dir=tmp_path / "2", judge="claude", force=True)
    )
    assert len(_judge_requests(api)) == asked
    assert "check" not in second.report["cost"]["by_stage"]
    with Store.open(settings.database_path) as store:
        assert "check" not in store.usage_totals(second.run_id).by_stage
    judged = [c for c in _claims(tmp_path / "2") if f"judge: {_JUDGE_REASON}" in c["reasons"]]
    assert len(judged) == len(judged_first) > 0


async def test_a_budget_spent_by_writing_leaves_claims_unverifiable_with_the_reason(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    reference = await _reference_run(tmp_path)
    out = tmp_path / "out"
    # Exactly what writing costs: every writer call fits, and the budget is reached before the judge.
    options = DraftOptions(sample=True, out_dir=out, judge="claude", max_cost_usd=reference.writing_usd)
    outcome = await start_draft(_settings(tmp_path / "home", api), options)
    assert outcome.status == "awaiting_review"
    assert _judge_requests(api) == []
    report = _report(out)
    assert "check" not in report["cost"]["by_stage"]
    refused = [c for c in _claims(out) if any(r.startswith("judge: budget reached") for r in c["reasons"])]
    assert len(refused) == len(reference.judged)
    assert all(c["verdict"] == Verdict.UNVERIFIABLE.value for c in refused)
    assert all(any("not sent to the judge, a reviewer decides" in r for r in c["reasons"]) for c in refused)
    # The writer was not cut short; the claims the judge never saw are listed as skipped for the budget.
    skipped = report["skipped_for_budget"]
    assert len(skipped) == len(refused) and all(s.startswith('check: judge "') for s in skipped)


class StopAfterCheck(Exception):
    pass


async def test_a_resumed_run_starts_its_budget_from_the_judges_earlier_spend(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    reference = await _reference_run(tmp_path)
    total_usd = reference.report["cost"]["usd"]
    settings = _settings(tmp_path / "home", api)

    def stop_after_check(stage: str, message: str) -> None:
        if stage == "check":
            raise StopAfterCheck  # the judge has asked and paid; the check stage is not checkpointed

    # The budget is exactly what the whole run costs: the first process writes and judges everything.
    options = DraftOptions(
        sample=True, run_id="judge-resume", out_dir=tmp_path / "out", judge="claude", max_cost_usd=total_usd
    )
    with pytest.raises(StopAfterCheck):
        await start_draft(settings, options, progress=stop_after_check)
    asked = len(_judge_requests(api))
    assert asked == len(reference.judge_billed)
    with Store.open(settings.database_path) as store:
        spent = store.usage_totals("judge-resume")
    assert spent.by_stage["check"].usd > 0 and spent.total.usd == pytest.approx(total_usd, abs=1e-6)

    # The answers are forgotten, so the resumed check would have to ask again: the budget must say no.
    (settings.home / "judge-cache.sqlite").unlink()
    meters: list[CostMeter] = []

    def keep_meter(settings: Settings, options: RunOptions, meter: CostMeter) -> Writer:
        meters.append(meter)
        return make_writer(settings, options, meter)

    outcome = await resume_draft(settings, "judge-resume", factories=Factories(writer=keep_meter))
    assert outcome.status == "awaiting_review"
    assert meters[0].calls == 0 and meters[0].total.usd == pytest.approx(total_usd, abs=1e-6)
    assert len(_judge_requests(api)) == asked, "the earlier judge spend counts against the budget"
    assert outcome.report["cost"]["by_stage"]["check"] == spent.by_stage["check"].model_dump()
    claims = _claims(tmp_path / "out")
    assert any(any(r.startswith("judge: budget reached") for r in c["reasons"]) for c in claims)
    assert outcome.report["skipped_for_budget"]


async def test_on_postgresql_the_judges_answers_are_cached_in_the_database_not_a_file(
    tmp_path: Path, api: FakeMessagesAPI, pg_url: str
) -> None:
    home = tmp_path / "home"
    settings = load_settings(
        {
            "ANTHROPIC_API_KEY": "test",
            "ANTHROPIC_BASE_URL": api.base_url,
            "INFERENCE_REPORT_DATABASE_URL": pg_url,
        },
        home=home,
    )
    first = await start_draft(settings, DraftOptions(sample=True, out_dir=tmp_path / "1", judge="claude"))
    assert first.status == "awaiting_review"
    asked = len(_judge_requests(api))
    assert asked > 0
    with Store.open(pg_url) as store:
        assert len(store._rows("SELECT key FROM judge_cache")) == len(
            {r.user_text for r in _judge_requests(api)}
        )
    assert not list(home.rglob("*.sqlite*")), "no SQLite file in the data folder on PostgreSQL"
    # The same edition drafted again: every verdict comes from the database.
    options = DraftOptions(sample=True, out_dir=tmp_path / "2", judge="claude", force=True)
    second = await start_draft(settings, options)
    assert second.status == "awaiting_review" and second.run_id != first.run_id
    assert len(_judge_requests(api)) == asked
    assert [c for c in _claims(tmp_path / "2") if f"judge: {_JUDGE_REASON}" in c["reasons"]]


async def test_on_sqlite_the_judges_answers_stay_in_their_file_beside_the_store(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    settings = _settings(tmp_path / "home", api)
    outcome = await start_draft(settings, DraftOptions(sample=True, out_dir=tmp_path / "out", judge="claude"))
    assert outcome.status == "awaiting_review" and _judge_requests(api)
    assert (settings.home / "judge-cache.sqlite").is_file()
    with Store.open(settings.database) as store:
        assert store._rows("SELECT key FROM judge_cache") == []


# -- the eval harness has no run: the judge's spend goes to the terminal and the eval report --------------


def _eval_app() -> Any:
    import typer

    from evals.cli import eval_app

    app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    return app


def _env(api: FakeMessagesAPI, home: Path) -> dict[str, str]:
    return {
        "ANTHROPIC_API_KEY": "test",
        "ANTHROPIC_BASE_URL": api.base_url,
        "INFERENCE_REPORT_HOME": str(home),
    }


def test_eval_score_prints_what_the_judge_spent(tmp_path: Path, api: FakeMessagesAPI) -> None:
    source = (
        "After a month of debate, Wikipedia editors voted 44-2 to ban AI-generated content from articles, "
        "with narrow exceptions for translation aids and for images that are labelled as generated by a "
        "model."
    )
    claim = "Wikipedia volunteers grew tired of machine-written prose and its sloppy errors."
    # Undecided by the deterministic checker, so it goes to the judge.
    assert check_documents([DocumentClaim("a", source, claim)])[0].verdict is Verdict.UNVERIFIABLE
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "source": source, "claim": claim}) + "\n", encoding="utf-8")
    args = ["eval", "score", str(src), "--out", str(tmp_path / "out.jsonl"), "--judge", "claude"]
    result = CliRunner().invoke(_eval_app(), args, env=_env(api, tmp_path / "home"))
    assert result.exit_code == 0, result.output
    [billed] = api.billed
    usd = usage_from_api(billed, str(billed["model"])).usd
    assert f"judge: 1 call(s) to {billed['model']}" in result.output and f"${usd:.4f}" in result.output
    again = CliRunner().invoke(_eval_app(), args, env=_env(api, tmp_path / "home"))
    assert "judge: 0 call(s)" in again.output and "1 answered from the cache" in again.output
    assert "$0.0000" in again.output and len(api.billed) == 1


def test_eval_score_with_judge_scope_passed_reads_the_passed_sentences_too(
    tmp_path: Path, api: FakeMessagesAPI
) -> None:
    source = (
        "After a month of debate, Wikipedia editors voted 44-2 to ban AI-generated content from articles."
    )
    claim = "Wikipedia editors voted 44-2 to ban AI-generated content."  # passed by the checks
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "source": source, "claim": claim}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["eval", "score", str(src), "--out", str(out), "--judge", "claude"]
    assert CliRunner().invoke(_eval_app(), args, env=_env(api, tmp_path / "home")).exit_code == 0
    assert api.billed == []  # the default scope: a passed sentence is not read again
    wider = [*args, "--judge-scope", "passed"]
    result = CliRunner().invoke(_eval_app(), wider, env=_env(api, tmp_path / "home"))
    assert result.exit_code == 0, result.output
    assert len(api.billed) == 1 and "judge: 1 call(s)" in result.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["verdict"] == "supported" and any(": judge: " in r for r in row["reasons"])
    alone = ["eval", "score", str(src), "--out", str(out), "--judge-scope", "passed"]
    refused = CliRunner().invoke(_eval_app(), alone, env=_env(api, tmp_path / "home"))
    assert refused.exit_code == 2 and "needs --judge claude" in refused.output


def test_eval_score_caches_the_judge_in_the_database_a_database_url_names(
    tmp_path: Path, api: FakeMessagesAPI, pg_url: str
) -> None:
    source = (
        "After a month of debate, Wikipedia editors voted 44-2 to ban AI-generated content from articles."
    )
    claim = "Wikipedia volunteers grew tired of machine-written prose and its sloppy errors."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "source": source, "claim": claim}) + "\n", encoding="utf-8")
    args = ["eval", "score", str(src), "--out", str(tmp_path / "out.jsonl"), "--judge", "claude"]
    env = {**_env(api, tmp_path / "home"), "INFERENCE_REPORT_DATABASE_URL": pg_url}
    assert CliRunner().invoke(_eval_app(), args, env=env).exit_code == 0
    again = CliRunner().invoke(_eval_app(), args, env=env)
    assert "1 answered from the cache" in again.output and len(api.billed) == 1
    with Store.open(pg_url) as store:
        assert len(store._rows("SELECT key FROM judge_cache")) == 1
    assert not list((tmp_path / "home").rglob("*.sqlite*"))


def test_the_eval_report_records_what_the_judge_spent(tmp_path: Path, api: FakeMessagesAPI) -> None:
    from evals.gate import Baseline

    baseline = tmp_path / "baseline.json"
    Baseline(floors={"perturbations": {"recall.number": 0.0}}).save(baseline)
    report_dir = tmp_path / "r"
    args = ["eval", "--suite", "perturbations", "--report-dir", str(report_dir), "--baseline", str(baseline)]
    args += ["--no-sample-draft", "--judge", "claude"]
    result = CliRunner().invoke(_eval_app(), args, env=_env(api, tmp_path / "home"))
    assert result.exit_code == 0, result.output
    judge = json.loads((report_dir / "eval-report.json").read_text())["judge"]
    expected = Usage()
    for billed in api.billed:
        expected = expected + usage_from_api(billed, str(billed["model"]))
    assert judge["calls"] == len(api.billed) > 0 and judge["usd"] == expected.usd > 0
    assert judge["input_tokens"] == expected.input_tokens and judge["prompt"]["name"] == "judge"
    assert "judge: " in result.output
    assert f"${expected.usd:.4f}" in (report_dir / "eval-report.md").read_text()


def test_without_the_judge_the_eval_report_has_no_judge_cost(tmp_path: Path) -> None:
    from evals.gate import Baseline
    from evals.runner import run_evals
    from evals.suites import no_sample_draft

    baseline = tmp_path / "baseline.json"
    Baseline(floors={"perturbations": {"recall.number": 0.0}}).save(baseline)

    run = run_evals(
        ["perturbations"], report_dir=tmp_path / "r", baseline_path=baseline, draft_runner=no_sample_draft
    )
    assert run.judge_cost is None
    assert "judge" not in json.loads(run.json_report.read_text())


def test_eval_score_stops_asking_the_judge_at_max_cost(tmp_path: Path, api: FakeMessagesAPI) -> None:
    source = (
        "After a month of debate, Wikipedia editors voted 44-2 to ban AI-generated content from articles, "
        "with narrow exceptions for translation aids."
    )
    claim = "Wikipedia volunteers grew tired of machine-written prose and its sloppy errors."
    # Undecided by the deterministic checker, so it would be judged.
    assert check_documents([DocumentClaim("a", source, claim)])[0].verdict is Verdict.UNVERIFIABLE
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "source": source, "claim": claim}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["eval", "score", str(src), "--out", str(out), "--judge", "claude", "--max-cost", "0"]
    result = CliRunner().invoke(_eval_app(), args, env=_env(api, tmp_path / "home"))
    assert result.exit_code == 0, result.output
    assert api.billed == [] and "1 not judged (budget reached)" in result.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert any("budget reached" in r for r in row["reasons"])


def test_max_cost_without_the_judge_is_a_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "source": "s.", "claim": "c."}) + "\n", encoding="utf-8")
    args = ["eval", "score", str(src), "--out", str(tmp_path / "out.jsonl"), "--max-cost", "1"]
    result = CliRunner().invoke(_eval_app(), args, env={"INFERENCE_REPORT_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2 and "needs --judge claude" in result.output
