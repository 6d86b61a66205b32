"""Per-model prices and the cost of one call's token usage."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.domain.models import Usage

__all__ = ["PRICES", "ModelPrice", "price_for", "usage_from_api"]

log = logging.getLogger(__name__)

# Prompt caching bills a 5-minute cache write at 1.25x the input rate, a 1-hour write at 2x and a
# cache hit at 0.1x; the Message Batches API bills every token class at half price.
CACHE_WRITE_MULTIPLIER = 1.25
CACHE_WRITE_1H_MULTIPLIER = 2.0
CACHE_READ_MULTIPLIER = 0.1
BATCH_DISCOUNT = 0.5


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """USD per million tokens."""

    input: float
    output: float
    cache_read_multiplier: float = CACHE_READ_MULTIPLIER

    @property
    def cache_write(self) -> float:
        return self.input * CACHE_WRITE_MULTIPLIER

    @property
    def cache_read(self) -> float:
        return self.input * self.cache_read_multiplier

    def cost(
        self,
        *,
        input_tokens: int,
        output_tokens: int,
        cache_write_tokens: int = 0,
        cache_read_tokens: int = 0,
        cache_write_1h_tokens: int = 0,
        batch: bool = False,
    ) -> float:
        """``cache_write_tokens`` are 5-minute writes; ``cache_write_1h_tokens`` the 1-hour ones."""
        usd = (
            input_tokens * self.input
            + output_tokens * self.output
            + cache_write_tokens * self.cache_write
            + cache_write_1h_tokens * self.input * CACHE_WRITE_1H_MULTIPLIER
            + cache_read_tokens * self.cache_read
        ) / 1_000_000
        return usd * BATCH_DISCOUNT if batch else usd


# Published list prices (platform.claude.com model pages, November 2026). Sonnet 5.5's and Opus 5.5's
# cache hits were cut to 0.05x of input on 2026-10-07 and Fable 5.1 bills them at 0.025x.
PRICES: Mapping[str, ModelPrice] = {
    "claude-fable-5-1": ModelPrice(10.0, 50.0, cache_read_multiplier=0.025),
    "claude-opus-5-5": ModelPrice(4.0, 20.0, cache_read_multiplier=0.05),
    "claude-opus-5": ModelPrice(5.0, 25.0),
    "claude-sonnet-5-5": ModelPrice(2.0, 10.0, cache_read_multiplier=0.05),
    "claude-sonnet-5": ModelPrice(2.0, 10.0),
    "claude-opus-4-8": ModelPrice(5.0, 25.0),
    "claude-opus-4-7": ModelPrice(5.0, 25.0),
    "claude-opus-4-6": ModelPrice(5.0, 25.0),
    "claude-opus-4-5": ModelPrice(5.0, 25.0),
    "claude-sonnet-4-6": ModelPrice(3.0, 15.0),
    "claude-sonnet-4-5": ModelPrice(3.0, 15.0),
    "claude-haiku-4-5": ModelPrice(1.0, 5.0),
}

# An unknown model is priced like the dearest known one, so a budget is never under-counted.
_FALLBACK = max(PRICES.values(), key=lambda p: p.output)


def price_for(model: str, prices: Mapping[str, ModelPrice] = PRICES) -> ModelPrice:
    """The price row for ``model``; a dated snapshot id (``claude-sonnet-5-5-20260928``) uses its alias."""
    candidates = [alias for alias in prices if model == alias or model.startswith(alias + "-")]
    if candidates:
        return prices[max(candidates, key=len)]
    log.warning("no price known for model %s: pricing it as the dearest known model", model)
    return _FALLBACK


def _count(usage: Any, name: str) -> int:
    value = usage.get(name) if isinstance(usage, Mapping) else getattr(usage, name, None)
    return int(value or 0)


def usage_from_api(
    usage: Any, model: str, *, batch: bool = False, prices: Mapping[str, ModelPrice] = PRICES
) -> Usage:
    """The API's ``usage`` object (SDK model or dict) as a priced :class:`Usage`.

    ``input_tokens`` stays as the API reports it: the uncached part of the prompt;
    ``cache_write_tokens`` counts writes of both lifetimes, priced apart (``usage.cache_creation``).
    """
    input_tokens = _count(usage, "input_tokens")
    output_tokens = _count(usage, "output_tokens")
    cache_write = _count(usage, "cache_creation_input_tokens")
    cache_read = _count(usage, "cache_read_input_tokens")
    split = (
        usage.get("cache_creation") if isinstance(usage, Mapping) else getattr(usage, "cache_creation", None)
    )
    write_1h = min(_count(split, "ephemeral_1h_input_tokens"), cache_write) if split is not None else 0
    usd = price_for(model, prices).cost(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_write_tokens=cache_write - write_1h,
        cache_write_1h_tokens=write_1h,
        cache_read_tokens=cache_read,
        batch=batch,
    )
    return Usage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_write_tokens=cache_write,
        cache_read_tokens=cache_read,
        usd=round(usd, 6),
    )
