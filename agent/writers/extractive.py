"""The extractive writer: no key, no network. It quotes source sentences and cites them.

Paper summaries are source sentences as they stand. The lead is written in the desk's voice: a framing
paragraph from the week's own figures, then quotations, each framed with its speaker's name (a lab's
"we" is never the desk's), and benchmark sentences written from the parsed moves and rows. Every
sentence cites the text it rests on, and the checker verifies it like any other writer's output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.domain.models import Citation, Claim, Item, LeaderboardMove, Section
from agent.domain.text import sentence_spans
from agent.moves import format_score, move_sentence
from agent.writers._quoting import (
    asks_for_a_story,
    attributed,
    comment_directives,
    is_complete,
    needs_context,
)
from agent.writers.base import LeadRequest, RevisionNote, WriteResult

__all__ = ["ExtractiveWriter", "comment_followed", "comment_named_nothing", "comment_not_followed"]

_MIN_SENTENCE, _MAX_SENTENCE = 40, 400  # characters: shorter is a fragment, longer a run-on extraction
_NUMBER = re.compile(r"\d")
_QUOTATION = re.compile(r"“([^”]+)”")
_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us|I|my|me)\b", re.IGNORECASE)
_BOARD_NOUNS = frozenset("index leaderboard board ranking rankings arena benchmark table".split())
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
# Enough of the reviewer's comment to recognise it in a one-line note; the review shows it whole.
_COMMENT_QUOTE_CHARS = 80
# How many items of each section the lead quotes, one key sentence each: with the framing and the
# benchmark sentences, about the 400 words of the example edition's lead.
_LEAD_ITEMS_PER_SECTION = {
    Section.LABS: 3,
    Section.WIRE: 3,
    Section.PAPERS: 2,
    Section.REPOS: 2,
}


def _citation(item: Item, start: int, end: int) -> Citation:
    return Citation(
        item_id=item.id,
        start=start,
        end=end,
        quote=item.text[start:end],
        url=item.url,
        fetched_at=item.fetched_at,
        content_hash=item.content_hash,
    )


def _cite(item: Item, start: int, end: int, block: str, paragraph: int, index: int) -> Claim:
    return _claim(item.text[start:end], item, start, end, block, paragraph, index)


def _claim(text: str, item: Item, start: int, end: int, block: str, paragraph: int, index: int) -> Claim:
    return Claim(
        id=f"{block}:{paragraph}:{index}",
        block=block,
        paragraph=paragraph,
        text=text,
        citations=[_citation(item, start, end)],
    )


def _usable(span: tuple[int, int]) -> bool:
    return _MIN_SENTENCE <= span[1] - span[0] <= _MAX_SENTENCE


def _focus_hits(sentence: str, focus: Sequence[str]) -> int:
    lowered = sentence.lower()
    return sum(1 for topic in focus if topic.lower() in lowered)


def _quotable(item: Item, span: tuple[int, int]) -> bool:
    """A sentence the lead can quote on its own: complete, and with a subject a reader can place."""
    text = item.text[span[0] : span[1]]
    return _usable(span) and is_complete(text) and not needs_context(text)


def _key_sentence(item: Item, focus: Sequence[str], avoid: set[str]) -> tuple[int, int] | None:
    """The sentence that best carries the item: on topic, concrete (has a number), in the source's third
    person rather than its "we", early."""
    spans = [
        s for s in sentence_spans(item.text) if _quotable(item, s) and item.text[s[0] : s[1]] not in avoid
    ]
    if not spans:
        return None

    def score(position_and_span: tuple[int, tuple[int, int]]) -> tuple[int, int, int, int]:
        position, (a, b) = position_and_span
        text = item.text[a:b]
        third_person = 0 if _FIRST_PERSON.search(text) else 1
        return (_focus_hits(text, focus), 1 if _NUMBER.search(text) else 0, third_person, -position)

    return max(enumerate(spans), key=score)[1]


def _quoted_comment(comment: str) -> str:
    quoted = " ".join(comment.split())
    if len(quoted) > _COMMENT_QUOTE_CHARS:
        quoted = quoted[: _COMMENT_QUOTE_CHARS - 1].rstrip() + "…"
    return quoted


def comment_not_followed(comment: str) -> str:
    """The note a reviewer reads when they asked for changes this writer cannot make: it only picks
    source sentences, so free text (a fact to fix, a tone to change) is beyond it."""
    return (
        f'The extractive writer cannot follow the comment ("{_quoted_comment(comment)}"): it only quotes '
        "sources, so this revision repeats its sentences. Edit one by hand (`review RUN_ID --edit CLAIM_ID "
        "--text ...` or on the review page), or draft again with `--writer claude` and ANTHROPIC_API_KEY set."
    )


def comment_named_nothing(comment: str) -> str:
    """The note for a comment that asks to drop or lead with a story none of the edition's items is."""
    return (
        "The extractive writer found no story of this edition that the comment "
        f'("{_quoted_comment(comment)}") names, so this revision repeats its sentences. Name one by a '
        'word of its title or its source ("drop the Kestrel story", "lead with the Lisbon office"), or '
        "edit a sentence by hand."
    )


