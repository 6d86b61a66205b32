"""A small hand-built edition: one item per section, a lead of two paragraphs, two boards with moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from agent.domain.models import (
    Citation,
    Claim,
    Draft,
    Item,
    Leaderboard,
    LeaderboardMove,
    LeaderboardRow,
    PaperSummary,
    RepoInfo,
    Section,
    SourceKind,
    Verdict,
)
from agent.render import EditionView

DAY = date(2026, 11, 26)


def _cite(item: Item, quote: str) -> Citation:
    start = item.text.index(quote)
    return Citation(item_id=item.id, start=start, end=start + len(quote), quote=quote, url=item.url)


LAB = Item(
    id="https://www.anthropic.com/news/claude-for-small-business",
    source="anthropic-news",
    section=Section.LABS,
    kind=SourceKind.FEED,
    title="Claude for small business",
    url="https://www.anthropic.com/news/claude-for-small-business",
    text="Anthropic is packaging Claude for small businesses. The plan includes shared projects.",
    published=datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
)
WIRE = Item(
    id="https://example-news.com/2026/11/25/capex",
    source="example-news",
    section=Section.WIRE,
    kind=SourceKind.FEED,
    title="Hyperscalers lift AI capital spending to $725 billion",
    url="https://example-news.com/2026/11/25/capex",
    text="Hyperscalers will spend $725 billion on AI compute this year, up from $410 billion.",
    published=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
)
PAPER = Item(
    id="arxiv:2611.01234",
    source="arxiv-cs-dc",
    section=Section.PAPERS,
    kind=SourceKind.ARXIV,
    title="ChunkFlow: Communication-Aware Chunked Prefetching for Layerwise Offloading",
    url="https://arxiv.org/abs/2611.01234",
    text=(
        "Layerwise offloading reduces the GPU memory footprint of diffusion transformer inference. "
        "ChunkFlow delivers up to 1.28x step-time speedup over existing layerwise offloading."
    ),
    categories=("cs.DC", "cs.LG"),
    published=datetime(2026, 11, 23, tzinfo=UTC),
)
FAILED_PAPER = Item(
    id="arxiv:2611.05678",
    source="arxiv-cs-dc",
    section=Section.PAPERS,
    kind=SourceKind.ARXIV,
    title="Dooly: Configuration-Agnostic Profiling for LLM Inference Simulation",
    url="https://arxiv.org/abs/2611.05678",
    text="We present Dooly, which exploits this structure to achieve configuration-agnostic profiling.",
    categories=("cs.DC",),
)
AA = Item(
    id="leaderboard:artificial-analysis",
    source="artificial-analysis",
    section=Section.BENCHMARKS,
    kind=SourceKind.LEADERBOARD,
    title="Artificial Analysis Intelligence Index",
    url="https://artificialanalysis.ai/leaderboards/models",
    text="1. GPT-5.5 60.2\n2. Claude Opus 4.7 57.3",
    leaderboard=Leaderboard(
        name="Artificial Analysis Intelligence Index",
        metric="Intelligence Index",
        description="Composite score across coding, math, and reasoning",
        rows=(
            LeaderboardRow(
                rank=1, model="GPT-5.5", score=60.2, tokens_per_second=65, usd_per_million_tokens=11.25
            ),
            LeaderboardRow(
                rank=2,
                model="Claude Opus 4.7",
                score=57.3,
                tokens_per_second=63,
                usd_per_million_tokens=10.94,
            ),
        ),
    ),
)
SWE = Item(
    id="leaderboard:swe-rebench",
    source="swe-rebench",
    section=Section.BENCHMARKS,
    kind=SourceKind.LEADERBOARD,
    title="SWE-rebench",
    url="https://swe-rebench.com/leaderboard",
    text="1. Claude Opus 4.6 65.3%\n2. gpt-5.2-2025-12-11-medium 64.4%\n3. GLM-5 62.8%",
    leaderboard=Leaderboard(
        name="SWE-rebench",
        metric="Resolved rate",
        description="Agentic coding on real-world software engineering tasks",
        rows=(
            LeaderboardRow(rank=1, model="Claude Opus 4.6", score=65.3, unit="%"),
            LeaderboardRow(rank=2, model="gpt-5.2-2025-12-11-medium", score=64.4, unit="%"),
            LeaderboardRow(rank=3, model="GLM-5", score=62.8, unit="%"),
        ),
    ),
)
REPO = Item(
    id="github:trycua/cua",
    source="github-trending",
    section=Section.REPOS,
    kind=SourceKind.GITHUB_TRENDING,
    title="trycua/cua",
    url="https://github.com/trycua/cua",
    text="Open-source infrastructure for computer-use agents.",
    repo=RepoInfo(
        full_name="trycua/cua",
        description="Open-source infrastructure for computer-use agents.",
        language="Python",
        stars=12345,
        stars_today=1234,
    ),
)
MOVES = [
    LeaderboardMove(
        leaderboard="SWE-rebench",
        model="Claude Opus 4.6",
        rank=1,
        score=65.3,
        previous_rank=3,
        previous_score=64.1,
        unit="%",
    ),
    LeaderboardMove(
        leaderboard="SWE-rebench",
        model="gpt-5.2-2025-12-11-medium",
        rank=2,
        score=64.4,
        previous_rank=1,
        previous_score=64.5,
        unit="%",
    ),
    LeaderboardMove(leaderboard="SWE-rebench", model="GLM-5", rank=3, score=62.8, unit="%"),
]


def claims() -> list[Claim]:
    return [
        Claim(
            id="lead:0:0",
            block="lead",
            paragraph=0,
            text="Hyperscalers will spend $725 billion on AI compute this year.",
            citations=[_cite(WIRE, "Hyperscalers will spend $725 billion on AI compute this year")],
            verdict=Verdict.SUPPORTED,
            score=1.0,
        ),
        Claim(
            id="lead:0:1",
            block="lead",
            paragraph=0,
            text="Anthropic is packaging Claude for small businesses.",
            citations=[_cite(LAB, "Anthropic is packaging Claude for small businesses.")],
            verdict=Verdict.SUPPORTED,
            score=1.0,
        ),
        Claim(
            id="lead:1:0",
            block="lead",
            paragraph=1,
            text="Claude Opus 4.6 climbed to the top of SWE-rebench at 66.0%.",
            citations=[_cite(SWE, "1. Claude Opus 4.6 65.3%")],
            verdict=Verdict.UNSUPPORTED,
            score=0.2,
            reasons=["the number 66.0% is not in the cited passage", 'quote "x" <b>'],
            flagged=True,
        ),
        Claim(
            id="lead:1:1",
            block="lead",
            paragraph=1,
            text="Agents are the next battleground.",
            verdict=Verdict.NO_CITATION,
        ),
        Claim(
            id="paper:arxiv:2611.01234:0:0",
            block="paper:arxiv:2611.01234",
            paragraph=0,
            text="ChunkFlow delivers up to 1.28x step-time speedup over existing layerwise offloading.",
            citations=[_cite(PAPER, "ChunkFlow delivers up to 1.28x step-time speedup")],
            verdict=Verdict.SUPPORTED,
            score=1.0,
        ),
        Claim(
            id="paper:arxiv:2611.01234:0:1",
            block="paper:arxiv:2611.01234",
            paragraph=0,
            text="It targets diffusion transformer inference.",
            citations=[_cite(PAPER, "diffusion transformer inference")],
            verdict=Verdict.SUPPORTED,
            score=1.0,
        ),
    ]


def make_view(**items: Item) -> EditionView:
    """The sample view; keyword arguments replace items by their variable name (lab, wire, paper...)."""
    chosen = {
        "lab": LAB,
        "wire": WIRE,
        "paper": PAPER,
        "failed_paper": FAILED_PAPER,
        "aa": AA,
        "swe": SWE,
        "repo": REPO,
        **items,
    }
    draft = Draft(
        edition_date=DAY,
        byline="Grant Calloway",
        writer="extractive",
        revision=2,
        lead_paragraphs=[["lead:0:0", "lead:0:1"], ["lead:1:0", "lead:1:1"]],
        papers=[
            PaperSummary(
                item_id=chosen["paper"].id,
                claim_ids=["paper:arxiv:2611.01234:0:0", "paper:arxiv:2611.01234:0:1"],
            ),
            PaperSummary(item_id=chosen["failed_paper"].id, error="writer timed out after 2 retries"),
        ],
        claims=claims(),
    )
    return EditionView(
        draft=draft,
        sections={
            Section.LABS: [chosen["lab"]],
            Section.WIRE: [chosen["wire"]],
            Section.PAPERS: [chosen["paper"], chosen["failed_paper"]],
            Section.BENCHMARKS: [chosen["aa"], chosen["swe"]],
            Section.REPOS: [chosen["repo"]],
        },
        moves=list(MOVES),
    )


@pytest.fixture
def view() -> EditionView:
    return make_view()


@pytest.fixture
def build_view() -> Callable[..., EditionView]:
    return make_view


@pytest.fixture
def sample_items() -> dict[str, Item]:
    return {
        "lab": LAB,
        "wire": WIRE,
        "paper": PAPER,
        "failed_paper": FAILED_PAPER,
        "aa": AA,
        "swe": SWE,
        "repo": REPO,
    }


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def plain(self) -> str:
        return "".join(self.text)


@pytest.fixture
def parse_html() -> type[Tags]:
    """Parses a page into its start tags (with attributes) and its text."""
    return Tags
