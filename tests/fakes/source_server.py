"""A loopback source server for fetcher tests and the fetch benchmark, with a route per fault.

Standard library only (``ThreadingHTTPServer`` on 127.0.0.1, an ephemeral port). Content routes are
registered with :meth:`SourceServer.add`; fault routes are built in:

    /status/<code>                 always that status
    /flaky/<n>/<code>?retry_after=S&then=/path  the first n hits answer <code> (with Retry-After: S),
                                   then 200 with the route ``then`` names (or "recovered")
    /reset                         resets the connection (RST) before any answer
    /slow?seconds=S                waits S before the status line
    /trickle?every=S               200 with a Content-Length of 1 MiB, then one byte every S seconds
                                   until the client hangs up (a body that never ends in time)
    /truncated                     Content-Length: 1000, sends 100 bytes, closes
    /big?mb=N                      N MiB of "x" with a Content-Length
    /big-chunked?mb=N              N MiB of "x", chunked, no Content-Length (an "endless" body)
    /gzip-bomb?mb=N                N MiB of zeros, gzip-compressed (~1000:1)
    /redirect?to=URL&status=302    one redirect
    /loop/a, /loop/b               redirect to each other
    /chain/<n>                     n redirects, then 200
    /robots.txt                    ``robots`` (text), ``robots_status``; 404 when neither is set

Every request is recorded (``hits`` by path, ``requests`` with headers). ``latency`` delays every
answer (not robots.txt unless ``robots_latency``). ``python -m tests.fakes.source_server`` serves
``/source/<i>`` feeds from an asyncio loop for the benchmark, in another process.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import ssl
import struct
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

__all__ = ["Recorded", "Route", "SourceServer", "feed_xml"]

_MIB = 1024 * 1024
_BLOCK = b"x" * (64 * 1024)


@dataclass(frozen=True, slots=True)
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recorded:
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names


def feed_xml(title: str, entries: list[tuple[str, str]]) -> bytes:
    """A small RSS 2.0 feed: entries are (title, link)."""
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><description>{t}.</description></item>"
        for t, link in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link><description>{title}</description>"
        f"{items}</channel></rss>"
    ).encode()


def _gzip_zeros(mib: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(_MIB)
    parts = [compressor.compress(zeros) for _ in range(mib)]
    parts.append(compressor.flush())
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the body waits for the client's delayed
    # ACK (40 ms on Linux), which would dwarf the latency the benchmark sets.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        owner._record(Recorded(path, parts.query, {k.lower(): v for k, v in self.headers.items()}))
        # In flight = waiting out the latency. Leaving before the answer is written means a client
        # that already has its answer (and sent the next request) is never counted twice.
        owner._enter()
        try:
            if owner.latency and (path != "/robots.txt" or owner.robots_latency):
                owner._stopped.wait(owner.latency)
        finally:
            owner._leave()
        try:
            self._route(owner, path, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        merged = {"content-type": "text/plain; charset=utf-8", **(headers or {})}
        for name, value in merged.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, owner: SourceServer, path: str, query: dict[str, list[str]]) -> None:
        arg = {k: v[0] for k, v in query.items()}
        segments = path.strip("/").split("/")
        if path == "/robots.txt":
            if owner.robots_status is not None:
                self._send(owner.robots_status, b"robots unavailable")
            elif owner.robots is not None:
                self._send(200, owner.robots.encode())
            else:
                self._send(404, b"no robots.txt")
        elif path in owner.routes:
            route = owner.routes[path]
            etag = route.headers.get("etag")
            if etag is not None and self.headers.get("if-none-match") == etag:
                self._send(304, b"", {"etag": etag})
            else:
                self._send(route.status, route.body, route.headers)
        elif segments[0] == "status":
            self._send(int(segments[1]), f"status {segments[1]}".encode())
        elif segments[0] == "flaky":
            failures, code = int(segments[1]), int(segments[2])
            if owner.hits[path] <= failures:
                extra = {"retry-after": arg["retry_after"]} if "retry_after" in arg else {}
                self._send(code, b"try again", extra)
            elif "then" in arg:
                route = owner.routes[arg["then"]]
                self._send(route.status, route.body, route.headers)
            else:
                self._send(200, b"recovered")
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif path == "/slow":
            owner._stopped.wait(float(arg.get("seconds", "5")))
            self._send(200, b"finally")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("content-length", str(_MIB))
            self.end_headers()
            self.close_connection = True
            while not owner._stopped.wait(float(arg.get("every", "0.2"))):
                self.wfile.write(b"<")
                self.wfile.flush()
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("content-length", "1000")
            self.end_headers()
            self.wfile.write(b"y" * 100)
            self.wfile.flush()
            self.close_connection = True
        elif path == "/big":
            self._stream_big(int(arg.get("mb", "50")), chunked=False)
        elif path == "/big-chunked":
            self._stream_big(int(arg.get("mb", "50")), chunked=True)
        elif path == "/gzip-bomb":
            body = owner.gzip_bomb(int(arg.get("mb", "100")))
            self._send(200, body, {"content-encoding": "gzip"})
        elif path == "/redirect":
            self._send(int(arg.get("status", "302")), b"", {"location": arg["to"]})
        elif segments[0] == "loop":
            self._send(302, b"", {"location": "/loop/b" if segments[1] == "a" else "/loop/a"})
        elif segments[0] == "chain":
            left = int(segments[1])
            if left == 0:
                self._send(200, b"end of chain")
            else:
                self._send(301, b"", {"location": f"/chain/{left - 1}"})
        elif segments[0] == "source":
            self._send(
                200,
                feed_xml(
                    f"Source {segments[1]}", [(f"Entry {segments[1]}", f"https://example.org/{segments[1]}")]
                ),
                {"content-type": "application/rss+xml"},
            )
        else:
            self._send(404, b"not found")

    def _stream_big(self, mib: int, *, chunked: bool) -> None:
        owner = self.server.owner
        total = mib * _MIB
        self.send_response(200)
        if chunked:
            self.send_header("transfer-encoding", "chunked")
        else:
            self.send_header("content-length", str(total))
        self.end_headers()
        sent = 0
        try:
            while sent < total and not owner._stopped.is_set():
                block = _BLOCK[: total - sent]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
                sent += len(block)
                owner.bytes_sent[self.path] = sent
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        finally:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops SYNs under 50 concurrent connects (1 s retransmits).
    request_queue_size = 256
    owner: SourceServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up mid-answer is what the fault routes provoke


class SourceServer:
    """``with SourceServer() as server: server.url("/status/500")``"""

    def __init__(
        self, *, latency: float = 0.0, robots_latency: bool = False, tls: ssl.SSLContext | None = None
    ) -> None:
        self.latency = latency
        self.robots_latency = robots_latency
        self.robots: str | None = None
        self.robots_status: int | None = None
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[Recorded] = []
        self.bytes_sent: dict[str, int] = {}
        # The most requests being answered at once (per-host and global bounds are checked with it).
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._bombs: dict[int, bytes] = {}
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.scheme = "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # a quick shutdown keeps test teardown near zero
            name="source-server",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def add(
        self, path: str, body: bytes, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.routes[path] = Route(
            body=body, status=status, headers={k.lower(): v for k, v in (headers or {}).items()}
        )

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.hits[recorded.path] += 1
            self.requests.append(recorded)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def gzip_bomb(self, mib: int) -> bytes:
        """The /gzip-bomb?mb=N body (built once; call it first to keep the build out of a measurement)."""
        with self._lock:
            if mib not in self._bombs:
                self._bombs[mib] = _gzip_zeros(mib)
            return self._bombs[mib]

    def start(self) -> SourceServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SourceServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


async def _serve_feeds(latency: float, robots_latency: bool, ready: Callable[[int], None]) -> None:
    """The benchmark's server: /source/<i> feeds over keep-alive HTTP/1.1 from one asyncio loop.

    The threaded server spends ~1 ms of GIL-bound work per answer when 50-100 handler threads wake
    together; an event loop answers in a fraction of that, so the figures measure the fetcher.
    """

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("ascii", "replace")
                if path != "/robots.txt" or robots_latency:
                    await asyncio.sleep(latency)
                if path.startswith("/source/"):
                    name = path.rsplit("/", 1)[1]
                    status, body = (
                        "200 OK",
                        feed_xml(f"Source {name}", [(f"Entry {name}", f"https://example.org/{name}")]),
                    )
                else:
                    status, body = "404 Not Found", b"not found"
                writer.write(
                    f"HTTP/1.1 {status}\r\ncontent-type: application/rss+xml\r\n"
                    f"content-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=1024)
    ready(server.sockets[0].getsockname()[1])
    stop = asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve /source/<i> feeds on 127.0.0.1 until stdin closes.")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before every answer")
    parser.add_argument("--robots-latency", action="store_true", help="delay robots.txt too")
    args = parser.parse_args()
    asyncio.run(_serve_feeds(args.latency, args.robots_latency, lambda port: print(port, flush=True)))


if __name__ == "__main__":
    main()
