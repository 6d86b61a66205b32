"""Helpers shared by the adapter tests (imported; the fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from agent.domain.models import Section, SourceKind
from tools.adapters import AdapterContext

DATA = Path(__file__).parent / "data"
FETCHED_AT = datetime(2026, 5, 14, 9, 30, tzinfo=UTC)

MakeContext = Callable[..., AdapterContext]
# (relative path under fixtures/real, **context overrides) -> (body, context)
RealCapture = Callable[..., tuple[bytes, AdapterContext]]


def build_context(
    body: bytes,
    *,
    kind: SourceKind = SourceKind.FEED,
    section: Section = Section.WIRE,
    url: str = "https://example.org/feed.xml",
    content_type: str = "",
    status: int = 200,
    max_items: int | None = None,
    source: str = "test-source",
) -> AdapterContext:
    return AdapterContext.for_body(
        body,
        source=source,
        section=section,
        kind=kind,
        url=url,
        fetched_at=FETCHED_AT,
        max_items=max_items,
        headers={"content-type": content_type} if content_type else {},
        status=status,
    )
