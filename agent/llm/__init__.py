"""Model access shared by the Claude writer and the judge: client construction, prices, the cost meter.

The one package that imports ``anthropic``; the SDK's errors leave it as
:class:`~agent.domain.errors.ModelCallError`.
"""

from agent.llm._client import (
    DEFAULT_MAX_RETRIES,
    RETRY_AFTER_CAP_SECONDS,
    cap_retry_after,
    make_anthropic_client,
    make_sync_anthropic_client,
    require_credentials,
)
from agent.llm._messages import ModelClient, SyncModelClient, translate_error
from agent.llm._meter import Billing, CostMeter, Reservation
from agent.llm._pricing import PRICES, ModelPrice, price_for, usage_from_api

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "PRICES",
    "RETRY_AFTER_CAP_SECONDS",
    "Billing",
    "CostMeter",
    "ModelClient",
    "ModelPrice",
    "Reservation",
    "SyncModelClient",
    "cap_retry_after",
    "make_anthropic_client",
    "make_sync_anthropic_client",
    "price_for",
    "require_credentials",
    "translate_error",
    "usage_from_api",
]
