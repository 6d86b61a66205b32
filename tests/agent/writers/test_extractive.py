from __future__ import annotations

from datetime import UTC, date, datetime

from agent.domain.models import Item, Section, SourceKind
from agent.writers.base import LeadRequest, RevisionNote
from agent.writers.extractive import ExtractiveWriter
from evals.grounding.citations import citation_problems

ABSTRACT = (
    "Serving large language models is limited by memory bandwidth during decode. "
    "We present Stride, a scheduler that co-locates prefill and decode on the same accelerator. "
    "On 64 GPUs Stride raises throughput by 38% over vLLM at equal latency. "
    "It also cuts energy per token by 21 percent. "
    "We release the code."
)


def paper(id_: str = "arxiv:2611.00001") -> Item:
    return Item(
        id=id_,
        source="arxiv",
        section=Section.PAPERS,
        kind=SourceKind.ARXIV,
        title="Stride",
        url="https://arxiv.example/abs/2611.00001",
        text=ABSTRACT,
        content_hash="sha256:abc",
        fetched_at=datetime(2026, 11, 26, tzinfo=UTC),
    )


async def test_summaries_quote_the_abstract_at_exact_ranges() -> None:
    results = await ExtractiveWriter().summarize_papers([paper()])
    claims = results["arxiv:2611.00001"].claims
    assert 3 <= len(claims) <= 5
    items = {"arxiv:2611.00001": paper()}
    for claim in claims:
        assert claim.block == "paper:arxiv:2611.00001"
        assert claim.citations and claim.text == claim.citations[0].quote
        assert citation_problems(claim.citations[0], items) == []
    # The opening sentence comes first; sentences with results (numbers) are preferred.
    assert claims[0].text.startswith("Serving large language models")
    assert any("38%" in c.text for c in claims)


async def test_revision_notes_exclude_rejected_sentences() -> None:
    note = RevisionNote(text="On 64 GPUs Stride raises throughput by 38% over vLLM at equal latency.")
    results = await ExtractiveWriter().summarize_papers([paper()], notes={"arxiv:2611.00001": [note]})
    claims = results["arxiv:2611.00001"].claims
    # The rejected sentence alone is left out: the summary still quotes the abstract's other sentences.
    assert len(claims) >= 3 and all(c.text != note.text for c in claims)
    assert claims[0].text.startswith("Serving large language models")


async def test_empty_text_is_a_recorded_failure_not_a_crash() -> None:
    empty = paper().model_copy(update={"text": ""})
    result = (await ExtractiveWriter().summarize_papers([empty]))[empty.id]
    assert result.error and not result.claims


def wire_item(text: str, id_: str = "https://n.example/a", title: str = "Chips") -> Item:
    return Item(
        id=id_,
        source="wire",
        section=Section.WIRE,
        kind=SourceKind.FEED,
        title=title,
        url=id_,
        text=text,
        extra={"feed_title": "Example Wire"},
    )


async def test_lead_quotes_sentences_that_stand_alone_with_their_source_named() -> None:
    wire = wire_item(
        "Short. The company said its new accelerator ships in March with 141 GB of memory. "
        "Quartz Systems said its accelerator ships in March with 141 GB of memory."
    )
    request = LeadRequest(edition_date=date(2026, 11, 26), items=[wire, paper()], focus=["energy"])
    result = await ExtractiveWriter().write_lead(request)
    assert [c.paragraph for c in result.claims] == [0, 1]
    # "The company said" leans on a sentence the reader never sees: the named one is quoted instead.
    assert result.claims[0].text == (
        "Example Wire reports: “Quartz Systems said its accelerator ships in March with 141 GB of memory.”"
    )
    assert result.claims[0].citations[0].quote.startswith("Quartz Systems said")
    # A paper with no authors is attributed to its authors by title; "It also cuts..." is skipped.
    assert result.claims[1].text.startswith("The authors of “Stride” write: “")
    assert all(c.block == "lead" and c.citations for c in result.claims)


async def test_a_comment_that_names_a_story_changes_the_lead() -> None:
    quartz = wire_item(
        "Quartz Systems raised $40 million to build inference chips.", title="Quartz raises $40M"
    )
    meridian = wire_item(
        "Meridian Labs released Sextant 2, an open model for code review.",
        id_="https://n.example/b",
        title="Meridian Labs releases Sextant 2",
    )
    base = LeadRequest(edition_date=date(2026, 11, 26), items=[quartz, meridian, paper()])
    first = await ExtractiveWriter().write_lead(base)
    dropped = await ExtractiveWriter().write_lead(
        LeadRequest(
            edition_date=base.edition_date, items=base.items, reviewer_comment="Drop the Quartz story."
        )
    )
    led = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=base.edition_date, items=base.items, reviewer_comment="Lead with Sextant 2")
    )
    assert any("Quartz" in c.text for c in first.claims)
    assert not any("Quartz" in c.text for c in dropped.claims)
    assert "Meridian Labs released Sextant 2" in led.claims[0].text
    assert [c.text for c in led.claims] != [c.text for c in first.claims]
    assert "left “Quartz raises $40M” out of the lead" in dropped.problems[0]
    assert "opened the lead with “Meridian Labs releases Sextant 2”" in led.problems[0]


