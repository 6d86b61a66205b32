"""Client construction: a missing key is one clear line; Retry-After is capped; keys never recorded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.domain.errors import MissingCredentialError
from agent.llm import make_anthropic_client
from agent.llm.testing import FakeMessagesAPI
from agent.settings import Settings, load_settings

SECRET = "sk-ant-test-secret-0123456789"


@pytest.fixture
def api() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI() as fake:
        yield fake


def test_missing_key_is_a_one_line_error_naming_the_variable() -> None:
    with pytest.raises(MissingCredentialError) as info:
        make_anthropic_client(Settings())
    message = str(info.value)
    assert "ANTHROPIC_API_KEY" in message and "\n" not in message


def test_a_judge_without_a_key_is_told_about_the_judge_not_the_writer(tmp_path: Path) -> None:
    from agent.runs import DraftOptions, start_draft
    from evals.judge import build_claude_judge

    with pytest.raises(MissingCredentialError) as judge:
        build_claude_judge(Settings())
    with pytest.raises(MissingCredentialError) as drafted:
        options = DraftOptions(sample=True, writer="extractive", judge="claude")
        asyncio.run(start_draft(Settings(home=tmp_path), options))
    for refused in (judge, drafted):
        message = str(refused.value)
        # Before: "--writer claude needs it ... draft with --writer extractive", for a judge on any writer.
        assert "--judge claude needs it" in message and "leave --judge out" in message
        assert "--writer" not in message


def test_base_url_from_the_environment_is_honoured(api: FakeMessagesAPI) -> None:
    settings = load_settings({"ANTHROPIC_API_KEY": SECRET, "ANTHROPIC_BASE_URL": api.base_url})
    client = make_anthropic_client(settings)
    assert str(client.sdk.base_url).rstrip("/") == api.base_url


async def test_retry_after_is_capped_and_the_sdk_retries(api: FakeMessagesAPI) -> None:
    # Uncapped, the SDK would sleep an hour here; capped at 0.01 s the retry happens at once.
    client = make_anthropic_client(
        Settings(anthropic_api_key=SECRET, anthropic_base_url=api.base_url), retry_after_cap_seconds=0.01
    )
    api.fail_next(429, retry_after=3600)
    api.fail_next(529, retry_after=3600)
    message = await client.create(
        {"model": "claude-sonnet-5-5", "max_tokens": 100, "messages": [{"role": "user", "content": "hi"}]}
    )
    assert message.content[0].type == "text"
    assert len(api.message_requests) == 3


async def test_recordings_never_contain_the_key(api: FakeMessagesAPI) -> None:
    for settings in (
        Settings(anthropic_api_key=SECRET, anthropic_base_url=api.base_url),
        Settings(anthropic_auth_token=SECRET, anthropic_base_url=api.base_url),
    ):
        client = make_anthropic_client(settings)
        await client.create(
            {"model": "claude-sonnet-5-5", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
        )
    assert len(api.requests) == 2
    dumped = json.dumps([[r.headers, r.body] for r in api.requests]) + repr(api.requests)
    assert SECRET not in dumped
    assert not {"authorization", "x-api-key"} & {h for r in api.requests for h in r.headers}
