from __future__ import annotations

from datetime import UTC, datetime

from agent.store import Store
from tools.fetching import CachedResponse, ValidatorCache


def _cached(body: bytes, etag: str | None) -> CachedResponse:
    return CachedResponse(
        url="https://arxiv.org/a/feed.xml",
        status=200,
        headers={"content-type": "application/atom+xml; charset=utf-8", "etag": etag or ""},
        body=body,
        fetched_at=datetime(2026, 11, 26, 7, 0, tzinfo=UTC),
        etag=etag,
        last_modified="Wed, 25 Nov 2026 20:00:00 GMT",
    )


def test_the_store_is_a_validator_cache_that_survives_reopening(store: Store, database: str) -> None:
    cache: ValidatorCache = store
    assert cache.get("https://arxiv.org/a/feed.xml") is None
    cache.put(_cached(b"<feed>\x00\xff binary-safe</feed>", '"v1"'))
    cache.put(_cached(b"<feed>second</feed>", '"v2"'))
    with Store.open(database) as other:
        assert other.get("https://arxiv.org/a/feed.xml") == _cached(b"<feed>second</feed>", '"v2"')


def test_missing_validators_stay_missing(store: Store) -> None:
    cached = CachedResponse(
        url="https://example.com/",
        status=200,
        headers={},
        body=b"",
        fetched_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    store.put(cached)
    assert store.get("https://example.com/") == cached
