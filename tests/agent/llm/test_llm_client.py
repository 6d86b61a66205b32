"""Client construction: a missing key is one clear line; Retry-After is capped; keys never recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator

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
