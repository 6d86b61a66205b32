"""A scale word inside a hyphenated compound ("8-billion-parameter") is still stated by the evidence."""

from __future__ import annotations

from agent.domain.models import Citation, Claim, Item, Section, SourceKind, Verdict
from evals.grounding import check_claims

PASSAGE = "Tern 2.5 Mini is an 8-billion-parameter model that runs on laptops."
ITEM = Item(
    id="a",
    source="s",
    section=Section.LABS,
    kind=SourceKind.FEED,
    title="Tern",
    url="https://x.example",
    text=PASSAGE,
)


def claim(text: str) -> Claim:
    return Claim(
        id="lead:0:0",
        block="lead",
        paragraph=0,
        text=text,
        citations=[Citation(item_id="a", start=0, end=len(PASSAGE), quote=PASSAGE)],
    )


def test_a_verbatim_compound_scale_is_supported() -> None:
    assert check_claims([claim(PASSAGE)], items={"a": ITEM})[0].verdict is Verdict.SUPPORTED


def test_a_changed_compound_scale_is_caught() -> None:
    checked = check_claims([claim(PASSAGE.replace("billion", "trillion"))], items={"a": ITEM})[0]
    assert checked.verdict is Verdict.UNSUPPORTED
    assert any("trillion" in reason for reason in checked.reasons)
