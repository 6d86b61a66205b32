"""Fetch + extract: the product's gather stage against a plain asyncio + httpx + trafilatura script.

    .venv/bin/python scripts/bench_fetch.py [--runs 5] [--policy polite|fast|both] [--small]
                                            [--sequential-runs N]

The web: 20 loopback hosts (127.0.0.1 .. 127.0.0.20, scripts/_loopback_site.py in its own process),
each serving robots.txt, an RSS feed and 10 article pages, every answer (robots.txt too) 100 ms late.
Pages are real captures from ../shared/fixtures/real cycled (or ~3 KB synthetic ones with --small).

Both sides do the same work per host: robots.txt, the feed (parsed with feedparser), then each
linked page fetched and its text extracted with trafilatura, under the same policy:

- polite: the product's defaults (``Settings()``: 2 in flight per host, 1 s between request starts
  to a host, 16 in flight in all);
- fast: no gap, 20 in flight in all and per host.

The product runs its own gather node (LiveFetcher, the WARC recorder, the extraction process pool)
on 20 follow_links feed sources; the peer is the script a user would write (a semaphore and a gap
per host, urllib's robots parser, trafilatura.extract inline). Runs alternate product / peer in one
process, each with a fresh client and pool, after one warm-up round of each (imports and lazy
first-use costs out of the figures). Prints every run, the medians and the median of the paired
ratios: on a shared machine only the ratios mean much. With the fast policy a third side, "httpx
only", makes the same GETs and nothing else (no parsing, extraction or archive): what one event
loop and httpx reach on this machine, against the ideal that assumes a client costs nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.robotparser
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import httpx  # noqa: E402
import trafilatura  # noqa: E402

from agent.deps import Deps  # noqa: E402
from agent.domain.sources import SourceSpec  # noqa: E402
from agent.nodes.gather import gather_source  # noqa: E402
from agent.runs import host_politeness  # noqa: E402
from agent.settings import Settings  # noqa: E402
from agent.state import GatherInput  # noqa: E402
from tools.adapters import PageExtractor  # noqa: E402
from tools.archive import WarcRecorder  # noqa: E402
from tools.fetching.live import LiveFetcher  # noqa: E402
from tools.fetching.policy import policy_from_settings  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))
from _loopback_site import host_address  # noqa: E402

NO_OPTIONS = cast(Any, {})  # gather reads no run option


def start_site(hosts: int, pages: int, latency: float, small: bool) -> tuple[subprocess.Popen[str], int]:
    command = [
        sys.executable,
        str(ROOT / "scripts" / "_loopback_site.py"),
        f"--hosts={hosts}",
        f"--pages-per-host={pages}",
        f"--latency={latency}",
        *(["--small"] if small else []),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def feed_urls(hosts: int, port: int) -> list[str]:
    return [f"http://{host_address(n)}:{port}/feed.xml" for n in range(1, hosts + 1)]


async def product(urls: list[str], settings: Settings, pages: int) -> int:
    """The product's gather stage over every source at once, as the graph's Send fan-out runs it."""
    specs = [
        SourceSpec.model_validate(
            {
                "name": f"site-{i}",
                "kind": "feed",
                "section": "wire",
                "url": url,
                "follow_links": True,
                "allow_private": True,
                "max_items": pages,
            }
        )
        for i, url in enumerate(urls)
    ]
    policy = policy_from_settings(settings, per_host=host_politeness(specs))
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "evidence.warc.gz"
        async with LiveFetcher(policy) as live, PageExtractor() as extractor:
            deps = Deps(
                settings=settings,
                store=cast(Any, None),
                fetcher=WarcRecorder(live, archive),
                archive_path=archive,
                writer=cast(Any, None),
                checker=cast(Any, None),
                publish=cast(Any, None),
                run_dir=Path(scratch),
                extractor=extractor,
            )
            runtime = cast(Any, SimpleNamespace(context=deps))
            results = await asyncio.gather(
                *(
                    gather_source(
                        GatherInput(source=s.model_dump(mode="json"), options=cast(Any, {})), runtime
                    )
                    for s in specs
                )
            )
    return sum(
        1
        for result in results
        for fetched in result["fetched"]
        for item in fetched["items"]
        if item["extra"].get("page_url")
    )


def _polite_get(
    client_for: Callable[[str], httpx.AsyncClient], settings: Settings
) -> Callable[[str], Coroutine[Any, Any, httpx.Response]]:
    """GET under the policy by hand: a semaphore and a gap per host, one semaphore in all."""
    gap, per_host = settings.fetch_per_host_delay, settings.fetch_per_host_concurrency
    everywhere = asyncio.Semaphore(settings.fetch_global_concurrency)
    slots: dict[str, asyncio.Semaphore] = {}
    next_start: dict[str, float] = {}

    async def get(url: str) -> httpx.Response:
        host = httpx.URL(url).host
        async with slots.setdefault(host, asyncio.Semaphore(per_host)):
            now = time.monotonic()
            start = max(now, next_start.get(host, 0.0))
            next_start[host] = start + gap
            await asyncio.sleep(start - now)
            async with everywhere:
                return await client_for(host).get(url)

    return get


def _peer_client(settings: Settings) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    return httpx.AsyncClient(limits=limits, headers={"user-agent": settings.user_agent})


async def peer(urls: list[str], settings: Settings, pages: int) -> int:
    """What a user would write: asyncio + httpx + trafilatura, the same politeness by hand."""
    async with _peer_client(settings) as client:
        get = _polite_get(lambda host: client, settings)

        async def site(feed_url: str) -> int:
            robots = urllib.robotparser.RobotFileParser()
            robots.parse((await get(feed_url.replace("/feed.xml", "/robots.txt"))).text.splitlines())
            entries = feedparser.parse((await get(feed_url)).content).entries[:pages]
            links = [e.link for e in entries if robots.can_fetch(settings.user_agent, e.link)]

            async def page(link: str) -> int:
                text = trafilatura.extract((await get(link)).text, include_comments=False)
                return 1 if text else 0

            return sum(await asyncio.gather(*(page(link) for link in links)))

        return sum(await asyncio.gather(*(site(u) for u in urls)))


async def http_only(urls: list[str], settings: Settings, pages: int) -> int:
    """The same 240 GETs in the same order with httpx and nothing else: no robots or feed parsing (the
    page URLs are known), no extraction, no archive, and one client per host as the product has (one
    client for all 20 hosts is slower: its pool scans every connection on each request). What one
    event loop and httpx reach on this machine, the floor for the product's way of fetching."""
    slots = settings.fetch_per_host_concurrency
    limits = httpx.Limits(max_connections=slots, max_keepalive_connections=slots)
    plain = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # http only: no CA bundle to load 20 times
    clients: dict[str, httpx.AsyncClient] = {}

    def client_for(host: str) -> httpx.AsyncClient:
        if host not in clients:
            clients[host] = httpx.AsyncClient(
                limits=limits, headers={"user-agent": settings.user_agent}, verify=plain
            )
        return clients[host]

    get = _polite_get(client_for, settings)

    async def site(feed_url: str) -> int:
        await get(feed_url.replace("/feed.xml", "/robots.txt"))
        await get(feed_url)
        links = [feed_url.replace("/feed.xml", f"/page/{n}") for n in range(pages)]
        answers = await asyncio.gather(*(get(link) for link in links))
        return sum(1 for answer in answers if answer.content)

    try:
        return sum(await asyncio.gather(*(site(u) for u in urls)))
    finally:
        for client in clients.values():
            await client.aclose()


