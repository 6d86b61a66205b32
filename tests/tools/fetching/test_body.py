"""read_capped: the cap holds on decoded bytes, bombs included, and every encoding decodes."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import pytest

from tools.fetching._body import BodyTooLarge, UnsupportedEncoding, read_capped

_MIB = 1024 * 1024


async def chunks_of(data: bytes, size: int = 16 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("", lambda b: b),
        ("identity", lambda b: b),
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b, wbits=-zlib.MAX_WBITS)),  # raw deflate, as some servers send
    ],
)
async def test_encodings_decode(encoding: str, encode: object) -> None:
    data = b"The Inference Report. " * 5000
    body = await read_capped(chunks_of(encode(data)), content_encoding=encoding, limit=_MIB)  # type: ignore[operator]
    assert body == data


async def test_concatenated_gzip_members() -> None:
    body = await read_capped(
        chunks_of(gzip.compress(b"one ") + gzip.compress(b"two")), content_encoding="gzip", limit=100
    )
    assert body == b"one two"


async def test_exactly_the_cap_is_fine_one_more_byte_is_not() -> None:
    assert len(await read_capped(chunks_of(b"x" * 1000), content_encoding="", limit=1000)) == 1000
    with pytest.raises(BodyTooLarge):
        await read_capped(chunks_of(b"x" * 1001), content_encoding="", limit=1000)
    assert (
        await read_capped(chunks_of(b"x" * 1001), content_encoding="", limit=1000, truncate=True)
        == b"x" * 1000
    )


async def test_a_bomb_is_cut_while_inflating_with_memory_near_the_cap() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(compressor.compress(bytes(_MIB)) for _ in range(200)) + compressor.flush()
    assert len(bomb) < 300 * 1024  # 200 MiB of zeros in ~200 KB
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            await read_capped(chunks_of(bomb, 64 * 1024), content_encoding="gzip", limit=_MIB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * _MIB


async def test_unknown_encodings_and_corrupt_streams() -> None:
    with pytest.raises(UnsupportedEncoding, match="'br'"):
        await read_capped(chunks_of(b"x"), content_encoding="br", limit=10)
    with pytest.raises(zlib.error):
        await read_capped(chunks_of(b"not gzip at all"), content_encoding="gzip", limit=100)


async def test_bytes_after_a_complete_gzip_member_are_ignored_but_a_corrupt_member_is_not() -> None:
    padded = gzip.compress(b"whole body") + bytes(512)
    assert await read_capped(chunks_of(padded, 7), content_encoding="gzip", limit=100) == b"whole body"
    garbage = gzip.compress(b"whole body") + b"trailing junk"
    assert await read_capped(chunks_of(garbage), content_encoding="gzip", limit=100) == b"whole body"
    corrupt = bytearray(gzip.compress(b"whole body" * 50))
    corrupt[20] ^= 0xFF
    with pytest.raises(zlib.error):
        await read_capped(chunks_of(bytes(corrupt)), content_encoding="gzip", limit=10_000)
