"""Fakes for fetcher tests: a fast policy, a recording sleep, a dict resolver and a routing transport."""

from __future__ import annotations

import asyncio

import httpx

from tools.fetching.policy import FetchPolicy

# Retry waits of a few milliseconds: the retry logic runs for real, the suite stays fast.
FAST = FetchPolicy(
    user_agent="InferenceReport/0.1 (+https://example.org/contact)",
    global_concurrency=8,
    per_host_concurrency=4,
    per_host_delay=0.0,
    connect_timeout=2.0,
    read_timeout=2.0,
    total_timeout=10.0,
    max_body_bytes=1024 * 1024,
    retry_attempts=3,
    backoff_base=0.001,
    backoff_cap=0.005,
    retry_after_cap=10.0,
)


class RecordingSleep:
    """Stands in for asyncio.sleep: records each wait and yields without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


class RoutingTransport(httpx.AsyncBaseTransport):
    """Plays the internet: requests to the mapped public addresses reach the loopback server.

    The fetcher believes it talks to e.g. 93.184.216.34; only this router knows the answer comes
    from 127.0.0.1. Anything unmapped that is not loopback fails as unroutable.
    """

    def __init__(self, routes: dict[str, int]) -> None:
        self._routes = routes
        self._inner = httpx.AsyncHTTPTransport()
        self.connected_to: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.connected_to.append(host)
        if host in self._routes:
            request.url = request.url.copy_with(host="127.0.0.1", port=self._routes[host])
        elif host != "127.0.0.1":
            raise httpx.ConnectError(f"no route to {host}", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class MapResolver:
    """A resolver from a dict (host -> addresses, or a list of answers given in turn); records lookups."""

    def __init__(
        self, mapping: dict[str, list[str]], *, answers: dict[str, list[list[str]]] | None = None
    ) -> None:
        self._mapping = mapping
        self._answers = {host: list(seq) for host, seq in (answers or {}).items()}
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if self._answers.get(host):
            return self._answers[host].pop(0)
        if host not in self._mapping:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return self._mapping[host]
