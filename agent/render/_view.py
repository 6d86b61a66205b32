"""What an edition is rendered from (:class:`EditionView`) and the layout both formats share.

:func:`layout` is pure: it numbers the citations, resolves claim ids to sentences, formats numbers
and dates, and decides which links are safe. The templates only arrange its output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from agent.domain.models import SECTION_TITLES, Claim, Draft, Item, LeaderboardMove, Section
from agent.moves import format_score, move_label, moves_document, normalise_model_name, score_decimals
from agent.render._escape import safe_url
from agent.week import week_document

__all__ = [
    "BoardTable",
    "Column",
    "EditionView",
    "Entry",
    "Envelope",
    "Layout",
    "PaperEntry",
    "PublishedEdition",
    "Ref",
    "RepoEntry",
    "Sentence",
    "layout",
    "long_date",
    "preview_text",
]

# An inbox shows 40-140 characters of preview; past about 150 the rest is never seen.
_PREVIEW_CHARS = 150


@dataclass(frozen=True)
class EditionView:
    """An edition ready to render: the draft, the selected items per section (in order) and the moves."""

    draft: Draft
    sections: dict[Section, list[Item]]
    moves: list[LeaderboardMove] = field(default_factory=list)
    title: str = "The Inference Report"


@dataclass(frozen=True, slots=True)
class Envelope:
    """What surrounds an edition served or sent to readers; the draft page has none.

    ``preview``: the line an inbox shows after the subject. ``page_url``: the edition on the site.
    ``correction``: a note under the date when an earlier revision went out."""

    preview: str = ""
    page_url: str | None = None
    archive_url: str | None = None
    feed_url: str | None = None
    unsubscribe_url: str | None = None
    correction: str | None = None


@dataclass(frozen=True, slots=True)
class PublishedEdition:
    """One entry of the feed of published editions: ``content`` is the edition's HTML,
    ``published_at`` the first publication of the edition, ``updated_at`` this revision's."""

    run_id: str
    edition_date: date
    title: str
    url: str | None
    summary: str
    published_at: datetime
    updated_at: datetime | None = None
    content: str = ""


@dataclass(frozen=True, slots=True)
class Ref:
    """A cited item, numbered in order of first citation: the ``[n]`` markers and the source list."""

    number: int
    item_id: str
    title: str
    source: str
    url: str | None  # None: nothing safe to link to (the marker then points at the source list)

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    @property
    def href(self) -> str:
        return self.url or f"#{self.anchor}"


@dataclass(frozen=True, slots=True)
class Sentence:
    claim: Claim
    refs: tuple[Ref, ...]

    @property
    def verdict(self) -> str:
        return self.claim.verdict.value if self.claim.verdict is not None else "unchecked"

    @property
    def explanation(self) -> str:
        """The reviewer's tooltip: the checker's reasons, or the verdict alone."""
        return "; ".join(self.claim.reasons) if self.claim.reasons else self.verdict.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Entry:
    """A lab announcement or a wire story."""

    title: str
    url: str | None
    date_text: str | None
    source: str
    covered_in: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PaperEntry:
    title: str
    url: str | None
    category: str | None
    sentences: tuple[Sentence, ...]
    # Set when there is no summary to show; the text never replaces a summary with unsourced words.
    unavailable: str | None


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    numeric: bool


@dataclass(frozen=True, slots=True)
class BoardTable:
    name: str
    description: str
    url: str | None
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class RepoEntry:
    name: str
    url: str | None
    description: str
    facts: tuple[str, ...]  # language, stars, stars today


@dataclass(frozen=True, slots=True)
class Layout:
    title: str
    date_text: str
    revision: int
    lead: tuple[tuple[Sentence, ...], ...]
    byline: str
    # One line under the byline saying how the edition was drafted, when readers should know it.
    drafted_note: str
    labs: tuple[Entry, ...]
    wire: tuple[Entry, ...]
    papers: tuple[PaperEntry, ...]
    boards: tuple[BoardTable, ...]
    repos: tuple[RepoEntry, ...]
    refs: tuple[Ref, ...]
    verdict_counts: tuple[tuple[str, int], ...]
    section_titles: dict[str, str]


# Readers are told when no language model wrote the lead: its sentences are quotations, not the desk's prose.
_DRAFTED_NOTES = {
    "extractive": (
        "Drafted without a language model: the lead quotes its sources by name, every sentence cited."
    ),
}


def long_date(day: date | datetime) -> str:
    """``November 26, 2026``."""
    return f"{day:%B} {day.day}, {day.year}"


def preview_text(draft: Draft, limit: int = _PREVIEW_CHARS) -> str:
    """The lead's opening, cut at a word before ``limit`` characters: an inbox's preview line and
    the feed entry's summary."""
    by_id = {c.id: c.text for c in draft.claims}
    first = " ".join(
        by_id[i] for i in (draft.lead_paragraphs[0] if draft.lead_paragraphs else []) if i in by_id
    )
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + " …"


class _Refs:
    """Numbers cited items in order of first citation."""

    def __init__(self, items: dict[str, Item]) -> None:
        self._items = items
        self._refs: dict[str, Ref] = {}

    def of(self, claim: Claim) -> tuple[Ref, ...]:
        found: list[Ref] = []
        for citation in claim.citations:
            ref = self._refs.get(citation.item_id)
            if ref is None:
                item = self._items.get(citation.item_id)
                ref = Ref(
                    number=len(self._refs) + 1,
                    item_id=citation.item_id,
                    title=item.title if item is not None else citation.item_id,
                    source=item.source_label if item is not None else "",
                    url=safe_url(item.url if item is not None and item.url else citation.url),
                )
                self._refs[citation.item_id] = ref
            if ref not in found:
                found.append(ref)
        return tuple(found)

    @property
    def all(self) -> tuple[Ref, ...]:
        return tuple(self._refs.values())


