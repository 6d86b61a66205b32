"""The revise loop: unsupported claims go back to the writer with their reasons, at most twice; what is
still unsupported is flagged for the reviewer, never kept silently."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agent.domain.models import Claim, Item, Verdict
from agent.llm import CostMeter
from agent.runs import DraftOptions, Factories, start_draft
from agent.settings import Settings, load_settings
from agent.state import RunOptions
from agent.writers.base import LeadRequest, RevisionNote, WriteResult
from agent.writers.extractive import ExtractiveWriter
from tests.fakes.checkers import DOUBT, DOUBTED, doubting_checker


class RecordingWriter(ExtractiveWriter):
    """The extractive writer, recording the revision notes each call receives."""

    def __init__(self) -> None:
        super().__init__()
        self.lead_notes: list[list[RevisionNote]] = []
        self.paper_calls = 0

    async def summarize_papers(
        self, papers: Sequence[Item], *, notes: dict[str, list[RevisionNote]] | None = None
    ) -> dict[str, WriteResult]:
        self.paper_calls += 1
        return await super().summarize_papers(papers, notes=notes)

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        self.lead_notes.append(list(request.revision_notes))
        return await super().write_lead(request)


async def test_unsupported_claims_are_revised_twice_then_flagged(home: Path, tmp_path: Path) -> None:
    writer = RecordingWriter()

    def make(settings: Settings, options: RunOptions, meter: CostMeter) -> RecordingWriter:
        return writer

    out = tmp_path / "out"
    outcome = await start_draft(
        load_settings({}, home=home),
        DraftOptions(sample=True, writer="extractive", out_dir=out),
        factories=Factories(writer=make, checker=doubting_checker),
    )
    # Three lead writes: the first, then two revise rounds, each told what was wrong and why.
    assert len(writer.lead_notes) == 3
    assert writer.lead_notes[0] == []
    for notes in writer.lead_notes[1:]:
        assert len(notes) == 1 and notes[0].reasons == (DOUBT,)
    # Papers with nothing unsupported are not written again.
    assert writer.paper_calls == 1
    assert outcome.report["revise_rounds"] == 2
    claims = {c.id: c for c in (Claim.model_validate_json(line) for line in (out / "claims.jsonl").open())}
    assert claims[DOUBTED].verdict is Verdict.UNSUPPORTED and claims[DOUBTED].flagged
    assert sum(c.flagged for c in claims.values()) == 1
    assert outcome.report["claims"]["flagged"] == 1


class ProblemReportingWriter(ExtractiveWriter):
    """Flags a non-fatal problem with every paper summary, as the Claude writer does for a misquote."""

    async def summarize_papers(
        self, papers: Sequence[Item], *, notes: dict[str, list[RevisionNote]] | None = None
    ) -> dict[str, WriteResult]:
        results = await super().summarize_papers(papers, notes=notes)
        for result in results.values():
            result.problems.append(
                "the model's quote differed from the document; the document's text is kept"
            )
        return results


async def test_writer_problems_reach_the_run_report(home: Path, tmp_path: Path) -> None:
    def make(settings: Settings, options: RunOptions, meter: CostMeter) -> ProblemReportingWriter:
        return ProblemReportingWriter()

    outcome = await start_draft(
        load_settings({}, home=home),
        DraftOptions(sample=True, writer="extractive", out_dir=tmp_path / "out"),
        factories=Factories(writer=make),
    )
    problems = outcome.report["writer_problems"]
    assert problems and all(p["block"].startswith("paper:") for p in problems)
    assert "document's text is kept" in problems[0]["problem"]
