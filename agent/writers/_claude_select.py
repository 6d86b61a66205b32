"""Selection help through structured output: its own requests, since citations and structured output
cannot be combined in one request."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from agent.domain.models import Item
from prompts import Tagged, escape

__all__ = ["ItemScore", "Ranking", "Theme", "items_listing"]

# An item's text is trimmed for ranking: the title and the first 600 characters carry the topic, and
# 40 items x 600 characters stay near 6,000 input tokens.
SNIPPET_CHARS = 600


class ItemScore(BaseModel):
    item_id: str
    score: float = Field(description="0.0 (off-topic or trivial) to 1.0 (central and substantive)")


class Ranking(BaseModel):
    scores: list[ItemScore]


class Theme(BaseModel):
    theme: str = Field(description="a short noun phrase, at most twelve words")


def items_listing(items: Sequence[Item]) -> Tagged:
    """The items as tagged entries: id, section, title and the start of the text, every value escaped
    (a title holding ``</item></items>`` stays inside its item)."""
    entries = []
    for item in items:
        snippet = " ".join(item.text[:SNIPPET_CHARS].split())
        entries.append(
            f'<item id="{escape(item.id, quote=True)}" section="{escape(item.section.value, quote=True)}">\n'
            f"title: {escape(item.title)}\ntext: {escape(snippet)}\n</item>"
        )
    return Tagged("\n".join(entries))


def scores_for(ranking: Ranking, items: Sequence[Item]) -> list[tuple[str, float]]:
    """(item id, score) for every item, best first; ids the model invented are dropped, items it
    skipped score 0.0, scores are clamped to [0, 1]."""
    known = {i.id for i in items}
    given: dict[str, float] = {}
    for entry in ranking.scores:
        if entry.item_id in known and entry.item_id not in given:
            given[entry.item_id] = min(max(entry.score, 0.0), 1.0)
    order = {item.id: n for n, item in enumerate(items)}
    return sorted(((i.id, given.get(i.id, 0.0)) for i in items), key=lambda p: (-p[1], order[p[0]]))