def comment_followed(comment: str, dropped: Sequence[str], first: Sequence[str]) -> str:
    """The note that says how the comment was read, so the reviewer can tell what else it did not do."""
    done = [f"left “{t}” out of the lead" for t in dropped] + [f"opened the lead with “{t}”" for t in first]
    return (
        f'The extractive writer read the reviewer\'s comment ("{_quoted_comment(comment)}") as: '
        f"{'; '.join(done)}. Anything else it asks is beyond a writer that only quotes sources: edit a "
        "sentence by hand, or draft again with `--writer claude`."
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
        # A sentence that did not hold up comes back framed ("X writes: “...”"): the source sentence inside
        # the frame is what the next choice must avoid.
        rejected = {note.text for note in request.revision_notes}
        rejected |= {quoted for text in rejected for quoted in _QUOTATION.findall(text)}
        comment = (request.reviewer_comment or "").strip()
        drop, first = comment_directives(comment, list(request.items)) if comment else (set(), [])
        by_section: dict[Section, list[Item]] = {}
        for item in request.items:
            if item.id not in drop:
                by_section.setdefault(item.section, []).append(item)
        opening = [i for i in request.items if i.id in first]
        for item in opening:  # quoted once, where the reviewer asked for it
            by_section[item.section].remove(item)
        headline = _headline(request.moves)
        paragraphs = [
            _quotations(
                {Section.LABS: opening}, (Section.LABS,), request.focus, rejected, limit=len(opening)
            ),
            [*_framing(request), *_benchmarks(request, [headline] if headline else [])],
            _quotations(by_section, (Section.LABS,), request.focus, rejected),
            _quotations(by_section, (Section.WIRE,), request.focus, rejected),
            [
                *_quotations(by_section, (Section.PAPERS,), request.focus, rejected),
                *_repositories(by_section.get(Section.REPOS, []), rejected),
            ],
            _benchmarks(request, [m for m in _notable_moves(request.moves) if m != headline]),
        ]
        paragraphs = [[s for s in p if s.text not in rejected] for p in paragraphs]
        paragraphs = [p for p in paragraphs if p]
        problems = []
        if comment:
            titles = {i.id: i.title for i in request.items}
            problems.append(
                comment_followed(comment, [titles[i] for i in drop], [titles[i] for i in first])
                if drop or first
                else comment_named_nothing(comment)
                if asks_for_a_story(comment)
                else comment_not_followed(comment)
            )
        if not paragraphs:
            return WriteResult(error="no selected item has a usable sentence for the lead", problems=problems)
        claims = [
            _claim(s.text, s.item, s.start, s.end, "lead", p, i)
            for p, paragraph in enumerate(paragraphs)
            for i, s in enumerate(paragraph)
        ]
        return WriteResult(claims=claims, problems=problems)


@dataclass(frozen=True, slots=True)
class _Sentence:
    """A lead sentence and the range of the item text it rests on."""

    text: str
    item: Item
    start: int
    end: int


def _framing(request: LeadRequest) -> list[_Sentence]:
    """The week in figures, from the desk's own count of what it selected (a citable document)."""
    document = request.week_document
    if document is None or not document.text.strip():
        return []
    return [_Sentence(document.text[a:b], document, a, b) for a, b in sentence_spans(document.text)]


def _quotations(
    by_section: dict[Section, list[Item]],
    sections: Sequence[Section],
    focus: Sequence[str],
    avoid: set[str],
    *,
    limit: int | None = None,
) -> list[_Sentence]:
    paragraph: list[_Sentence] = []
    for section in sections:
        for item in by_section.get(section, [])[: limit or _LEAD_ITEMS_PER_SECTION[section]]:
            span = _key_sentence(item, focus, avoid)
            if span is not None:
                text = attributed(item, item.text[span[0] : span[1]], turn=len(paragraph))
                paragraph.append(_Sentence(text, item, *span))
    return paragraph


def _repositories(repos: Sequence[Item], avoid: set[str]) -> list[_Sentence]:
    """ "owner/name: what it is" becomes a sentence about the repository, its description quoted."""
    paragraph: list[_Sentence] = []
    for item in repos[: _LEAD_ITEMS_PER_SECTION[Section.REPOS]]:
        name = item.repo.full_name if item.repo is not None else item.title
        description = item.repo.description if item.repo is not None else ""
        at = item.text.find(description) if description else -1
        if at < 0 or item.text[at : at + len(description)] in avoid:
            continue
        quote = description.strip().rstrip(".")
        text = (
            f"Also trending, {name} describes itself as “{quote}.”"
            if paragraph
            else f"Trending on GitHub this week, {name} describes itself as “{quote}.”"
        )
        paragraph.append(_Sentence(text, item, at, at + len(description)))
    return paragraph


def _ordinal(rank: int) -> str:
    return _ORDINALS[rank - 1] if 1 <= rank <= len(_ORDINALS) else f"rank {rank}"


def _board(name: str) -> str:
    """ "the Artificial Analysis Intelligence Index", but "SWE-rebench": a name ending in a common noun
    takes the article."""
    last = name.split()[-1].lower() if name.split() else ""
    return f"the {name}" if last in _BOARD_NOUNS else name


def _move_prose(move: LeaderboardMove) -> str | None:
    """A move as a sentence a reader would write, or None when nothing moved worth a sentence."""
    score = format_score(move.score, move.unit)
    board = _board(move.leaderboard)
    # The score right after the name: the checker binds a number there to that model's row.
    who = f"{move.model}, at {score},"
    if move.previous_rank is None:
        return f"{who} entered {board} in {_ordinal(move.rank)} place."
    if move.rank == 1 and move.previous_rank == 1:
        return f"{who} held first place on {board}."
    if move.rank == 1:
        return f"{who} took first place on {board}, up from {_ordinal(move.previous_rank)}."
    if move.previous_rank > move.rank:
        return f"{who} climbed from {_ordinal(move.previous_rank)} to {_ordinal(move.rank)} on {board}."
    return None


def _notable_moves(moves: Sequence[LeaderboardMove]) -> list[LeaderboardMove]:
    """Per board: the leader, then the biggest climber or the best new entry."""
    chosen: list[LeaderboardMove] = []
    for board in dict.fromkeys(m.leaderboard for m in moves):
        on_board = [m for m in moves if m.leaderboard == board]
        leader = min(on_board, key=lambda m: m.rank)
        chosen.append(leader)
        others = [m for m in on_board if m is not leader]
        climbers = [m for m in others if (m.rank_change or 0) > 0]
        entries = [m for m in others if m.previous_rank is None]
        if climbers:
            chosen.append(max(climbers, key=lambda m: (m.rank_change or 0, -m.rank)))
        elif entries:
            chosen.append(min(entries, key=lambda m: m.rank))
    return chosen


def _headline(moves: Sequence[LeaderboardMove]) -> LeaderboardMove | None:
    """The week's biggest move: a new leader first, then the most places climbed."""
    moved = [m for m in moves if (m.rank_change or 0) > 0]
    if not moved:
        return None
    return max(moved, key=lambda m: (m.rank == 1, m.rank_change or 0, -m.rank))


def _benchmarks(request: LeadRequest, moves: Sequence[LeaderboardMove]) -> list[_Sentence]:
    """Benchmark sentences written from the parsed moves, each citing the line of the moves document
    that states the move, so the checker compares the prose with the numbers."""
    document = request.moves_document
    if document is None:
        return []
    lines = {document.text[a:b]: (a, b) for a, b in sentence_spans(document.text)}
    paragraph: list[_Sentence] = []
    for move in moves:
        prose = _move_prose(move)
        span = lines.get(move_sentence(move))
        if prose is not None and span is not None:
            paragraph.append(_Sentence(prose, document, *span))
    return paragraph
