"""Building the Anthropic client: credentials checked up front, retries with a cap on Retry-After."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.errors import MissingCredentialError
from agent.settings import Settings

if TYPE_CHECKING:
    import anthropic
    import httpx2

__all__ = ["DEFAULT_MAX_RETRIES", "RETRY_AFTER_CAP_SECONDS", "make_anthropic_client", "require_credentials"]

# The SDK's own retries (429, 529, 5xx, timeouts; backoff 0.5 s doubling to 8 s) are the only retry
# layer for transport failures. Three retries ride out a minute-long overload without stacking layers.
DEFAULT_MAX_RETRIES = 3
# The SDK sleeps for any Retry-After it is given (3600 s sleeps an hour); a drafting run waits 30 s at most.
RETRY_AFTER_CAP_SECONDS = 30.0
# Summaries take seconds; a long lead essay streams. 10 minutes bounds a stalled connection.
DEFAULT_TIMEOUT_SECONDS = 600.0

_MISSING_KEY = (
    "ANTHROPIC_API_KEY is not set: --writer claude needs it (or ANTHROPIC_AUTH_TOKEN); "
    "set it, or draft with --writer extractive"
)


def require_credentials(settings: Settings) -> None:
    """Raise a one-line :class:`MissingCredentialError` when no Anthropic key or token is configured."""
    if not settings.has_anthropic_credentials:
        raise MissingCredentialError(_MISSING_KEY)


def _cap_retry_after(cap_seconds: float) -> Any:
    async def hook(response: httpx2.Response) -> None:
        headers = response.headers
        if "retry-after-ms" in headers:
            try:
                if float(headers["retry-after-ms"]) / 1000 > cap_seconds:
                    headers["retry-after-ms"] = str(int(cap_seconds * 1000))
            except ValueError:
                del headers["retry-after-ms"]
        if "retry-after" in headers:
            try:
                if float(headers["retry-after"]) > cap_seconds:
                    headers["retry-after"] = str(cap_seconds)
            except ValueError:
                # An HTTP date (or garbage): let the SDK's own capped backoff decide.
                del headers["retry-after"]

    return hook


def make_anthropic_client(
    settings: Settings,
    *,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    retry_after_cap_seconds: float = RETRY_AFTER_CAP_SECONDS,
) -> anthropic.AsyncAnthropic:
    """An ``AsyncAnthropic`` for ``settings``: key or auth token, ``ANTHROPIC_BASE_URL`` honoured.

    Raises :class:`MissingCredentialError` before any network use when no credential is set.
    """
    require_credentials(settings)
    import anthropic  # 1.3 s to import: only when a Claude writer is actually built

    http_client = anthropic.DefaultAsyncHttpxClient(
        timeout=timeout_seconds,
        event_hooks={"response": [_cap_retry_after(retry_after_cap_seconds)]},
    )
    return anthropic.AsyncAnthropic(
        api_key=settings.anthropic_api_key,
        auth_token=settings.anthropic_auth_token if not settings.anthropic_api_key else None,
        base_url=settings.anthropic_base_url,
        max_retries=max_retries,
        timeout=timeout_seconds,
        http_client=http_client,
    )
