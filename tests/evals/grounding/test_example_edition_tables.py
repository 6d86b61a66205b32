"""The example edition's Benchmarks sentences, checked against the edition's own printed tables.

The edition (``../shared/reference/example-edition.txt``, read in place) is a copy of the rendered page, so
its tables are glued text: ``1GPT-5.560.265$11.25`` is rank 1, GPT-5.5, 60.2, 65 tok/s, $11.25. They are
read back into boards here, cited as the pipeline cites a leaderboard, and the lead's benchmark sentences
are checked against them.

Its tables print the top five only, while the lead was written against the full boards: a sentence about
ranks 6-10 or a model below the top five cannot be supported by these tables. Those are listed with the
figure the tables lack, and no table relation may contradict them (a red flag made up from a table that
cannot say would be a false alarm).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.domain.models import (
    Citation,
    Claim,
    Item,
    Leaderboard,
    LeaderboardRow,
    Section,
    SourceKind,
    Verdict,
)
from agent.domain.text import sentences
from evals.grounding.checker import check_claims
from tools.adapters.leaderboard import row_sentence

_HEADER_RE = re.compile(r"^#Model(Score)(tok/s)?(\$/1M)?$")
_ROW_WITH_PRICE_RE = re.compile(r"^(\d{1,2})(.+?)(\d{1,2}\.\d)(\d{1,4})\$(\d+\.\d\d)$")
_ROW_PERCENT_RE = re.compile(r"^(\d{1,2})(.+?)(\d{1,2}\.\d)%$")

# Sentences of the lead's benchmark paragraph that name figures the printed top-five tables do not hold,
# with one of those figures.
_BEYOND_THE_TABLES = {
    "Models ranked 2 through 7": "62.3",  # rank 7's score
    "GLM-5.1 moved to 51.4": "GLM-5.1",  # not in the Artificial Analysis top five
    "the spread from position 1 to position 10": "4.3",  # needs rank 10
}


def _edition(shared_dir: Path) -> str:
    path = shared_dir / "reference" / "example-edition.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found (../shared/reference is absent on this machine)")
    return path.read_text(encoding="utf-8")


def _boards(text: str) -> list[Leaderboard]:
    lines = [line.strip() for line in text[text.index("BenchmarksFull tables") :].splitlines()]
    lines = [line for line in lines if line]
    boards = []
    for i, line in enumerate(lines):
        header = _HEADER_RE.match(line)
        if header is None:
            continue
        name = re.sub(r"([a-z])([A-Z])", r"\1 \2", lines[i - 2])  # "Artificial AnalysisIntelligence Index"
        rows = []
        for row in lines[i + 1 :]:
            priced, percent = _ROW_WITH_PRICE_RE.match(row), _ROW_PERCENT_RE.match(row)
            if header.group(3) and priced:
                rank, model, score, speed, price = priced.groups()
                rows.append(
                    LeaderboardRow(
                        rank=int(rank),
                        model=model,
                        score=float(score),
                        tokens_per_second=float(speed),
                        usd_per_million_tokens=float(price),
                    )
                )
            elif not header.group(3) and percent:
                rank, model, score = percent.groups()
                rows.append(LeaderboardRow(rank=int(rank), model=model, score=float(score), unit="%"))
            else:
                break
        boards.append(Leaderboard(name=name, metric="Score", description=lines[i - 1], rows=tuple(rows)))
    return boards


def _items(boards: list[Leaderboard]) -> dict[str, Item]:
    items = {}
    for board in boards:
        text = " ".join(row_sentence(row, metric=board.metric) for row in board.rows)
        item = Item(
            id=f"leaderboard:{board.name.lower().replace(' ', '-')}",
            source=board.name,
            section=Section.BENCHMARKS,
            kind=SourceKind.LEADERBOARD,
            title=board.name,
            url="https://example.org/board",
            text=text,
            leaderboard=board,
        )
        items[item.id] = item
    return items


def _benchmark_sentences(text: str) -> list[str]:
    paragraph = next(p for p in text.split("\n\n") if "SWE-rebench" in p and "Grant Calloway" not in p)
    return [s for s in sentences(paragraph) if re.search(r"\d", s)]


def test_the_edition_tables_are_read_back(shared_dir: Path) -> None:
    boards = _boards(_edition(shared_dir))
    assert [b.name for b in boards] == ["Artificial Analysis Intelligence Index", "SWE-rebench"]
    aa, swe = boards
    first = aa.rows[0]
    assert (first.model, first.score, first.tokens_per_second, first.usd_per_million_tokens) == (
        "GPT-5.5",
        60.2,
        65.0,
        11.25,
    )
    assert [r.model for r in aa.rows][1:] == [
        "Claude Opus 4.7",
        "Gemini 3.1 Pro Preview",
        "GPT-5.4",
        "Kimi K2.6",
    ]
    assert [(r.model, r.score) for r in swe.rows] == [
        ("Claude Opus 4.6", 65.3),
        ("gpt-5.2-2025-12-11-medium", 64.4),
        ("GLM-5", 62.8),
        ("Junie", 62.8),
        ("gpt-5.4-2026-03-05-medium", 62.8),
    ]


def test_the_benchmark_sentences_against_the_edition_tables(shared_dir: Path) -> None:
    text = _edition(shared_dir)
    items = _items(_boards(text))
    found = _benchmark_sentences(text)
    assert len(found) == 4, found
    claims = [
        Claim(
            id=str(i),
            block="lead",
            paragraph=3,
            text=sentence,
            citations=[
                Citation(item_id=item.id, start=0, end=len(item.text), quote=item.text)
                for item in items.values()
            ],
        )
        for i, sentence in enumerate(found)
    ]
    checked = check_claims(claims, items=items)
    for claim in checked:
        beyond = next((figure for start, figure in _BEYOND_THE_TABLES.items() if start in claim.text), None)
        if beyond is None:
            assert claim.verdict is Verdict.SUPPORTED, (claim.text, claim.reasons)
            continue
        # Not supported: the figure is missing from the top-five tables, and no table relation says otherwise.
        assert claim.verdict is not Verdict.SUPPORTED, (claim.text, claim.reasons)
        assert any(beyond in r and "not in the cited passage" in r for r in claim.reasons), claim.reasons
        assert not any(
            " on SWE-rebench" in r or " on Artificial Analysis" in r for r in claim.reasons[:-1]
        ), claim.reasons
