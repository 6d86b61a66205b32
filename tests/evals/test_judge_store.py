"""The judge's answers in the store's ``judge_cache`` table (where a PostgreSQL desk keeps them), on both
engines. The drafts that use it are in test_judge_cost.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import pytest

from agent.domain.errors import MissingCredentialError
from agent.llm import SyncModelClient
from agent.llm.testing import FakeMessagesAPI, RecordedRequest
from agent.settings import DEFAULT_MODEL, Settings
from agent.store import Store
from evals.judge import (
    ClaudeJudge,
    JudgeAnswer,
    SqliteJudgeCache,
    StoreJudgeCache,
    build_claude_judge,
    judge_cache,
)

PASSAGE = "On 26 November the editors voted 44-2 to ban AI-generated text from new articles."


def _answer(request: RecordedRequest) -> dict[str, Any]:
    return {"verdict": "supported", "score": 0.9, "reasons": ["the vote is in passage [1]"]}


@pytest.fixture
def api() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI(FakeMessagesAPI.citing_responder(structured=_answer)) as fake:
        yield fake


def _judge(api: FakeMessagesAPI, store: Store) -> ClaudeJudge:
    client = SyncModelClient(anthropic.Anthropic(api_key="test", base_url=api.base_url, max_retries=0))
    return ClaudeJudge(client, model=DEFAULT_MODEL, cache=StoreJudgeCache(store))


def test_answers_cached_in_the_store_outlive_it(api: FakeMessagesAPI, database: str) -> None:
    with Store.open(database) as store:
        first = _judge(api, store).judge("Editors voted 44-2.", [PASSAGE])
        assert len(api.message_requests) == 1
    with Store.open(database) as reopened:
        judge = _judge(api, reopened)
        assert judge.judge("Editors voted 44-2.", [PASSAGE]) == first
        assert judge.cache_hits == 1 and len(api.message_requests) == 1
        judge.judge("Editors voted 44-2.", [PASSAGE + " More."])  # other evidence: asked again
        assert len(api.message_requests) == 2


def test_an_answer_of_another_schema_is_asked_again(database: str) -> None:
    with Store.open(database) as store:
        cache = StoreJudgeCache(store)
        store.put_judge_answer("k", json.dumps({"verdict": "maybe"}))
        assert cache.get("k") is None
        cache.put("k", JudgeAnswer(verdict="supported", score=0.5, reasons=[]))
        assert cache.get("k") == JudgeAnswer(verdict="supported", score=0.5, reasons=[])
        cache.close()  # the caller's store stays open
        assert store.judge_answer("k") is not None


class _Answers:
    """An answer store that keeps nothing: what these tests ask is which cache is chosen."""

    def judge_answer(self, key: str) -> str | None:
        return None

    def put_judge_answer(self, key: str, answer: str) -> None:
        pass


def test_the_judge_cache_follows_the_store(tmp_path: Path) -> None:
    on_sqlite = Settings(home=tmp_path)
    on_postgresql = Settings(home=tmp_path, database_url="postgresql://desk@127.0.0.1:9/report")
    beside_the_file = judge_cache(on_sqlite)
    try:
        assert isinstance(beside_the_file, SqliteJudgeCache)
        assert (tmp_path / "judge-cache.sqlite").is_file()
    finally:
        beside_the_file.close()
    assert isinstance(judge_cache(on_postgresql, store=_Answers()), StoreJudgeCache)
    named = judge_cache(on_postgresql, path=tmp_path / "named.sqlite")  # --judge-cache wins
    try:
        assert isinstance(named, SqliteJudgeCache)
    finally:
        named.close()


def test_a_judge_that_cannot_be_built_closes_the_cache_it_was_given(tmp_path: Path) -> None:
    closed: list[bool] = []
    cache = StoreJudgeCache(_Answers(), on_close=lambda: closed.append(True))
    with pytest.raises(MissingCredentialError):
        build_claude_judge(Settings(home=tmp_path), cache=cache)  # no key
    assert closed == [True]
