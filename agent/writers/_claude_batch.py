"""Message Batches: submit, poll with an injectable sleep until ended, collect each request's outcome."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from agent.domain.errors import ModelCallError
from agent.llm import ModelClient

__all__ = ["BatchOutcome", "run_batch"]


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    message: Any = None  # the Message when the request succeeded
    error: str | None = None


def _custom_ids(keys: list[str]) -> dict[str, str]:
    """custom_id must match ^[a-zA-Z0-9_-]{1,64}$: a position plus a readable slug of the key."""
    return {f"r{n}-{re.sub(r'[^A-Za-z0-9_-]', '_', key)[:50]}": key for n, key in enumerate(keys)}


async def run_batch(
    client: ModelClient,
    requests: dict[str, dict[str, Any]],
    *,
    sleep: Callable[[float], Awaitable[None]],
    poll_seconds: float,
    max_wait_seconds: float,
) -> dict[str, BatchOutcome]:
    """One outcome per key of ``requests``; a failure of the whole batch becomes every request's error."""
    ids = _custom_ids(list(requests))
    try:
        items: list[Any] = [{"custom_id": cid, "params": requests[key]} for cid, key in ids.items()]
        batch = await client.create_batch(items)
        waited = 0.0
        while batch.processing_status != "ended":
            if waited >= max_wait_seconds:
                await client.cancel_batch(batch.id)
                return {
                    k: BatchOutcome(error=f"batch {batch.id} did not end within {waited:.0f} s")
                    for k in requests
                }
            await sleep(poll_seconds)
            waited += poll_seconds
            batch = await client.retrieve_batch(batch.id)
        outcomes: dict[str, BatchOutcome] = {}
        for line in await client.batch_results(batch.id):
            key = ids.get(line.custom_id)
            if key is None:
                continue
            result = line.result
            if result.type == "succeeded":
                outcomes[key] = BatchOutcome(message=result.message)
            elif result.type == "errored":
                error = result.error.error
                outcomes[key] = BatchOutcome(error=f"batch request errored: {error.type}: {error.message}")
            else:
                outcomes[key] = BatchOutcome(error=f"batch request {result.type}")
    except ModelCallError as exc:
        return {k: BatchOutcome(error=f"batch failed: {exc}") for k in requests}
    return {k: outcomes.get(k, BatchOutcome(error="no result in the batch's results")) for k in requests}
