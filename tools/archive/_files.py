"""Reading an archive file gzip member by member: a file cut mid-record still yields its complete records."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.exceptions import ArchiveLoadFailed

from agent.domain.errors import ConfigError
from tools.archive._records import ArchivedFetch, parse_member

__all__ = [
    "ArchiveError",
    "complete_prefix",
    "iter_archive",
    "iter_archive_spans",
    "read_span",
    "require_complete",
]

_GZIP_MAGIC = b"\x1f\x8b"
_WARC_MAGIC = b"WARC/"
_CHUNK = 1 << 16
_GZIP_WBITS = 31  # zlib: expect a gzip header and check the trailer's CRC and length


class ArchiveError(ConfigError):
    """An archive that cannot be opened at all (missing, unreadable, not a WARC file)."""


def _complete_members(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Each gzip member whose trailer checks out, with the file offset where it ends; stops quietly at
    a cut or corrupt member."""
    offset = 0
    pending = b""
    decompressor = zlib.decompressobj(wbits=_GZIP_WBITS)
    parts: list[bytes] = []
    while True:
        if not pending:
            pending = stream.read(_CHUNK)
            if not pending:
                return
        try:
            parts.append(decompressor.decompress(pending))
        except zlib.error:
            return
        if decompressor.eof:
            rest = decompressor.unused_data
            offset += len(pending) - len(rest)
            yield offset, b"".join(parts)
            pending = rest
            decompressor = zlib.decompressobj(wbits=_GZIP_WBITS)
            parts = []
        else:
            offset += len(pending)
            pending = b""


def complete_prefix(path: Path) -> int:
    """How many leading bytes of a ``.warc.gz`` file are complete gzip members (0 when none)."""
    with path.open("rb") as stream:
        return max((end for end, _ in _complete_members(stream)), default=0)


def require_complete(path: Path) -> None:
    """Raise :class:`ArchiveError` unless ``path`` is a readable archive whose every gzip member is whole.

    A killed run's own archive may end in a cut member (its next append drops it), but an archive handed
    to ``--replay`` that is cut short was copied or written in part: replaying it would report its
    missing sources as "not in the replay archive" and exit 0.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            gzipped = stream.read(2) == _GZIP_MAGIC
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot open the archive: {exc.strerror or exc}") from exc
    if not gzipped:
        return
    complete = complete_prefix(path)
    if complete < size:
        raise ArchiveError(
            f"{path}: the archive is cut short: its last {size - complete:,} of {size:,} bytes are an "
            "incomplete record (copied or written only in part). Nothing was run; copy the archive again"
        )


def iter_archive(path: Path) -> Iterator[ArchivedFetch]:
    """Every archived fetch (response or failure) in file order, from a ``.warc.gz`` or a plain ``.warc``."""
    for fetch, _ in iter_archive_spans(path):
        yield fetch


def iter_archive_spans(path: Path) -> Iterator[tuple[ArchivedFetch, tuple[int, int] | None]]:
    """Every archived fetch with the byte span of the gzip member holding it (None in a plain
    ``.warc``), so a reader can index an archive and come back for one body (:func:`read_span`)
    instead of keeping them all. One member is in memory at a time."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot open the archive: {exc.strerror or exc}") from exc
    with stream:
        try:
            if stream.read(2) != _GZIP_MAGIC:
                stream.seek(0)
                for fetch in _parse_warc(path, stream.read()):
                    yield fetch, None
                return
            stream.seek(0)
            start = 0
            for end, member in _complete_members(stream):
                for fetch in _parse_warc(path, member):
                    yield fetch, (start, end)
                start = end
        except ArchiveLoadFailed as exc:
            raise ArchiveError(f"{path}: not a WARC archive: {exc}") from exc


def read_span(path: Path, span: tuple[int, int]) -> list[ArchivedFetch]:
    """The fetches of the one gzip member at ``span`` (from :func:`iter_archive_spans`)."""
    start, end = span
    try:
        with path.open("rb") as stream:
            stream.seek(start)
            data = stream.read(end - start)
        return list(_parse_warc(path, zlib.decompress(data, wbits=_GZIP_WBITS)))
    except (OSError, zlib.error, ArchiveLoadFailed) as exc:
        raise ArchiveError(f"{path}: the record at bytes {start}-{end} cannot be read again: {exc}") from exc


def _parse_warc(path: Path, data: bytes) -> Iterator[ArchivedFetch]:
    # warcio reads anything that is not WARC as a lenient ARC record, so refuse foreign data up front.
    if data and not data.startswith(_WARC_MAGIC):
        raise ArchiveError(f"{path}: not a WARC archive (a record starts with {data[:16]!r})")
    yield from parse_member(data)
