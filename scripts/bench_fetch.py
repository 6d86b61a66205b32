"""Benchmark LiveFetcher: 200 sources over 20 host names on a loopback server with 100 ms latency.

    .venv/bin/python scripts/bench_fetch.py [--global-concurrency 50] [--per-host 5] [--skip-sequential]

The fake source server runs in a child process (so the figures are the fetcher's alone) and only
listens on 127.0.0.1; the 20 host names resolve to it through the injected resolver. Prints the wall
time against the ideal ceil(200 / concurrency) x latency, the ratio to fetching the same URLs one
at a time, and the peak RSS of this process. Every run is a fixed list of URLs: it stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.fetching import FetchError, FetchRequest  # noqa: E402
from tools.fetching.live import LiveFetcher  # noqa: E402
from tools.fetching.policy import FetchPolicy  # noqa: E402


def start_server(latency: float, robots_latency: bool) -> tuple[subprocess.Popen[str], int]:
    command = [sys.executable, "-m", "tests.fakes.source_server", "--latency", str(latency)]
    if robots_latency:
        command.append("--robots-latency")
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, int(process.stdout.readline())


async def run(
    urls: list[str], policy: FetchPolicy, hosts: list[str], *, warm_up: str | None = None
) -> tuple[float, float, int, list[str]]:
    async def resolve(host: str, port: int) -> list[str]:
        if host not in hosts and host != "warm-up.bench.test":
            raise OSError(f"the benchmark only resolves its own host names, not {host}")
        return ["127.0.0.1"]

    failures: list[str] = []
    async with LiveFetcher(policy, resolver=resolve) as fetcher:
        if warm_up is not None:
            # Loads httpx/httpcore/anyio's lazily imported parts (~50-100 ms, once per process) through
            # a host name outside the measured set: its robots.txt and connections are not reused.
            await fetcher.fetch(FetchRequest(url=warm_up, allow_private=True, source="warm-up"))

        async def one(url: str) -> int:
            try:
                response = await fetcher.fetch(FetchRequest(url=url, allow_private=True, source="bench"))
            except FetchError as exc:
                failures.append(str(exc))
                return 0
            return len(response.body)

        started, cpu_started = time.perf_counter(), time.process_time()
        sizes = await asyncio.gather(*(one(u) for u in urls))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return elapsed, cpu, sum(sizes), failures


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--global-concurrency", type=int, default=20)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.0, help="politeness gap per host, seconds")
    parser.add_argument("--robots-latency", action="store_true", help="delay robots.txt answers too")
    parser.add_argument("--skip-sequential", action="store_true", help="skip the ~20 s one-at-a-time run")
    parser.add_argument("--cold", action="store_true", help="no warm-up fetch: include first-use imports")
    parser.add_argument(
        "--repeat", type=int, default=3, help="concurrent runs (each with a fresh fetcher); median and best"
    )
    args = parser.parse_args()

    process, port = start_server(args.latency, args.robots_latency)
    try:
        hosts = [f"source-{n:02d}.bench.test" for n in range(1, args.hosts + 1)]
        urls = [f"http://{hosts[i % args.hosts]}:{port}/source/{i}" for i in range(args.sources)]
        policy = FetchPolicy(
            global_concurrency=args.global_concurrency,
            per_host_concurrency=args.per_host,
            per_host_delay=args.delay,
            retry_attempts=1,
        )
        rss_before = peak_rss_mib()
        warm_up = None if args.cold else f"http://warm-up.bench.test:{port}/source/warm-up"
        runs = [asyncio.run(run(urls, policy, hosts, warm_up=warm_up)) for _ in range(max(1, args.repeat))]
        rss_after = peak_rss_mib()
        times = sorted(r[0] for r in runs)
        concurrent, best = statistics.median(times), times[0]
        _, cpu, size, failures = runs[0]
        effective = min(args.global_concurrency, args.per_host * args.hosts, args.sources)
        ideal = math.ceil(args.sources / effective) * args.latency
        print(
            f"sources {args.sources} over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms per answer"
        )
        print(
            f"policy: global {args.global_concurrency}, per host {args.per_host}, delay {args.delay:g} s "
            f"-> effective concurrency {effective}; "
            f"robots.txt latency {'on' if args.robots_latency else 'off'}; "
            f"{'cold start' if args.cold else 'after one warm-up fetch to another host'}"
        )
        print(
            f"concurrent (median of {len(runs)}): {concurrent:.3f} s  ideal {ideal:.3f} s  "
            f"ratio {concurrent / ideal:.2f}x (target <= 1.25x); best {best:.3f} s = {best / ideal:.2f}x"
        )
        print(
            f"fetched {args.sources - len(failures)} ok, {len(failures)} failed, {size:,} bytes; "
            f"fetcher CPU {cpu:.3f} s ({cpu / args.sources * 1000:.2f} ms per fetch)"
        )
        for reason in failures[:5]:
            print(f"  failure: {reason}")
        if not args.skip_sequential:
            sequential_policy = FetchPolicy(
                global_concurrency=1, per_host_concurrency=1, per_host_delay=0.0, retry_attempts=1
            )
            sequential, _, _, seq_failures = asyncio.run(run(urls, sequential_policy, hosts))
            print(
                f"sequential: {sequential:.3f} s  speed-up {sequential / concurrent:.1f}x over the median "
                f"(target >= 10x)"
                f"{f', {len(seq_failures)} failed' if seq_failures else ''}"
            )
        print(f"peak RSS: {rss_after:.1f} MiB (after imports, before fetching: {rss_before:.1f} MiB)")
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
