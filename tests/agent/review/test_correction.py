"""Corrections after approval: a new revision with its own review; the approved one never changes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent.decisions import decide, start_correction
from agent.domain.errors import ReviewError
from agent.publishing import feed_path, publish_edition, site_dir
from agent.review import DecisionRequest, list_pending, open_for_review, writer_notes
from agent.runs import Factories, run_state
from agent.settings import Settings
from agent.store import RunStatus, Store
from agent.writers.base import LeadRequest, WriteResult
from agent.writers.extractive import ExtractiveWriter

ATOM = "{http://www.w3.org/2005/Atom}"
CORRECTION = "The round was led by Harbor Ventures, not co-led: say so."


class RecordingWriter(ExtractiveWriter):
    """The extractive writer, remembering the reviewer comment each lead request carried."""

    def __init__(self) -> None:
        super().__init__()
        self.comments: list[str | None] = []

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        self.comments.append(request.reviewer_comment)
        return await super().write_lead(request)


async def approve(settings: Settings, run_id: str, reviewer: str = "ana") -> None:
    with Store.open(settings.database) as store:
        open_for_review(store, run_id, reviewer=reviewer)
    await decide(
        settings, run_id, DecisionRequest(decision="approve", reviewer=reviewer, override_reason="checked")
    )


def _snapshot(store: Store, run_id: str, revision: int) -> tuple[object, ...]:
    record = store.get_draft(run_id, revision)
    assert record is not None
    reviews = [r for r in store.reviews(run_id) if r.revision == revision and r.decision == "approve"]
    return record.revision_hash, record.draft, record.created_at, store.claims(run_id, revision), reviews


async def test_approve_correct_review_again_and_publish(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    with Store.open(settings.database) as store:
        before = _snapshot(store, run_id, 1)
        assert before[3] and before[4]  # a ledger and an approval to keep

    writer = RecordingWriter()
    outcome = await start_correction(
        settings,
        run_id,
        reviewer="ana",
        comment=CORRECTION,
        factories=Factories(writer=lambda *_: writer),  # (settings, options[, meter]): any arity
    )

    assert outcome.status == "awaiting_review"
    assert writer.comments[0] == CORRECTION  # the writer was guided by the comment
    assert (outcome.review.decision, outcome.review.revision, outcome.review.comment) == (
        "request_changes",
        1,
        CORRECTION,
    )
    assert run_state(settings, run_id)[1]  # paused at review again
    with Store.open(settings.database) as store:
        assert _snapshot(store, run_id, 1) == before  # the approved revision is as it was
        latest = store.latest_draft(run_id)
        assert latest is not None and latest.revision == 2
        assert store.claims(run_id, 2)
        [pending] = list_pending(store)
        assert (pending.run_id, pending.revision) == (run_id, 2)
        # Not approved yet: the correction cannot go out on the first revision's approval.
        with pytest.raises(ReviewError, match="awaiting review, not approved"):
            publish_edition(store, run_id, settings=settings)

    # Its own review: bo looks at revision 2 and approves it.
    await approve(settings, run_id, reviewer="bo")
    with Store.open(settings.database) as store:
        result = publish_edition(store, run_id, settings=settings)
        approvals = [(r.revision, r.reviewer) for r in store.reviews(run_id) if r.decision == "approve"]
        assert _snapshot(store, run_id, 1) == before
        assert store.get_run(run_id).status is RunStatus.PUBLISHED
    assert approvals == [(1, "ana"), (2, "bo")]
    assert result["revision"] == 2
    assert Path(result["markdown"]).parent == site_dir(settings) / "2026-11-26"


async def test_a_published_correction_replaces_the_page_and_updates_the_feed_entry(
    drafted: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    with Store.open(settings.database) as store:
        first = publish_edition(store, run_id, settings=settings)
        before = _snapshot(store, run_id, 1)
    first_page = Path(first["page"]).read_text(encoding="utf-8")
    [first_entry] = ET.parse(feed_path(settings)).getroot().findall(f"{ATOM}entry")

    outcome = await start_correction(settings, run_id, reviewer="ana", comment=CORRECTION)
    assert outcome.status == "awaiting_review"
    assert Path(first["page"]).read_text(encoding="utf-8") == first_page  # nothing changes before approval
    await approve(settings, run_id)
    with Store.open(settings.database) as store:
        second = publish_edition(store, run_id, settings=settings)
        assert [p.revision for p in store.publications()] == [2, 1]
        assert _snapshot(store, run_id, 1) == before  # what readers received first stays in the store

    # One folder per edition: the corrected revision replaces the page, and says it is a correction.
    assert second["dir"] == first["dir"]
    page = Path(second["page"]).read_text(encoding="utf-8")
    assert page != first_page and "Corrected: this is revision 2 of this edition" in page
    [entry] = ET.parse(feed_path(settings)).getroot().findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == first_entry.findtext(f"{ATOM}id")  # the same edition, updated
    assert (entry.findtext(f"{ATOM}title") or "").endswith("(corrected)")
    assert "corrected" not in (first_entry.findtext(f"{ATOM}title") or "")


async def test_a_run_that_is_not_approved_cannot_be_corrected(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    with pytest.raises(ReviewError, match="awaiting review, not approved or published"):
        await start_correction(settings, run_id, reviewer="ana", comment=CORRECTION)
    await decide(settings, run_id, DecisionRequest(decision="reject", reviewer="ana", comment="off topic"))
    with pytest.raises(ReviewError, match="rejected, not approved or published"):
        await start_correction(settings, run_id, reviewer="ana", comment=CORRECTION)
    with Store.open(settings.database) as store:
        assert [r.decision for r in store.reviews(run_id)] == ["reject"]
        assert store.get_run(run_id).status is RunStatus.REJECTED
        latest = store.latest_draft(run_id)
        assert latest is not None and latest.revision == 1


async def test_a_correction_needs_a_comment(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    with pytest.raises(ReviewError, match="needs --comment"):
        await start_correction(settings, run_id, reviewer="ana", comment="  ")
    with Store.open(settings.database) as store:
        assert store.get_run(run_id).status is RunStatus.APPROVED
        assert [r.decision for r in store.reviews(run_id)] == ["approve"]


async def test_two_corrections_at_once_do_not_both_continue_the_run(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    # Another process claimed the run for its correction a moment ago.
    with Store.open(settings.database) as store:
        assert store.compare_and_set_status(run_id, expected=RunStatus.APPROVED, new=RunStatus.RUNNING)
    with pytest.raises(ReviewError, match="running, not approved or published"):
        await start_correction(settings, run_id, reviewer="bo", comment=CORRECTION)


class CommentFollowingWriter(ExtractiveWriter):
    """Stands in for a writer that follows the comment: it has nothing to confess."""

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        result = await super().write_lead(request)
        result.problems = []
        return result


async def test_only_the_current_revisions_writer_notes_are_shown(drafted: tuple[Settings, str]) -> None:
    settings, run_id = drafted
    await approve(settings, run_id)
    await start_correction(settings, run_id, reviewer="ana", comment=CORRECTION)
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        assert latest is not None and latest.revision == 2
        notes = writer_notes(store.get_run(run_id).report, revision_hash=latest.revision_hash)
    [note] = notes
    assert note.startswith("lead: The extractive writer cannot follow") and CORRECTION[:40] in note

    await approve(settings, run_id)
    followed = CommentFollowingWriter()
    await start_correction(
        settings,
        run_id,
        reviewer="ana",
        comment="Say who led it",
        factories=Factories(writer=lambda *_: followed),
    )
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        assert latest is not None and latest.revision == 3
        report = store.get_run(run_id).report
    assert writer_notes(report, revision_hash=latest.revision_hash) == []  # revision 2's note is gone