async def test_a_story_named_after_not_is_never_the_one_led_with() -> None:
    # The README's own example: "the office" names what the reviewer does not want in front, and the
    # price story's title says "prices" where the comment says "price".
    kestrel = wire_item(
        "Ostrava AI has cut the price of its Kestrel-9B model by 60%, to $0.12 per million tokens.",
        title="Ostrava AI cuts Kestrel API prices by 60%",
    )
    lisbon = wire_item(
        "Northwind AI is opening a research office in Lisbon, its first outside North America.",
        id_="https://n.example/b",
        title="Northwind opens a Lisbon research office",
    )
    code = wire_item(
        "The EU AI Office drafted rules on reporting the energy cost of inference.",
        id_="https://n.example/c",
        title="EU AI Office drafts rules on the energy cost of inference",
    )
    led = await ExtractiveWriter().write_lead(
        LeadRequest(
            edition_date=date(2026, 11, 26),
            items=[lisbon, code, kestrel],
            reviewer_comment="Lead on the price war, not the office",
        )
    )
    assert "Kestrel-9B" in led.claims[0].text
    [note] = led.problems
    assert "opened the lead with “Ostrava AI cuts Kestrel API prices by 60%”" in note
    assert "office" not in note.split(" as: ")[1].lower()


async def test_a_comment_naming_a_story_the_edition_lacks_says_so() -> None:
    quartz = wire_item(
        "Quartz Systems raised $40 million to build inference chips.", title="Quartz raises $40M"
    )
    led = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[quartz], reviewer_comment="Lead with Sextant 2")
    )
    [note] = led.problems
    # Not "cannot follow the comment": it can lead with a story, but none of this edition is Sextant 2.
    assert 'found no story of this edition that the comment ("Lead with Sextant 2") names' in note
    assert "cannot follow" not in note


async def test_lead_without_usable_items_is_an_error() -> None:
    result = await ExtractiveWriter().write_lead(LeadRequest(edition_date=date(2026, 11, 26), items=[]))
    assert result.error and not result.claims


async def test_a_reviewer_comment_it_cannot_follow_is_said_plainly() -> None:
    base = LeadRequest(edition_date=date(2026, 11, 26), items=[paper()])
    without = await ExtractiveWriter().write_lead(base)
    commented = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=base.edition_date, items=base.items, reviewer_comment="the round was $40M")
    )
    assert without.problems == []
    # The same sentences come back: the note is what tells the reviewer why.
    assert [c.text for c in commented.claims] == [c.text for c in without.claims]
    [problem] = commented.problems
    assert "cannot follow the comment" in problem
    assert '"the round was $40M"' in problem
    assert "repeats" in problem and "--writer claude" in problem and "ANTHROPIC_API_KEY" in problem
    assert "--edit CLAIM_ID" in problem  # what the reviewer can do instead


async def test_a_long_comment_is_quoted_shortened_on_one_line() -> None:
    comment = "Rewrite the lead:\n" + "the funding figure is wrong and " * 10
    result = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[paper()], reviewer_comment=comment)
    )
    [problem] = result.problems
    assert '"Rewrite the lead: the funding figure' in problem and "\n" not in problem
    assert "…" in problem and comment.strip() not in problem
    assert len(problem) < 400


async def test_a_blank_comment_or_a_failed_lead_is_handled() -> None:
    blank = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[paper()], reviewer_comment="   ")
    )
    assert blank.problems == []
    failed = await ExtractiveWriter().write_lead(
        LeadRequest(edition_date=date(2026, 11, 26), items=[], reviewer_comment="add the figure")
    )
    # No lead at all, and the reviewer still learns the comment was not followed.
    assert failed.error and "add the figure" in failed.problems[0]


def test_sentences_that_lean_on_context_or_stop_short_are_not_quoted() -> None:
    from agent.writers._quoting import is_complete, needs_context

    for leaning in (
        "It ships in March.",
        "The company said it would ship in March.",
        "The Lisbon team will work on two problems.",
        "They raised $40 million.",
        "The draft gives providers two ways to measure.",
    ):
        assert needs_context(leaning), leaning
    for standing in (
        "The EU AI Office drafts rules on energy reporting.",
        "Quartz Systems raised $40 million.",
        "Before releasing Tern 2.5 we searched its pretraining data.",
    ):
        assert not needs_context(standing), standing
    assert is_complete("Quartz Systems raised $40 million.")
    assert is_complete("“We are hiring,” Quartz said.")
    assert not is_complete("Quartz Systems raised $40 million")  # a headline, no full stop
    assert not is_complete("and then raised $40 million.")  # a fragment


def test_benchmark_sentences_are_prose_from_the_moves() -> None:
    from agent.domain.models import LeaderboardMove
    from agent.writers.extractive import _move_prose

    board = "Artificial Analysis Intelligence Index"
    took = LeaderboardMove(leaderboard=board, model="Vega 3", rank=1, score=63.5, previous_rank=2)
    held = LeaderboardMove(leaderboard="SWE-rebench", model="Vega 3", rank=1, score=66.1, previous_rank=1)
    new = LeaderboardMove(leaderboard="SWE-rebench", model="Coder 2", rank=4, score=58.6, unit="%")
    fell = LeaderboardMove(leaderboard="SWE-rebench", model="Lumen 5", rank=3, score=62.0, previous_rank=1)
    assert _move_prose(took) == f"Vega 3, at 63.5, took first place on the {board}, up from second."
    assert _move_prose(held) == "Vega 3, at 66.1, held first place on SWE-rebench."
    assert _move_prose(new) == "Coder 2, at 58.6%, entered SWE-rebench in fourth place."
    assert _move_prose(fell) is None  # a fall is in the table; the lead tells what rose
