"""Reading a response body under a size cap, decompressing ourselves so the cap holds for bombs too.

httpx's own gzip decoder inflates each network chunk in one call: a 64 KiB chunk of a gzip bomb
becomes ~64 MB in memory before any cap can look at it (deflate tops out near 1032:1). Here each
inflate call is bounded by ``max_length``, so memory stays near the cap whatever the ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

__all__ = ["BodyTooLarge", "UnsupportedEncoding", "read_capped"]

_INFLATE_STEP = 64 * 1024


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body exceeds the {limit:,}-byte cap")
        self.limit = limit


class UnsupportedEncoding(Exception):
    pass


class _Inflater:
    """gzip (possibly several members) or deflate (zlib-wrapped or raw, as servers disagree)."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._raw_fallback = not self._gzip
        self._members_done = 0
        # Whether the current decompressor has accepted input, and whether only trailing bytes remain.
        self._obj_started = False
        self._trailing = False
        self._obj = self._new()

    def _new(self, raw: bool = False) -> zlib._Decompress:
        return zlib.decompressobj(
            -zlib.MAX_WBITS if raw else (16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self._trailing:
            try:
                out = self._obj.decompress(data, _INFLATE_STEP)
            except zlib.error:
                if self._raw_fallback and not (self._members_done or self._obj_started):
                    self._raw_fallback = False
                    self._obj = self._new(raw=True)
                    continue
                if self._members_done and not self._obj_started:
                    # Bytes after a complete member that do not start another one (zero padding is
                    # common): ignored, as gzip(1), browsers and httpx do. The body is already whole.
                    self._trailing = True
                    return
                raise
            self._obj_started = True
            data = self._obj.unconsumed_tail
            if self._obj.eof:
                self._members_done += 1
                rest = self._obj.unused_data
                self._obj = self._new()
                self._obj_started = False
                data = rest if self._gzip else b""
            if out:
                yield out

    def flush(self) -> bytes:
        return self._obj.flush()


async def read_capped(
    chunks: AsyncIterator[bytes], *, content_encoding: str, limit: int, truncate: bool = False
) -> bytes:
    """The decoded body, or :class:`BodyTooLarge` as soon as more than ``limit`` bytes would be held.

    With ``truncate`` the first ``limit`` bytes are returned instead (robots.txt is parsed that way).
    """
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        inflater = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(encoding)
    else:
        raise UnsupportedEncoding(f"unsupported content-encoding {content_encoding!r}")
    body = bytearray()
    async for chunk in chunks:
        pieces = inflater.feed(chunk) if inflater is not None else iter((chunk,))
        for piece in pieces:
            if len(body) + len(piece) > limit:
                if truncate:
                    body.extend(piece[: limit - len(body)])
                    return bytes(body)
                raise BodyTooLarge(limit)
            body.extend(piece)
    if inflater is not None:
        tail = inflater.flush()
        if len(body) + len(tail) > limit and not truncate:
            raise BodyTooLarge(limit)
        body.extend(tail[: limit - len(body)])
    return bytes(body)
