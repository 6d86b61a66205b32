"""The sample edition's no-key lead, read as an editor would before publishing it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from agent.domain.models import Verdict
from agent.runs import DraftOptions, start_draft
from agent.settings import load_settings
from agent.store import Store

# Outside quotation marks the lead is the desk's voice: it never says "we" for a source.
_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us|I|my|me)\b", re.IGNORECASE)
_PRONOUN_OPENER = re.compile(
    r"^(?:it|its|this|that|these|those|they|their|he|she|his|her|the company)\b", re.I
)
_ENDS = re.compile(r"""[.!?]["'”’)]*$""")
# What a row dump or a repository line looks like: "Rank 1: ...", "owner/name: ...".
_TEMPLATE_LINE = re.compile(r"^(?:Rank \d+:|[\w.-]+/[\w.-]+:)")
_QUOTED = re.compile(r"“[^”]*”")


@pytest.fixture(scope="module")
def sample_lead(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], str, dict[str, Any]]:
    """The sample edition drafted with no key: its lead claims, its Markdown and its items by id."""
    import asyncio

    home = tmp_path_factory.mktemp("lead") / "home"
    out = home.parent / "out"
    settings = load_settings({}, home=home)
    outcome = asyncio.run(start_draft(settings, DraftOptions(sample=True, writer="extractive", out_dir=out)))
    assert outcome.status == "awaiting_review"
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    with Store.open(settings.database_path) as store:
        items = {i.id: i for i in store.items(outcome.run_id)}
    return [c for c in claims if c["block"] == "lead"], (out / "edition.md").read_text(), items


def test_every_lead_sentence_is_complete_and_in_the_desks_voice(
    sample_lead: tuple[list[dict[str, Any]], str, dict[str, Any]],
) -> None:
    lead, _, _ = sample_lead
    assert len(lead) >= 10
    for claim in lead:
        text = claim["text"]
        desk_voice = _QUOTED.sub("", text)
        assert _ENDS.search(text), f"no final punctuation: {text}"
        assert not _PRONOUN_OPENER.match(text), f"opens with a pronoun or a description: {text}"
        assert not _FIRST_PERSON.search(desk_voice), f"a source's first person in the desk's voice: {text}"
        assert not _TEMPLATE_LINE.match(text), f"a template line: {text}"
        assert claim["verdict"] == Verdict.SUPPORTED.value, (text, claim["reasons"])
        # A quotation that ends the sentence ends the source's sentence too: none stops mid-way.
        if text.endswith("”"):
            assert _ENDS.search(text[:-1]), f"a quotation that stops mid-sentence: {text}"


def test_every_quotation_names_its_source(
    sample_lead: tuple[list[dict[str, Any]], str, dict[str, Any]],
) -> None:
    lead, _, items = sample_lead
    quoting = [c for c in lead if "“" in c["text"]]
    assert len(quoting) >= 6
    for claim in quoting:
        item = items[claim["citations"][0]["item_id"]]
        speakers = [item.publisher, *item.authors[:1], *([item.repo.full_name] if item.repo else [])]
        assert any(s in claim["text"] for s in speakers), f"source not named: {claim['text']}"


def test_the_lead_opens_with_the_week_and_writes_benchmarks_as_prose(
    sample_lead: tuple[list[dict[str, Any]], str, dict[str, Any]],
) -> None:
    lead, markdown, _ = sample_lead
    opening = [c["text"] for c in lead if c["paragraph"] == 0]
    assert opening[0].startswith("The desk selected 6 lab announcements, 6 news stories, 5 research papers")
    assert opening[1] == (
        "Halden Vega 3 Pro, at 63.5, took first place on the Artificial Analysis Intelligence Index, "
        "up from second."
    )
    assert not any(c["text"].startswith("Rank ") for c in lead)
    words = sum(len(c["text"].split()) for c in lead)
    assert 300 <= words <= 520, words
    assert markdown.count("Drafted without a language model") == 1
