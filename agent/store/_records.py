"""What the store hands back: small frozen records, the run statuses and the store's errors."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from agent.domain.errors import ReportError
from agent.domain.models import Citation, Draft, PromptRef, Usage

__all__ = [
    "STATUS_AFTER_DECISION",
    "ConnectionLost",
    "Decision",
    "DraftRecord",
    "ImmutableRevision",
    "Publication",
    "Review",
    "RunRecord",
    "RunStatus",
    "SchemaTooNew",
    "SeenRevision",
    "SendRecord",
    "SendStatus",
    "StoreError",
    "UsageTotals",
    "revision_hash",
]

Decision = Literal["approve", "reject", "request_changes"]
SendStatus = Literal["sending", "sent", "failed"]


class StoreError(ReportError):
    """The store refused an operation or could not open its database."""


class ConnectionLost(StoreError):
    """The PostgreSQL connection dropped in the middle of a write (a server restart, an idle-timeout
    kill): the server rolled that transaction back, none of it was applied. The store connects afresh
    for its next operation, so trying the operation again is safe."""


class SchemaTooNew(StoreError):
    """The database was migrated by a newer version of this program."""


class ImmutableRevision(StoreError):
    """An approved or published revision was about to be changed: a correction is a new revision."""


class RunStatus(StrEnum):
    RUNNING = "running"
    AWAITING_REVIEW = "awaiting_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    FAILED = "failed"


# Where a decision at the review interrupt leaves the run.
STATUS_AFTER_DECISION: dict[Decision, RunStatus] = {
    "approve": RunStatus.APPROVED,
    "reject": RunStatus.REJECTED,
    "request_changes": RunStatus.CHANGES_REQUESTED,
}

# An edition counts as having gone out (for "covered before" and "previous snapshot") in these states.
SIGNED_OFF: tuple[RunStatus, ...] = (RunStatus.APPROVED, RunStatus.PUBLISHED)


def revision_hash(draft: Draft) -> str:
    """``sha256:<hex>`` of the draft's canonical JSON (sorted keys, no whitespace, UTF-8)."""
    canonical = json.dumps(
        draft.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RunRecord:
    run_id: str
    created_at: datetime
    updated_at: datetime
    edition_date: date
    writer: str
    sources_path: str | None
    status: RunStatus
    report: dict[str, Any] | None = None
    # The options the run was drafted with (``agent.state.RunOptions``); None for runs stored before
    # schema version 3.
    options: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class DraftRecord:
    run_id: str
    revision: int
    revision_hash: str
    draft: Draft
    created_at: datetime
    # The edition's item ids per section, in order, and each source's own fetched URLs, as saved with
    # the draft; None for revisions stored before schema version 3.
    sections: dict[str, list[str]] | None = None
    source_urls: dict[str, list[str]] | None = None


@dataclass(frozen=True, slots=True)
class Review:
    run_id: str
    revision: int
    revision_hash: str
    reviewer: str
    decision: Decision
    decided_at: datetime
    comment: str | None = None
    override_reason: str | None = None


@dataclass(frozen=True, slots=True)
class SeenRevision:
    """The revision a reviewer last looked at, with its content (to say later what changed since)."""

    run_id: str
    reviewer: str
    revision: int
    revision_hash: str
    draft: Draft
    viewed_at: datetime


@dataclass(frozen=True, slots=True)
class Publication:
    run_id: str
    revision: int
    published_at: datetime
    paths: dict[str, str] = field(default_factory=dict)
    # What was rendered for readers (markdown, page, email, feed): the site is rebuilt from it.
    rendered: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SendRecord:
    """One message to one reader: claimed as ``sending``, then ``sent`` or ``failed`` with the error."""

    send_id: int
    run_id: str
    revision: int
    recipient: str
    message_id: str
    status: SendStatus
    started_at: datetime
    error: str | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UsageTotals:
    """A run's writer usage: the sum, the sum per stage, the number of calls and every prompt used."""

    total: Usage
    calls: int
    by_stage: dict[str, Usage]
    prompts: tuple[PromptRef, ...]


@dataclass(frozen=True, slots=True)
class ClaimEditRecord:
    """One sentence edited by hand: the revision the edit made, and what it changed."""

    run_id: str
    revision: int
    claim_id: str
    editor: str
    edited_at: datetime
    old_text: str
    new_text: str | None  # None: the sentence was deleted
    old_citations: list[Citation]
    new_citations: list[Citation]
    verdict: str | None  # the checker's verdict on the new text

    @property
    def deleted(self) -> bool:
        return self.new_text is None
