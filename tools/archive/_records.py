"""WARC record bytes for one fetch, and the fetch read back from them: pure, no file I/O.

Each record is its own gzip member, so a run killed mid-write leaves every earlier record readable.
Fetch details WARC has no field for travel as ``WARC-X-*`` headers beside the standard ones.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tools.fetching import REDACTED, FetchError, FetchRequest, FetchResponse

__all__ = [
    "ArchivedFailure",
    "ArchivedFetch",
    "RecordIds",
    "failure_records",
    "parse_member",
    "random_record_id",
    "stable_record_id",
    "success_records",
    "warcinfo_record",
]

WARC_VERSION = "WARC/1.1"
SOFTWARE = "inference-report"

FINAL_URI = "WARC-X-Final-URI"
REDIRECTS = "WARC-X-Redirects"
SOURCE = "WARC-X-Source"
NOT_MODIFIED = "WARC-X-Not-Modified"
FETCH_ERROR = "WARC-X-Fetch-Error"

# The body is stored as the fetcher handed it over (already decoded, de-chunked), so these headers
# no longer describe it; kept under a prefix so replay can restore them and WARC readers are not misled.
_REWRITTEN_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
_ORIGINAL_PREFIX = "x-archive-orig-"

# Credentials must never reach an archive that is shared as evidence.
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"})
_SECRET_MARKERS = ("token", "secret", "apikey", "api-key", "api_key")

RecordIds = Callable[[str, str, datetime], str]
"""Makes a WARC-Record-ID from (record type, target URI, WARC date)."""


def random_record_id(record_type: str, uri: str, when: datetime) -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def stable_record_id(record_type: str, uri: str, when: datetime) -> str:
    """Derived from the record's identity, for archives that must rebuild byte for byte."""
    name = f"{record_type} {uri} {warc_date(when)}"
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}>"


@dataclass(frozen=True, slots=True)
class ArchivedFailure:
    """A fetch that ended in :class:`FetchError`, as archived.

    ``url`` is the URL that was requested; ``error_url`` the one the error names when it differs
    (a redirect hop that failed or was refused).
    """

    url: str
    message: str
    status: int | None
    failed_at: datetime
    source: str = ""
    error_url: str = ""

    def as_error(self) -> FetchError:
        return FetchError(self.message, url=self.error_url or self.url, status=self.status)


ArchivedFetch = FetchResponse | ArchivedFailure


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def warc_date(moment: datetime) -> str:
    # WARC/1.1 allows fractional seconds: replay must give back fetched_at to the microsecond.
    return _as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_warc_date(text: str) -> datetime:
    return _as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_HEADERS or any(marker in lowered for marker in _SECRET_MARKERS)


def _request_http_headers(request: FetchRequest) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = [("Host", parts.netloc)]
    pairs += [
        (name, REDACTED if _is_secret(name) or request.is_secret_header(name) else value)
        for name, value in request.headers.items()
    ]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", pairs, is_http_request=True)


def _response_http_headers(
    request: FetchRequest, status: int, headers: Mapping[str, str], body_length: int
) -> StatusAndHeaders:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    # A server that echoes the key back (in a header) must not put it in the archive either.
    pairs = [
        (_ORIGINAL_PREFIX + name if name.lower() in _REWRITTEN_HEADERS else name, request.redact(value))
        for name, value in headers.items()
    ]
    pairs.append(("Content-Length", str(body_length)))
    return StatusAndHeaders(f"{status} {phrase}", pairs, protocol="HTTP/1.1")


def _restore_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    restored: dict[str, str] = {}
    for name, value in pairs:
        lowered = name.lower()
        if lowered == "content-length":
            continue  # ours, written for the stored body
        if lowered.startswith(_ORIGINAL_PREFIX):
            lowered = lowered[len(_ORIGINAL_PREFIX) :]
        restored[lowered] = value
    return restored


def _serialise(records: Iterable[ArcWarcRecord], writer: WARCWriter, out: BytesIO) -> bytes:
    for record in records:
        writer.write_record(record)
    return out.getvalue()


def _writer() -> tuple[WARCWriter, BytesIO]:
    out = BytesIO()
    return WARCWriter(out, gzip=True, warc_version=WARC_VERSION), out


