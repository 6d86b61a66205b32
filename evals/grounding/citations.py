"""The first check every claim passes through: do its citations point at real, stored text?"""

from __future__ import annotations

from collections.abc import Mapping

from agent.domain.models import Citation, Item

__all__ = ["citation_problems"]


def citation_problems(citation: Citation, items: Mapping[str, Item]) -> list[str]:
    """Reasons this citation is broken; empty when its quote sits at its range of the item's text."""
    item = items.get(citation.item_id)
    if item is None:
        return [f"cites {citation.item_id!r}, which is not among the fetched items"]
    if not citation.quote.strip():
        return [f"the citation of {citation.item_id!r} quotes nothing"]
    if not (0 <= citation.start < citation.end <= len(item.text)):
        return [
            f"range {citation.start}-{citation.end} is outside {citation.item_id!r} ({len(item.text)} chars)"
        ]
    if item.text[citation.start : citation.end] != citation.quote:
        return [f"the quoted text is not at {citation.start}-{citation.end} of {citation.item_id!r}"]
    if citation.content_hash and item.content_hash and citation.content_hash != item.content_hash:
        return [f"cites a different fetch of {citation.item_id!r} ({citation.content_hash[:19]}...)"]
    return []
