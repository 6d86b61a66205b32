"""USD per edition for the paper summaries and the lead, as billed by the fake Messages API.

    .venv/bin/python scripts/bench_cost.py [--papers 1,6,24] [--source real|sample|stand-in] [--revise]

For each paper count, the same edition is written against a fresh loopback fake Messages API (a
fresh prompt cache) in these shapes:

- naive: the product's own requests (every summary carries the papers it may cite, then the lead)
  without cache_control and without the Message Batches API. This is the baseline of every ratio.
- naive, 1 paper/call: the cheapest uncached shape (each summary carries only its own paper).
- caching: the product's requests with cache_control, sent live.
- caching + --batch: as ``draft --batch`` sends them. Two figures: as the fake bills them (a batched
  request reads the cache when an earlier one wrote it) and the worst case, in which no batched
  request finds the cache and each writes its prefix again (the API does not promise hits inside a
  batch).

USD are at the model's list price (agent/llm/_pricing.py). The fake counts about 4 characters a
token and simulates the cache, so the ratios, not the token counts, are the figures to read.
Target: caching + --batch <= 1/3 of naive, in the worst case too.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import Item, Section, SourceKind, Usage  # noqa: E402
from agent.llm import CostMeter, make_anthropic_client, price_for  # noqa: E402
from agent.llm.testing import FakeMessagesAPI  # noqa: E402
from agent.settings import DEFAULT_MODEL, Settings  # noqa: E402
from agent.writers.base import LeadRequest, RevisionNote  # noqa: E402
from agent.writers.claude import ClaudeOptions, ClaudeWriter  # noqa: E402

EDITION = date(2026, 11, 26)
# Lab and wire items sent to the lead per section, as the select stage caps them.
LEAD_ITEMS_PER_SECTION = 4


@dataclass(frozen=True)
class Edition:
    papers: list[Item]
    lead_items: list[Item]
    moves: Item
    origin: str


def _sample_edition(max_papers: int) -> Edition:
    """The bundled sample edition's documents, parsed with the product's own adapters."""
    from tools.adapters import AdapterContext, parse_arxiv, parse_feed, parse_page
    from tools.sample import DOCUMENTS_DIR

    current = DOCUMENTS_DIR / "current"
    fetched = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)

    def parse(name: str, parser: object, source: str, section: Section, kind: SourceKind) -> list[Item]:
        body = (current / name).read_bytes()
        ctx = AdapterContext.for_body(
            body,
            source=source,
            section=section,
            kind=kind,
            url=f"https://{source}.example/",
            fetched_at=fetched,
        )
        return list(parser(body, ctx))  # type: ignore[operator]

    papers = parse("arxiv-cs-dc.atom.xml", parse_arxiv, "arxiv-cs-dc", Section.PAPERS, SourceKind.ARXIV)
    labs = parse("labs-one-feed.xml", parse_feed, "northwind-blog", Section.LABS, SourceKind.FEED)
    labs += parse("labs-two-atom.xml", parse_feed, "corvid-research", Section.LABS, SourceKind.FEED)
    wire = parse("wire-two-feed.xml", parse_feed, "signal-and-silicon", Section.WIRE, SourceKind.FEED)
    for page in sorted(current.glob("wire-one-*.html")):
        wire += parse(page.name, parse_page, "compute-ledger", Section.WIRE, SourceKind.PAGE)
    papers = [p for p in papers if p.text.strip()][:max_papers]
    # The write node sends the lead every selected paper, the same ones it summarised, in order.
    lead = [
        *papers,
        *[i for i in labs if i.text.strip()][:LEAD_ITEMS_PER_SECTION],
        *[i for i in wire if i.text.strip()][:LEAD_ITEMS_PER_SECTION],
    ]
    return Edition(papers, lead, _moves_item(), "tools/sample (bundled sample edition)")


def _real_captures(max_papers: int) -> Edition:
    """Real captured documents from ../shared/fixtures/real: an arXiv answer and article pages."""
    from tools.adapters import AdapterContext, parse_arxiv, parse_page

    real = ROOT.parent / "shared" / "fixtures" / "real"
    fetched = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    arxiv = (real / "arxiv" / "api_query_cat-cs.AI_OR_cs.LG_max50.atom.xml").read_bytes()
    ctx = AdapterContext.for_body(
        arxiv,
        source="arxiv",
        section=Section.PAPERS,
        kind=SourceKind.ARXIV,
        url="https://export.arxiv.org/api/query",
        fetched_at=fetched,
    )
    papers = [p for p in parse_arxiv(arxiv, ctx) if p.text.strip()][:max_papers]
    pages: list[Item] = []
    for path in sorted((real / "articles" / "trafilatura").glob("*.html")):
        body = path.read_bytes()
        page_ctx = AdapterContext.for_body(
            body,
            source="wire",
            section=Section.WIRE,
            kind=SourceKind.PAGE,
            url=f"https://{path.stem}/",
            fetched_at=fetched,
        )
        try:
            pages += parse_page(body, page_ctx)
        except Exception:  # a capture the extractor rejects is simply not part of the workload
            continue
        if len(pages) == 2 * LEAD_ITEMS_PER_SECTION:
            break
    return Edition(
        papers, [*papers, *pages], _moves_item(), "../shared/fixtures/real (captured arXiv + pages)"
    )


def _moves_item() -> Item:
    text = (
        "Artificial Analysis Intelligence Index, week of 2026-11-26. "
        "Model A is rank 1 with 61.0, up from 60.2 (rank unchanged). "
        "Model B moved from rank 4 to rank 2 with 58.1, up from 56.9. "
        "Model C is new on the board at rank 5 with 53.9. "
        "SWE-rebench: Model D holds rank 1 at 65.3%; Model E moved from rank 6 to rank 3 at 62.8%."
    )
    return Item(
        id=f"moves:{EDITION.isoformat()}",
        source="leaderboards",
        section=Section.BENCHMARKS,
        kind=SourceKind.LEADERBOARD,
        title="Leaderboard moves",
        url="https://leaderboards.example/",
        text=text,
    )


def _own_edition(max_papers: int) -> Edition:
    """A small stand-in edition when the sample cannot be parsed."""
    sentence = (
        "System {n} cuts serving latency by {n}0% on eight GPUs while keeping accuracy within a point. "
    )
    papers = [
        Item(
            id=f"arxiv:2611.0{n:04d}",
            source="arxiv",
            section=Section.PAPERS,
            kind=SourceKind.ARXIV,
            title=f"Paper {n}",
            url=f"https://arxiv.example/{n}",
            text=sentence.format(n=n) * 8,
        )
        for n in range(1, max_papers + 1)
    ]
    return Edition(papers, papers, _moves_item(), "built-in stand-in items")


@dataclass(frozen=True)
class Bill:
    usage: Usage
    worst_usd: float  # no batched request reads the cache: each writes its prefix (1-hour TTL) again


def _worst_case(billed: list[dict[str, Any]]) -> float:
    usd = 0.0
    for entry in billed:
        split = entry.get("cache_creation") or {}
        write_1h = int(split.get("ephemeral_1h_input_tokens", 0))
        write_5m = int(entry.get("cache_creation_input_tokens", 0)) - write_1h
        read = int(entry.get("cache_read_input_tokens", 0))
        if entry.get("batch"):
            write_1h, read = write_1h + read, 0
        usd += price_for(str(entry.get("model") or DEFAULT_MODEL)).cost(
            input_tokens=int(entry.get("input_tokens", 0)),
            output_tokens=int(entry.get("output_tokens", 0)),
            cache_write_tokens=write_5m,
            cache_write_1h_tokens=write_1h,
            cache_read_tokens=read,
            batch=bool(entry.get("batch")),
        )
    return usd


async def _run(
    edition: Edition,
    *,
    cache: bool,
    batch: bool,
    revise: bool,
    min_cache_tokens: int,
    batch_lead: bool = False,
    one_paper_per_call: bool = False,
) -> Bill:
    with FakeMessagesAPI(min_cache_tokens=min_cache_tokens, batch_polls=1) as api:
        settings = Settings(anthropic_api_key="bench", anthropic_base_url=api.base_url)

        async def no_wait(_seconds: float) -> None:
            return None

        writer = ClaudeWriter(
            make_anthropic_client(settings, max_retries=0),
            ClaudeOptions(model=DEFAULT_MODEL, cache=cache, batch=batch, batch_lead=batch_lead),
            meter=CostMeter(),
            sleep=no_wait,
        )
        if one_paper_per_call:  # each request carries only its own paper: the cheapest uncached shape
            summaries = {}
            for paper in edition.papers:
                summaries.update(await writer.summarize_papers([paper]))
        else:
            summaries = await writer.summarize_papers(edition.papers)
        request = LeadRequest(edition_date=EDITION, items=edition.lead_items, moves_document=edition.moves)
        lead = await writer.write_lead(request)
        failures = [r.error for r in [*summaries.values(), lead] if r.error]
        if revise:
            note = RevisionNote(lead.claims[0].text if lead.claims else "", ("bench: one revise round",))
            await writer.write_lead(
                LeadRequest(
                    edition_date=EDITION,
                    items=edition.lead_items,
                    moves_document=edition.moves,
                    revision_notes=(note,),
                )
            )
        if failures:
            raise SystemExit(f"bench run failed: {failures}")
        await writer.aclose()
        return Bill(writer.meter.total, _worst_case(list(api.billed)))


def _row(name: str, usd: float, naive: float, usage: Usage | None = None) -> str:
    tokens = (
        f"{usage.input_tokens:>9}{usage.cache_write_tokens:>9}{usage.cache_read_tokens:>9}{usage.output_tokens:>8}"
        if usage is not None
        else f"{'':>9}{'':>9}{'':>9}{'':>8}"
    )
    return f"  {name:<40}{tokens}{usd:>11.5f}{usd / naive if naive else 0.0:>8.2f}"


def _edition(source: str, papers: int) -> Edition:
    if source == "sample":
        return _sample_edition(papers)
    if source == "real":
        try:
            return _real_captures(papers)
        except OSError as exc:
            print(f"real captures unavailable ({exc}); using stand-in items")
    return _own_edition(papers)


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default="1,6,24", help="paper counts, comma-separated (default 1,6,24)")
    parser.add_argument(
        "--source",
        choices=["real", "sample", "stand-in"],
        default="real",
        help="real: captured arXiv papers and pages from ../shared (stand-in items without it); "
        "sample: the bundled sample edition (7 papers at most)",
    )
    parser.add_argument(
        "--min-cache-tokens",
        type=int,
        default=1024,
        help="shortest cacheable prefix the fake accepts (1024: the common minimum)",
    )
    parser.add_argument("--revise", action="store_true", help="add one revise round of the lead")
    args = parser.parse_args(argv)
    kwargs: dict[str, Any] = {"revise": args.revise, "min_cache_tokens": args.min_cache_tokens}
    print(
        f"model {DEFAULT_MODEL} at list price; min cacheable prefix {args.min_cache_tokens} tokens; "
        "one run per shape (the fake API is deterministic)"
        + ("; one lead revise round" if args.revise else "")
    )
    summary = []
    for count in [int(n) for n in args.papers.split(",")]:
        edition = _edition(args.source, count)
        doc_chars = sum(len(i.text) for i in edition.lead_items) + len(edition.moves.text)
        print(
            f"\n{len(edition.papers)} papers from {edition.origin}; "
            f"lead over {len(edition.lead_items)} items "
            f"+ moves ({doc_chars:,} chars)"
        )
        naive = await _run(edition, cache=False, batch=False, **kwargs)
        lean = await _run(edition, cache=False, batch=False, one_paper_per_call=True, **kwargs)
        cached = await _run(edition, cache=True, batch=False, **kwargs)
        batched = await _run(edition, cache=True, batch=True, batch_lead=True, **kwargs)
        base = naive.usage.usd
        print(f"  {'shape':<40}{'input':>9}{'c.write':>9}{'c.read':>9}{'output':>8}{'USD':>11}{'ratio':>8}")
        print(_row("naive (no cache_control, no batches)", base, base, naive.usage))
        print(_row("naive, 1 paper/call", lean.usage.usd, base, lean.usage))
        print(_row("caching", cached.usage.usd, base, cached.usage))
        print(_row("caching + --batch, as billed by the fake", batched.usage.usd, base, batched.usage))
        print(_row("caching + --batch, no batched cache hit", batched.worst_usd, base))
        summary.append((len(edition.papers), base, cached.usage.usd, batched.usage.usd, batched.worst_usd))
    print("\npapers  naive USD  caching  --batch (fake)  --batch (no hit)   ratios to naive")
    for count, base, cached_usd, best, worst in summary:
        print(
            f"{count:>6} {base:>10.4f} {cached_usd:>8.4f} {best:>15.4f} {worst:>16.4f}   "
            f"{cached_usd / base:.2f} / {best / base:.2f} / {worst / base:.2f}"
        )
    print("target: caching + --batch <= 0.33 of naive, in the worst case too")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
