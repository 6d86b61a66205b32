"""Prints what ``--judge claude`` costs per 100 claims, measured against the fake Messages API's billing.

Setup: the first ``--rows`` rows of a labelled set (SummEdits by default, whole sources), each claim split
into sentences and checked by the pipeline's checker with the Claude judge (the real judge, its real
prompt and the anthropic SDK over HTTP) pointed at the loopback fake Messages API, which bills every
request as the API would (4 characters a token, the judge model's list price). With ``--scope undecided``
(the default) only the sentences the deterministic layer leaves ``unverifiable`` go to the judge; with
``--scope passed`` also those it passes. The cost per 100 claims depends on the mix: the script prints
both figures, per 100 claims checked and per 100 claims judged.

    .venv/bin/python scripts/judge_cost.py [--data ../shared/evals-data/summedits_dev.jsonl] [--rows 300]
        [--scope undecided|passed]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import JudgeScope, Usage  # noqa: E402
from agent.domain.text import sentences  # noqa: E402
from agent.llm import CostMeter, usage_from_api  # noqa: E402
from agent.llm.testing import FakeMessagesAPI, RecordedRequest  # noqa: E402
from agent.settings import load_settings  # noqa: E402
from evals.grounding.documents import DocumentClaim, check_documents  # noqa: E402
from evals.judge import build_claude_judge  # noqa: E402


def _answer(request: RecordedRequest) -> Any:
    return {"verdict": "supported", "score": 0.7, "reasons": ["every fact is in the passages"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "evals-data" / "summedits_dev.jsonl"
    )
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--scope", choices=("undecided", "passed"), default="undecided")
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"{args.data} not found (../shared/evals-data is absent on this machine)")
    lines = args.data.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()][: args.rows]
    docs = [DocumentClaim(str(r.get("id", n)), r["source"], r["claim"]) for n, r in enumerate(rows)]
    claims = sum(len(sentences(d.claim)) for d in docs)
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeMessagesAPI(FakeMessagesAPI.citing_responder(structured=_answer)) as api,
    ):
        settings = load_settings(
            {"ANTHROPIC_API_KEY": "bench", "ANTHROPIC_BASE_URL": api.base_url}, home=Path(tmp)
        )
        scope: JudgeScope = "passed" if args.scope == "passed" else "undecided"
        judge = build_claude_judge(settings, meter=CostMeter(), scope=scope)
        check_documents(docs, judge=judge)
        spent = Usage()
        for billed in api.billed:
            spent = spent + usage_from_api(billed, str(billed["model"]))
        judged = len(api.billed)
        model = settings.model
    print(f"setup: {len(docs)} rows of {args.data.name} ({claims} claim sentences, whole sources), {model}")
    which = "left undecided" if args.scope == "undecided" else "left undecided or passed"
    print(f"judged: {judged} of {claims} sentences ({judged / claims:.0%}), those the checker {which}")
    per_judged, per_checked = spent.usd / max(judged, 1) * 100, spent.usd / claims * 100
    print(
        f"billed: {spent.input_tokens:,} input and {spent.output_tokens:,} output tokens, ${spent.usd:.4f} "
        f"(${per_judged:.2f} per 100 judged claims, ${per_checked:.2f} per 100 claims checked)"
    )


if __name__ == "__main__":
    main()
