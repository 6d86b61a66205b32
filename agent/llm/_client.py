"""Building the Anthropic client: credentials checked up front, retries with a cap on Retry-After."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.domain.errors import MissingCredentialError
from agent.llm._messages import ModelClient, SyncModelClient
from agent.settings import Settings

if TYPE_CHECKING:
    import httpx2

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "RETRY_AFTER_CAP_SECONDS",
    "cap_retry_after",
    "make_anthropic_client",
    "make_sync_anthropic_client",
    "require_credentials",
]

# The SDK's own retries (429, 529, 5xx, timeouts; backoff 0.5 s doubling to 8 s) are the only retry
# layer for transport failures. Three retries ride out a minute-long overload without stacking layers.
DEFAULT_MAX_RETRIES = 3
# The SDK sleeps for any Retry-After it is given (3600 s sleeps an hour); a drafting run waits 30 s at most.
RETRY_AFTER_CAP_SECONDS = 30.0
# Summaries take seconds; a long lead essay streams. 10 minutes bounds a stalled connection.
DEFAULT_TIMEOUT_SECONDS = 600.0

# The option that wants the key, and what does without it.
_WRITER_NEEDS = ("--writer claude", "draft with --writer extractive")
_JUDGE_NEEDS = ("--judge claude", "leave --judge out (a reviewer decides what the checks cannot)")


def require_credentials(settings: Settings, *, judge: bool = False) -> None:
    """Raise a one-line :class:`MissingCredentialError` when no Anthropic key or token is configured.

    ``judge``: the judge wants it, and the message says so (it must not tell the user to change a
    writer they never chose)."""
    if not settings.has_anthropic_credentials:
        option, instead = _JUDGE_NEEDS if judge else _WRITER_NEEDS
        raise MissingCredentialError(
            f"ANTHROPIC_API_KEY is not set: {option} needs it (or ANTHROPIC_AUTH_TOKEN); set it, or {instead}"
        )


def cap_retry_after(headers: Any, cap_seconds: float) -> None:
    """Clamp a response's Retry-After (and retry-after-ms) to ``cap_seconds``, in place."""
    for name, cap in (("retry-after-ms", cap_seconds * 1000), ("retry-after", cap_seconds)):
        if name not in headers:
            continue
        try:
            if float(headers[name]) > cap:
                headers[name] = f"{cap:g}"
        except ValueError:
            # An HTTP date (or garbage): let the SDK's own capped backoff decide.
            del headers[name]


def _client_kwargs(settings: Settings, max_retries: int, timeout_seconds: float) -> dict[str, Any]:
    return {
        "api_key": settings.anthropic_api_key,
        "auth_token": settings.anthropic_auth_token if not settings.anthropic_api_key else None,
        "base_url": settings.anthropic_base_url,
        "max_retries": max_retries,
        "timeout": timeout_seconds,
    }


def make_anthropic_client(
    settings: Settings,
    *,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    retry_after_cap_seconds: float = RETRY_AFTER_CAP_SECONDS,
) -> ModelClient:
    """An ``AsyncAnthropic`` for ``settings`` (key or auth token, ``ANTHROPIC_BASE_URL`` honoured), behind
    :class:`ModelClient`, which translates its errors.

    Raises :class:`MissingCredentialError` before any network use when no credential is set.
    """
    require_credentials(settings)
    import anthropic  # 1.3 s to import: only when a Claude writer is actually built

    async def capped(response: httpx2.Response) -> None:
        cap_retry_after(response.headers, retry_after_cap_seconds)

    http_client = anthropic.DefaultAsyncHttpxClient(
        timeout=timeout_seconds, event_hooks={"response": [capped]}
    )
    kwargs = _client_kwargs(settings, max_retries, timeout_seconds)
    return ModelClient(anthropic.AsyncAnthropic(**kwargs, http_client=http_client))


def make_sync_anthropic_client(
    settings: Settings,
    *,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    retry_after_cap_seconds: float = RETRY_AFTER_CAP_SECONDS,
) -> SyncModelClient:
    """The blocking twin of :func:`make_anthropic_client` (the judge runs in a worker thread)."""
    require_credentials(settings)
    import anthropic

    def capped(response: httpx2.Response) -> None:
        cap_retry_after(response.headers, retry_after_cap_seconds)

    http_client = anthropic.DefaultHttpxClient(timeout=timeout_seconds, event_hooks={"response": [capped]})
    kwargs = _client_kwargs(settings, max_retries, timeout_seconds)
    return SyncModelClient(anthropic.Anthropic(**kwargs, http_client=http_client))
