"""Selection's near-duplicate filter: the title index against comparing every pair, at 40 / 160 / 640 items.

    .venv/bin/python scripts/bench_select.py [--runs 5] [--sizes 40,160,640]

Titles are the real ones of every feed under ../shared/fixtures/real/feeds (parsed with feedparser),
cycled, each copy after the first made a different story by one distinct word, so most are not
duplicates and some are (a title repeated in another feed). Items spread over the news sections.
Prints, per size: title comparisons (Jaccard computations) and the median of the runs for
``agent.selection.dedupe`` (indexed) and for the all-pairs definition it replaced, and checks that
both keep the same items.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402

from agent import selection  # noqa: E402
from agent.domain.models import Item, Section, SourceKind  # noqa: E402

FEEDS = ROOT.parent / "shared" / "fixtures" / "real" / "feeds"
SECTIONS = (Section.LABS, Section.WIRE, Section.PAPERS)


def real_titles() -> list[str]:
    titles: list[str] = []
    for path in sorted(FEEDS.rglob("*")):
        if path.is_file():
            titles += [str(e.get("title", "")) for e in feedparser.parse(path.read_bytes()).entries]
    titles = [t for t in titles if t.strip()]
    if not titles:
        raise SystemExit(f"no feed titles under {FEEDS}")
    return titles


def items(titles: list[str], size: int) -> list[Item]:
    out = []
    for n in range(size):
        copy, title = divmod(n, len(titles))
        text = titles[title] + (f" (part {copy})" if copy else "")
        out.append(
            Item(
                id=f"item-{n}",
                source="bench",
                section=SECTIONS[n % len(SECTIONS)],
                kind=SourceKind.FEED,
                title=text,
                url=f"https://bench.example/{n}",
                text=text,
            )
        )
    return out


def all_pairs(candidates: list[Item], counter: list[int]) -> list[Item]:
    kept: list[Item] = []
    seen: set[str] = set()
    for item in candidates:
        if item.id in seen:
            continue
        duplicate = False
        for k in kept:
            if k.section is item.section:
                counter[0] += 1
                if selection.near_duplicate(k.title, item.title):
                    duplicate = True
                    break
        if duplicate:
            continue
        seen.add(item.id)
        kept.append(item)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="40,160,640")
    args = parser.parse_args()
    titles = real_titles()
    print(
        f"{len(titles)} real feed titles from {FEEDS}, cycled; items over {len(SECTIONS)} sections; "
        f"median of {args.runs} runs each"
    )
    original = selection._TitleIndex.near_duplicate_of
    for size in [int(s) for s in args.sizes.split(",")]:
        batch = items(titles, size)
        indexed_counter = [0]

        def counting(
            self: selection._TitleIndex, words: frozenset[str], counter: list[int] = indexed_counter
        ) -> Item | None:
            if words:
                counter[0] += len({k for w in self._prefix(words) for k in self._by_word.get(w, ())})
            return original(self, words)

        setattr(selection._TitleIndex, "near_duplicate_of", counting)  # noqa: B010
        kept = selection.dedupe(batch)
        setattr(selection._TitleIndex, "near_duplicate_of", original)  # noqa: B010
        pairs_counter = [0]
        reference = all_pairs(batch, pairs_counter)
        assert [i.id for i in kept] == [i.id for i in reference], "index and all pairs disagree"
        indexed, paired = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            selection.dedupe(batch)
            indexed.append(time.perf_counter() - started)
            started = time.perf_counter()
            all_pairs(batch, [0])
            paired.append(time.perf_counter() - started)
        print(
            f"{size:>5} items, {len(kept)} kept: comparisons indexed {indexed_counter[0]:>7,} vs all pairs "
            f"{pairs_counter[0]:>9,}; time indexed {statistics.median(indexed) * 1000:8.2f} ms vs all pairs "
            f"{statistics.median(paired) * 1000:9.2f} ms"
        )


if __name__ == "__main__":
    main()
