"""The evidence archive: record through WarcRecorder around a fake fetcher, replay with no network."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tools.archive import (
    ArchivedFailure,
    ArchiveError,
    RecordIds,
    ReplayFetcher,
    WarcRecorder,
    iter_archive,
    random_record_id,
    read_archived,
    stable_record_id,
)
from tools.fetching import FetchError, FetchRequest, FetchResponse

T0 = datetime(2026, 11, 26, 6, 0, 0, 123456, tzinfo=UTC)


FEED_HEADERS = {"content-type": "application/rss+xml; charset=utf-8", "etag": '"abc"'}


def _response(
    url: str,
    body: bytes,
    *,
    status: int = 200,
    offset: int = 0,
    final_url: str | None = None,
    redirects: tuple[str, ...] = (),
    headers: dict[str, str] = FEED_HEADERS,
) -> FetchResponse:
    return FetchResponse(
        url=url,
        final_url=final_url or url,
        status=status,
        headers=dict(headers),
        body=body,
        fetched_at=T0 + timedelta(seconds=offset),
        redirects=redirects,
    )


@dataclass
class FakeFetcher:
    """Serves canned answers; a FetchError answer is raised. Records every call."""

    answers: dict[str, FetchResponse | FetchError]
    delay: float = 0.0
    calls: list[str] = field(default_factory=list)

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        self.calls.append(request.url)
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = self.answers[request.url]
        if isinstance(answer, FetchError):
            raise answer
        return answer


# Binary bodies with every byte value, CRLFs and a fake WARC header line: stored and replayed untouched.
TRICKY_BODY = bytes(range(256)) + b"\r\n\r\nWARC/1.1\r\nContent-Length: 3\r\n\r\n" + "é 日本".encode()

ANSWERS: dict[str, FetchResponse | FetchError] = {
    "https://labs.example/feed.xml": _response("https://labs.example/feed.xml", b"<rss>one</rss>"),
    "https://wire.example/a": _response(
        "https://wire.example/a",
        TRICKY_BODY,
        final_url="https://wire.example/articles/a",
        redirects=("https://wire.example/a", "https://wire.example/a/"),
        headers={
            "content-type": "text/html",
            "content-encoding": "gzip",
            "content-length": "17",
            "set-cookie": "s=1",
        },
        offset=1,
    ),
    "https://arxiv.example/api?q=cat:cs.DC&x=1": _response(
        "https://arxiv.example/api?q=cat:cs.DC&x=1", b"<feed>bad query</feed>", status=400, offset=2
    ),
    "https://down.example/feed": FetchError(
        "HTTP 503 from https://down.example/feed", url="https://down.example/feed", status=503
    ),
    "https://gone.example/": FetchError("connect timeout after 10 s", url="https://gone.example/"),
}


async def _record(
    path: Path, urls: list[str], record_ids: RecordIds = random_record_id
) -> tuple[WarcRecorder, FakeFetcher]:
    inner = FakeFetcher(dict(ANSWERS))
    recorder = WarcRecorder(inner, path, clock=lambda: T0, record_ids=record_ids)
    for url in urls:
        with contextlib.suppress(FetchError):
            await recorder.fetch(FetchRequest(url=url, source="test", accept_statuses=frozenset({400})))
    return recorder, inner


async def test_recorded_responses_replay_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    urls = [
        "https://labs.example/feed.xml",
        "https://wire.example/a",
        "https://arxiv.example/api?q=cat:cs.DC&x=1",
    ]
    recorder, inner = await _record(path, urls)
    assert inner.calls == urls
    assert (recorder.responses_recorded, recorder.failures_recorded, recorder.fetch_count) == (3, 0, 3)

    replay = ReplayFetcher([path])
    for url in urls:
        original = ANSWERS[url]
        assert isinstance(original, FetchResponse)
        replayed = await replay.fetch(FetchRequest(url=url, accept_statuses=frozenset({400})))
        assert replayed == original  # status, headers, body, fetched_at (to the microsecond), redirects
        assert replayed.body == original.body
    assert replay.fetch_count == 3


async def test_replay_by_final_url_answers_with_the_requested_url(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    await _record(path, ["https://wire.example/a"])
    replayed = await ReplayFetcher([path]).fetch(FetchRequest(url="https://wire.example/articles/a"))
    assert replayed.url == "https://wire.example/articles/a"
    assert replayed.final_url == "https://wire.example/articles/a"
    assert replayed.body == TRICKY_BODY


async def test_failures_are_archived_and_replay_as_the_same_error(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    recorder, _ = await _record(path, ["https://down.example/feed", "https://gone.example/"])
    assert (recorder.responses_recorded, recorder.failures_recorded) == (0, 2)

    failures = [f for f in iter_archive(path) if isinstance(f, ArchivedFailure)]
    assert [(f.url, f.status, f.source, f.failed_at) for f in failures] == [
        ("https://down.example/feed", 503, "test", T0),
        ("https://gone.example/", None, "test", T0),
    ]
    replay = ReplayFetcher([path])
    for url in ("https://down.example/feed", "https://gone.example/"):
        original = ANSWERS[url]
        assert isinstance(original, FetchError)
        with pytest.raises(FetchError) as caught:
            await replay.fetch(FetchRequest(url=url))
        assert (str(caught.value), caught.value.url, caught.value.status) == (
            str(original),
            original.url,
            original.status,
        )


async def test_recorder_reraises_the_inner_failure(tmp_path: Path) -> None:
    recorder = WarcRecorder(FakeFetcher(dict(ANSWERS)), tmp_path / "run.warc.gz")
    with pytest.raises(FetchError, match="connect timeout"):
        await recorder.fetch(FetchRequest(url="https://gone.example/"))


async def test_replay_miss_is_a_clear_fetch_error(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    await _record(path, ["https://labs.example/feed.xml"])
    with pytest.raises(FetchError, match="not in the replay archive") as caught:
        await ReplayFetcher([path]).fetch(FetchRequest(url="https://labs.example/other.xml"))
    assert caught.value.url == "https://labs.example/other.xml"
    assert caught.value.status is None


async def test_non_2xx_replays_only_when_the_request_accepts_it(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    url = "https://arxiv.example/api?q=cat:cs.DC&x=1"
    await _record(path, [url])
    replay = ReplayFetcher([path])
    with pytest.raises(FetchError) as caught:
        await replay.fetch(FetchRequest(url=url))
    assert caught.value.status == 400
    accepted = await replay.fetch(FetchRequest(url=url, accept_statuses=frozenset({400})))
    assert (accepted.status, accepted.body) == (400, b"<feed>bad query</feed>")


async def test_concurrent_fetches_write_well_formed_records(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    answers: dict[str, FetchResponse | FetchError] = {}
    for n in range(60):
        url = f"https://host{n % 7}.example/item/{n}"
        # Bodies of different sizes (up to ~200 KB) so writes take different times.
        answers[url] = (
            FetchError(f"HTTP 500 from {url}", url=url, status=500)
            if n % 10 == 0
            else _response(url, (f"body {n} ".encode()) * (n * 400 + 1), offset=n)
        )
    recorder = WarcRecorder(FakeFetcher(answers, delay=0.001), path)

    async def one(url: str) -> None:
        with contextlib.suppress(FetchError):
            await recorder.fetch(FetchRequest(url=url))

    await asyncio.gather(*(one(url) for url in answers))
    assert (recorder.responses_recorded, recorder.failures_recorded) == (54, 6)

    archived = list(iter_archive(path))
    assert len(archived) == 60
    assert {a.url for a in archived} == set(answers)
    for fetch in archived:
        expected = answers[fetch.url]
        if isinstance(fetch, FetchResponse):
            assert fetch == expected
        else:
            assert isinstance(expected, FetchError) and fetch.status == 500
    # warcio reads the whole file too, record after record, with one request per response/failure.
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        types = [record.rec_type for record in ArchiveIterator(stream)]
    assert types.count("request") == 60 and types.count("response") == 54 and types.count("metadata") == 6
    assert types[0] == "warcinfo"


async def test_truncated_archive_replays_its_complete_records(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    urls = ["https://labs.example/feed.xml", "https://down.example/feed", "https://wire.example/a"]
    await _record(path, urls)
    data = path.read_bytes()
    whole = list(iter_archive(path))
    assert [a.url for a in whole] == urls

    # Cut inside the last gzip member: the response record, written after its request.
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 20])
    survivors = list(iter_archive(cut))
    assert survivors == whole[:2]
    replay = ReplayFetcher([cut])
    assert (await replay.fetch(FetchRequest(url=urls[0]))).body == b"<rss>one</rss>"
    with pytest.raises(FetchError, match="not in the replay archive"):
        await replay.fetch(FetchRequest(url="https://wire.example/a"))


async def test_every_cut_point_yields_only_complete_records(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    await _record(path, ["https://labs.example/feed.xml", "https://wire.example/a"])
    data = path.read_bytes()
    whole = list(iter_archive(path))
    cut = tmp_path / "cut.warc.gz"
    for size in range(0, len(data), 37):
        cut.write_bytes(data[:size])
        survivors = list(iter_archive(cut))
        assert survivors == whole[: len(survivors)]


async def test_archive_is_gzip_per_record_and_secrets_are_redacted(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    inner = FakeFetcher(dict(ANSWERS))
    recorder = WarcRecorder(inner, path)
    request = FetchRequest(
        url="https://labs.example/feed.xml",
        headers={
            "x-api-key": "sk-very-secret",
            "Authorization": "Bearer tok-123",
            "accept": "application/xml",
        },
    )
    await recorder.fetch(request)
    text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    assert "sk-secret" not in text and "tok-123" not in text
    assert "accept: application/xml" in text
    assert "WARC-Target-URI: https://labs.example/feed.xml" in text
    # warcinfo + response + request: three gzip members.
    assert path.read_bytes().count(b"\x1f\x8b\x08") >= 3


async def test_read_archived_returns_the_last_response_for_a_url(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    url = "https://labs.example/feed.xml"
    first = _response(url, b"first", offset=0)
    second = _response(url, b"second", offset=60)
    inner = FakeFetcher({url: first})
    recorder = WarcRecorder(inner, path)
    await recorder.fetch(FetchRequest(url=url))
    inner.answers[url] = second
    await recorder.fetch(FetchRequest(url=url))
    assert read_archived(path, url) == second
    assert read_archived(path, "https://elsewhere.example/") is None
    assert (await ReplayFetcher([path]).fetch(FetchRequest(url=url))).body == b"second"


async def test_stable_record_ids_make_identical_files(tmp_path: Path) -> None:
    urls = ["https://labs.example/feed.xml", "https://down.example/feed", "https://wire.example/a"]
    first, second = tmp_path / "a" / "run.warc.gz", tmp_path / "b" / "run.warc.gz"
    await _record(first, urls, record_ids=stable_record_id)
    await _record(second, urls, record_ids=stable_record_id)
    assert first.read_bytes() == second.read_bytes()


def test_missing_or_foreign_archive_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="cannot open"):
        ReplayFetcher([tmp_path / "absent.warc.gz"])
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a warc file\n")
    with pytest.raises(ArchiveError, match="not a WARC"):
        ReplayFetcher([junk])


async def test_later_archives_override_earlier_ones(tmp_path: Path) -> None:
    url = "https://labs.example/feed.xml"
    for name, body in (("old.warc.gz", b"old"), ("new.warc.gz", b"new")):
        await WarcRecorder(FakeFetcher({url: _response(url, body)}), tmp_path / name).fetch(
            FetchRequest(url=url)
        )
    replay = ReplayFetcher([tmp_path / "old.warc.gz", tmp_path / "new.warc.gz"])
    assert (await replay.fetch(FetchRequest(url=url))).body == b"new"


def test_fetches_from_several_threads_never_interleave_records(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "run.warc.gz"
    answers: dict[str, FetchResponse | FetchError] = {
        f"https://t{n}.example/": _response(
            f"https://t{n}.example/", random.Random(n).randbytes(300_000), offset=n
        )
        for n in range(16)
    }
    recorder = WarcRecorder(FakeFetcher(answers), path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda url: asyncio.run(recorder.fetch(FetchRequest(url=url))), answers))
    archived = list(iter_archive(path))
    assert sorted(a.url for a in archived) == sorted(answers)
    assert all(a == answers[a.url] for a in archived)


async def test_a_resumed_run_appends_after_the_cut_record_of_the_killed_one(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    await _record(path, ["https://labs.example/feed.xml", "https://wire.example/a"])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])  # killed while writing the last response record

    await _record(path, ["https://down.example/feed", "https://wire.example/a"])
    archived = list(iter_archive(path))
    assert [a.url for a in archived] == [
        "https://labs.example/feed.xml",
        "https://down.example/feed",
        "https://wire.example/a",
    ]
    assert (await ReplayFetcher([path]).fetch(FetchRequest(url="https://wire.example/a"))).body == TRICKY_BODY


async def test_a_failure_at_a_redirect_hop_replays_for_the_requested_url(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    url, hop = "https://labs.example/old-feed", "http://127.0.0.1/feed"
    refused = FetchError(f"refused: {hop} is a loopback address", url=hop)
    with contextlib.suppress(FetchError):
        await WarcRecorder(FakeFetcher({url: refused}), path).fetch(FetchRequest(url=url))

    [failure] = list(iter_archive(path))
    assert isinstance(failure, ArchivedFailure)
    assert (failure.url, failure.error_url) == (url, hop)
    with pytest.raises(FetchError) as caught:
        await ReplayFetcher([path]).fetch(FetchRequest(url=url))
    assert (str(caught.value), caught.value.url) == (str(refused), hop)


async def test_the_newest_record_answers_a_url_fetched_directly_and_through_a_redirect(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.warc.gz"
    target, short = "https://wire.example/articles/a", "https://wire.example/a"
    answers: dict[str, FetchResponse | FetchError] = {
        target: _response(target, b"old", offset=0),
        short: _response(short, b"new", final_url=target, redirects=(short,), offset=60),
    }
    recorder = WarcRecorder(FakeFetcher(answers), path)
    await recorder.fetch(FetchRequest(url=target))
    await recorder.fetch(FetchRequest(url=short))
    assert (await ReplayFetcher([path]).fetch(FetchRequest(url=target))).body == b"new"


async def test_replay_keeps_no_body_in_memory_and_reads_each_when_asked(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.warc.gz"
    rng = random.Random(7)
    bodies = {f"https://big.example/{n}": rng.randbytes(1024 * 1024) for n in range(8)}
    answers: dict[str, FetchResponse | FetchError] = {u: _response(u, b) for u, b in bodies.items()}
    recorder = WarcRecorder(FakeFetcher(answers), path, clock=lambda: T0)
    for url in bodies:
        await recorder.fetch(FetchRequest(url=url))
    del answers, recorder
    tracemalloc.start()
    try:
        replay = ReplayFetcher([path])
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1024 * 1024  # 8 MiB of bodies archived; the index holds none of them
    for url, body in bodies.items():
        assert (await replay.fetch(FetchRequest(url=url))).body == body
