"""Builds the sample archives from the sample documents, byte for byte the same on every run.

Determinism: WARC dates come from the manifest, record ids are derived from (type, URL, date)
(:func:`tools.archive.stable_record_id`), and zlib writes gzip headers with mtime 0. The documents
are served by :class:`DocumentFetcher` through the real :class:`tools.archive.WarcRecorder`, so the
sample archive has exactly the shape a live run's archive has.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

from tools.archive import WarcRecorder, stable_record_id
from tools.fetching import FetchError, FetchRequest, FetchResponse

__all__ = ["DocumentFetcher", "SampleDocument", "build_archive", "build_archives", "load_manifest"]

BUILT_BY = "scripts/build_sample.py"


@dataclass(frozen=True, slots=True)
class SampleDocument:
    archive: str
    source: str
    url: str
    path: Path
    content_type: str
    fetched_at: datetime
    status: int = 200

    def response(self) -> FetchResponse:
        body = self.path.read_bytes()
        headers = {
            "content-type": self.content_type,
            "date": format_datetime(self.fetched_at, usegmt=True),
            "etag": '"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            "server": "sample-edition",
        }
        return FetchResponse(
            url=self.url,
            final_url=self.url,
            status=self.status,
            headers=headers,
            body=body,
            fetched_at=self.fetched_at,
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    descriptions: dict[str, str]
    documents: tuple[SampleDocument, ...]

    def for_archive(self, name: str) -> list[SampleDocument]:
        return [d for d in self.documents if d.archive == name]


def load_manifest(path: Path) -> Manifest:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    descriptions = {name: str(table.get("description", "")) for name, table in data["archives"].items()}
    documents = []
    for raw in data["document"]:
        if raw["archive"] not in descriptions:
            raise ValueError(f"{path}: document {raw['file']!r}: unknown archive {raw['archive']!r}")
        documents.append(
            SampleDocument(
                archive=raw["archive"],
                source=raw["source"],
                url=raw["url"],
                path=path.parent / raw["file"],
                content_type=raw["content_type"],
                fetched_at=datetime.fromisoformat(raw["fetched_at"].replace("Z", "+00:00")),
                status=int(raw.get("status", 200)),
            )
        )
    return Manifest(descriptions=descriptions, documents=tuple(documents))


class DocumentFetcher:
    """Serves sample documents by URL; anything else is a FetchError, as a dead host would be."""

    def __init__(self, documents: Sequence[SampleDocument]) -> None:
        self._by_url = {d.url: d for d in documents}

    async def fetch(self, request: FetchRequest) -> FetchResponse:
        document = self._by_url.get(request.url)
        if document is None:
            raise FetchError(f"{request.url} is not a sample document", url=request.url)
        return document.response()


async def _record(documents: Sequence[SampleDocument], out: Path, description: str) -> None:
    started = min(d.fetched_at for d in documents)
    recorder = WarcRecorder(
        DocumentFetcher(documents),
        out,
        clock=lambda: started,
        record_ids=stable_record_id,
        info={
            "description": f"SAMPLE DATA (fictional). {description}",
            "built-by": BUILT_BY,
        },
    )
    for document in documents:
        await recorder.fetch(FetchRequest(url=document.url, source=document.source))


def build_archive(documents: Sequence[SampleDocument], out: Path, *, description: str = "") -> Path:
    """Write ``documents`` (in order) to the archive ``out``, replacing it atomically."""
    if not documents:
        raise ValueError(f"no documents for {out.name}")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        asyncio.run(_record(documents, partial, description))
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def build_archives(manifest_path: Path, out_dir: Path) -> list[Path]:
    """Every archive the manifest names, as ``out_dir/<name>.warc.gz``."""
    manifest = load_manifest(manifest_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        build_archive(manifest.for_archive(name), out_dir / f"{name}.warc.gz", description=description)
        for name, description in manifest.descriptions.items()
    ]
