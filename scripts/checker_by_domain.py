"""Per-domain balanced accuracy, false-flag rate and catch rate of the grounding checker of any tree.

    python scripts/checker_by_domain.py TREE ../shared/evals-data/summedits_dev.jsonl

TREE is a checkout of this project (``.`` for this one; ``git archive REV | tar -x -C DIR`` for an older
revision), so the same rows are scored the same way before and after a change. Each row is run as
``eval score`` runs it: every sentence of the claim is a claim citing the whole source, the row is
``supported`` when all its sentences are, ``unsupported`` when one is, else ``unverifiable``. Balanced
accuracy is supported against the rest; the false-flag rate is the share of faithful rows (label 1)
called unsupported; the catch rate the share of unfaithful rows (label 0) called unsupported. The domain
is the second part of the row id (``summedits-<domain>-...``, ``frank-<cnndm|bbc>-...``).

Nothing here is fitted: it only reads verdicts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any


def _row_verdicts(rows: list[dict[str, Any]]) -> dict[str, str]:
    # Imported after TREE is put first on sys.path; older trees kept the models outside agent.domain.
    try:
        from agent.domain.models import Citation, Claim, Item, Section, SourceKind, Verdict
        from agent.domain.text import sentences
    except ImportError:
        from agent.models import Citation, Claim, Item, Section, SourceKind, Verdict  # type: ignore
        from agent.text import sentences  # type: ignore
    from evals.grounding import check_claims

    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(row)
    verdicts: dict[str, str] = {}
    for n, (source, group) in enumerate(by_source.items()):
        item = Item(
            id=f"doc:{n}",
            source="doc",
            section=Section.WIRE,
            kind=SourceKind.PAGE,
            title="",
            url="",
            text=source,
        )
        cite = Citation(item_id=item.id, start=0, end=len(source), quote=source)
        claims, owners = [], []
        for row in group:
            for i, sentence in enumerate(sentences(row["claim"])):
                claims.append(
                    Claim(id=f"{row['id']}:{i}", block="lead", paragraph=0, text=sentence, citations=[cite])
                )
                owners.append(row["id"])
        per_row: dict[str, list[Any]] = defaultdict(list)
        for owner, checked in zip(owners, check_claims(claims, items={item.id: item}), strict=True):
            per_row[owner].append(checked.verdict)
        for row in group:
            found = per_row.get(row["id"], [])
            if found and Verdict.UNSUPPORTED in found:
                verdicts[row["id"]] = "unsupported"
            elif found and all(v is Verdict.SUPPORTED for v in found):
                verdicts[row["id"]] = "supported"
            else:
                verdicts[row["id"]] = "unverifiable"
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="the checkout whose checker to run")
    parser.add_argument("rows", type=Path, help="a JSONL file of {id, source, claim, label}")
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    rows = [json.loads(line) for line in args.rows.read_text(encoding="utf-8").splitlines() if line.strip()]
    verdicts = _row_verdicts(rows)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        verdict = verdicts[row["id"]]
        for domain in (row["id"].split("-")[1], "all"):
            c = counts[domain]
            if row["label"] == 1:
                c["faithful"] += 1
                c["faithful_supported"] += verdict == "supported"
                c["faithful_flagged"] += verdict == "unsupported"
            else:
                c["unfaithful"] += 1
                c["unfaithful_flagged"] += verdict == "unsupported"
                c["unfaithful_not_supported"] += verdict != "supported"
    print(f"checker of {args.tree}, rows {args.rows.name} ({len(rows)})")
    print(f"{'domain':12s} {'balanced acc.':>13s} {'false flags':>11s} {'catch':>7s}")
    for domain, c in sorted(counts.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        accuracy = (
            c["faithful_supported"] / c["faithful"] + c["unfaithful_not_supported"] / c["unfaithful"]
        ) / 2
        false_flags = c["faithful_flagged"] / c["faithful"]
        catch = c["unfaithful_flagged"] / c["unfaithful"]
        print(f"{domain:12s} {accuracy:13.3f} {false_flags:11.1%} {catch:7.1%}")


if __name__ == "__main__":
    main()