def _request_record(
    writer: WARCWriter, request: FetchRequest, when: datetime, record_ids: RecordIds, concurrent_to: str
) -> ArcWarcRecord:
    return writer.create_warc_record(
        request.url,
        "request",
        payload=BytesIO(b""),
        length=0,
        http_headers=_request_http_headers(request),
        warc_headers_dict={
            "WARC-Record-ID": record_ids("request", request.url, when),
            "WARC-Date": warc_date(when),
            "WARC-Concurrent-To": concurrent_to,
        },
    )


def success_records(request: FetchRequest, response: FetchResponse, record_ids: RecordIds) -> bytes:
    """A ``response`` record (status line, headers and body exactly as fetched) and its ``request``."""
    writer, out = _writer()
    when = response.fetched_at
    response_id = record_ids("response", request.url, when)
    extra = {"WARC-Record-ID": response_id, "WARC-Date": warc_date(when), FINAL_URI: response.final_url}
    if request.source:
        extra[SOURCE] = request.source
    if response.redirects:
        extra[REDIRECTS] = " ".join(response.redirects)
    if response.not_modified:
        extra[NOT_MODIFIED] = "true"
    http = _response_http_headers(request, response.status, response.headers, len(response.body))
    response_record = writer.create_warc_record(
        request.url,
        "response",
        payload=BytesIO(response.body),
        length=len(response.body),
        http_headers=http,
        warc_headers_dict=extra,
    )
    request_record = _request_record(writer, request, when, record_ids, response_id)
    return _serialise([request_record, response_record], writer, out)


def failure_records(
    request: FetchRequest, error: FetchError, failed_at: datetime, record_ids: RecordIds
) -> bytes:
    """A ``metadata`` record carrying the error (JSON) and the ``request`` that met it."""
    writer, out = _writer()
    failure_id = record_ids("metadata", request.url, failed_at)
    payload = json.dumps(
        {
            "url": request.redact(error.url),
            "error": request.redact(str(error)),
            "status": error.status,
            "source": request.source,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    failure_record = writer.create_warc_record(
        request.url,
        "metadata",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/json",
        warc_headers_dict={
            "WARC-Record-ID": failure_id,
            "WARC-Date": warc_date(failed_at),
            FETCH_ERROR: "true",
            **({SOURCE: request.source} if request.source else {}),
        },
    )
    request_record = _request_record(writer, request, failed_at, record_ids, failure_id)
    return _serialise([request_record, failure_record], writer, out)


def warcinfo_record(filename: str, when: datetime, record_ids: RecordIds, info: Mapping[str, str]) -> bytes:
    writer, out = _writer()
    fields = {"software": SOFTWARE, "format": "WARC File Format 1.1", **info}
    record = writer.create_warcinfo_record(filename, fields)
    record.rec_headers.replace_header("WARC-Record-ID", record_ids("warcinfo", "", when))
    record.rec_headers.replace_header("WARC-Date", warc_date(when))
    return _serialise([record], writer, out)


def _read_response(record: Any) -> FetchResponse:
    headers = record.rec_headers
    http = record.http_headers
    redirects = headers.get_header(REDIRECTS) or ""
    url = headers.get_header("WARC-Target-URI")
    return FetchResponse(
        url=url,
        final_url=headers.get_header(FINAL_URI) or url,
        status=int(http.get_statuscode()),
        headers=_restore_headers(http.headers),
        body=record.raw_stream.read(),
        fetched_at=_parse_warc_date(headers.get_header("WARC-Date")),
        redirects=tuple(redirects.split()),
        not_modified=headers.get_header(NOT_MODIFIED) == "true",
    )


def _read_failure(record: Any) -> ArchivedFailure:
    data = json.loads(record.raw_stream.read().decode("utf-8"))
    requested = record.rec_headers.get_header("WARC-Target-URI")
    error_url = str(data.get("url") or requested)
    return ArchivedFailure(
        # Indexed by what was asked for, so replay answers the same request with the same failure.
        url=requested,
        error_url="" if error_url == requested else error_url,
        message=str(data.get("error", "")),
        status=data.get("status"),
        failed_at=_parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        source=str(data.get("source", "")),
    )


def parse_member(data: bytes) -> Iterator[ArchivedFetch]:
    """The fetches held in uncompressed WARC bytes; request, warcinfo and foreign records are skipped."""
    for record in ArchiveIterator(BytesIO(data), arc2warc=False):
        if record.rec_type == "response" and record.http_headers is not None:
            yield _read_response(record)
        elif record.rec_type == "metadata" and record.rec_headers.get_header(FETCH_ERROR) == "true":
            yield _read_failure(record)
