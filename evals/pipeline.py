"""The ``pipeline`` suite's material: the sample edition drafted in process by each writer.

Each writer runs the real graph (:func:`agent.runs.start_draft` with ``sample=True``) in a throwaway data
directory; ``claude`` talks over real HTTP to the loopback fake Messages API (:mod:`agent.llm.testing`),
which answers with sentences copied from the documents it was sent, cited at their exact ranges. Every
claim of the draft's ``claims.jsonl`` reaches review; a ``flagged`` one (still not supported after the
revise rounds) counts as not supported. The checker's verdicts before any revise round are recorded too:
a false alarm of the checker on a faithful copy shows there even when a revise round hides it.

Floors (``evals/baseline.json``): 1.0 for every metric of both writers. Claude's were 0.9167 (33 of 36
claims) until the checker found scale words inside compounds ("8-billion-parameter"); a faithful copy
flagged again is a checker false alarm to fix, not a floor to lower.
"""

from __future__ import annotations

import asyncio
import functools
import json
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from agent.domain.models import Claim, Item, LeaderboardMove, Verdict

if TYPE_CHECKING:
    from agent.llm.testing import Responder

__all__ = [
    "WRITERS",
    "DraftRunner",
    "PipelineSummary",
    "SampleDraft",
    "draft_sample",
    "no_sample_draft",
    "sample_draft",
    "summarize_drafts",
]

WRITERS = ("extractive", "claude")


@dataclass(frozen=True, slots=True)
class SampleDraft:
    """One writer's draft of the sample edition, or why there is none."""

    claims: list[dict[str, Any]] | None
    problem: str | None  # why there are no claims
    broken: bool  # True when the draft was attempted and failed: a defect, not a missing piece
    writer: str = "extractive"
    report: dict[str, Any] = field(default_factory=dict)  # the run's run-report.json
    # The checker's verdicts on the first draft, before any revise round: {id, text, verdict, reasons}.
    first_pass: list[dict[str, Any]] = field(default_factory=list)
    api_problems: list[str] = field(default_factory=list)  # request shape violations the fake API saw
    seconds: float = 0.0
    # What the checker was given with the claims: the run's items (and the documents write made from
    # them) and the leaderboard moves, so a suite can check sentences against the same evidence.
    items: dict[str, Item] = field(default_factory=dict)
    moves: list[LeaderboardMove] = field(default_factory=list)


class DraftRunner(Protocol):
    def __call__(self, writer: str = "extractive") -> SampleDraft: ...


def sample_draft(writer: str = "extractive") -> SampleDraft:
    """The sample draft by ``writer``, made once per process (the perturbations suite reuses extractive's)."""
    return _cached_draft(writer)


@functools.cache
def _cached_draft(writer: str) -> SampleDraft:
    with tempfile.TemporaryDirectory(prefix="pipeline-eval-") as tmp:
        return draft_sample(writer, Path(tmp))


def no_sample_draft(writer: str = "extractive") -> SampleDraft:
    return SampleDraft(None, "the sample draft was not run (--no-sample-draft)", False, writer)


def draft_sample(writer: str, workdir: Path, *, responder: Responder | None = None) -> SampleDraft:
    """Draft the sample edition with ``writer`` under ``workdir`` (its data directory and output).

    ``responder`` answers the claude writer's requests (default: the fake's citing responder).
    """
    if writer not in WRITERS:
        raise ValueError(f"unknown writer {writer!r}: use one of {', '.join(WRITERS)}")
    from agent.settings import load_settings

    home, out = workdir / "home", workdir / "draft"
    if writer == "extractive":
        # An empty environment: the extractive draft must need no key and read no user configuration.
        return _draft(load_settings({}, home=home), writer, out)
    from agent.llm.testing import FakeMessagesAPI

    with FakeMessagesAPI(responder or FakeMessagesAPI.citing_responder()) as api:
        env = {"ANTHROPIC_API_KEY": "eval", "ANTHROPIC_BASE_URL": api.base_url}
        draft = _draft(load_settings(env, home=home), writer, out)
        return replace(draft, api_problems=list(api.problems))


