"""LiveFetcher against the loopback source server: every fault of issue 6, one test each."""

from __future__ import annotations

import asyncio
import dataclasses
import tracemalloc

import pytest

from tests.fakes.source_server import SourceServer
from tests.tools.fetching.fakes import FAST, MapResolver, RecordingSleep, RoutingTransport
from tools.fetching import FetchError, FetchRequest
from tools.fetching.cache import MemoryValidatorCache
from tools.fetching.live import LiveFetcher, parse_retry_after
from tools.fetching.policy import FetchPolicy, HostPoliteness

# A public (is_global) address for "the internet" in routed tests; nothing ever connects to it.
PUBLIC_IP = "93.184.216.34"
_MIB = 1024 * 1024


def loopback(url: str, **kwargs: object) -> FetchRequest:
    return FetchRequest(url=url, allow_private=True, **kwargs)  # type: ignore[arg-type]


def fetcher(sleep: RecordingSleep, policy: FetchPolicy = FAST, **kwargs: object) -> LiveFetcher:
    return LiveFetcher(policy, sleep=sleep, **kwargs)  # type: ignore[arg-type]


async def test_a_healthy_answer_comes_back_with_raw_bytes_and_lowercased_headers(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    server.add("/feed.xml", b"<rss/>", headers={"Content-Type": "application/rss+xml", "X-Thing": "1"})
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/feed.xml"), source="demo"))
    assert (response.status, response.body, response.final_url) == (200, b"<rss/>", server.url("/feed.xml"))
    assert response.headers["content-type"] == "application/rss+xml"
    assert response.headers["x-thing"] == "1"
    assert response.redirects == ()
    sent = next(r for r in server.requests if r.path == "/feed.xml")
    assert sent.headers["user-agent"] == FAST.user_agent
    assert sent.headers["host"] == f"127.0.0.1:{server.port}"


async def test_500_is_retried_then_fails_with_the_status(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/status/500")))
    assert caught.value.status == 500
    assert "HTTP 500 Internal Server Error" in str(caught.value)
    assert "after 3 attempts" in str(caught.value)
    assert server.hits["/status/500"] == 3
    assert len(sleep.waits) == 2 and all(0 <= w <= FAST.backoff_cap for w in sleep.waits)


async def test_503_with_retry_after_waits_what_the_server_asked(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/flaky/1/503?retry_after=7")))
    assert response.body == b"recovered"
    assert server.hits["/flaky/1/503"] == 2
    assert sleep.waits == [7.0]


async def test_retry_after_beyond_the_cap_fails_at_once(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/flaky/1/503?retry_after=3600")))
    assert caught.value.status == 503
    assert "retry after 3600 s" in str(caught.value) and "10 s cap" in str(caught.value)
    assert server.hits["/flaky/1/503"] == 1
    assert sleep.waits == []


async def test_429_is_retried_with_jittered_backoff(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/flaky/2/429")))
    assert response.status == 200
    assert server.hits["/flaky/2/429"] == 3
    assert len(sleep.waits) == 2 and all(0 <= w <= FAST.backoff_cap for w in sleep.waits)


@pytest.mark.parametrize("status", [400, 403, 404, 410])
async def test_other_4xx_are_final(server: SourceServer, sleep: RecordingSleep, status: int) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url(f"/status/{status}")))
    assert caught.value.status == status
    assert server.hits[f"/status/{status}"] == 1


async def test_408_is_transient(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        assert (await live.fetch(loopback(server.url("/flaky/1/408")))).status == 200


async def test_accepted_statuses_come_back_as_responses(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/status/400"), accept_statuses=frozenset({400})))
    assert (response.status, response.body) == (400, b"status 400")


async def test_connection_reset_is_retried_then_reported(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/reset")))
    assert caught.value.status is None
    assert "connection lost: connection reset by peer" in str(caught.value)
    assert server.hits["/reset"] == 3


async def test_a_first_byte_slower_than_the_read_timeout(server: SourceServer, sleep: RecordingSleep) -> None:
    # robots.txt off: under these tight timeouts a loaded machine could fail it first.
    policy = dataclasses.replace(FAST, read_timeout=0.2, retry_attempts=2, respect_robots=False)
    async with fetcher(sleep, policy) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/slow?seconds=30")))
    assert "read timeout 0.2 s" in str(caught.value)
    assert server.hits["/slow"] == 2


async def test_the_total_timeout_bounds_one_attempt(server: SourceServer, sleep: RecordingSleep) -> None:
    policy = dataclasses.replace(
        FAST, read_timeout=5.0, total_timeout=0.2, retry_attempts=1, respect_robots=False
    )
    async with fetcher(sleep, policy) as live:
        with pytest.raises(FetchError, match=r"no complete answer within 0.2 s"):
            await live.fetch(loopback(server.url("/slow?seconds=30")))


async def test_a_body_that_trickles_forever_is_stopped_by_the_total_timeout(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    # A byte every 50 ms never trips the read timeout: only the bound on the whole attempt ends it.
    policy = dataclasses.replace(
        FAST, read_timeout=5.0, total_timeout=0.5, retry_attempts=1, respect_robots=False
    )
    async with fetcher(sleep, policy) as live:
        with pytest.raises(FetchError, match=r"no complete answer within 0.5 s"):
            await live.fetch(loopback(server.url("/trickle?every=0.05")))


async def test_a_truncated_body_is_an_error_not_a_short_page(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/truncated")))
    assert "broke the connection mid-response" in str(caught.value)
    assert server.hits["/truncated"] == 3


async def test_a_declared_50_mb_body_is_refused_before_reading(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/big?mb=50")))
    assert "declares 52,428,800 bytes" in str(caught.value)
    assert caught.value.status == 200


async def test_an_undeclared_50_mb_body_is_cut_at_the_cap_with_bounded_memory(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as caught:
                await live.fetch(loopback(server.url("/big-chunked?mb=50")))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "stopped reading" in str(caught.value) and "1,048,576-byte cap" in str(caught.value)
    # The cap is 1 MiB; measured peak ~4.2 MiB (body, chunk buffers, the in-process server's writes),
    # far below the 50 MiB on offer.
    assert peak < 8 * _MIB
    await asyncio.sleep(0.2)
    assert server.bytes_sent["/big-chunked?mb=50"] < 50 * _MIB


async def test_a_gzip_bomb_is_cut_at_the_cap_on_decompressed_bytes(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    server.gzip_bomb(100)  # build the ~100 KB bomb outside the measured window
    async with fetcher(sleep) as live:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as caught:
                await live.fetch(loopback(server.url("/gzip-bomb?mb=100")))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "decompressed body too large" in str(caught.value)
    # Measured ~1.6 MiB; httpx's own decoder (aiter_bytes) peaks near 143 MiB on this bomb.
    assert peak < 6 * _MIB


async def test_gzip_bodies_are_decoded_and_the_encoding_headers_dropped(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    import gzip

    server.add("/page", gzip.compress(b"hello " * 1000), headers={"content-encoding": "gzip"})
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/page")))
    assert response.body == b"hello " * 1000
    assert "content-encoding" not in response.headers and "content-length" not in response.headers


async def test_a_redirect_loop_is_named(server: SourceServer, sleep: RecordingSleep) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError, match=r"redirect loop: .*/loop/a -> .*/loop/b -> .*/loop/a"):
            await live.fetch(loopback(server.url("/loop/a")))
    assert server.hits["/loop/a"] == 1 and server.hits["/loop/b"] == 1


async def test_redirects_are_followed_recorded_and_capped(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/chain/3")))
        assert response.body == b"end of chain"
        assert response.redirects == tuple(server.url(f"/chain/{n}") for n in (3, 2, 1))
        assert response.final_url == server.url("/chain/0")
        with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
            await live.fetch(loopback(server.url("/chain/9")))
    assert [server.hits[f"/chain/{n}"] for n in range(9, 2, -1)] == [1, 1, 1, 1, 1, 1, 1]  # 9..4, then 3 once


async def test_a_redirect_to_loopback_from_a_public_host_is_refused(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    """The guard runs again at the hop: without allow_private the loopback target is never contacted.

    The resolver says public.test is a public address; the routing transport (playing the internet)
    carries that address to the loopback server, which answers with a redirect to 127.0.0.1.
    """
    secret = server.url("/secret")
    server.add("/secret", b"internal admin page")
    router = RoutingTransport({PUBLIC_IP: server.port})
    resolver = MapResolver({"public.test": [PUBLIC_IP]})
    async with fetcher(sleep, resolver=resolver, transport=router) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(FetchRequest(url=f"http://public.test:{server.port}/redirect?to={secret}"))
    assert "refused: 127.0.0.1 is a loopback address" in str(caught.value)
    assert server.hits["/redirect"] == 1
    assert server.hits["/secret"] == 0
    assert "127.0.0.1" not in router.connected_to


async def test_a_redirect_to_a_name_with_a_private_address_is_refused(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    router = RoutingTransport({PUBLIC_IP: server.port})
    resolver = MapResolver({"public.test": [PUBLIC_IP], "intranet.test": ["10.1.2.3"]})
    async with fetcher(sleep, resolver=resolver, transport=router) as live:
        with pytest.raises(FetchError, match=r"intranet.test resolves to 10.1.2.3, a private address"):
            await live.fetch(
                FetchRequest(url=f"http://public.test:{server.port}/redirect?to=http://intranet.test/x")
            )
    assert router.connected_to == [PUBLIC_IP, PUBLIC_IP]  # robots.txt, then the redirecting page


async def test_allow_private_does_not_open_a_redirect_to_the_metadata_address(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    """A loopback source may be private; the 302 it answers to 169.254.169.254 is refused, unconnected."""
    router = RoutingTransport({})
    metadata = "http://169.254.169.254/latest/meta-data/"
    async with fetcher(sleep, transport=router) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url(f"/redirect?to={metadata}")))
    assert "refused: 169.254.169.254 is a link-local address" in str(caught.value)
    assert "allow_private covers only the source's own host, 127.0.0.1" in str(caught.value)
    assert "169.254.169.254" not in router.connected_to
    assert server.hits["/redirect"] == 1


@pytest.mark.parametrize("other", ["localhost", "10.0.0.7", "internal.test"])
async def test_allow_private_covers_the_source_host_only_on_a_redirect(
    server: SourceServer, sleep: RecordingSleep, other: str
) -> None:
    router = RoutingTransport({})
    resolver = MapResolver({"localhost": ["127.0.0.1"], "internal.test": ["192.168.1.20"]})
    async with fetcher(sleep, resolver=resolver, transport=router) as live:
        with pytest.raises(FetchError, match=r"refused: .*allow_private covers only"):
            await live.fetch(loopback(server.url(f"/redirect?to=http://{other}:{server.port}/status/200")))
    assert server.hits["/status/200"] == 0
    assert other not in router.connected_to


async def test_a_followed_link_to_another_private_host_is_refused(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    """A feed's linked page is judged against the feed's host, not its own."""
    server.add("/page", b"article")
    resolver = MapResolver({"localhost": ["127.0.0.1"]})
    async with fetcher(sleep, resolver=resolver) as live:
        same = await live.fetch(loopback(server.url("/page"), private_host="127.0.0.1"))
        assert same.body == b"article"
        with pytest.raises(
            FetchError, match=r"allow_private covers only the source.s own host, 127\.0\.0\.1"
        ):
            await live.fetch(loopback(server.url("/page", host="localhost"), private_host="127.0.0.1"))
    assert server.hits["/page"] == 1


async def test_the_connection_goes_to_the_checked_address_not_a_rebound_one(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    """DNS rebinding: a second lookup would answer 127.0.0.1, but the fetcher never looks again."""
    server.add("/page", b"public page")
    router = RoutingTransport({PUBLIC_IP: server.port})
    resolver = MapResolver({}, answers={"rebind.test": [[PUBLIC_IP], ["127.0.0.1"], ["127.0.0.1"]]})
    async with fetcher(sleep, resolver=resolver, transport=router) as live:
        response = await live.fetch(FetchRequest(url=f"http://rebind.test:{server.port}/page"))
    assert response.body == b"public page"
    assert resolver.calls == ["rebind.test"]
    assert router.connected_to == [PUBLIC_IP, PUBLIC_IP]
    assert all(r.headers["host"] == f"rebind.test:{server.port}" for r in server.requests)


async def test_loopback_is_refused_up_front_without_allow_private(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError, match="loopback address"):
            await live.fetch(FetchRequest(url=server.url("/status/200")))
    assert server.requests == []


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://x/"])
async def test_only_http_and_https(sleep: RecordingSleep, url: str) -> None:
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError, match="only http and https"):
            await live.fetch(FetchRequest(url=url))


async def test_source_headers_do_not_follow_a_redirect_to_another_origin(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    server.add("/final", b"done")
    router = RoutingTransport({PUBLIC_IP: server.port})
    resolver = MapResolver({"api.test": ["127.0.0.1"], "elsewhere.test": [PUBLIC_IP]})
    target = f"http://elsewhere.test:{server.port}/final"
    request = FetchRequest(
        url=f"http://api.test:{server.port}/redirect?to={target}",
        headers={"x-api-key": "secret", "accept": "application/json"},
        allow_private=True,
    )
    async with fetcher(sleep, resolver=resolver, transport=router) as live:
        response = await live.fetch(request)
    assert response.body == b"done"
    first, final = (next(r for r in server.requests if r.path == p) for p in ("/redirect", "/final"))
    assert first.headers["x-api-key"] == "secret"
    assert "x-api-key" not in final.headers and final.headers["accept"] == "application/json"


async def test_wrong_charset_header_falls_back_to_the_document(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>Caf\u00e9 \u201cquoted\u201d</body></html>'
    server.add("/page", page.encode("cp1252"), headers={"content-type": "text/html; charset=utf-8"})
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/page")))
    # Raw bytes untouched: the adapters decode them (tests/tools/adapters/test_encoding.py has this case).
    assert response.body == page.encode("cp1252")
    assert response.content_type == "text/html; charset=utf-8"


async def test_a_304_reuses_the_stored_body(server: SourceServer, sleep: RecordingSleep) -> None:
    server.add(
        "/feed.xml",
        b"<rss>v1</rss>",
        headers={"etag": '"v1"', "last-modified": "Mon, 23 Nov 2026 10:00:00 GMT"},
    )
    cache = MemoryValidatorCache()
    async with fetcher(sleep, cache=cache) as live:
        first = await live.fetch(loopback(server.url("/feed.xml")))
        second = await live.fetch(loopback(server.url("/feed.xml")))
    assert (first.not_modified, second.not_modified) == (False, True)
    assert second.body == b"<rss>v1</rss>" and second.status == 200
    assert "content-length" not in second.headers or second.headers["content-length"] == "13"
    conditional = [r for r in server.requests if r.path == "/feed.xml"][1]
    assert conditional.headers["if-none-match"] == '"v1"'
    assert conditional.headers["if-modified-since"] == "Mon, 23 Nov 2026 10:00:00 GMT"


async def test_a_304_without_a_stored_copy_is_an_error(server: SourceServer, sleep: RecordingSleep) -> None:
    server.add("/feed.xml", b"", headers={"etag": '"v1"'})
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError) as caught:
            await live.fetch(loopback(server.url("/feed.xml"), headers={"if-none-match": '"v1"'}))
    assert caught.value.status == 304


async def test_robots_disallow_is_obeyed_and_fetched_once_per_host(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    server.robots = "User-agent: *\nDisallow: /private\n"
    server.add("/public", b"ok")
    server.add("/private/page", b"no")
    async with fetcher(sleep) as live:
        results = await asyncio.gather(
            *(
                live.fetch(loopback(server.url(p)))
                for p in ["/public", "/private/page", "/public", "/public"]
            ),
            return_exceptions=True,
        )
    assert [getattr(r, "body", None) for r in results] == [b"ok", None, b"ok", b"ok"]
    assert isinstance(results[1], FetchError) and "robots.txt: disallowed for InferenceReport" in str(
        results[1]
    )
    assert server.hits["/private/page"] == 0
    assert server.hits["/robots.txt"] == 1


async def test_a_group_for_our_token_beats_the_wildcard(server: SourceServer, sleep: RecordingSleep) -> None:
    server.robots = "User-agent: *\nAllow: /\n\nUser-agent: inferencereport\nDisallow: /\n"
    async with fetcher(sleep) as live:
        with pytest.raises(FetchError, match=r"robots\.txt"):
            await live.fetch(loopback(server.url("/status/200")))


async def test_robots_5xx_disallows_the_host_for_the_run(server: SourceServer, sleep: RecordingSleep) -> None:
    server.robots_status = 503
    async with fetcher(sleep) as live:
        for _ in range(2):
            with pytest.raises(
                FetchError, match=r"robots.txt is unavailable .*HTTP 503.* treated as disallowed"
            ):
                await live.fetch(loopback(server.url("/status/200")))
    assert server.hits["/robots.txt"] == FAST.retry_attempts  # retried once, then remembered
    assert server.hits["/status/200"] == 0


async def test_robots_4xx_allows_everything(server: SourceServer, sleep: RecordingSleep) -> None:
    server.robots_status = 403
    async with fetcher(sleep) as live:
        assert (await live.fetch(loopback(server.url("/status/200")))).status == 200


async def test_per_host_and_global_bounds_hold(sleep: RecordingSleep) -> None:
    policy = dataclasses.replace(FAST, per_host_concurrency=2, global_concurrency=3)
    resolver = MapResolver({f"h{i}.test": ["127.0.0.1"] for i in range(3)})
    with SourceServer(latency=0.05) as server:
        server.add("/x", b"x")
        async with fetcher(sleep, policy, resolver=resolver) as live:
            one_host = [live.fetch(loopback(f"http://h0.test:{server.port}/x")) for _ in range(8)]
            await asyncio.gather(*one_host)
            assert server.max_in_flight == 2
            server.max_in_flight = 0
            many_hosts = [live.fetch(loopback(f"http://h{i % 3}.test:{server.port}/x")) for i in range(12)]
            await asyncio.gather(*many_hosts)
            assert server.max_in_flight == 3


async def test_the_politeness_delay_spaces_request_starts(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    policy = dataclasses.replace(FAST, per_host_delay=5.0, respect_robots=False)
    server.add("/x", b"x")
    loop = asyncio.get_running_loop()
    async with fetcher(sleep, policy) as live:
        before_first = loop.time()
        await live.fetch(loopback(server.url("/x")))
        before_second = loop.time()
        await live.fetch(loopback(server.url("/x")))
        second_took = loop.time() - before_second
    [wait] = sleep.waits
    # The second asks for its turn after the first returned and before it returns itself: a loaded machine
    # widens that window, so the wait is bounded by it rather than by the first fetch's time alone.
    elapsed = before_second - before_first
    assert 5.0 - elapsed - second_took <= wait <= 5.0


async def test_a_robots_crawl_delay_longer_than_the_gap_spaces_that_host(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    server.robots = "User-agent: *\nCrawl-delay: 7\nDisallow: /private\n"
    server.add("/x", b"x")
    loop = asyncio.get_running_loop()
    async with fetcher(sleep) as live:
        await live.fetch(loopback(server.url("/x")))
        before_second = loop.time()
        await live.fetch(loopback(server.url("/x")))
        second_took = loop.time() - before_second
    [wait] = sleep.waits
    assert 7.0 - 1.0 <= wait <= 7.0 and second_took < 1.0


async def test_a_host_override_sets_its_own_gap_and_concurrency(sleep: RecordingSleep) -> None:
    careful = {"h0.test": HostPoliteness(per_host_delay=3.0, per_host_concurrency=1)}
    policy = dataclasses.replace(FAST, per_host_concurrency=4, respect_robots=False, per_host=careful)
    resolver = MapResolver({f"h{i}.test": ["127.0.0.1"] for i in range(2)})
    with SourceServer(latency=0.05) as server:
        server.add("/x", b"x")
        async with fetcher(sleep, policy, resolver=resolver) as live:
            await asyncio.gather(*(live.fetch(loopback(f"http://h0.test:{server.port}/x")) for _ in range(3)))
            assert server.max_in_flight == 1
            # The sleep does not really wait, so each turn is booked 3 s after the one before.
            first, second = sorted(sleep.waits)
            assert 2.0 <= first <= 3.0 and 5.0 <= second <= 6.0
            server.max_in_flight = 0
            sleep.waits.clear()
            await asyncio.gather(*(live.fetch(loopback(f"http://h1.test:{server.port}/x")) for _ in range(8)))
            assert server.max_in_flight == 4 and sleep.waits == []


def test_retry_after_parses_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120.0
    assert parse_retry_after("Sat, 28 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Sat, 28 Nov 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


async def test_an_international_host_name_goes_out_in_its_ascii_form(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    server.add("/x", b"ok")
    resolver = MapResolver({"xn--bcher-kva.test": ["127.0.0.1"]})
    async with fetcher(sleep, resolver=resolver) as live:
        response = await live.fetch(loopback(f"http://b\u00fccher.test:{server.port}/x"))
    assert response.body == b"ok"
    assert resolver.calls == ["xn--bcher-kva.test"]
    assert server.requests[-1].headers["host"] == f"xn--bcher-kva.test:{server.port}"


async def test_cookies_are_neither_kept_nor_sent(server: SourceServer, sleep: RecordingSleep) -> None:
    server.add("/a", b"a", headers={"set-cookie": "session=abc; Path=/"})
    server.add("/b", b"b")
    async with fetcher(sleep) as live:
        await live.fetch(loopback(server.url("/a")))
        await live.fetch(loopback(server.url("/b")))
    assert all("cookie" not in r.headers for r in server.requests)


async def test_an_accepted_5xx_is_handed_back_without_retrying(
    server: SourceServer, sleep: RecordingSleep
) -> None:
    async with fetcher(sleep) as live:
        response = await live.fetch(loopback(server.url("/status/503"), accept_statuses=frozenset({503})))
    assert response.status == 503
    assert server.hits["/status/503"] == 1


async def test_a_closed_fetcher_refuses_politely(server: SourceServer, sleep: RecordingSleep) -> None:
    live = fetcher(sleep)
    await live.aclose()
    with pytest.raises(FetchError, match="the fetcher is closed"):
        await live.fetch(loopback(server.url("/status/200")))
    assert server.requests == []


async def test_an_in_memory_transport_answer_loses_its_content_encoding_like_a_streamed_one(
    sleep: RecordingSleep,
) -> None:
    import gzip

    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        body = gzip.compress(b"<rss>zipped</rss>")
        return httpx.Response(200, content=body, headers={"content-encoding": "gzip", "content-length": "9"})

    resolver = MapResolver({"feeds.example": [PUBLIC_IP]})
    async with fetcher(sleep, resolver=resolver, transport=httpx.MockTransport(handler)) as live:
        response = await live.fetch(FetchRequest(url="https://feeds.example/feed.xml"))
    assert response.body == b"<rss>zipped</rss>"
    assert "content-encoding" not in response.headers and "content-length" not in response.headers
