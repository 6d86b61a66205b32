"""A loopback web of N hosts for the benchmarks: 127.0.0.1 .. 127.0.0.N, one port, every answer late.

    python scripts/_loopback_site.py --hosts 20 --pages-per-host 10 --latency 0.1 [--small]

Prints the port, then serves until stdin closes. Each host answers:

    /robots.txt      allows everything (after the latency too, as a real site would)
    /feed.xml        RSS 2.0 with one entry per page of the host, dated --date
    /page/<n>        an article page: a real capture from ../shared/fixtures/real (cycled), or with
                     --small (or without ../shared) a ~3 KB synthetic article

Only 127.0.0.0/8 addresses are ever bound. Runs its own asyncio loop in its own process, so the
server's work is not counted against the client being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_ARTICLES = ROOT.parent / "shared" / "fixtures" / "real" / "articles"


def host_address(n: int) -> str:
    """The n-th benchmark host (1-based): always inside 127.0.0.0/8."""
    if not 1 <= n <= 250:
        raise ValueError("between 1 and 250 loopback hosts")
    return f"127.0.0.{n}"


def synthetic_article(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {p} of article {n}: the lab measured throughput of {100 + p} tokens per second "
        f"on its accelerator, and the serving stack cut latency by {p + 3} percent this week.</p>"
        for p in range(12)
    )
    return (
        f"<html><head><title>Article {n}</title></head><body><nav>Home | News</nav><article>"
        f"<h1>Article {n}</h1>{paragraphs}</article><footer>Copyright</footer></body></html>"
    ).encode()


def article_bodies(small: bool) -> list[bytes]:
    if small or not REAL_ARTICLES.is_dir():
        return [synthetic_article(n) for n in range(27)]
    expected = json.loads((REAL_ARTICLES / "expected" / "trafilatura_expected.json").read_text("utf-8"))
    files = sorted(page["file"] for page in expected["pages"].values())
    return [(REAL_ARTICLES.parent / f).read_bytes() for f in files]


def feed(address: str, port: int, pages: int, date: str) -> bytes:
    items = "".join(
        f"<item><title>Host {address} story {n}: a lab ships model {n}</title>"
        f"<link>http://{address}:{port}/page/{n}</link><guid>http://{address}:{port}/page/{n}</guid>"
        f"<pubDate>{date}</pubDate><author>desk@example.org (Desk {n})</author>"
        f"<description>Summary of story {n}.</description></item>"
        for n in range(pages)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Host {address}</title><link>http://{address}:{port}/</link><description>bench</description>"
        f"{items}</channel></rss>"
    ).encode()


async def serve(args: argparse.Namespace) -> None:
    bodies = article_bodies(args.small)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address, port = writer.get_extra_info("sockname")[:2]
        host_index = int(address.rsplit(".", 1)[1])
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("ascii", "replace")
                await asyncio.sleep(args.latency)
                kind = "text/html; charset=utf-8"
                if path == "/robots.txt":
                    status, body, kind = "200 OK", b"User-agent: *\nAllow: /\n", "text/plain"
                elif path == "/feed.xml":
                    status, kind = "200 OK", "application/rss+xml"
                    body = feed(address, port, args.pages_per_host, args.date)
                elif path.startswith("/page/"):
                    n = int(path.rsplit("/", 1)[1])
                    status, body = "200 OK", bodies[(host_index * args.pages_per_host + n) % len(bodies)]
                else:
                    status, body = "404 Not Found", b"not found"
                status_line = (
                    f"HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {len(body)}\r\n\r\n"
                )
                writer.write(status_line.encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    for _ in range(20):
        probe = socket.socket()
        probe.bind((host_address(1), 0))
        port = probe.getsockname()[1]
        probe.close()
        try:
            servers = [
                await asyncio.start_server(answer, host_address(n), port, backlog=1024)
                for n in range(1, args.hosts + 1)
            ]
            break
        except OSError:
            continue
    else:
        raise SystemExit("no free port on every loopback address")
    print(port, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages-per-host", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--date", default="Wed, 25 Nov 2026 09:00:00 GMT")
    parser.add_argument("--small", action="store_true", help="~3 KB synthetic articles, not real captures")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
