"""Scaling: `draft --replay` of 1x / 4x / 16x the pages, whole process, wall time and peak RSS.

    .venv/bin/python scripts/bench_scale.py [--runs 5] [--scales 1,4,16] [--small]

1x is 4 follow_links feeds of 10 entries each: 4 feeds + 40 article pages (16x: 64 feeds, 640
pages). The pages are real captures from ../shared/fixtures/real cycled (~3 KB synthetic ones with
--small or without ../shared), archived once per scale into a WARC file with the product's own
recorder; every run is then a fresh `inference-report draft --replay ARCHIVE --sources FILE
--writer extractive` process with a fresh data directory: imports, gather (parse + extraction in
the process pool), select, write, check and render, all included. Peak RSS is the draft process's
own (``wait4``), not its extraction workers'. Prints every run, the medians per scale and per page,
and the marginal cost of a page between two scales (wall and peak RSS): the fixed start-up makes the
plain per-page figure fall with scale even when the run is linear, so flatness is judged on the
marginal one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from _loopback_site import article_bodies  # noqa: E402

from tools.archive import WarcRecorder  # noqa: E402
from tools.fetching import FetchRequest, FetchResponse  # noqa: E402

FEEDS_PER_SCALE = 4
PAGES_PER_FEED = 10
EDITION = "2026-11-26"
FETCHED = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


class _Canned:
    def __init__(self, answers: dict[str, tuple[str, bytes]]) -> None:
        self._answers = answers

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        kind, body = self._answers[request.url]
        return FetchResponse(
            url=request.url,
            final_url=request.url,
            status=200,
            headers={"content-type": kind},
            body=body,
            fetched_at=FETCHED,
        )


def _feed(site: str, pages: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{site} story {n}: lab ships model {site.split('.')[0]}-{n} with faster decoding"
        "</title>"
        f"<link>{url}</link>"
        f"<guid>{url}</guid><pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate>"
        f"<author>desk@example.org (Desk)</author><description>Summary {n}.</description></item>"
        for n, url in enumerate(pages)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{site}</title>'
        f"<link>https://{site}/</link><description>bench</description>{items}</channel></rss>"
    ).encode()


def build(scale: int, directory: Path, small: bool) -> tuple[Path, Path, int]:
    """The archive and sources file of one scale; returns them and the number of pages."""
    bodies = article_bodies(small)
    answers: dict[str, tuple[str, bytes]] = {}
    sources = []
    for s in range(FEEDS_PER_SCALE * scale):
        site = f"site-{s}.bench.example"
        pages = [f"https://{site}/page/{n}" for n in range(PAGES_PER_FEED)]
        feed_url = f"https://{site}/feed.xml"
        answers[feed_url] = ("application/rss+xml", _feed(site, pages))
        for n, url in enumerate(pages):
            answers[url] = ("text/html; charset=utf-8", bodies[(s * PAGES_PER_FEED + n) % len(bodies)])
        section = "labs" if s % 2 else "wire"
        sources.append(
            f'[[source]]\nname = "site-{s}"\nkind = "feed"\nsection = "{section}"\nurl = "{feed_url}"\n'
            f"follow_links = true\nmax_items = {PAGES_PER_FEED}\n"
        )
    archive = directory / f"scale-{scale}.warc.gz"
    recorder = WarcRecorder(_Canned(answers), archive)

    async def record() -> None:
        for url in answers:
            await recorder.fetch(FetchRequest(url=url, source="bench"))

    asyncio.run(record())
    sources_path = directory / f"scale-{scale}.toml"
    sources_path.write_text("\n".join(sources), encoding="utf-8")
    return archive, sources_path, FEEDS_PER_SCALE * scale * PAGES_PER_FEED


def draft_once(archive: Path, sources: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one whole draft process."""
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
        env["INFERENCE_REPORT_HOME"] = home
        command = [
            sys.executable,
            "-m",
            "agent",
            "draft",
            "--replay",
            str(archive),
            "--sources",
            str(sources),
            "--date",
            EDITION,
            "--writer",
            "extractive",
        ]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"draft failed with exit code {process.returncode}")
        return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--small", action="store_true", help="~3 KB synthetic pages instead of real captures")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    print(
        f"draft --replay, extractive writer, whole process; 1x = {FEEDS_PER_SCALE} feeds x {PAGES_PER_FEED} "
        f"pages ({'synthetic ~3 KB' if args.small else 'real captures, cycled'}); scales {scales}; "
        f"median of {args.runs} runs; cores: {len(os.sched_getaffinity(0))}; runs interleaved across scales"
    )
    with tempfile.TemporaryDirectory() as scratch:
        built = {scale: build(scale, Path(scratch), args.small) for scale in scales}
        walls: dict[int, list[float]] = {scale: [] for scale in scales}
        peaks: dict[int, list[float]] = {scale: [] for scale in scales}
        for run in range(1, args.runs + 1):
            for scale in scales:
                archive, sources, pages = built[scale]
                wall, peak = draft_once(archive, sources)
                walls[scale].append(wall)
                peaks[scale].append(peak)
                print(f"  run {run} {scale:>2}x ({pages} pages): {wall:6.2f} s, peak RSS {peak:6.1f} MiB")
    base = scales[0]
    base_pages = built[base][2]
    base_wall, base_peak = statistics.median(walls[base]), statistics.median(peaks[base])
    for scale in scales:
        pages = built[scale][2]
        wall, peak = statistics.median(walls[scale]), statistics.median(peaks[scale])
        per_page = wall / pages * 1000
        base_per_page = base_wall / base_pages * 1000
        print(
            f"{scale:>2}x {pages:4d} pages: wall {wall:6.2f} s = {per_page:6.1f} ms/page "
            f"({per_page / base_per_page:.2f}x the {base}x per page); peak RSS {peak:6.1f} MiB "
            f"({peak / base_peak:.2f}x the {base}x; {peak / pages * 1024:.0f} KiB/page)"
        )
    # Wall per page divides the fixed start-up (imports, store, pool) by the pages, so it falls with
    # scale even for a linear run: the marginal cost of a page, between two scales, does not.
    marginal: list[float] = []
    for low, high in itertools.pairwise(scales):
        added = built[high][2] - built[low][2]
        extra_wall = statistics.median(walls[high]) - statistics.median(walls[low])
        extra_peak = statistics.median(peaks[high]) - statistics.median(peaks[low])
        marginal.append(extra_wall / added * 1000)
        print(
            f"marginal {low}x -> {high}x (+{added} pages): {marginal[-1]:6.1f} ms/page, "
            f"{extra_peak / added * 1024:6.1f} KiB/page of peak RSS"
        )
    top = scales[-1]
    print(
        f"target: peak RSS at {top}x <= 1.5x the {base}x -> {statistics.median(peaks[top]) / base_peak:.2f}x"
    )
    if len(marginal) >= 2:
        print(
            f"target: marginal wall per page flat within 20% -> the last step's is "
            f"{marginal[-1] / marginal[0]:.2f}x the first's "
            f"({marginal[-1]:.1f} against {marginal[0]:.1f} ms/page)"
        )


if __name__ == "__main__":
    main()
