"""The knobs of live fetching, as one immutable value injected into :class:`LiveFetcher`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["DEFAULT_USER_AGENT", "FetchPolicy", "policy_from_settings"]

# Matches agent.settings.Settings.user_agent for the default contact; the CLI passes the configured one.
DEFAULT_USER_AGENT = "InferenceReport/0.1 (+https://github.com/inference-report/inference-report)"


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """Bounds, timeouts and retry settings. Times are seconds, sizes bytes.

    The defaults are for real public sources: a weekly run fetches a few dozen URLs, so being slow
    per host (2 in flight, 1 s between request starts) costs little and keeps us welcome.
    """

    user_agent: str = DEFAULT_USER_AGENT
    global_concurrency: int = 16
    per_host_concurrency: int = 2
    # Minimum gap between the starts of two requests to the same host.
    per_host_delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    # Wall-clock bound on one attempt (connect, headers and the whole body): stops a slow drip.
    total_timeout: float = 60.0
    # 10 MiB: the largest real page in our fixtures is under 1 MiB; a feed of 500 entries is ~3 MiB.
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retry_attempts: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    # A Retry-After above this is not waited for: the fetch fails at once, saying what the server asked.
    retry_after_cap: float = 60.0
    respect_robots: bool = True
    # RFC 9309 section 2.5: crawlers must parse at least the first 500 KiB of a robots.txt.
    robots_max_bytes: int = 500 * 1024
    # How long a checked DNS answer is reused; one weekly run lasts minutes.
    dns_cache_seconds: float = 300.0

    def __post_init__(self) -> None:
        for name in (
            "global_concurrency",
            "per_host_concurrency",
            "retry_attempts",
            "max_body_bytes",
            "robots_max_bytes",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"FetchPolicy.{name} must be at least 1")
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchPolicy.{name} must be positive")
        for name in ("per_host_delay", "backoff_base", "backoff_cap", "retry_after_cap", "dns_cache_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"FetchPolicy.{name} must not be negative")
        if self.max_redirects < 0:
            raise ValueError("FetchPolicy.max_redirects must not be negative")
        if not self.user_agent.strip():
            raise ValueError("FetchPolicy.user_agent must not be empty")

    @property
    def robots_token(self) -> str:
        """The product token robots.txt groups are matched against (RFC 9309 section 2.2.1)."""
        return self.user_agent.split("/", 1)[0].split()[0]


class _HasUserAgent(Protocol):
    @property
    def user_agent(self) -> str: ...


def policy_from_settings(settings: _HasUserAgent) -> FetchPolicy:
    """The default policy with the configured User-Agent (``agent.settings.Settings.user_agent``)."""
    return FetchPolicy(user_agent=settings.user_agent)
