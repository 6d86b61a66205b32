"""The bundled sample edition: a deterministic build, a valid sources file, every source replays, parses."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.domain.models import Item, Section, SourceKind
from agent.domain.sources import SourceSpec, load_sources
from tools.adapters import AdapterContext, parse_page, parse_response
from tools.archive import ReplayFetcher, iter_archive
from tools.fetching import FetchRequest, FetchResponse
from tools.sample import (
    DOCUMENTS_DIR,
    MANIFEST,
    PREVIOUS_WEEK_ARCHIVE,
    SAMPLE_ARCHIVE,
    SAMPLE_SOURCES,
    supported_pairs,
)
from tools.sample._build import build_archives, load_manifest
from tools.sample._history import previous_week_leaderboards

WINDOW_START = datetime(2026, 11, 20, tzinfo=UTC)
WINDOW_END = datetime(2026, 11, 27, tzinfo=UTC)  # exclusive: the whole of 2026-11-26


# Text of the article pages' cookie banner, newsletter box, footer and related links.
BOILERPLATE = ("cookies", "Get the Ledger in your inbox", "All rights reserved", "More from the Ledger")


def _specs() -> list[SourceSpec]:
    return load_sources(SAMPLE_SOURCES).enabled()


async def _items(archive: Path = SAMPLE_ARCHIVE) -> dict[str, list[Item]]:
    """Every source's items, with a follow_links feed's items replaced by their parsed pages."""
    replay = ReplayFetcher([archive])
    found: dict[str, list[Item]] = {}
    for spec in _specs():
        items = parse_response(spec, await replay.fetch(FetchRequest(url=str(spec.url), source=spec.name)))
        if spec.follow_links:
            pages = [await replay.fetch(FetchRequest(url=item.url, source=spec.name)) for item in items]
            items = [_article(spec, page) for page in pages]
        found[spec.name] = items
    return found


def _article(spec: SourceSpec, page: FetchResponse) -> Item:
    context = AdapterContext.for_body(
        page.body,
        source=spec.name,
        section=spec.section,
        kind=SourceKind.PAGE,
        url=page.final_url,
        fetched_at=page.fetched_at,
        headers=page.headers,
    )
    [item] = parse_page(page.body, context)
    return item


def _in_window(item: Item) -> bool:
    return item.published is not None and WINDOW_START <= item.published < WINDOW_END


def test_rebuild_is_byte_identical_to_the_committed_archives(tmp_path: Path) -> None:
    built = build_archives(MANIFEST, tmp_path)
    assert sorted(p.name for p in built) == sorted([SAMPLE_ARCHIVE.name, PREVIOUS_WEEK_ARCHIVE.name])
    for path in built:
        committed = SAMPLE_ARCHIVE.parent / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{path.name}: run scripts/build_sample.py"


def test_archives_hold_exactly_the_manifest_documents_as_written() -> None:
    manifest = load_manifest(MANIFEST)
    for archive, name in ((SAMPLE_ARCHIVE, "sample-edition"), (PREVIOUS_WEEK_ARCHIVE, "previous-week")):
        archived = [f for f in iter_archive(archive) if isinstance(f, FetchResponse)]
        documents = manifest.for_archive(name)
        assert [(r.url, r.body, r.fetched_at) for r in archived] == [
            (d.url, d.path.read_bytes(), d.fetched_at) for d in documents
        ]


def test_every_document_is_marked_as_sample_data() -> None:
    for document in load_manifest(MANIFEST).documents:
        assert b"SAMPLE DATA" in document.path.read_bytes(), document.path.name


def test_sample_sources_validate_and_cover_every_kind_and_section() -> None:
    specs = _specs()
    assert {s.section for s in specs} == set(Section)
    assert {s.kind for s in specs} >= {
        SourceKind.FEED,
        SourceKind.ARXIV,
        SourceKind.GITHUB_TRENDING,
        SourceKind.LEADERBOARD,
    }
    assert {s.format for s in specs if s.kind is SourceKind.LEADERBOARD} == {
        "artificial_analysis",
        "html_table",
    }
    assert [s.name for s in specs if s.follow_links] == ["compute-ledger"]
    arxiv = next(s for s in specs if s.kind is SourceKind.ARXIV)
    assert {"inference", "serving", "KV cache", "scheduling"} <= set(arxiv.focus)
    assert all(str(s.url).split("/")[2].endswith(".example") for s in specs)


def test_every_source_url_is_in_the_sample_archive() -> None:
    archived = {f.url for f in iter_archive(SAMPLE_ARCHIVE)}
    assert {str(s.url) for s in _specs()} <= archived


async def test_every_source_replays_and_parses_into_items() -> None:
    items = await _items()
    assert all(items[name] for name in items), {name: len(found) for name, found in items.items()}
    # Repositories and leaderboards are undated: they are this week's by construction.
    current = [i for found in items.values() for i in found if i.published is None or _in_window(i)]
    per_section = Counter(item.section for item in current)
    assert set(per_section) == set(Section)
    assert len(current) >= 15, per_section


async def test_linked_article_pages_yield_the_story_without_the_boilerplate() -> None:
    pages = (await _items())["compute-ledger"]
    assert len(pages) == 3
    for page in pages:
        assert page.text.count("\n") >= 4 and len(page.text) > 900
        for boilerplate in (
            "cookies",
            "Get the Ledger in your inbox",
            "All rights reserved",
            "More from the Ledger",
        ):
            assert boilerplate not in page.text, (page.url, boilerplate)
    assert any("$2.79" in page.text for page in pages)


async def test_arxiv_response_has_focused_papers_an_old_one_and_a_near_duplicate() -> None:
    papers = (await _items())["arxiv-cs-dc"]
    assert len([p for p in papers if _in_window(p)]) >= 5
    assert [p.id for p in papers if not _in_window(p)] == ["arxiv:2611.16010"]
    assert all(p.categories[0] == "cs.DC" for p in papers)
    titles = [p.title.casefold() for p in papers]
    assert any(a != b and (a in b or b in a) for a in titles for b in titles)


async def test_trending_page_and_leaderboards_have_enough_rows() -> None:
    items = await _items()
    repos = items["github-trending"]
    assert len(repos) >= 8
    assert all(r.repo and r.repo.stars and r.repo.stars_today for r in repos)
    raw = json.loads((DOCUMENTS_DIR / "current" / "artificial-analysis-models.json").read_text("utf-8"))
    assert raw["status"] == 200 and len(raw["data"]) >= 10
    for name in ("artificial-analysis", "swe-rebench"):
        [board] = [i.leaderboard for i in items[name] if i.leaderboard]
        assert len(board.rows) >= 10


async def test_previous_week_leaderboards_differ_so_moves_can_be_shown() -> None:
    from agent.moves import compute_moves

    current = {
        board.name: board
        for found in (await _items()).values()
        for board in (i.leaderboard for i in found)
        if board is not None
    }
    previous = previous_week_leaderboards(SAMPLE_SOURCES, PREVIOUS_WEEK_ARCHIVE)
    assert sorted(b.name for b in previous) == sorted(current)
    for board in previous:
        moves = compute_moves(current[board.name], board)
        changes = [m.rank_change for m in moves if m.rank_change is not None]
        assert any(c > 0 for c in changes) and any(c < 0 for c in changes), board.name
        assert any(m.score_change for m in moves), board.name
        assert any(m.previous_rank is None for m in moves), board.name  # new on the board this week


async def test_supported_pairs_quote_the_sample_items_verbatim() -> None:
    texts = {item.id: item.text for found in (await _items()).values() for item in found}
    texts.update({item.url: item.text for found in (await _items()).values() for item in found})
    pairs = supported_pairs()
    assert len(pairs) >= 15
    for sentence, evidence, doc in pairs:
        assert doc in texts, doc
        assert evidence in texts[doc], (doc, evidence)
        assert sentence and sentence != evidence


@pytest.mark.parametrize("archive", [SAMPLE_ARCHIVE, PREVIOUS_WEEK_ARCHIVE])
def test_sample_archives_record_no_failures(archive: Path) -> None:
    assert all(isinstance(f, FetchResponse) and f.status == 200 for f in iter_archive(archive))


async def test_a_recorded_run_replays_into_identical_items(tmp_path: Path) -> None:
    """Record a run (served from the sample) into a new archive; replaying that gives the same items."""
    from tools.archive import WarcRecorder

    rerecorded = tmp_path / "run.warc.gz"
    recorder = WarcRecorder(ReplayFetcher([SAMPLE_ARCHIVE]), rerecorded)
    originals: list[Item] = []
    for spec in _specs():
        request = FetchRequest(url=str(spec.url), source=spec.name)
        originals += parse_response(spec, await recorder.fetch(request))
    assert recorder.fetch_count == len(_specs())

    replay = ReplayFetcher([rerecorded])
    replayed: list[Item] = []
    for spec in _specs():
        request = FetchRequest(url=str(spec.url), source=spec.name)
        replayed += parse_response(spec, await replay.fetch(request))
    assert replayed == originals
    assert all(item.content_hash and item.fetched_at for item in replayed)
    assert replay.fetch_count == len(_specs()) and set(replay.served.values()) == {1}
