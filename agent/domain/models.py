"""Domain models shared by every stage: items, leaderboards, citations, claims, drafts, usage, prompt refs.

These are plain pydantic values (JSON-serialisable) so they can live in the LangGraph state,
the SQLite store and the output files without custom serialisers.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Citation",
    "Claim",
    "Draft",
    "DropReason",
    "DroppedItem",
    "Item",
    "JudgeScope",
    "Leaderboard",
    "LeaderboardMove",
    "LeaderboardRow",
    "PaperSummary",
    "PromptRef",
    "RepoInfo",
    "Section",
    "SourceKind",
    "Usage",
    "Verdict",
    "content_hash",
]


class Section(StrEnum):
    """The edition's sections, in the order they are rendered."""

    LABS = "labs"
    WIRE = "wire"
    PAPERS = "papers"
    BENCHMARKS = "benchmarks"
    REPOS = "repos"


SECTION_TITLES: dict[Section, str] = {
    Section.LABS: "AI Labs",
    Section.WIRE: "From the Wire",
    Section.PAPERS: "Research Papers - Focused",
    Section.BENCHMARKS: "Benchmarks",
    Section.REPOS: "Trending Repositories",
}


class SourceKind(StrEnum):
    FEED = "feed"
    ARXIV = "arxiv"
    GITHUB_TRENDING = "github_trending"
    LEADERBOARD = "leaderboard"
    PAGE = "page"


class Verdict(StrEnum):
    SUPPORTED = "supported"
    UNSUPPORTED = "unsupported"
    NO_CITATION = "no_citation"
    UNVERIFIABLE = "unverifiable"


# Which claims the optional judge reads: "undecided", those the checks leave unverifiable; "passed", those
# and the claims the checks passed, whose words the passages hold but whose relations no lexical check reads.
JudgeScope = Literal["undecided", "passed"]


def content_hash(data: bytes) -> str:
    """The content hash recorded for fetched bytes: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LeaderboardRow(_Value):
    rank: int
    model: str
    score: float
    # Optional columns: the Artificial Analysis table shows speed and blended price.
    tokens_per_second: float | None = None
    usd_per_million_tokens: float | None = None
    # The score's unit as printed: "%" for SWE-rebench, "" for an index.
    unit: str = ""
    creator: str | None = None


class Leaderboard(_Value):
    """A parsed leaderboard: tables are rendered from this, never written by a model."""

    name: str  # e.g. "Artificial Analysis Intelligence Index"
    metric: str  # e.g. "Intelligence Index", "Resolved rate"
    description: str = ""
    rows: tuple[LeaderboardRow, ...] = ()


class LeaderboardMove(_Value):
    """How one model moved between the previous edition's snapshot and this one."""

    leaderboard: str
    model: str
    rank: int
    score: float
    previous_rank: int | None = None  # None: new on the board
    previous_score: float | None = None
    # The score's unit as printed on the board ("%" or ""), so a move can be written without the board.
    unit: str = ""

    @property
    def rank_change(self) -> int | None:
        """Positive when the model climbed (rank number went down)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def score_change(self) -> float | None:
        return None if self.previous_score is None else round(self.score - self.previous_score, 4)


class RepoInfo(_Value):
    full_name: str  # "owner/name"
    description: str = ""
    language: str | None = None
    stars: int | None = None
    stars_today: int | None = None
    forks: int | None = None


class Item(_Value):
    """One thing a source returned: an article, a paper, a repository or a leaderboard.

    ``text`` is the citable text: every citation's character range points into it, so it is
    stored with the item and never re-derived.
    """

    id: str  # stable: canonical URL, "arxiv:2405.01234", "github:owner/name", "leaderboard:<slug>"
    source: str  # the source's name in sources.toml
    # The source's title in sources.toml, for readers ("Anthropic News"); empty: show ``source``.
    source_title: str = ""
    # Other sources that carried the same link: one item records them all (its text is this copy's).
    also_from: tuple[str, ...] = ()
    section: Section
    kind: SourceKind
    title: str
    url: str
    text: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    # arXiv: the primary category first, then the others.
    categories: tuple[str, ...] = ()
    fetched_at: datetime | None = None
    # For an item that prints no date: when the store first saw its id (set by extract). Selection
    # dates it by this day, so an undated article is news once, not never.
    first_seen: datetime | None = None
    content_hash: str = ""
    repo: RepoInfo | None = None
    leaderboard: Leaderboard | None = None
    # Set by select: the score against the focus topics, and earlier editions that covered it.
    relevance: float = 0.0
    covered_in: tuple[str, ...] = ()
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def source_label(self) -> str:
        """The source as readers see it: its title, else its name, with the other sources that carried
        the same link ("Anthropic News · also in The Wire")."""
        label = self.source_title or self.source
        if not self.also_from:
            return label
        others = self.extra.get("also_from_titles") or self.also_from
        return f"{label} · also in {', '.join(str(o) for o in others)}"

    @property
    def publisher(self) -> str:
        """Who published the item, by name: the source's title from the sources file, else the title its
        feed prints, else the site it was read from; the source's slug last. Quotations are attributed to
        it, and the checker accepts it as a name the item itself vouches for."""
        if self.source_title.strip():
            return self.source_title.strip()
        feed_title = self.extra.get("feed_title")
        if isinstance(feed_title, str) and feed_title.strip():
            return feed_title.strip()
        if self.kind in _KIND_PUBLISHERS:
            return _KIND_PUBLISHERS[self.kind]
        return self.source.replace("-", " ").replace("_", " ").title()


# Sources whose site names the publisher whatever the source is called in the sources file.
_KIND_PUBLISHERS = {SourceKind.GITHUB_TRENDING: "GitHub", SourceKind.ARXIV: "arXiv"}


class DropReason(StrEnum):
    """Why a fetched item is not in the edition."""

    OUTSIDE_WINDOW = "outside_window"  # dated (or first seen) outside the edition's window
    UNDATED = "undated"  # prints no date and the store never saw it
    UNREADABLE_DATE = "unreadable_date"  # prints a date nobody can read, and was never seen before
    DUPLICATE = "duplicate"  # the same link, or the same story under a near-identical title
    COVERED = "covered"  # shown in an earlier edition, and the section filled with new items
    BELOW_RELEVANCE = "below_relevance"  # matches none of the focus topics, and the section filled
    OVER_CAP = "over_cap"  # the section filled with better-ranked items


class DroppedItem(_Value):
    """One fetched item left out of the edition, and why: the run report's ``dropped`` entries."""

    item_id: str
    title: str
    source: str
    section: Section
    reason: DropReason
    # What a reader of the report needs to judge the reason: the date, the item it duplicates, ...
    detail: str = ""
    # DUPLICATE: the item kept in its place.
    duplicate_of: str | None = None


