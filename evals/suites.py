"""The eval suites: each returns a :class:`SuiteResult` of named metrics or a skip reason. Higher is better
except for the false-flag rate and the undecided share (:data:`evals.metrics.LOWER_IS_BETTER`).

- ``summedits-dev`` and ``grounding-dev``: SummEdits and FRANK rows, each claim read against its whole
  source by the pipeline's checker (:func:`evals.grounding.documents.check_documents`); balanced accuracy,
  false-flag rate, catch rate, undecided share and precision of ``unsupported``, overall and per domain.
- ``perturbations``: supported sentences perturbed (:mod:`evals.perturb`) and run through
  :func:`check_claims` as cited claims; recall per kind and 1 - false-alarm rate on untouched ones.
- ``tables``: true sentences about tables (leaderboards with moves, Markdown and HTML tables in passages)
  and their hand-written false variants (:mod:`evals.table_perturbations`); recall per kind, no false alarm.
- ``pipeline``: the sample edition drafted in process by each writer (:mod:`evals.pipeline`; claude
  against the loopback fake Messages API); every claim that reaches review must be supported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.domain.models import Citation, Claim, Item, LeaderboardMove, Section, SourceKind, Verdict
from evals._jsonl import DatasetError, read_rows
from evals.grounding._core import SUPPORTED_COVERAGE
from evals.grounding.checker import ClaimJudge, check_claims
from evals.grounding.documents import DocumentClaim, check_documents
from evals.grounding.fit import FOLDS, cross_validated, replay
from evals.metrics import verdict_metrics
from evals.perturb import KINDS, Pair, Perturbed, perturb
from evals.pipeline import WRITERS, DraftRunner, no_sample_draft, sample_draft, summarize_drafts
from evals.table_perturbations import table_perturbations

__all__ = [
    "DATASETS",
    "SUITES",
    "SuiteResult",
    "no_sample_draft",
    "pairs_from_claims",
    "run_suite",
    "sample_draft",
    "seed_pairs",
    "summedits_dev",
]

REPO = Path(__file__).resolve().parent.parent
GROUNDING_DEV = REPO.parent / "shared" / "evals-data" / "grounding_dev.jsonl"
SUMMEDITS_DEV = REPO.parent / "shared" / "evals-data" / "summedits_dev.jsonl"
# The labelled datasets the document suites read, pinned by their sha256 in the baseline.
DATASETS = {"summedits-dev": SUMMEDITS_DEV, "grounding-dev": GROUNDING_DEV}
SEED_PAIRS = Path(__file__).resolve().parent / "data" / "seed_pairs.jsonl"


@dataclass(slots=True)
class SuiteResult:
    suite: str
    metrics: dict[str, float] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)
    skipped: str | None = None
    # Set with ``skipped`` when the suite could not run because something is broken (not merely absent).
    broken: bool = False


def _domain_of_summedits(row: dict[str, Any]) -> str:
    """``summedits-<domain>-<id>`` (or the origin ``SummEdits/<domain>``): the domain the row comes from."""
    origin = str(row.get("origin", ""))
    if origin.startswith("SummEdits/"):
        return origin.split("/", 1)[1].split(" ", 1)[0]
    parts = str(row.get("id", "")).split("-")
    return parts[1] if len(parts) > 2 else "unknown"


def _domain_of_frank(row: dict[str, Any]) -> str:
    return "xsum" if "xsum" in str(row.get("origin", "")) else "cnndm"


def _document_suite(
    name: str, path: Path, domain_of: Callable[[dict[str, Any]], str], *, fitted_here: bool
) -> SuiteResult:
    """Every row's claim checked against its whole source by :func:`check_documents` (the pipeline's
    checker); the verdict metrics overall (no prefix) and per domain (``<domain>.``).

    The rows are checked once with no coverage line and the verdicts replayed at the shipped line
    (:func:`evals.grounding.fit.replay`: the same verdicts as a check at that line). With ``fitted_here``
    (the set the line is chosen on) the grouped cross-validated figures come beside them (``cv.``)."""
    result = SuiteResult(name)
    if not path.is_file():
        result.skipped = f"{path} not found (../shared/evals-data is absent on this machine)"
        return result
    try:
        rows = read_rows(path, ("source", "claim", "label"))
    except (DatasetError, UnicodeDecodeError) as exc:
        result.skipped, result.broken = str(exc), True
        return result
    docs = [
        DocumentClaim(str(r.get("id", f"row {n}")), str(r["source"]), str(r["claim"]))
        for n, r in enumerate(rows)
    ]
    checked = check_documents(docs, supported_coverage=0.0)
    labels = [int(r["label"]) for r in rows]
    domains = [domain_of(r) for r in rows]
    verdicts = {"": [replay(c, SUPPORTED_COVERAGE).value for c in checked]}
    lines: list[float] = []
    if fitted_here:
        held_out, lines = cross_validated(checked, labels, [d.source for d in docs])
        verdicts["cv."] = [v.value for v in held_out]
    for kind, values in verdicts.items():
        for prefix, keep in [("", None), *((f"{d}.", d) for d in sorted(set(domains)))]:
            sel = [i for i, d in enumerate(domains) if keep is None or d == keep]
            figures = verdict_metrics([labels[i] for i in sel], [values[i] for i in sel])
            result.metrics.update(
                {f"{kind}{prefix}{k}": round(v, 4) for k, v in figures.items() if not math.isnan(v)}
            )
    fitted = (
        f"the coverage line ({SUPPORTED_COVERAGE}) is the checker's one fitted number, chosen on these rows "
        f"for balanced accuracy; cv.* are the figures of {FOLDS}-fold cross-validation grouped by source "
        f"document, the line chosen without each fold's documents (lines {lines})"
        if fitted_here
        else "nothing in the checker is fitted on these rows (the coverage line is chosen on SummEdits): "
        "these figures are held out"
    )
    result.details = {
        "rows": len(rows),
        "sentences": sum(len(c.sentences) for c in checked),
        "documents": len({d.source for d in docs}),
        "domains": sorted(set(domains)),
        "note": "each claim split into sentences, each sentence checked by check_claims citing the whole "
        f"source; a row is supported when every sentence is; {fitted}",
    }
    return result


def summedits_dev(path: Path = SUMMEDITS_DEV) -> SuiteResult:
    """SummEdits (six domains of LLM-written and LLM-edited summaries), by the pipeline's checker."""
    return _document_suite("summedits-dev", path, _domain_of_summedits, fitted_here=True)