Runner = Callable[[list[str], Settings, int], Coroutine[Any, Any, int]]


def timed(runner: Runner, urls: list[str], settings: Settings, pages: int) -> tuple[float, int]:
    started = time.perf_counter()
    extracted = asyncio.run(runner(urls, settings, pages))
    return time.perf_counter() - started, extracted


def compare(
    name: str, settings: Settings, urls: list[str], pages: int, runs: int, *, floor: bool = False
) -> dict[str, float]:
    print(
        f"\n[{name}] policy: {settings.fetch_per_host_concurrency} per host, "
        f"{settings.fetch_per_host_delay:g} s gap per host, {settings.fetch_global_concurrency} in all"
    )
    runners: dict[str, Runner] = {"product": product, "peer": peer}
    if floor:
        runners["httpx only"] = http_only
    for runner in runners.values():  # warm-up, not counted
        timed(runner, urls, settings, pages)
    times: dict[str, list[float]] = {label: [] for label in runners}
    ratios = []
    for run in range(1, runs + 1):
        line = []
        for label, runner in runners.items():
            seconds, extracted = timed(runner, urls, settings, pages)
            times[label].append(seconds)
            line.append(f"{label} {seconds:6.2f} s ({extracted} pages)")
        ratios.append(times["product"][-1] / times["peer"][-1])
        print(f"  run {run}: {'   '.join(line)}   ratio {ratios[-1]:.2f}x")
    result = {label: statistics.median(values) for label, values in times.items()}
    result["ratio"] = statistics.median(ratios)
    print(
        f"  median of {runs}: "
        + ", ".join(f"{label} {result[label]:.2f} s" for label in runners)
        + f", median paired ratio product/peer {result['ratio']:.2f}x"
    )
    if floor:
        result["over_floor"] = statistics.median(
            ours / bare for ours, bare in zip(times["product"], times["httpx only"], strict=True)
        )
        print(f"  median paired ratio product/httpx only {result['over_floor']:.2f}x")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages-per-host", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--policy", choices=["polite", "fast", "both"], default="both")
    parser.add_argument("--small", action="store_true", help="~3 KB synthetic pages instead of real captures")
    parser.add_argument(
        "--sequential-runs",
        type=int,
        default=None,
        help="runs of the one-at-a-time baseline (default --runs)",
    )
    args = parser.parse_args()
    pages = args.hosts * args.pages_per_host
    site, port = start_site(args.hosts, args.pages_per_host, args.latency, args.small)
    try:
        urls = feed_urls(args.hosts, port)
        requests = pages + 2 * args.hosts
        print(
            f"{pages} pages on {args.hosts} loopback hosts (127.0.0.1-{args.hosts}), "
            f"{args.latency * 1000:.0f} ms per answer (robots.txt too); "
            f"{requests} requests per run (robots.txt, feed, pages); "
            f"pages: {'synthetic ~3 KB' if args.small else 'real captures, cycled'}; "
            f"median of {args.runs} runs; machine cores: {len(__import__('os').sched_getaffinity(0))}"
        )
        if args.policy in ("polite", "both"):
            polite = compare("product default policy", Settings(), urls, args.pages_per_host, args.runs)
            print(f"  target: product <= 1.1x the peer -> {polite['ratio']:.2f}x")
        if args.policy in ("fast", "both"):
            fast_settings = Settings(
                fetch_per_host_delay=0.0, fetch_per_host_concurrency=20, fetch_global_concurrency=20
            )
            fast = compare(
                "no gap, 20 concurrent", fast_settings, urls, args.pages_per_host, args.runs, floor=True
            )
            ideal = math.ceil(pages / 20) * args.latency
            # robots.txt, then the feed, then the pages: two rounds every host waits out first.
            floor = (2 + math.ceil(pages / 20)) * args.latency
            print(
                f"  ideal ceil({pages}/20) x {args.latency:g} s = {ideal:.2f} s: "
                f"product {fast['product'] / ideal:.2f}x "
                f"(target <= 1.25x); counting the robots.txt and feed rounds the floor is {floor:.2f} s "
                f"({fast['product'] / floor:.2f}x); httpx only {fast['httpx only']:.2f} s "
                f"({fast['httpx only'] / floor:.2f}x that floor): the product is "
                f"{fast['over_floor']:.2f}x what httpx alone does here"
            )
            sequential_settings = Settings(
                fetch_per_host_delay=0.0, fetch_per_host_concurrency=1, fetch_global_concurrency=1
            )
            seq_runs = args.sequential_runs or args.runs
            sequential = [
                timed(product, urls, sequential_settings, args.pages_per_host)[0] for _ in range(seq_runs)
            ]
            seq = statistics.median(sequential)
            print(
                f"[sequential: 1 in flight, no gap] product median of {seq_runs}: {seq:.2f} s "
                f"({', '.join(f'{s:.2f}' for s in sequential)}); speed-up of the 20-concurrent median "
                f"{seq / fast['product']:.1f}x (target >= 10x, both warm)"
            )
    finally:
        if site.stdin is not None:
            site.stdin.close()
        site.wait(timeout=10)


if __name__ == "__main__":
    main()
