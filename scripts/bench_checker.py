"""Prints how many claim sentences per second the pipeline's checker handles on one core, on a real mix.

The mix (issue 19): the sample edition's claims exactly as the draft's check node passes them to
``check_claims`` (captured from a real extractive draft of the bundled sample: claims, fetched items,
leaderboard moves), and the rows of ``../shared/evals-data`` (SummEdits and FRANK), each summary sentence a
claim citing its whole source, through :func:`check_documents`: whole articles, not one short passage.
Every run starts cold (the checker's caches are cleared), and the figure is the median of ``--runs``.
The rate is per CPU second of this one-threaded process (``time.process_time``), the wall time beside it:
on a shared machine the wall time counts the other processes' turns too.
Target (issue 19): at least 2,000 claim sentences per second on one core.

    .venv/bin/python scripts/bench_checker.py [--runs 5] [--rows N]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import Claim, Item, LeaderboardMove  # noqa: E402
from agent.domain.text import sentences  # noqa: E402
from evals.grounding import _core, _entities, _polarity, _quantities, _text  # noqa: E402
from evals.grounding.checker import check_claims  # noqa: E402
from evals.grounding.documents import DocumentClaim, check_documents  # noqa: E402

DATA = ROOT.parent / "shared" / "evals-data"


def _sample_checks() -> list[tuple[list[Claim], dict[str, Item], list[LeaderboardMove]]]:
    """Every ``check_claims`` call of an extractive draft of the sample edition, as the graph makes it."""
    from agent.runs import DraftOptions, Factories, start_draft
    from agent.settings import load_settings

    calls: list[tuple[list[Claim], dict[str, Item], list[LeaderboardMove]]] = []

    def capture(
        claims: Sequence[Claim], *, items: Mapping[str, Item], moves: Sequence[LeaderboardMove] = ()
    ) -> list[Claim]:
        calls.append((list(claims), dict(items), list(moves)))
        return check_claims(claims, items=items, moves=moves)

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({}, home=Path(tmp) / "home")
        options = DraftOptions(sample=True, writer="extractive", out_dir=Path(tmp) / "draft")
        asyncio.run(start_draft(settings, options, factories=Factories(checker=capture)))
    return calls


def _rows(limit: int | None) -> list[DocumentClaim]:
    out: list[DocumentClaim] = []
    for name in ("summedits_dev.jsonl", "grounding_dev.jsonl"):
        path = DATA / name
        if not path.is_file():
            print(f"note: {path} not found; the mix leaves it out")
            continue
        rows: list[dict[str, Any]] = [
            json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x
        ]
        out += [DocumentClaim(str(r["id"]), r["source"], r["claim"]) for r in rows[:limit]]
    return out


def _clear_caches() -> None:
    """Cold start for every run: no sentence parsed by a previous run is reused."""
    for module in (_core, _entities, _polarity, _quantities, _text):
        for value in vars(module).values():
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=None, help="at most this many rows of each dataset")
    args = parser.parse_args()
    checks = _sample_checks()
    docs = _rows(args.rows)
    sample_claims = sum(len(c) for c, _, _ in checks)
    row_sentences = sum(len(sentences(d.claim)) for d in docs)
    sources = {d.source for d in docs}
    median_chars = statistics.median(len(s) for s in sources) if sources else 0
    print(f"setup: Python {platform.python_version()}, one process, one thread; cold caches every run")
    print(
        f"  sample edition: {len(checks)} check_claims call(s) of the extractive draft, "
        f"{sample_claims} claims, {sum(len(i) for _, i, _ in checks)} items"
    )
    print(
        f"  evals-data: {len(docs)} rows, {row_sentences} claim sentences against {len(sources)} whole "
        f"sources (median {median_chars:,.0f} characters)"
    )
    timings: list[tuple[float, float, float]] = []
    for _ in range(args.runs):
        _clear_caches()
        wall, started = time.perf_counter(), time.process_time()
        for claims, items, moves in checks:
            check_claims(claims, items=items, moves=moves)
        middle = time.process_time()
        check_documents(docs)
        ended = time.process_time()
        timings.append((middle - started, ended - middle, time.perf_counter() - wall))
    sample_s = statistics.median(t for t, _, _ in timings)
    rows_s = statistics.median(r for _, r, _ in timings)
    total = statistics.median(t + r for t, r, _ in timings)
    wall_s = statistics.median(w for _, _, w in timings)
    sentences_checked = sample_claims + row_sentences
    print(f"sample edition: {sample_claims / sample_s:,.0f} claims/s (median {sample_s:.3f} CPU s)")
    if row_sentences:
        print(f"evals-data rows: {row_sentences / rows_s:,.0f} claim sentences/s (median {rows_s:.2f} CPU s)")
    print(
        f"mix: {sentences_checked} claim sentences in {total:.2f} CPU s, {wall_s:.2f} s wall (medians of "
        f"{args.runs} runs): {sentences_checked / total:,.0f} claim sentences per CPU second on one core "
        f"({sentences_checked / wall_s:,.0f} per wall second)"
    )


if __name__ == "__main__":
    main()
