"""The sign-off rules, as pure functions: each takes plain values and raises :class:`ReviewError` with
one line saying what is wrong and what to do. Their callers (:mod:`agent.decisions`, publishing)
gather the values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from agent.domain.errors import ReviewError
from agent.domain.models import Claim, Draft, Verdict
from agent.store import Decision

__all__ = [
    "DECISIONS",
    "DecisionKind",
    "DecisionRequest",
    "blocking_claims",
    "check_awaiting_review",
    "check_decision",
    "check_fresh",
    "check_override",
    "check_publishable",
    "describe_changes",
    "short_hash",
]

# The store records decisions, so it owns their names.
DecisionKind = Decision
DECISIONS: tuple[str, ...] = get_args(DecisionKind)

# Verdicts a reviewer must explicitly override to approve. ``unverifiable`` is not among them: the
# checker could not test the claim either way, which the reviewer sees but need not justify.
_BLOCKING = frozenset({Verdict.UNSUPPORTED, Verdict.NO_CITATION})


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """What a reviewer asked for, before the rules look at it."""

    decision: DecisionKind
    reviewer: str
    comment: str | None = None
    override_reason: str | None = None
    # The revision the reviewer decided on (``--revision``, full or as ``review`` prints it); None: the
    # one they last viewed.
    revision_hash: str | None = None


def short_hash(digest: str) -> str:
    """``sha256:0123456789ab`` — enough to tell revisions apart in a message."""
    algorithm, _, hexdigest = digest.partition(":")
    return f"{algorithm}:{hexdigest[:12]}" if hexdigest else digest[:19]


def blocking_claims(claims: Sequence[Claim]) -> list[Claim]:
    """Claims that stop an approval without an override: unsupported, uncited, flagged or never checked."""
    return [c for c in claims if c.verdict is None or c.verdict in _BLOCKING or c.flagged]


def check_awaiting_review(run_id: str, status: str, *, has_interrupt: bool) -> None:
    """Only a run paused at its review interrupt can be decided."""
    if status != "awaiting_review":
        # An approved or published edition changes only through a correction, which is reviewed again.
        then = (
            f"; to change it, correct it: inference-report review {run_id} --correct "
            '--comment "what to correct"'
            if status in ("approved", "published")
            else ""
        )
        raise ReviewError(
            f"run {run_id} is {status.replace('_', ' ')}, not awaiting review: nothing to decide{then}"
        )
    if not has_interrupt:
        raise ReviewError(
            f"run {run_id} is marked awaiting review but its graph is not paused at review: "
            f"continue it with `inference-report draft --resume {run_id}`"
        )


def _verdict_summary(claims: Sequence[Claim]) -> str:
    counts = Counter(c.verdict.value if c.verdict else "unchecked" for c in claims)
    return ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in sorted(counts.items())) or "no claims"


def describe_changes(before: Draft | None, after: Draft) -> str:
    """What changed between the draft a reviewer saw and the latest one, in a few words."""
    if before is None:
        return f"revision {after.revision} is new ({_verdict_summary(after.claims)})"
    old = {c.id: c for c in before.claims}
    new = {c.id: c for c in after.claims}
    added = sum(1 for i in new if i not in old)
    removed = sum(1 for i in old if i not in new)
    rewritten = sum(1 for i in new if i in old and new[i].text != old[i].text)
    reverdicted = sum(
        1 for i in new if i in old and new[i].text == old[i].text and new[i].verdict != old[i].verdict
    )
    parts = [
        f"{n} {what}"
        for n, what in (
            (rewritten, "rewritten"),
            (added, "added"),
            (removed, "removed"),
            (reverdicted, "re-checked with a new verdict"),
        )
        if n
    ]
    what = ", ".join(parts) if parts else "the same sentences with other details (citations, byline)"
    head = (
        f"revision {before.revision} -> {after.revision}"
        if before.revision != after.revision
        else f"revision {after.revision} was redrafted"
    )
    return f"{head}: claims {what}; now {_verdict_summary(after.claims)}"


def check_fresh(
    run_id: str,
    *,
    decided_hash: str,
    latest_hash: str,
    seen: Draft | None,
    latest: Draft,
) -> None:
    """A decision applies to the revision the reviewer looked at; if the draft moved on, look again."""
    if decided_hash == latest_hash:
        return
    raise ReviewError(
        f"run {run_id} changed since you looked (you saw {short_hash(decided_hash)}, the latest is "
        f"{short_hash(latest_hash)}; {describe_changes(seen, latest)}): "
        f"review it again with `inference-report review {run_id}` and then decide"
    )


def check_override(decision: DecisionKind, claims: Sequence[Claim], override_reason: str | None) -> None:
    """An approval over unsupported, uncited or flagged claims needs a stated reason."""
    if decision != "approve" or (override_reason and override_reason.strip()):
        return
    blocking = blocking_claims(claims)
    if not blocking:
        return
    ids = ", ".join(c.id for c in blocking[:3]) + (" ..." if len(blocking) > 3 else "")
    raise ReviewError(
        f"{len(blocking)} claim(s) are unsupported, uncited or flagged ({ids}): approve with "
        f'--override "reason", or request changes'
    )


def check_decision(run_id: str, request: DecisionRequest, claims: Sequence[Claim]) -> None:
    """The rules about the request itself (who, what, why), apart from state and freshness."""
    if request.decision not in DECISIONS:
        raise ReviewError(f"unknown decision {request.decision!r}: use one of {', '.join(DECISIONS)}")
    if not request.reviewer.strip():
        raise ReviewError("a decision needs a reviewer name (--reviewer or the reviewer setting)")
    if request.decision == "request_changes" and not (request.comment and request.comment.strip()):
        raise ReviewError(
            f"requesting changes on run {run_id} needs a comment (--comment) saying what to change"
        )
    check_override(request.decision, claims, request.override_reason)


def check_publishable(
    run_id: str, *, approved_revision: int | None, approved_hash: str | None, revision: int, current_hash: str
) -> None:
    """Only the exact content a reviewer approved goes out: an approved revision is never edited in place."""
    if approved_revision is None or approved_hash is None:
        raise ReviewError(
            f"run {run_id} is not approved: approve it with `inference-report review {run_id}` first"
        )
    if approved_revision != revision:
        raise ReviewError(
            f"run {run_id} revision {revision} is not the approved revision {approved_revision}: "
            "a new revision needs its own review"
        )
    if approved_hash != current_hash:
        raise ReviewError(
            f"run {run_id} revision {revision} changed after it was approved ({short_hash(approved_hash)} -> "
            f"{short_hash(current_hash)}): a correction is a new revision with its own review"
        )