def _draft(settings: Any, writer: str, out: Path) -> SampleDraft:
    from agent.runs import DraftOptions, Factories, start_draft
    from evals.grounding import check_claims

    rounds: list[list[Claim]] = []
    evidence: dict[str, Item] = {}
    seen_moves: list[LeaderboardMove] = []

    def recording_checker(
        claims: Sequence[Claim], *, items: Mapping[str, Item], moves: Sequence[LeaderboardMove] = ()
    ) -> list[Claim]:
        checked = check_claims(claims, items=items, moves=moves)
        rounds.append(checked)
        evidence.update(items)
        seen_moves[:] = moves
        return checked

    options = DraftOptions(sample=True, writer=writer, out_dir=out)
    started = time.perf_counter()
    try:
        asyncio.run(start_draft(settings, options, factories=Factories(checker=recording_checker)))
    except Exception as exc:
        # Any crash of the draft is this suite's finding (a broken suite), not a crash of the whole eval run.
        return SampleDraft(None, f"the {writer} draft raised {type(exc).__name__}: {exc}", True, writer)
    seconds = time.perf_counter() - started
    first_pass = [
        {"id": c.id, "text": c.text, "verdict": c.verdict.value if c.verdict else None, "reasons": c.reasons}
        for c in (rounds[0] if rounds else [])
    ]
    try:
        lines = (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()
        claims = [json.loads(line) for line in lines if line.strip()]
        report = json.loads((out / "run-report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problem = f"the {writer} draft left no readable ledger in {out}: {exc}"
        return SampleDraft(None, problem, True, writer, first_pass=first_pass, seconds=seconds)
    return SampleDraft(
        claims, None, False, writer, report, first_pass, seconds=seconds, items=evidence, moves=seen_moves
    )


@dataclass(slots=True)
class PipelineSummary:
    metrics: dict[str, float] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)
    skipped: str | None = None
    broken: bool = False


def _is_supported(claim: Mapping[str, Any]) -> bool:
    return claim.get("verdict") == Verdict.SUPPORTED.value and not claim.get("flagged")


def _fraction(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def summarize_drafts(drafts: Mapping[str, SampleDraft]) -> PipelineSummary:
    """Metrics per writer: ``extractive.supported_fraction``, ``claude.supported_fraction``, ...

    Metrics are higher-is-better fractions, as the gate wants; counts go to the details. A writer with no
    draft skips the suite (and breaks it when the draft failed) rather than passing on the others.
    """
    summary = PipelineSummary()
    missing = {w: d for w, d in drafts.items() if d.claims is None}
    if missing:
        summary.skipped = "; ".join(f"{w}: {d.problem}" for w, d in missing.items())
        summary.broken = any(d.broken for d in missing.values())
    not_supported: list[str] = []
    per_writer: dict[str, dict[str, object]] = {}
    for writer, draft in drafts.items():
        if draft.claims is None:
            per_writer[writer] = {"problem": draft.problem}
            continue
        claims = draft.claims
        bad = [c for c in claims if not _is_supported(c)]
        first_bad = [c for c in draft.first_pass if c["verdict"] != Verdict.SUPPORTED.value]
        failures = list(draft.report.get("writer_failures") or [])
        metrics = {
            "supported_fraction": _fraction(len(claims) - len(bad), len(claims)),
            "first_pass_supported_fraction": _fraction(
                len(draft.first_pass) - len(first_bad), len(draft.first_pass)
            ),
            # An empty ledger is trivially "all supported": the draft must put claims before the reviewer.
            "claims_reaching_review": float(bool(claims)),
            "no_writer_failures": float(not failures),
        }
        summary.metrics.update({f"{writer}.{k}": v for k, v in metrics.items()})
        not_supported += [
            f"{writer} {c.get('id')}: {c.get('verdict')}{' (flagged)' if c.get('flagged') else ''} "
            f"{c.get('text')!r} {c.get('reasons')}"
            for c in bad
        ]
        per_writer[writer] = {
            "claims_reaching_review": len(claims),
            "supported": len(claims) - len(bad),
            "flagged": sum(1 for c in claims if c.get("flagged")),
            "by_verdict": {v.value: sum(1 for c in claims if c.get("verdict") == v.value) for v in Verdict},
            "writer_failures": failures,
            "revise_rounds": draft.report.get("revise_rounds"),
            "first_pass_claims": len(draft.first_pass),
            "first_pass_not_supported": [
                f"{c['id']}: {c['verdict']} {c['text']!r} {c['reasons']}" for c in first_bad
            ],
            "fake_api_problems": draft.api_problems,
            "seconds": round(draft.seconds, 2),
        }
    summary.details = {"writers": per_writer, "not_supported": not_supported}
    return summary
