"""A claim read against a whole source document, by the pipeline's own checker (:func:`check_claims`).

Outside datasets (SummEdits, FRANK, ``eval score``) give a source and a summary with no citation. Each
summary is split into sentences as the writers split theirs (:func:`agent.text.sentences`); each sentence
becomes a claim citing the whole source, so the figures the suites report are the figures of the checker
the pipeline runs. A row is ``supported`` when every sentence is, ``unsupported`` when one is (its reason
says which sentence and why), and ``unverifiable`` otherwise.

Rows that share a source share its evidence: the checker digests each cited passage once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.domain.models import Citation, Claim, Item, Section, SourceKind, Verdict
from agent.domain.text import sentences
from evals.grounding._core import SUPPORTED_COVERAGE
from evals.grounding.checker import ClaimJudge, checked_with_coverage

__all__ = ["MAX_SOURCE_CHARS", "DocumentClaim", "RowVerdict", "check_documents"]

# A source longer than this is not read: 2 MB of text is a book, not an article, and digesting it takes
# seconds while every other row waits. The longest SummEdits source is 13,000 characters, FRANK's 6,000.
MAX_SOURCE_CHARS = 200_000
_HEAD_CHARS = 70


@dataclass(frozen=True, slots=True)
class DocumentClaim:
    id: str
    source: str
    claim: str


@dataclass(slots=True)
class RowVerdict:
    id: str
    verdict: Verdict
    score: float
    reasons: list[str] = field(default_factory=list)
    # The verdict of each sentence, in order (empty for a row that was not checked), and its coverage.
    sentences: list[Verdict] = field(default_factory=list)
    coverages: list[float | None] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "verdict": self.verdict.value, "score": self.score, "reasons": self.reasons}


def _head(sentence: str) -> str:
    text = " ".join(sentence.split())
    if len(text) > _HEAD_CHARS:
        cut = text.rfind(" ", 0, _HEAD_CHARS)
        text = text[: cut if cut > 0 else _HEAD_CHARS].rstrip(" ,;:") + "..."
    return f"\u201c{text}\u201d"


def _refusal(row: DocumentClaim) -> str | None:
    if not row.source.strip():
        return "the source is empty: there is nothing to check the claim against"
    if not row.claim.strip():
        return "the claim is empty: there is nothing to check"
    if len(row.source) > MAX_SOURCE_CHARS:
        return (
            f"the source is {len(row.source):,} characters, over the {MAX_SOURCE_CHARS:,} the checker reads: "
            "not checked"
        )
    return None


def _source_item(source: str) -> Item:
    # "surrogatepass": a JSON row may carry a lone surrogate ("\\ud800"), which strict UTF-8 cannot encode.
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Item(
        id=f"source:{digest}",
        source="eval",
        section=Section.WIRE,
        kind=SourceKind.PAGE,
        title="",
        url=f"urn:source:{digest}",
        text=source,
    )


def check_documents(
    rows: Sequence[DocumentClaim],
    *,
    judge: ClaimJudge | None = None,
    supported_coverage: float = SUPPORTED_COVERAGE,
) -> list[RowVerdict]:
    """One :class:`RowVerdict` per row, in order; a row that cannot be checked says why.

    ``supported_coverage`` as for :func:`check_claims` (0 for a check whose verdicts are replayed at other
    lines: :mod:`evals.grounding.fit`)."""
    out: list[RowVerdict | None] = [None] * len(rows)
    # Rows grouped by source: one check_claims call per document, so names seen in one document never
    # count as known in another, and each document's evidence is built once.
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        refusal = _refusal(row)
        if refusal is not None:
            out[index] = RowVerdict(row.id, Verdict.UNVERIFIABLE, 0.0, [refusal])
            continue
        groups.setdefault(row.source, []).append(index)
    for source, indexes in groups.items():
        item = _source_item(source)
        citation = Citation(item_id=item.id, start=0, end=len(source), quote=source)
        claims: list[Claim] = []
        owners: list[int] = []
        for index in indexes:
            for n, sentence in enumerate(sentences(rows[index].claim)):
                claims.append(
                    Claim(id=f"{index}:{n}", block="eval", paragraph=0, text=sentence, citations=[citation])
                )
                owners.append(index)
        checked = checked_with_coverage(
            claims, items={item.id: item}, judge=judge, supported_coverage=supported_coverage
        )
        per_row: dict[int, list[tuple[Claim, float | None]]] = {}
        for owner, pair in zip(owners, checked, strict=True):
            per_row.setdefault(owner, []).append(pair)
        for index in indexes:
            out[index] = _row_verdict(rows[index].id, per_row.get(index, []))
    return [r for r in out if r is not None]


def _row_verdict(row_id: str, checked: Sequence[tuple[Claim, float | None]]) -> RowVerdict:
    claims = [c for c, _ in checked]
    if not claims:
        return RowVerdict(row_id, Verdict.UNVERIFIABLE, 0.0, ["the claim holds no sentence to check"])
    verdicts = [c.verdict or Verdict.UNVERIFIABLE for c in claims]
    score = min(c.score or 0.0 for c in claims)
    if all(v is Verdict.SUPPORTED for v in verdicts):
        verdict = Verdict.SUPPORTED
    elif Verdict.UNSUPPORTED in verdicts:
        verdict = Verdict.UNSUPPORTED
    else:
        verdict = Verdict.UNVERIFIABLE
    reasons: list[str] = []
    for claim, v in zip(claims, verdicts, strict=True):
        if verdict is Verdict.SUPPORTED or v is not Verdict.SUPPORTED:
            shown = claim.reasons if v is not Verdict.SUPPORTED else claim.reasons[-1:]
            reasons.extend(f"{_head(claim.text)}: {v.value}: {r}" for r in shown)
    return RowVerdict(row_id, verdict, score, reasons, verdicts, [c for _, c in checked])
