"""The real-network :class:`Fetcher`: bounded, polite, retried and guarded.

One ``fetch`` walks the redirect chain by hand. At every hop it (1) checks the URL with the address
guard, which resolves the host and pins the checked address, (2) consults the host's robots.txt
(fetched once per origin per fetcher), then (3) runs one exchange under the tenacity retry loop:
wait for a per-host slot and the politeness gap, then a global slot, send the GET to the pinned
address and stream the body under the size cap.

Failures raise :class:`FetchError` (``status`` set when the server answered). Transient ones
(connect errors, timeouts, resets, 408, 429, 5xx) are retried with full-jitter exponential
backoff; a Retry-After up to ``retry_after_cap`` replaces the backoff, a longer one fails at once.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import math
import ssl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from tools.fetching._body import BodyTooLarge, UnsupportedEncoding, read_capped
from tools.fetching._failures import (
    TRANSIENT_STATUSES,
    Transient,
    describe_transport_error,
    parse_retry_after,
    status_text,
    tls_verify_error,
)
from tools.fetching._types import CachedResponse, FetchError, FetchRequest, FetchResponse, ValidatorCache
from tools.fetching.guard import Resolver, Target, check_url, split_url, system_resolver, url_host
from tools.fetching.policy import FetchPolicy, policy_from_settings
from tools.fetching.robots import RobotsRules, parse_robots

__all__ = ["FetchPolicy", "LiveFetcher", "parse_retry_after", "policy_from_settings"]

Sleep = Callable[[float], Awaitable[None]]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Caller headers that are safe to carry to another origin; anything else (an API key header named by
# the source, cookies, authorization) stays with the origin it was meant for.
_CROSS_ORIGIN_HEADERS = frozenset({"accept", "accept-language"})
# A 304 refreshes the stored headers except those describing its own (empty) body: RFC 9111 4.3.4.
_BODY_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding", "content-type"})


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class _RejectAllCookies(http.cookiejar.DefaultCookiePolicy):
    """Sources are public pages: no cookie is stored or sent, so no state leaks between sources."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False


