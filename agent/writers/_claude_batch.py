"""Message Batches: submit, poll with an injectable sleep until ended, collect each request's outcome.

A batch is billed when it is processed, collected or not. With a :class:`BatchLedger` (the run's store)
its id is kept as soon as it is created, so a run killed while it waits re-attaches to it on resume
instead of submitting the same requests, and paying for them, a second time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from agent.domain.errors import ModelCallError
from agent.llm import ModelClient

__all__ = ["BatchLedger", "BatchOutcome", "run_batch"]

log = logging.getLogger(__name__)


class BatchLedger(Protocol):
    """Where a run keeps the batches it submitted, by a hash of their requests."""

    def submitted_batch(self, requests_hash: str) -> str | None: ...

    def record_batch(self, requests_hash: str, batch_id: str) -> None: ...

    def forget_batch(self, requests_hash: str) -> None: ...


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
    ledger: BatchLedger | None = None,
) -> dict[str, BatchOutcome]:
    """One outcome per key of ``requests``; a failure of the whole batch becomes every request's error.

    With a ``ledger``, the same requests submitted before (by a run that was killed while it waited) are
    collected from that batch, not submitted again."""
    ids = _custom_ids(list(requests))
    items: list[Any] = [{"custom_id": cid, "params": requests[key]} for cid, key in ids.items()]
    requests_hash = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()
    try:
        batch = await _submitted(client, ledger, requests_hash)
        if batch is None:
            batch = await client.create_batch(items)
            if ledger is not None:
                ledger.record_batch(requests_hash, batch.id)
        waited = 0.0
        while batch.processing_status != "ended":
            if waited >= max_wait_seconds:
                await client.cancel_batch(batch.id)
                if ledger is not None:  # a cancelled batch holds no results to come back for
                    ledger.forget_batch(requests_hash)
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


async def _submitted(client: ModelClient, ledger: BatchLedger | None, requests_hash: str) -> Any:
    """The batch these requests went out in before, while the API still has it; else None."""
    batch_id = ledger.submitted_batch(requests_hash) if ledger is not None else None
    if ledger is None or batch_id is None:
        return None
    try:
        batch = await client.retrieve_batch(batch_id)
    except ModelCallError as exc:  # gone (results are kept 29 days) or unreachable: submit anew
        log.warning("batch %s could not be retrieved (%s): submitting its requests again", batch_id, exc)
        ledger.forget_batch(requests_hash)
        return None
    log.info("re-attached to batch %s, submitted before this run was resumed", batch_id)
    return batch
