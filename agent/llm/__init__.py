"""Model access shared by the Claude writer and the judge: client construction, prices, the cost meter."""

from agent.llm._client import (
    DEFAULT_MAX_RETRIES,
    RETRY_AFTER_CAP_SECONDS,
    cap_retry_after,
    describe_api_error,
    make_anthropic_client,
    make_sync_anthropic_client,
    require_credentials,
)
from agent.llm._meter import CostMeter, Reservation
from agent.llm._pricing import PRICES, ModelPrice, price_for, usage_from_api

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "PRICES",
    "RETRY_AFTER_CAP_SECONDS",
    "CostMeter",
    "ModelPrice",
    "Reservation",
    "cap_retry_after",
    "describe_api_error",
    "make_anthropic_client",
    "make_sync_anthropic_client",
    "price_for",
    "require_credentials",
    "usage_from_api",
]
