"""A reviewer's comment applies to the whole revision it starts, grounding revise rounds included: every
lead write of that revision is told the comment, the revision number moves once, and the writer's note
that it could not follow the comment reaches the reviewer after the revise rounds, once."""

from __future__ import annotations

from pathlib import Path

from agent.decisions import decide, start_correction
from agent.llm import CostMeter
from agent.review import DecisionRequest, open_for_review, writer_notes
from agent.runs import DraftOptions, Factories, start_draft
from agent.settings import Settings, load_settings
from agent.state import RunOptions
from agent.store import Store
from agent.writers.base import LeadRequest, WriteResult
from agent.writers.extractive import ExtractiveWriter
from tests.fakes.checkers import DOUBT, doubting_checker

# Names no story to drop or open with: beyond a writer that only chooses sentences.
CHANGES = "Make the lead warmer, and say what the energy rules mean in plain words."
CORRECTION = "The round was led by Harbor Ventures, not co-led: say so."


class LeadRecordingWriter(ExtractiveWriter):
    """The extractive writer, remembering every lead request (its notes and the reviewer's comment)."""

    def __init__(self) -> None:
        super().__init__()
        self.leads: list[LeadRequest] = []

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        self.leads.append(request)
        return await super().write_lead(request)


async def _draft(home: Path, writer: LeadRecordingWriter) -> tuple[Settings, str, Factories]:
    def make(settings: Settings, options: RunOptions, meter: CostMeter) -> LeadRecordingWriter:
        return writer

    settings = load_settings({}, home=home, reviewer="ana")
    factories = Factories(writer=make, checker=doubting_checker)
    outcome = await start_draft(settings, DraftOptions(sample=True, writer="extractive"), factories=factories)
    assert outcome.status == "awaiting_review"
    return settings, outcome.run_id, factories


async def _decide(settings: Settings, run_id: str, request: DecisionRequest, factories: Factories) -> str:
    with Store.open(settings.database) as store:
        open_for_review(store, run_id, reviewer=request.reviewer)
    return (await decide(settings, run_id, request, factories=factories)).status


def _revision_and_notes(settings: Settings, run_id: str) -> tuple[int, list[dict[str, str]], list[str]]:
    with Store.open(settings.database) as store:
        latest = store.latest_draft(run_id)
        assert latest is not None
        report = store.get_run(run_id).report
    assert report is not None
    return (
        latest.revision,
        report["writer_problems"],
        writer_notes(report, revision_hash=latest.revision_hash),
    )


def _cannot_follow(problems: list[dict[str, str]]) -> list[dict[str, str]]:
    return [p for p in problems if "cannot follow the comment" in p["problem"]]


async def test_a_request_for_changes_guides_every_lead_write_of_its_revision(home: Path) -> None:
    writer = LeadRecordingWriter()
    settings, run_id, factories = await _draft(home, writer)
    # The first draft: its write and both revise rounds, none with a comment (nobody has reviewed yet).
    assert len(writer.leads) == 3
    assert [lead.reviewer_comment for lead in writer.leads] == [None, None, None]
    revision, problems, _ = _revision_and_notes(settings, run_id)
    assert revision == 1 and _cannot_follow(problems) == []

    request = DecisionRequest(decision="request_changes", reviewer="ana", comment=CHANGES)
    assert await _decide(settings, run_id, request, factories) == "awaiting_review"

    revised = writer.leads[3:]
    # Rewritten in full on the comment's arrival, then two revise rounds on the doubted sentence.
    assert len(revised) == 3
    assert [lead.reviewer_comment for lead in revised] == [CHANGES] * 3
    assert list(revised[0].revision_notes) == []
    assert [[n.reasons for n in lead.revision_notes] for lead in revised[1:]] == [[(DOUBT,)]] * 2
    revision, problems, notes = _revision_and_notes(settings, run_id)
    assert revision == 2  # one revision for one comment, however many revise rounds it took
    [problem] = _cannot_follow(problems)
    assert problem["block"] == "lead" and CHANGES[:40] in problem["problem"]
    # What the reviewer is shown for this revision: the note, once.
    [note] = [n for n in notes if "cannot follow" in n]
    assert note.startswith("lead: The extractive writer cannot follow") and CHANGES[:40] in note


async def test_a_correction_after_approval_guides_its_revise_rounds_with_its_own_comment(home: Path) -> None:
    writer = LeadRecordingWriter()
    settings, run_id, factories = await _draft(home, writer)
    request = DecisionRequest(decision="request_changes", reviewer="ana", comment=CHANGES)
    await _decide(settings, run_id, request, factories)
    approval = DecisionRequest(decision="approve", reviewer="bo", override_reason="the desk checked it")
    assert await _decide(settings, run_id, approval, factories) == "approved"
    written_before = len(writer.leads)

    outcome = await start_correction(
        settings, run_id, reviewer="ana", comment=CORRECTION, factories=factories
    )

    assert outcome.status == "awaiting_review"
    corrected = writer.leads[written_before:]
    assert len(corrected) == 3
    # The correction's comment, never the earlier request's, on every write of the new revision.
    assert [lead.reviewer_comment for lead in corrected] == [CORRECTION] * 3
    revision, problems, notes = _revision_and_notes(settings, run_id)
    assert revision == 3
    [problem] = _cannot_follow(problems)
    assert CORRECTION[:40] in problem["problem"] and CHANGES[:40] not in problem["problem"]
    [note] = [n for n in notes if "cannot follow" in n]
    assert CORRECTION[:40] in note
