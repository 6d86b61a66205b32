"""The evidence behind a claim, shaped for the page: the cited passage inside its source text, and
where the archived copy of that source is. Pure functions; the app feeds them stored items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent.domain.models import Citation, Item

__all__ = ["Passage", "archive_candidates", "passage"]

# Characters of source text shown around a cited passage: enough to read it in context (about a
# paragraph either side) without sending a whole article per click.
CONTEXT_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Passage:
    before: str
    marked: str
    after: str
    # False when the citation's range did not hold its quote (found elsewhere, or not at all).
    exact: bool
    found: bool
    trimmed_before: bool
    trimmed_after: bool


def _locate(text: str, citation: Citation) -> tuple[int, int, bool, bool]:
    start, end = citation.start, citation.end
    if 0 <= start <= end <= len(text) and text[start:end] == citation.quote:
        return start, end, True, True
    if citation.quote:
        at = text.find(citation.quote)
        if at >= 0:
            return at, at + len(citation.quote), False, True
    return 0, 0, False, False


def passage(text: str, citation: Citation, *, context: int = CONTEXT_CHARS) -> Passage:
    """The cited range of ``text`` with ``context`` characters either side, cut at word boundaries."""
    start, end, exact, found = _locate(text, citation)
    if not found:
        return Passage(
            before="",
            marked="",
            after=text[: 2 * context],
            exact=False,
            found=False,
            trimmed_before=False,
            trimmed_after=len(text) > 2 * context,
        )
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return Passage(
        before=text[lo:start],
        marked=text[start:end],
        after=text[end:hi],
        exact=exact,
        found=True,
        trimmed_before=lo > 0,
        trimmed_after=hi < len(text),
    )


def archive_candidates(item: Item, source_urls: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """URLs under which the archive may hold this item's evidence, best first: the linked page the text
    was extracted from, the item's own URL, then the source's own fetches (``source_urls``, source name
    -> URLs, as saved with the draft: a feed entry's text comes from the feed document). A citation's
    URL is its item's, so it adds nothing."""
    page = item.extra.get("page_url")
    urls = [page] if isinstance(page, str) else []
    urls.append(item.url)
    urls += (source_urls or {}).get(item.source, [])
    return [u for u in dict.fromkeys(urls) if u]