class Citation(_Value):
    """Where a claim's evidence sits: ``item.text[start:end] == quote``."""

    item_id: str
    start: int
    end: int
    quote: str
    url: str = ""
    fetched_at: datetime | None = None
    content_hash: str = ""


class Claim(BaseModel):
    """One sentence a writer produced, its citations and (after check) its verdict."""

    model_config = ConfigDict(extra="forbid")

    id: str  # stable within a run: "<block>:<paragraph>:<sentence>"
    block: str  # "lead" or "paper:<item id>"
    paragraph: int
    text: str
    citations: list[Citation] = Field(default_factory=list)
    verdict: Verdict | None = None
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)
    # Set when a revise round could not make the claim supported, or when the source text it rests on
    # speaks to an AI (agent.injection): shown to the reviewer.
    flagged: bool = False


class PaperSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: str
    claim_ids: list[str] = Field(default_factory=list)
    error: str | None = None


class Draft(BaseModel):
    """The written edition: prose is held as claims; everything else references items."""

    model_config = ConfigDict(extra="forbid")

    edition_date: date
    byline: str
    writer: str
    revision: int = 1
    lead_paragraphs: list[list[str]] = Field(default_factory=list)  # claim ids per paragraph
    papers: list[PaperSummary] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)


class Usage(BaseModel):
    """Token usage and cost, as the API reports it (``input_tokens`` excludes cached tokens)."""

    model_config = ConfigDict(extra="forbid")

    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            usd=round(self.usd + other.usd, 6),
        )

    def __sub__(self, other: Usage) -> Usage:
        """What was spent between two readings of a running total."""
        return Usage(
            input_tokens=self.input_tokens - other.input_tokens,
            output_tokens=self.output_tokens - other.output_tokens,
            cache_write_tokens=self.cache_write_tokens - other.cache_write_tokens,
            cache_read_tokens=self.cache_read_tokens - other.cache_read_tokens,
            usd=round(self.usd - other.usd, 6),
        )


class PromptRef(BaseModel):
    """Which prompt a call used: recorded per run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int
    sha256: str
