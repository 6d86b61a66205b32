"""The knobs of live fetching, as one immutable value injected into :class:`LiveFetcher`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["DEFAULT_USER_AGENT", "FetchPolicy", "HostPoliteness", "policy_from_settings"]

# Matches agent.settings.Settings.user_agent for the default contact; the CLI passes the configured one.
DEFAULT_USER_AGENT = "InferenceReport/0.1 (+https://github.com/inference-report/inference-report)"


@dataclass(frozen=True, slots=True, kw_only=True)
class HostPoliteness:
    """One host's own gap and concurrency (a source's override); None keeps the policy's default."""

    per_host_delay: float | None = None
    per_host_concurrency: int | None = None

    def __post_init__(self) -> None:
        if self.per_host_delay is not None and self.per_host_delay < 0:
            raise ValueError("per_host_delay must not be negative")
        if self.per_host_concurrency is not None and self.per_host_concurrency < 1:
            raise ValueError("per_host_concurrency must be at least 1")

    def stricter(self, other: HostPoliteness) -> HostPoliteness:
        """The more polite of two overrides of one host: the longer gap, the fewer in flight."""
        delays = [d for d in (self.per_host_delay, other.per_host_delay) if d is not None]
        slots = [c for c in (self.per_host_concurrency, other.per_host_concurrency) if c is not None]
        return HostPoliteness(
            per_host_delay=max(delays) if delays else None,
            per_host_concurrency=min(slots) if slots else None,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """Bounds, timeouts and retry settings. Times are seconds, sizes bytes.

    The defaults are for real public sources: a weekly run fetches a few dozen URLs, so being slow
    per host (2 in flight, 1 s between request starts) costs little and keeps us welcome.
    """

    user_agent: str = DEFAULT_USER_AGENT
    global_concurrency: int = 16
    per_host_concurrency: int = 2
    # Minimum gap between the starts of two requests to the same host. A robots.txt Crawl-delay (or
    # Request-rate) longer than this is honoured for its host.
    per_host_delay: float = 1.0
    # Host name -> its own gap and concurrency, from the sources that name them.
    per_host: Mapping[str, HostPoliteness] = field(default_factory=dict)
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

    def delay_for(self, host: str) -> float:
        override = self.per_host.get(host)
        if override is None or override.per_host_delay is None:
            return self.per_host_delay
        return override.per_host_delay

    def concurrency_for(self, host: str) -> int:
        override = self.per_host.get(host)
        if override is None or override.per_host_concurrency is None:
            return self.per_host_concurrency
        return override.per_host_concurrency

    @property
    def robots_token(self) -> str:
        """The product token robots.txt groups are matched against (RFC 9309 section 2.2.1)."""
        return self.user_agent.split("/", 1)[0].split()[0]


class _FetchSettings(Protocol):
    @property
    def user_agent(self) -> str: ...

    @property
    def fetch_global_concurrency(self) -> int: ...

    @property
    def fetch_per_host_concurrency(self) -> int: ...

    @property
    def fetch_per_host_delay(self) -> float: ...


def policy_from_settings(
    settings: _FetchSettings, *, per_host: Mapping[str, HostPoliteness] | None = None
) -> FetchPolicy:
    """The policy the settings configure (``agent.settings.Settings``: User-Agent, global and per-host
    concurrency, the per-host gap), with the sources' per-host overrides."""
    return FetchPolicy(
        user_agent=settings.user_agent,
        global_concurrency=settings.fetch_global_concurrency,
        per_host_concurrency=settings.fetch_per_host_concurrency,
        per_host_delay=settings.fetch_per_host_delay,
        per_host=dict(per_host or {}),
    )