def _sentences(draft: Draft, claim_ids: Sequence[str], refs: _Refs) -> tuple[Sentence, ...]:
    by_id = {c.id: c for c in draft.claims}
    # An id without a claim is skipped rather than shown: only checked sentences may appear.
    return tuple(Sentence(by_id[i], refs.of(by_id[i])) for i in claim_ids if i in by_id)


def _entry(item: Item) -> Entry:
    when = item.published or item.updated
    return Entry(
        title=item.title,
        url=safe_url(item.url),
        date_text=long_date(when) if when is not None else None,
        source=item.source_label,
        covered_in=item.covered_in,
    )


def _paper(item: Item, draft: Draft, refs: _Refs) -> PaperEntry:
    summary = next((p for p in draft.papers if p.item_id == item.id), None)
    sentences: tuple[Sentence, ...] = ()
    unavailable: str | None = None
    if summary is None:
        unavailable = "no summary was written"
    elif summary.error:
        unavailable = summary.error
    else:
        sentences = _sentences(draft, summary.claim_ids, refs)
        unavailable = None if sentences else "the summary has no sentences"
    return PaperEntry(
        title=item.title,
        url=safe_url(item.url),
        category=item.categories[0] if item.categories else None,
        sentences=sentences,
        unavailable=unavailable,
    )


def _number(value: float | None, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def _board(item: Item, moves: dict[tuple[str, str], LeaderboardMove]) -> BoardTable | None:
    board = item.leaderboard
    if board is None:
        return None
    rows = sorted(board.rows, key=lambda r: r.rank)
    speed = any(r.tokens_per_second is not None for r in rows)
    price = any(r.usd_per_million_tokens is not None for r in rows)
    moved = any(name == board.name for name, _ in moves)
    columns = [Column("#", True), Column("Model", False), Column("Score", True)]
    columns += [Column("tok/s", True)] if speed else []
    columns += [Column("$/1M", True)] if price else []
    columns += [Column("Move", False)] if moved else []
    places = score_decimals(r.score for r in rows)
    table: list[tuple[str, ...]] = []
    for row in rows:
        cells = [str(row.rank), row.model, format_score(row.score, row.unit, places)]
        if speed:
            cells.append(_number(row.tokens_per_second, "{:,.0f}"))
        if price:
            cells.append(_number(row.usd_per_million_tokens, "${:,.2f}"))
        if moved:
            move = moves.get((board.name, normalise_model_name(row.model)))
            cells.append(move_label(move) if move is not None else "")
        table.append(tuple(cells))
    return BoardTable(
        name=board.name,
        description=board.description,
        url=safe_url(item.url),
        columns=tuple(columns),
        rows=tuple(table),
    )


def _repo(item: Item) -> RepoEntry:
    repo = item.repo
    facts: list[str] = []
    if repo is not None and repo.language:
        facts.append(repo.language)
    if repo is not None and repo.stars is not None:
        facts.append(f"{repo.stars:,} stars")
    if repo is not None and repo.stars_today is not None:
        facts.append(f"{repo.stars_today:,} stars today")
    name = repo.full_name if repo is not None else item.title
    return RepoEntry(
        name=name,
        url=safe_url(item.url),
        description=repo.description if repo is not None else "",
        facts=tuple(facts),
    )


def layout(view: EditionView) -> Layout:
    draft = view.draft
    sections = {s: list(view.sections.get(s, [])) for s in Section}
    items = {i.id: i for chosen in sections.values() for i in chosen}
    if view.moves:
        document = moves_document(view.moves, draft.edition_date)
        items.setdefault(document.id, document)
    week = week_document({s: len(chosen) for s, chosen in sections.items()}, draft.edition_date)
    if week is not None:
        items.setdefault(week.id, week)
    refs = _Refs(items)
    # Sentences are numbered in reading order: the lead, then the paper summaries.
    lead = tuple(_sentences(draft, paragraph, refs) for paragraph in draft.lead_paragraphs)
    papers = tuple(_paper(i, draft, refs) for i in sections[Section.PAPERS])
    moves = {(m.leaderboard, normalise_model_name(m.model)): m for m in view.moves}
    boards = tuple(b for b in (_board(i, moves) for i in sections[Section.BENCHMARKS]) if b is not None)
    counts = Counter(c.verdict.value if c.verdict is not None else "unchecked" for c in draft.claims)
    return Layout(
        title=view.title,
        date_text=long_date(draft.edition_date),
        revision=draft.revision,
        lead=tuple(p for p in lead if p),
        byline=draft.byline,
        drafted_note=_DRAFTED_NOTES.get(draft.writer, ""),
        labs=tuple(_entry(i) for i in sections[Section.LABS]),
        wire=tuple(_entry(i) for i in sections[Section.WIRE]),
        papers=papers,
        boards=boards,
        repos=tuple(_repo(i) for i in sections[Section.REPOS]),
        refs=refs.all,
        verdict_counts=tuple(sorted(counts.items())),
        section_titles={s.value: SECTION_TITLES[s] for s in Section},
    )