class _HostGate:
    """Per-host concurrency plus a minimum gap between request starts. The gap starts as the policy's
    for the host and grows to a Crawl-delay once the host's robots.txt asks for one."""

    def __init__(self, slots: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(slots)
        self.delay = delay
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def wait_turn(self, sleep: Sleep) -> None:
        async with self._lock:
            now = asyncio.get_running_loop().time()
            wait = max(0.0, self._next_start - now)
            self._next_start = now + wait + self.delay
            if wait > 0:
                await sleep(wait)


class LiveFetcher:
    """Fetches over the network with httpx. Use as ``async with LiveFetcher(...) as fetcher``.

    Injected: ``policy``; ``cache`` for ETag / Last-Modified (a 304 answers with the stored body and
    ``not_modified=True``); ``resolver`` (host, port -> addresses; the loop's getaddrinfo by
    default); ``transport`` (an httpx transport, e.g. a test router; the default connects for real);
    ``ssl_context`` (certificate verification; by default httpx's: certifi, or ``SSL_CERT_FILE``);
    ``sleep`` (backoff and politeness waits) and ``clock`` (``fetched_at``).

    ``FetchResponse.redirects`` lists the URLs that answered with a redirect, in order: the chain
    is ``(*redirects, final_url)`` and ``redirects[0] == url`` when there was one. ``body`` is the
    decoded body: when a content-encoding was removed, the ``content-encoding`` and
    ``content-length`` headers are dropped.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        cache: ValidatorCache | None = None,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._policy = policy or FetchPolicy()
        self._cache = cache
        self._resolver = resolver or system_resolver
        self._transport = transport
        self._sleep = sleep
        self._clock = clock
        self._global = asyncio.Semaphore(self._policy.global_concurrency)
        self._gates: dict[str, _HostGate] = {}
        # One client (and connection pool) per scheme and host name: connections are made to the pinned
        # IP, and a TLS connection authenticated for one name must never carry another name's requests.
        self._clients: dict[tuple[str, str], httpx.AsyncClient] = {}
        self._robots: dict[str, asyncio.Task[RobotsRules]] = {}
        self._dns: dict[tuple[str, int], tuple[float, list[str]]] = {}
        # Loading the CA bundle costs 20-50 ms of the event loop: one context is shared by every https
        # pool, and it is loaded only when the first https host is met.
        self._ssl_context = ssl_context
        self._plain_context: ssl.SSLContext | None = None
        self._closed = False

    @property
    def policy(self) -> FetchPolicy:
        return self._policy

    async def __aenter__(self) -> LiveFetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        for task in self._robots.values():
            task.cancel()
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        if self._closed:
            raise FetchError("the fetcher is closed", url=request.url)
        return await self._follow(
            request, max_bytes=self._policy.max_body_bytes, check_robots=self._policy.respect_robots
        )

    # The redirect walk.

    async def _follow(
        self, request: FetchRequest, *, max_bytes: int, check_robots: bool, truncate: bool = False
    ) -> FetchResponse:
        url = request.url
        headers = dict(request.headers)
        redirects: list[str] = []
        own_host = request.private_host or url_host(request.url)
        while True:
            target = await check_url(
                url,
                resolver=self._cached_resolver,
                allow_private=request.allow_private,
                private_host=own_host,
            )
            if check_robots:
                await self._check_robots(
                    target, allow_private=request.allow_private and target.host == own_host
                )
            cached = self._cache.get(url) if self._cache is not None else None
            answer = await self._exchange(
                target,
                self._request_headers(headers, cached),
                accept=request.accept_statuses,
                max_bytes=max_bytes,
                truncate=truncate,
            )
            location = answer.headers.get("location")
            if answer.status in _REDIRECTS and location and answer.status not in request.accept_statuses:
                next_url = urljoin(url, location.strip())
                redirects.append(url)
                if next_url in redirects:
                    raise FetchError(f"redirect loop: {' -> '.join([*redirects, next_url])}", url=request.url)
                if len(redirects) > self._policy.max_redirects:
                    raise FetchError(
                        f"too many redirects (more than {self._policy.max_redirects}): "
                        f"{' -> '.join([*redirects, next_url])}",
                        url=request.url,
                    )
                previous_origin = target.origin
                url = next_url
                if not _same_origin(previous_origin, next_url):
                    headers = {k: v for k, v in headers.items() if k.lower() in _CROSS_ORIGIN_HEADERS}
                continue
            return self._finish(request, url, answer, cached, tuple(redirects))

    def _finish(
        self,
        request: FetchRequest,
        final_url: str,
        answer: _Answer,
        cached: CachedResponse | None,
        redirects: tuple[str, ...],
    ) -> FetchResponse:
        now = self._clock()
        if answer.status == 304 and cached is not None:
            fresh = {k: v for k, v in answer.headers.items() if k not in _BODY_HEADERS}
            headers = {**cached.headers, **fresh}
            self._remember(final_url, cached.status, headers, cached.body, now)
            return FetchResponse(
                url=request.url,
                final_url=final_url,
                status=cached.status,
                headers=headers,
                body=cached.body,
                fetched_at=now,
                redirects=redirects,
                not_modified=True,
            )
        if 200 <= answer.status < 300:
            self._remember(final_url, answer.status, answer.headers, answer.body, now)
        elif answer.status not in request.accept_statuses:
            raise FetchError(
                f"{status_text(answer.status)} from {final_url}", url=request.url, status=answer.status
            )
        return FetchResponse(
            url=request.url,
            final_url=final_url,
            status=answer.status,
            headers=answer.headers,
            body=answer.body,
            fetched_at=now,
            redirects=redirects,
        )

    def _remember(self, url: str, status: int, headers: dict[str, str], body: bytes, now: datetime) -> None:
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
        if self._cache is None or (etag is None and last_modified is None):
            return
        self._cache.put(
            CachedResponse(
                url=url,
                status=status,
                headers=headers,
                body=body,
                fetched_at=now,
                etag=etag,
                last_modified=last_modified,
            )
        )

    def _request_headers(self, headers: dict[str, str], cached: CachedResponse | None) -> dict[str, str]:
        out = {"user-agent": self._policy.user_agent, "accept-encoding": "gzip, deflate"}
        if cached is not None:
            if cached.etag:
                out["if-none-match"] = cached.etag
            if cached.last_modified:
                out["if-modified-since"] = cached.last_modified
        out.update({k.lower(): v for k, v in headers.items()})
        return out

    # One exchange, retried.

    async def _exchange(
        self,
        target: Target,
        headers: dict[str, str],
        *,
        accept: frozenset[int],
        max_bytes: int,
        truncate: bool,
    ) -> _Answer:
        policy = self._policy
        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(policy.retry_attempts),
                wait=self._wait,
                retry=retry_if_exception_type(Transient),
                sleep=self._sleep,
                reraise=True,
            ):
                with attempt:
                    attempts += 1
                    return await self._attempt(
                        target, headers, accept=accept, max_bytes=max_bytes, truncate=truncate
                    )
        except Transient as exc:
            tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
            raise FetchError(
                f"{exc.reason} from {target.url} ({tries})", url=target.url, status=exc.status
            ) from exc
        raise AssertionError("unreachable: tenacity either returns or reraises")

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, Transient) and exc.retry_after is not None:
            return exc.retry_after
        backoff = wait_random_exponential(multiplier=self._policy.backoff_base, max=self._policy.backoff_cap)
        return float(backoff(state))

    async def _attempt(
        self,
        target: Target,
        headers: dict[str, str],
        *,
        accept: frozenset[int],
        max_bytes: int,
        truncate: bool,
    ) -> _Answer:
        policy = self._policy
        async with self._slot(target.host):
            try:
                async with asyncio.timeout(policy.total_timeout):
                    return await self._send(
                        target, headers, accept=accept, max_bytes=max_bytes, truncate=truncate
                    )
            except TimeoutError as exc:
                raise Transient(f"timed out: no complete answer within {policy.total_timeout:g} s") from exc
            except httpx.TimeoutException as exc:
                raise Transient(describe_transport_error(exc, policy)) from exc
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                bad_certificate = tls_verify_error(exc)
                if bad_certificate is not None:  # the same certificate comes back on every retry
                    raise FetchError(
                        f"TLS certificate of {target.host} not accepted: {bad_certificate.verify_message}",
                        url=target.url,
                    ) from exc
                raise Transient(describe_transport_error(exc, policy)) from exc
            except httpx.HTTPError as exc:
                raise FetchError(describe_transport_error(exc, policy), url=target.url) from exc
            except httpx.InvalidURL as exc:  # not an HTTPError
                raise FetchError(f"not a valid URL: {exc}", url=target.url) from exc

    async def _send(
        self,
        target: Target,
        headers: dict[str, str],
        *,
        accept: frozenset[int],
        max_bytes: int,
        truncate: bool,
    ) -> _Answer:
        client = self._client_for(target.scheme, target.host)
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        request = client.build_request(
            "GET", target.connect_url, headers={**headers, "host": target.host_header}, extensions=extensions
        )
        response = await client.send(request, stream=True, follow_redirects=False)
        try:
            status = response.status_code
            response_headers = {k.lower(): v for k, v in response.headers.items()}
            if status in TRANSIENT_STATUSES and status not in accept:
                raise self._transient_status(target.url, status, response_headers)
            if not (200 <= status < 300 or status in accept):
                return _Answer(status, response_headers, b"")
            declared = response_headers.get("content-length", "")
            encoding = response_headers.get("content-encoding", "")
            if not truncate and not encoding and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"body too large: {target.url} declares {int(declared):,} bytes, above the "
                    f"{max_bytes:,}-byte cap",
                    url=target.url,
                    status=status,
                )
            if response.is_stream_consumed:
                # A response built in memory (httpx.MockTransport) arrives read and already decoded.
                chunks, wire_encoding = _one_chunk(response.content), ""
            else:
                chunks, wire_encoding = response.aiter_raw(), encoding
            try:
                body = await read_capped(
                    chunks, content_encoding=wire_encoding, limit=max_bytes, truncate=truncate
                )
            except BodyTooLarge as exc:
                what = "decompressed body" if encoding else "body"
                raise FetchError(
                    f"{what} too large: stopped reading {target.url} at the {max_bytes:,}-byte cap",
                    url=target.url,
                    status=status,
                ) from exc
            except UnsupportedEncoding as exc:
                raise FetchError(f"{exc} from {target.url}", url=target.url, status=status) from exc
            except zlib.error as exc:
                raise FetchError(
                    f"corrupt compressed body from {target.url}: {exc}", url=target.url, status=status
                ) from exc
            if encoding:
                response_headers.pop("content-encoding", None)
                response_headers.pop("content-length", None)
            return _Answer(status, response_headers, body)
        finally:
            await response.aclose()

    def _transient_status(self, url: str, status: int, headers: dict[str, str]) -> Exception:
        policy = self._policy
        retry_after = parse_retry_after(headers.get("retry-after"), now=self._clock())
        if retry_after is not None and retry_after > policy.retry_after_cap:
            return FetchError(
                f"{status_text(status)} from {url}: the server asked to retry after "
                f"{math.ceil(retry_after)} s, above the {policy.retry_after_cap:g} s cap",
                url=url,
                status=status,
            )
        return Transient(status_text(status), status=status, retry_after=retry_after)

    def _gate(self, host: str) -> _HostGate:
        gate = self._gates.get(host)
        if gate is None:
            policy = self._policy
            gate = self._gates[host] = _HostGate(policy.concurrency_for(host), policy.delay_for(host))
        return gate

    @asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        gate = self._gate(host)
        async with gate.semaphore:
            await gate.wait_turn(self._sleep)
            async with self._global:
                yield

    def _verify(self, scheme: str) -> ssl.SSLContext:
        """The TLS context of a scheme's pools. httpx builds one for every transport, TLS or not; a plain
        http pool gets an empty one (0.1 ms, against 20-50 ms for the CA bundle) that trusts nothing,
        so a TLS connection could never be made through it unverified."""
        if self._ssl_context is not None:
            return self._ssl_context
        if scheme == "https":
            self._ssl_context = httpx.create_ssl_context()
            return self._ssl_context
        if self._plain_context is None:
            self._plain_context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return self._plain_context

    def _client_for(self, scheme: str, host: str) -> httpx.AsyncClient:
        client = self._clients.get((scheme, host))
        if client is None:
            policy = self._policy
            slots = policy.concurrency_for(host)
            client = httpx.AsyncClient(
                transport=self._transport
                or httpx.AsyncHTTPTransport(
                    verify=self._verify(scheme),
                    limits=httpx.Limits(max_connections=slots, max_keepalive_connections=slots),
                ),
                timeout=httpx.Timeout(
                    connect=policy.connect_timeout,
                    read=policy.read_timeout,
                    write=policy.read_timeout,
                    pool=policy.total_timeout,
                ),
                cookies=http.cookiejar.CookieJar(policy=_RejectAllCookies()),
                # Proxies would connect to the pinned IP on our behalf and defeat the guard's check.
                trust_env=False,
            )
            self._clients[(scheme, host)] = client
        return client

    async def _cached_resolver(self, host: str, port: int) -> list[str]:
        now = asyncio.get_running_loop().time()
        hit = self._dns.get((host, port))
        if hit is not None and now - hit[0] < self._policy.dns_cache_seconds:
            return hit[1]
        addresses = await self._resolver(host, port)
        self._dns[(host, port)] = (now, addresses)
        return addresses

    # robots.txt

    async def _check_robots(self, target: Target, *, allow_private: bool) -> None:
        task = self._robots.get(target.origin)
        if task is None:
            task = asyncio.ensure_future(self._load_robots(target.origin, allow_private=allow_private))
            self._robots[target.origin] = task
        rules = await asyncio.shield(task)
        crawl_delay = rules.crawl_delay(self._policy.robots_token)
        if crawl_delay is not None:
            gate = self._gate(target.host)
            gate.delay = max(gate.delay, crawl_delay)
        if not rules.allows(self._policy.robots_token, target.url):
            why = rules.reason or f"disallowed for {self._policy.robots_token} by {target.origin}/robots.txt"
            raise FetchError(f"robots.txt: {why}", url=target.url)

    async def _load_robots(self, origin: str, *, allow_private: bool) -> RobotsRules:
        url = f"{origin}/robots.txt"
        request = FetchRequest(url=url, allow_private=allow_private)
        try:
            response = await self._follow(
                request, max_bytes=self._policy.robots_max_bytes, check_robots=False, truncate=True
            )
        except FetchError as exc:
            # RFC 9309 2.3.1.3-4: 4xx means no rules; a server error or no answer means assume disallow.
            # 429 asks us to slow down, so it counts as unavailable here (as Google treats it).
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return RobotsRules.allow_all()
            return RobotsRules.unreachable(
                f"{url} is unavailable ({exc}), so the site is treated as disallowed"
            )
        return parse_robots(response.body.decode("utf-8", errors="replace"))


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _same_origin(origin: str, url: str) -> bool:
    try:
        scheme, host, port = split_url(url)
    except FetchError:
        return False
    return origin == Target(url=url, scheme=scheme, host=host, port=port, address=host).origin
