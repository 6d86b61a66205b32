"""The extractive writer: no key, no network. It picks source sentences verbatim and cites them.

Every sentence it writes is a quotation of stored item text at a known range, so it is grounded by
construction; the checker still verifies it like any other writer's output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.domain.models import Citation, Claim, Item, Section
from agent.domain.text import sentence_spans
from agent.writers.base import LeadRequest, RevisionNote, WriteResult

__all__ = ["ExtractiveWriter", "comment_not_followed"]

_MIN_SENTENCE, _MAX_SENTENCE = 40, 400  # characters: shorter is a fragment, longer a run-on extraction
_NUMBER = re.compile(r"\d")
# Enough of the reviewer's comment to recognise it in a one-line note; the review shows it whole.
_COMMENT_QUOTE_CHARS = 80
# Per lead paragraph, how many items contribute one key sentence each.
_LEAD_ITEMS_PER_SECTION = {
    Section.LABS: 2,
    Section.WIRE: 2,
    Section.PAPERS: 2,
    Section.BENCHMARKS: 2,
    Section.REPOS: 2,
}


def _cite(item: Item, start: int, end: int, block: str, paragraph: int, index: int) -> Claim:
    citation = Citation(
        item_id=item.id,
        start=start,
        end=end,
        quote=item.text[start:end],
        url=item.url,
        fetched_at=item.fetched_at,
        content_hash=item.content_hash,
    )
    return Claim(
        id=f"{block}:{paragraph}:{index}",
        block=block,
        paragraph=paragraph,
        text=item.text[start:end],
        citations=[citation],
    )


def _usable(span: tuple[int, int]) -> bool:
    return _MIN_SENTENCE <= span[1] - span[0] <= _MAX_SENTENCE


def _focus_hits(sentence: str, focus: Sequence[str]) -> int:
    lowered = sentence.lower()
    return sum(1 for topic in focus if topic.lower() in lowered)


def _key_sentence(item: Item, focus: Sequence[str], avoid: set[str]) -> tuple[int, int] | None:
    """The sentence that best carries the item: on topic, concrete (has a number), early."""
    spans = [s for s in sentence_spans(item.text) if _usable(s) and item.text[s[0] : s[1]] not in avoid]
    if not spans:
        return None
    if item.section is Section.REPOS:
        return spans[0]  # "owner/name: what it is"; the star counts alone would say nothing

    def score(position_and_span: tuple[int, tuple[int, int]]) -> tuple[int, int, int]:
        position, (a, b) = position_and_span
        text = item.text[a:b]
        return (_focus_hits(text, focus), 1 if _NUMBER.search(text) else 0, -position)

    return max(enumerate(spans), key=score)[1]


def comment_not_followed(comment: str) -> str:
    """The note a reviewer reads when they asked for changes this writer cannot make: it only picks
    source sentences, so free text (a fact to fix, a tone to change) is beyond it."""
    quoted = " ".join(comment.split())
    if len(quoted) > _COMMENT_QUOTE_CHARS:
        quoted = quoted[: _COMMENT_QUOTE_CHARS - 1].rstrip() + "…"
    return (
        f'The extractive writer cannot follow the reviewer\'s comment ("{quoted}"): it only picks source '
        "sentences, so this revision repeats the ones it can choose. To have the comment followed, draft "
        "the edition again with `inference-report draft --writer claude` and ANTHROPIC_API_KEY set."
    )


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, *, min_sentences: int = 3, max_sentences: int = 5) -> None:
        self._min = min_sentences
        self._max = max_sentences

    async def summarize_papers(
        self, papers: Sequence[Item], *, notes: dict[str, list[RevisionNote]] | None = None
    ) -> dict[str, WriteResult]:
        return {paper.id: self._summarize(paper, (notes or {}).get(paper.id, [])) for paper in papers}

    def _summarize(self, paper: Item, notes: Sequence[RevisionNote]) -> WriteResult:
        rejected = {note.text for note in notes}
        allowed = [s for s in sentence_spans(paper.text) if paper.text[s[0] : s[1]] not in rejected]
        spans = [s for s in allowed if _usable(s)]
        if len(spans) < self._min:
            # A short abstract still gets a summary: take whatever full sentences exist.
            spans = allowed
        if not spans:
            return WriteResult(error=f"no usable sentence in the text of {paper.id}")
        # The opening states the problem; the rest are chosen for numbers (results), kept in reading order.
        first, rest = spans[0], spans[1:]
        ranked = sorted(rest, key=lambda s: (not _NUMBER.search(paper.text[s[0] : s[1]]), s[0]))
        chosen = sorted([first, *ranked[: self._max - 1]])
        block = f"paper:{paper.id}"
        return WriteResult(claims=[_cite(paper, a, b, block, 0, i) for i, (a, b) in enumerate(chosen)])

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        rejected = {note.text for note in request.revision_notes}
        by_section: dict[Section, list[Item]] = {}
        for item in request.items:
            by_section.setdefault(item.section, []).append(item)
        paragraphs: list[list[tuple[Item, tuple[int, int]]]] = []
        groups = [[Section.LABS, Section.WIRE], [Section.PAPERS], [Section.BENCHMARKS], [Section.REPOS]]
        for group in groups:
            paragraph: list[tuple[Item, tuple[int, int]]] = []
            for section in group:
                sources = list(by_section.get(section, []))
                if section is Section.BENCHMARKS and request.moves_document is not None:
                    sources.insert(0, request.moves_document)
                for item in sources[: _LEAD_ITEMS_PER_SECTION[section]]:
                    span = _key_sentence(item, request.focus, rejected)
                    if span is not None:
                        paragraph.append((item, span))
            if paragraph:
                paragraphs.append(paragraph)
        comment = (request.reviewer_comment or "").strip()
        problems = [comment_not_followed(comment)] if comment else []
        if not paragraphs:
            return WriteResult(error="no selected item has a usable sentence for the lead", problems=problems)
        claims = [
            _cite(item, a, b, "lead", p, i)
            for p, paragraph in enumerate(paragraphs)
            for i, (item, (a, b)) in enumerate(paragraph)
        ]
        return WriteResult(claims=claims, problems=problems)
