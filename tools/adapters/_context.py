"""What an adapter knows about the response it parses, apart from the bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from agent.domain.models import Section, SourceKind, content_hash
from agent.domain.sources import SourceSpec
from tools.fetching import FetchResponse

__all__ = ["AdapterContext"]


@dataclass(frozen=True, slots=True)
class AdapterContext:
    """The source an answer belongs to and the facts of the fetch, stamped on every item.

    ``url`` is the final URL (after redirects): relative links resolve against it.
    ``headers`` use lower-cased names, as :class:`tools.fetching.FetchResponse` keeps them.
    """

    source: str
    section: Section
    kind: SourceKind
    url: str
    fetched_at: datetime | None = None
    content_hash: str = ""
    max_items: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200

    @classmethod
    def for_body(
        cls,
        body: bytes,
        *,
        source: str,
        section: Section,
        kind: SourceKind,
        url: str,
        fetched_at: datetime | None = None,
        max_items: int | None = None,
        headers: dict[str, str] | None = None,
        status: int = 200,
    ) -> AdapterContext:
        """A context whose ``content_hash`` is computed from ``body``."""
        return cls(
            source=source,
            section=section,
            kind=kind,
            url=url,
            fetched_at=fetched_at,
            content_hash=content_hash(body),
            max_items=max_items,
            headers={k.lower(): v for k, v in (headers or {}).items()},
            status=status,
        )

    @classmethod
    def for_response(
        cls, spec: SourceSpec, response: FetchResponse, *, kind: SourceKind | None = None
    ) -> AdapterContext:
        """The context of ``response`` fetched for ``spec``; ``kind`` overrides the spec's kind."""
        return cls.for_body(
            response.body,
            source=spec.name,
            section=spec.section,
            kind=kind or spec.kind,
            url=response.final_url or response.url,
            fetched_at=response.fetched_at,
            max_items=spec.max_items,
            headers=response.headers,
            status=response.status,
        )

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def cap(self, count: int) -> int:
        """How many of ``count`` parsed things to keep."""
        return count if self.max_items is None else min(count, self.max_items)