def grounding_dev(path: Path = GROUNDING_DEV) -> SuiteResult:
    """FRANK (CNN/DM and XSum summaries of 2017-2020 summarisers), by the pipeline's checker."""
    return _document_suite("grounding-dev", path, _domain_of_frank, fitted_here=False)


def seed_pairs(path: Path = SEED_PAIRS) -> list[Pair]:
    return [
        Pair(r["sentence"], r["evidence"], r.get("doc", ""))
        for r in read_rows(path, ("sentence", "evidence"))
    ]


def pairs_from_claims(claims: Sequence[dict[str, Any]]) -> list[Pair]:
    """(sentence, joined quotes) of every supported claim: the material the perturbations start from."""
    pairs = []
    for c in claims:
        quotes = [cit.get("quote", "") for cit in c.get("citations", [])]
        if c.get("verdict") == "supported" and any(quotes):
            doc = (c.get("citations") or [{}])[0].get("item_id", "")
            pairs.append(Pair(c["text"], "\n".join(q for q in quotes if q), doc))
    return pairs


def _claim_for(index: int, case: Perturbed, known: Mapping[str, Item]) -> tuple[Claim, Item]:
    """The case as a claim citing its whole evidence. A sentence of the sample edition keeps its item's
    own title, authors and publisher (and a moves document its id), as the pipeline gives them to the
    checker; a seed pair's item is anonymous."""
    evidence = case.evidence
    base = known.get(case.doc)
    if base is not None:
        item = base.model_copy(update={"id": f"{base.id}#{index}", "text": evidence})
    else:
        item = Item(
            id=f"seed:{index}",
            source="seed",
            section=Section.WIRE,
            kind=SourceKind.PAGE,
            title="",
            url=f"https://example.org/{index}",
            text=evidence,
        )
    citation = Citation(item_id=item.id, start=0, end=len(evidence), quote=evidence)
    return Claim(id=f"p:{index}", block="lead", paragraph=0, text=case.sentence, citations=[citation]), item


