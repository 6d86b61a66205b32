"""Prints how many claims per second the deterministic checker handles on one core.

The claims are the perturbation suite's cases (seed pairs, every kind, untouched ones included), each a
cited claim against its own item, repeated to ``--claims``. Target (issue 4): at least 2,000 claims/s.

    .venv/bin/python scripts/bench_checker.py [--claims 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import Citation, Claim, Item, Section, SourceKind  # noqa: E402
from evals.grounding.checker import check_claims  # noqa: E402
from evals.perturb import perturb  # noqa: E402
from evals.suites import seed_pairs  # noqa: E402


def _corpus(n: int) -> tuple[list[Claim], dict[str, Item]]:
    cases = perturb(seed_pairs())
    claims: list[Claim] = []
    items: dict[str, Item] = {}
    for i in range(n):
        case = cases[i % len(cases)]
        item_id = f"bench:{i % len(cases)}"
        items[item_id] = Item(
            id=item_id,
            source="bench",
            section=Section.WIRE,
            kind=SourceKind.PAGE,
            title="",
            url="https://example.org/",
            text=case.evidence,
        )
        citation = Citation(item_id=item_id, start=0, end=len(case.evidence), quote=case.evidence)
        claims.append(Claim(id=f"c{i}", block="lead", paragraph=0, text=case.sentence, citations=[citation]))
    return claims, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    claims, items = _corpus(args.claims)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        check_claims(claims, items=items)
        best = min(best, time.perf_counter() - start)
    print(
        f"{len(claims)} claims ({len(items)} distinct) in {best:.2f} s (best of {args.repeat}): "
        f"{len(claims) / best:,.0f} claims/s on one core"
    )


if __name__ == "__main__":
    main()
