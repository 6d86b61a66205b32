"""The adapter's boundary: every SDK error leaves agent.llm as one of ours, the SDK's kept as its cause."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import anthropic
import pytest

from agent.domain.errors import (
    ModelAuthError,
    ModelBadRequest,
    ModelCallError,
    ModelConnectionError,
    ModelOverloaded,
    ModelRateLimited,
    ModelServerError,
    ModelTimeout,
)
from agent.llm import make_anthropic_client, make_sync_anthropic_client
from agent.llm.testing import FakeMessagesAPI
from agent.settings import Settings

PARAMS = {"model": "claude-sonnet-5-5", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def api() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI() as fake:
        yield fake


def _settings(base_url: str) -> Settings:
    return Settings(anthropic_api_key="test", anthropic_base_url=base_url)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, ModelBadRequest),
        (401, ModelAuthError),
        (403, ModelAuthError),
        (404, ModelBadRequest),
        (413, ModelBadRequest),
        (429, ModelRateLimited),
        (500, ModelServerError),
        (529, ModelOverloaded),
    ],
)
async def test_a_status_becomes_our_error_with_the_sdks_as_its_cause(
    api: FakeMessagesAPI, status: int, kind: type[ModelCallError]
) -> None:
    client = make_anthropic_client(_settings(api.base_url), max_retries=0)
    api.fail_next(status)
    with pytest.raises(kind) as info:
        await client.create(PARAMS)
    assert type(info.value) is kind
    assert info.value.status_code == status
    assert isinstance(info.value.__cause__, anthropic.APIStatusError)
    assert str(info.value).startswith(f"HTTP {status} ") and "\n" not in str(info.value)


async def test_the_sdks_retries_run_before_the_error_is_translated(api: FakeMessagesAPI) -> None:
    client = make_anthropic_client(_settings(api.base_url), max_retries=2, retry_after_cap_seconds=0.01)
    api.fail_next(529, times=3, retry_after=3600)
    with pytest.raises(ModelOverloaded):
        await client.stream(PARAMS)
    assert len(api.message_requests) == 3


async def test_a_slow_answer_is_a_timeout(api: FakeMessagesAPI) -> None:
    client = make_anthropic_client(_settings(api.base_url), max_retries=0, timeout_seconds=0.2)
    api.fail_next(500, delay=1.0)
    with pytest.raises(ModelTimeout) as info:
        await client.create(PARAMS)
    assert isinstance(info.value.__cause__, anthropic.APITimeoutError)


def test_an_unreachable_api_is_a_connection_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_sync_anthropic_client(_settings(f"http://127.0.0.1:{port}"), max_retries=0)
    with pytest.raises(ModelConnectionError) as info:
        client.parse(dict, PARAMS)
    assert isinstance(info.value.__cause__, anthropic.APIConnectionError)
    assert not isinstance(info.value, ModelTimeout)