def perturbations(
    pairs: Sequence[Pair] | None = None,
    *,
    judge: ClaimJudge | None = None,
    draft_runner: DraftRunner = sample_draft,
) -> SuiteResult:
    """No ``pairs``: the sample edition's supported sentences (when its draft runs) and the seed pairs."""
    result = SuiteResult("perturbations")
    source = "argument"
    known: dict[str, Item] = {}
    moves: list[LeaderboardMove] = []
    if pairs is None:
        pairs, source = seed_pairs(), "evals/data/seed_pairs.jsonl"
        draft = draft_runner()
        known, moves = draft.items, draft.moves
        if draft.claims:
            sample = pairs_from_claims(draft.claims)
            pairs, source = (
                [*sample, *pairs],
                f"sample edition ({len(sample)} supported sentences) + {source}",
            )
        else:
            source += f" (sample edition unavailable: {draft.problem})"
    cases = perturb(pairs)
    claims, items = [], {}
    for i, case in enumerate(cases):
        claim, item = _claim_for(i, case, known)
        claims.append(claim)
        items[item.id] = item
    # The leaderboards the moves were computed from: a sentence about a move is checked against them.
    items.update({k: v for k, v in known.items() if v.leaderboard is not None})
    checked = check_claims(claims, items=items, moves=moves, judge=judge)
    missed: dict[str, list[str]] = {}
    false_alarms: list[str] = []
    undecided: list[str] = []
    # A perturbation is caught when it is not passed as supported (unverifiable goes to the judge or the
    # reviewer, never silently to readers); a false alarm is an untouched sentence declared unsupported.
    caught: dict[str, list[int]] = {k: [] for k in KINDS}
    untouched = 0
    for case, claim in zip(cases, checked, strict=True):
        if case.kind == "untouched":
            untouched += 1
            if claim.verdict is Verdict.UNSUPPORTED:
                false_alarms.append(f"{case.sentence} -> {claim.reasons}")
            elif claim.verdict is not Verdict.SUPPORTED:
                undecided.append(f"{case.sentence} -> {claim.reasons}")
            continue
        caught[case.kind].append(int(claim.verdict is not Verdict.SUPPORTED))
        if claim.verdict is Verdict.SUPPORTED:
            missed.setdefault(case.kind, []).append(case.sentence)
    for kind in KINDS:
        if caught[kind]:
            result.metrics[f"recall.{kind}"] = round(sum(caught[kind]) / len(caught[kind]), 4)
    if untouched:
        result.metrics["no_false_alarm_rate"] = round(1 - len(false_alarms) / untouched, 4)
        result.metrics["untouched_supported_rate"] = round(
            1 - (len(false_alarms) + len(undecided)) / untouched, 4
        )
    result.details = {
        "pairs": len(pairs),
        "source": source,
        "cases": {"untouched": untouched, **{k: len(v) for k, v in caught.items()}},
        "false_alarms": false_alarms,
        "undecided": undecided,
        "missed": missed,
    }
    return result


def pipeline(*, draft_runner: DraftRunner = sample_draft, writers: Sequence[str] = WRITERS) -> SuiteResult:
    summary = summarize_drafts({writer: draft_runner(writer) for writer in writers})
    return SuiteResult("pipeline", summary.metrics, summary.details, summary.skipped, summary.broken)


def tables() -> SuiteResult:
    try:
        metrics, details = table_perturbations()
    except (OSError, ValueError, KeyError) as exc:
        return SuiteResult("tables", skipped=f"evals/data/table_claims.json: {exc}", broken=True)
    return SuiteResult("tables", metrics, details)


SUITES = ("summedits-dev", "grounding-dev", "perturbations", "tables", "pipeline")


def run_suite(
    name: str, *, judge: ClaimJudge | None = None, draft_runner: DraftRunner = sample_draft
) -> SuiteResult:
    """Run one suite of :data:`SUITES`; ``judge`` serves perturbations, ``draft_runner`` it and pipeline."""
    if name == "summedits-dev":
        return summedits_dev()
    if name == "grounding-dev":
        return grounding_dev()
    if name == "perturbations":
        return perturbations(judge=judge, draft_runner=draft_runner)
    if name == "tables":
        return tables()
    if name == "pipeline":
        return pipeline(draft_runner=draft_runner)
    raise ValueError(f"unknown suite {name!r} (known: {', '.join(SUITES)})")
