"""The Messages API as the product calls it: the only place a model call meets the SDK.

Every SDK error comes out as a :class:`~agent.domain.errors.ModelCallError` subclass (``raise ... from``
the SDK's), so the writers and the judge catch ours and never import ``anthropic``. The SDK's own
retries (429, 529, 5xx, timeouts) have run by the time an error is translated. Answers are the SDK's
message objects, read by attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    import anthropic

__all__ = ["ModelClient", "SyncModelClient", "describe_api_error", "translate_error"]


def describe_api_error(exc: Exception) -> str:
    """One line for a failed call: status and error type, never the request (it may hold a key)."""
    import anthropic

    if isinstance(exc, anthropic.APIStatusError):
        body: dict[str, Any] = exc.body if isinstance(exc.body, dict) else {}
        raw_error = body.get("error")
        error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
        kind = error.get("type", type(exc).__name__)
        message = re.sub(r"\s+", " ", str(error.get("message", "")))[:200]
        return f"HTTP {exc.status_code} {kind} after retries: {message}".rstrip(": ")
    if isinstance(exc, anthropic.APITimeoutError):
        return "timed out after retries"
    if isinstance(exc, anthropic.APIConnectionError):
        return "could not connect after retries"
    return f"{type(exc).__name__}: {exc}"


def translate_error(exc: anthropic.APIError) -> ModelCallError:
    """Our error for an SDK error, by HTTP status (stable across SDK versions), its message one safe line."""
    import anthropic

    message = describe_api_error(exc)
    if isinstance(exc, anthropic.APITimeoutError):
        return ModelTimeout(message)
    if isinstance(exc, anthropic.APIConnectionError):
        return ModelConnectionError(message)
    status = exc.status_code if isinstance(exc, anthropic.APIStatusError) else None
    kind: type[ModelCallError] = ModelCallError
    if status == 429:
        kind = ModelRateLimited
    elif status == 529:
        kind = ModelOverloaded
    elif status is not None and status >= 500:
        kind = ModelServerError
    elif status in (401, 403):
        kind = ModelAuthError
    elif status is not None and 400 <= status < 500:
        kind = ModelBadRequest
    return kind(message, status_code=status)


@contextmanager
def _translated() -> Iterator[None]:
    import anthropic

    try:
        yield
    except anthropic.APIError as exc:
        raise translate_error(exc) from exc


class ModelClient:
    """An ``AsyncAnthropic`` behind the calls the writers make; ``sdk`` is the client itself."""

    def __init__(self, sdk: anthropic.AsyncAnthropic) -> None:
        self.sdk = sdk

    async def create(self, params: dict[str, Any]) -> Any:
        with _translated():
            return await self.sdk.messages.create(**params)

    async def stream(self, params: dict[str, Any]) -> Any:
        """The final message of a streamed answer (a long answer must stream)."""
        with _translated():
            async with self.sdk.messages.stream(**params) as answer:
                return await answer.get_final_message()

    async def parse(self, output_format: type[Any], params: dict[str, Any]) -> Any:
        """A structured answer; a body that does not validate raises pydantic's ``ValidationError``."""
        with _translated():
            return await self.sdk.messages.parse(output_format=output_format, **params)

    async def create_batch(self, requests: list[Any]) -> Any:
        with _translated():
            return await self.sdk.messages.batches.create(requests=requests)

    async def retrieve_batch(self, batch_id: str) -> Any:
        with _translated():
            return await self.sdk.messages.batches.retrieve(batch_id)

    async def cancel_batch(self, batch_id: str) -> None:
        with _translated():
            await self.sdk.messages.batches.cancel(batch_id)

    async def batch_results(self, batch_id: str) -> list[Any]:
        """Every result line of an ended batch (read whole, so a failure mid-way is one error)."""
        with _translated():
            return [line async for line in await self.sdk.messages.batches.results(batch_id)]

    async def close(self) -> None:
        await self.sdk.close()


class SyncModelClient:
    """An ``Anthropic`` (blocking) behind the judge's one call; ``sdk`` is the client itself."""

    def __init__(self, sdk: anthropic.Anthropic) -> None:
        self.sdk = sdk

    def parse(self, output_format: type[Any], params: dict[str, Any]) -> Any:
        with _translated():
            return self.sdk.messages.parse(output_format=output_format, **params)

    def close(self) -> None:
        self.sdk.close()
