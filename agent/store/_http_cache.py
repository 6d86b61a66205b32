"""HTTP validators per URL for conditional GETs: the store's ValidatorCache (tools.fetching)."""

from __future__ import annotations

import json

from agent.store._base import Tables, dumps, parse_time
from tools.fetching import CachedResponse

__all__ = ["HttpCache"]


class HttpCache(Tables):
    """Implements :class:`tools.fetching.ValidatorCache`: the last usable answer per URL, by URL."""

    def get(self, url: str) -> CachedResponse | None:
        row = self._row("SELECT * FROM http_cache WHERE url = ?", (url,))
        if row is None:
            return None
        return CachedResponse(
            url=row["url"],
            status=row["status"],
            headers=json.loads(row["headers"]),
            body=bytes(row["body"]),
            fetched_at=parse_time(row["fetched_at"]),
            etag=row["etag"],
            last_modified=row["last_modified"],
        )

    def put(self, cached: CachedResponse) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO http_cache (url, status, headers, body, fetched_at, etag, last_modified)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET status = excluded.status,"
                " headers = excluded.headers, body = excluded.body, fetched_at = excluded.fetched_at,"
                " etag = excluded.etag, last_modified = excluded.last_modified",
                (
                    cached.url,
                    cached.status,
                    dumps(cached.headers),
                    cached.body,
                    cached.fetched_at.isoformat(),
                    cached.etag,
                    cached.last_modified,
                ),
            )
