"""The claim checker, one check at a time, on sentences of the kind the example edition prints."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.domain.models import (
    Citation,
    Claim,
    Item,
    Leaderboard,
    LeaderboardMove,
    LeaderboardRow,
    Section,
    SourceKind,
    Verdict,
)
from evals.grounding.checker import check_claims


def _item(item_id: str, text: str, *, board: Leaderboard | None = None, title: str = "") -> Item:
    kind = SourceKind.LEADERBOARD if board or item_id.startswith("moves:") else SourceKind.PAGE
    return Item(
        id=item_id,
        source="test",
        section=Section.WIRE,
        kind=kind,
        title=title,
        url=f"https://example.org/{item_id}",
        text=text,
        leaderboard=board,
    )


def _cite(item: Item, quote: str | None = None) -> Citation:
    quote = item.text if quote is None else quote
    start = item.text.index(quote)
    return Citation(item_id=item.id, start=start, end=start + len(quote), quote=quote)


def _check(
    sentence: str, *evidence: Item, moves: tuple[LeaderboardMove, ...] = (), extra: tuple[Item, ...] = ()
) -> Claim:
    claim = Claim(
        id="lead:0:0", block="lead", paragraph=0, text=sentence, citations=[_cite(e) for e in evidence]
    )
    items = {i.id: i for i in (*evidence, *extra)}
    return check_claims([claim], items=items, moves=moves)[0]


def _one(sentence: str, evidence: str) -> Claim:
    return _check(sentence, _item("https://example.org/a", evidence))


WIKI = "After a month of debate, Wikipedia editors voted 44-2 to ban AI-generated content from articles."
CAPEX = "The four largest hyperscalers are on track to spend $725 billion on AI compute this year."


def test_a_faithful_sentence_is_supported_with_a_readable_reason() -> None:
    claim = _one("Wikipedia editors banned AI-generated content by a 44-2 vote.", WIKI)
    assert claim.verdict is Verdict.SUPPORTED
    assert claim.score is not None and claim.score >= 0.5
    assert "https://example.org/a" in claim.reasons[-1]


@pytest.mark.parametrize(
    ("sentence", "evidence", "reason"),
    [
        ("Wikipedia editors banned AI-generated content by a 44-3 vote.", WIKI, "'44-3'"),
        ("Hyperscalers are spending $725 million on AI compute.", CAPEX, "scale differs"),
        ("Hyperscalers are spending €725 billion on AI compute.", CAPEX, "unit differs"),
        ("Hyperscalers are spending $752 billion on AI compute.", CAPEX, "'$752 billion' is not"),
        (
            "AI Overviews cut click-through rates by 58 percentage points.",
            "AI Overviews cut click-through rates by 58% on the queries studied.",
            "unit differs",
        ),
        (
            "Anthropic released Claude Opus 4.7 on May 13, 2026.",
            "Anthropic released Claude Opus 4.7 on May 12, 2026, with higher limits.",
            "date",
        ),
    ],
)
def test_numbers_are_compared_after_normalising(sentence: str, evidence: str, reason: str) -> None:
    claim = _one(sentence, evidence)
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any(reason in r for r in claim.reasons), claim.reasons


@pytest.mark.parametrize(
    ("sentence", "evidence"),
    [
        (
            "Google's AI Overviews cut click-through rates by 58 percent.",
            "Google's AI Overviews cut click-through rates by 58% for the pages studied.",
        ),
        ("Hyperscalers are spending $725 billion on AI compute this year.", CAPEX),
        (
            "The survey found 97 percent of organizations have AI initiatives.",
            "The survey found 97% of organizations have active AI initiatives.",
        ),
        (
            "Anthropic released Claude Opus 4.7 on May 12, 2026.",
            "On 2026-05-12 Anthropic released Claude Opus 4.7 to all paid plans.",
        ),
    ],
)
def test_equivalent_spellings_are_supported(sentence: str, evidence: str) -> None:
    claim = _one(sentence, evidence)
    assert claim.verdict is Verdict.SUPPORTED, claim.reasons


def test_a_version_change_is_caught_on_the_name_and_the_number() -> None:
    claim = _one(
        "Anthropic released Claude Opus 4.7 this week.", "Anthropic released Claude Opus 4.6 this week."
    )
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any("'Claude Opus 4.7'" in r for r in claim.reasons)
    assert any("'4.7'" in r for r in claim.reasons)


def test_an_entity_absent_from_the_evidence_is_named() -> None:
    claim = _one(
        "Mistral raised EUR 1.7 billion in a round led by Nvidia.",
        "Mistral AI raised EUR 1.7 billion in a Series C round led by ASML.",
    )
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any("'Nvidia' is not in the cited passage" in r for r in claim.reasons)


@pytest.mark.parametrize(
    ("sentence", "evidence"),
    [
        (
            "Meta released the weights of its largest model.",
            "Meta did not release the weights of its largest model, citing safety reviews.",
        ),
        ("Meta did not release a new model.", "Meta released a new model on Tuesday."),
        (
            "ChunkFlow does not reduce peak GPU memory over the no-offload baseline.",
            "ChunkFlow reduces peak GPU memory by up to 49% over the no-offload baseline.",
        ),
    ],
)
def test_negation_in_one_side_only_is_unsupported(sentence: str, evidence: str) -> None:
    claim = _one(sentence, evidence)
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any("negat" in r for r in claim.reasons), claim.reasons


def test_a_dropped_bound_is_reported_but_not_fatal() -> None:
    claim = _one(
        "ChunkFlow reduces peak GPU memory by 49% over the baseline.",
        "ChunkFlow reduces peak GPU memory by up to 49% over the baseline.",
    )
    assert claim.verdict is Verdict.SUPPORTED
    assert any("'up to'" in r for r in claim.reasons)
    assert claim.score is not None and claim.score < 1.0


def test_a_flipped_direction_is_unsupported() -> None:
    claim = _one(
        "DeepSeek raised its API prices by 50 percent.", "DeepSeek cut its API prices by 50% at night."
    )
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any("'raised'" in r for r in claim.reasons)


def test_a_sentence_unrelated_to_its_citation_is_unsupported() -> None:
    claim = _one("Hugging Face hosts more than two million models.", WIKI)
    assert claim.verdict is Verdict.UNSUPPORTED


def test_a_loose_paraphrase_is_left_to_the_judge() -> None:
    # 2 of its 6 content words are in the passage: under the coverage line, and nothing contradicts it.
    claim = _one("Wikipedia volunteers decided against machine-written prose.", WIKI)
    assert claim.verdict is Verdict.UNVERIFIABLE, claim.reasons


def test_a_paraphrase_that_keeps_a_third_of_its_words_passes() -> None:
    # The fitted coverage line (0.35): a faithful LLM summary restates in its own words.
    claim = _one("Wikipedia editors decided against machine-written prose after debate.", WIKI)
    assert claim.verdict is Verdict.SUPPORTED, claim.reasons


def test_no_citation() -> None:
    fact = Claim(id="a", block="lead", paragraph=0, text="Wikipedia banned AI content by a 44-2 vote.")
    opinion = Claim(
        id="b", block="lead", paragraph=0, text="The infrastructure race and the benchmark race diverge."
    )
    checked = check_claims([fact, opinion], items={})
    assert [c.verdict for c in checked] == [Verdict.NO_CITATION, Verdict.UNVERIFIABLE]
    assert all(c.score == 0.0 and c.reasons for c in checked)


def test_a_broken_citation_is_unsupported() -> None:
    item = _item("https://example.org/a", WIKI)
    bad = Citation(item_id=item.id, start=0, end=5, quote="voted")
    claim = Claim(id="a", block="lead", paragraph=0, text="Editors voted.", citations=[bad])
    checked = check_claims([claim], items={item.id: item})[0]
    assert checked.verdict is Verdict.UNSUPPORTED and "not at 0-5" in checked.reasons[0]


def test_the_quote_is_read_with_its_whole_sentence() -> None:
    item = _item(
        "https://example.org/a", "Intro text. Wikipedia editors voted 44-2 to ban AI-generated content."
    )
    claim = Claim(
        id="a",
        block="lead",
        paragraph=0,
        text="Wikipedia editors voted 44-2 to ban AI content.",
        citations=[_cite(item, "to ban AI-generated content")],
    )
    assert check_claims([claim], items={item.id: item})[0].verdict is Verdict.SUPPORTED


# ---------------------------------------------------------------- leaderboards and moves

_SWE_ROWS = [
    ("Claude Opus 4.6", 65.3),
    ("gpt-5.2-2025-12-11-medium", 64.4),
    ("GLM-5", 62.8),
    ("Junie", 62.8),
    ("gpt-5.4-2026-03-05-medium", 62.8),
    ("Kimi K2.6", 62.5),
    ("DeepSeek V4", 62.3),
    ("Qwen4", 61.9),
    ("Grok 5", 61.5),
    ("Devstral 3", 61.0),
]
SWE = Leaderboard(
    name="SWE-rebench",
    metric="Resolved rate",
    rows=tuple(LeaderboardRow(rank=i + 1, model=m, score=s, unit="%") for i, (m, s) in enumerate(_SWE_ROWS)),
)
AA = Leaderboard(
    name="Artificial Analysis Intelligence Index",
    metric="Intelligence Index",
    rows=(
        LeaderboardRow(
            rank=1, model="GPT-5.5", score=60.2, tokens_per_second=65, usd_per_million_tokens=11.25
        ),
        LeaderboardRow(
            rank=2, model="Claude Opus 4.7", score=57.3, tokens_per_second=63, usd_per_million_tokens=10.94
        ),
        LeaderboardRow(
            rank=3,
            model="Gemini 3.1 Pro Preview",
            score=57.2,
            tokens_per_second=128,
            usd_per_million_tokens=4.5,
        ),
        LeaderboardRow(rank=4, model="GLM-5.1", score=51.4, tokens_per_second=80, usd_per_million_tokens=1.2),
        LeaderboardRow(
            rank=5, model="Kimi K2 Thinking", score=40.9, tokens_per_second=41, usd_per_million_tokens=1.71
        ),
    ),
)
MOVES = (
    LeaderboardMove(
        leaderboard=AA.name, model="GLM-5.1", rank=4, score=51.4, previous_rank=6, previous_score=49.8
    ),
    LeaderboardMove(
        leaderboard=AA.name,
        model="Kimi K2 Thinking",
        rank=5,
        score=40.9,
        previous_rank=5,
        previous_score=38.0,
    ),
)


def _table(board: Leaderboard) -> str:
    return "\n".join(f"{r.rank}. {r.model}: {r.score}{r.unit}" for r in board.rows)


SWE_ITEM = _item("leaderboard:swe-rebench", _table(SWE), board=SWE, title="SWE-rebench")
AA_ITEM = _item("leaderboard:aa", _table(AA), board=AA, title=AA.name)
MOVES_ITEM = _item("moves:2026-05-14", "GLM-5.1: 51.4 (was 49.8)\nKimi K2 Thinking: 40.9 (was 38.0)")


@pytest.mark.parametrize(
    ("sentence", "item"),
    [
        ("Claude Opus 4.6 holds the top position on SWE-rebench at 65.3%.", SWE_ITEM),
        ("Models ranked 2 through 7 cluster between 64.4% and 62.3%.", SWE_ITEM),
        (
            "Within SWE-rebench, the spread from position 1 to position 10 spans only 4.3 percentage points.",
            SWE_ITEM,
        ),
        ("Gemini 3.1 Pro Preview is the fastest model in the top five.", AA_ITEM),
        ("GLM-5.1 is the cheapest of the top five at $1.20 per million tokens.", AA_ITEM),
        ("Claude Opus 4.7 is ranked second on the index.", AA_ITEM),
        ("GLM-5.1 moved to 51.4 on Artificial Analysis while Kimi K2 Thinking jumped to 40.9.", MOVES_ITEM),
    ],
)
def test_true_rank_statements_are_supported(sentence: str, item: Item) -> None:
    claim = _check(sentence, item, moves=MOVES, extra=(SWE_ITEM, AA_ITEM))
    assert claim.verdict is Verdict.SUPPORTED, claim.reasons


@pytest.mark.parametrize(
    ("sentence", "item", "reason"),
    [
        ("GLM-5 holds the top position on SWE-rebench at 62.8%.", SWE_ITEM, "GLM-5 is #3"),
        ("Models ranked 2 through 7 cluster between 64.4% and 61.3%.", SWE_ITEM, "not 61.3 to 64.4"),
        (
            "Within SWE-rebench, the spread from position 1 to position 10 spans only 5.3 percentage points.",
            SWE_ITEM,
            "spans 4.3 points, not 5.3",
        ),
        ("GPT-5.5 is the fastest model in the top five.", AA_ITEM, "Gemini 3.1 Pro Preview (128)"),
        ("Kimi K2 Thinking is the cheapest of the top five.", AA_ITEM, "GLM-5.1 ($1.20)"),
        ("Claude Opus 4.7 is ranked third on the index.", AA_ITEM, "not #3"),
        ("Claude Opus 4.7 sits ahead of GPT-5.5 on the index.", AA_ITEM, "'ahead of' does not hold"),
        ("Kimi K2 Thinking fell to 40.9 on Artificial Analysis.", MOVES_ITEM, "'fell' but Kimi K2 Thinking"),
        ("GLM-5.1 moved to 52.4 on Artificial Analysis.", MOVES_ITEM, "at 51.4"),
    ],
)
def test_false_rank_statements_say_what_the_board_shows(sentence: str, item: Item, reason: str) -> None:
    claim = _check(sentence, item, moves=MOVES, extra=(SWE_ITEM, AA_ITEM))
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any(reason in r for r in claim.reasons), claim.reasons


def test_check_claims_keeps_order_and_does_not_mutate() -> None:
    item = _item("https://example.org/a", WIKI)
    claims = [
        Claim(id=str(i), block="lead", paragraph=0, text=t, citations=[_cite(item)])
        for i, t in enumerate(["Wikipedia editors voted 44-2.", "Wikipedia editors voted 45-2."])
    ]
    checked = check_claims(claims, items={item.id: item})
    assert [c.id for c in checked] == ["0", "1"]
    assert [c.verdict for c in checked] == [Verdict.SUPPORTED, Verdict.UNSUPPORTED]
    assert claims[0].verdict is None


def test_a_number_moved_onto_another_noun_is_caught() -> None:
    claim = _one(
        "SpecServe runs 70B target models with 70B draft models.",
        "SpecServe runs 70B target models with 8B draft models.",
    )
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any("belongs to something else" in r for r in claim.reasons), claim.reasons


def test_a_percent_range_is_not_a_percentage_point_range() -> None:
    claim = _one(
        "Preemptible GPUs cost 60-70 percentage points less than on-demand instances.",
        "Preemptible GPUs cost 60-70 percent less than on-demand instances.",
    )
    assert claim.verdict is Verdict.UNSUPPORTED
    assert any("unit differs" in r for r in claim.reasons)


def test_a_rank_move_is_read_from_and_to() -> None:
    move = LeaderboardMove(
        leaderboard=AA.name, model="GPT-5.5", rank=1, score=60.2, previous_rank=2, previous_score=58.4
    )
    doc = _item(
        "moves:2026-05-14", "On Artificial Analysis Intelligence Index, GPT-5.5 moved from rank 2 to rank 1."
    )
    ok = _check(
        "On Artificial Analysis Intelligence Index, GPT-5.5 moved from rank 2 to rank 1.",
        doc,
        moves=(move,),
        extra=(AA_ITEM,),
    )
    assert ok.verdict is Verdict.SUPPORTED, ok.reasons
    bad = _check(
        "On Artificial Analysis Intelligence Index, GPT-5.5 moved from rank 3 to rank 1.",
        doc,
        moves=(move,),
        extra=(AA_ITEM,),
    )
    assert bad.verdict is Verdict.UNSUPPORTED
    assert any("not #3 to #1" in r for r in bad.reasons), bad.reasons


def test_a_count_of_an_enumeration_is_supported() -> None:
    claim = _one(
        "SmolLM3 supports six languages.",
        "SmolLM3 supports English, French, Spanish, German, Italian and Portuguese.",
    )
    assert claim.verdict is Verdict.SUPPORTED, claim.reasons
    assert _one(
        "SmolLM3 supports seven languages.", "SmolLM3 supports English, French and German."
    ).verdict is (Verdict.UNSUPPORTED)


def test_a_place_qualifier_on_a_name_is_soft_but_a_company_prefix_is_not() -> None:
    evidence = "Under the AI Act, obligations for general-purpose models apply from 2 August 2025."
    qualified = _one(
        "The EU AI Act's obligations for general-purpose models apply from August 2, 2025.", evidence
    )
    assert qualified.verdict is Verdict.SUPPORTED
    assert any("without 'EU'" in r for r in qualified.reasons)
    prefixed = _one(
        "OpenAI Codex obligations apply from August 2, 2025.", "Codex obligations apply from 2 August 2025."
    )
    assert prefixed.verdict is Verdict.UNSUPPORTED


def test_scale_words_and_hyphenated_parts_do_not_count_against_coverage() -> None:
    claim = _one(
        "Qwen3-235B-A22B activates 22 billion of its 235 billion parameters per token.",
        "Qwen3-235B-A22B is a mixture-of-experts model with 235B total parameters, of which 22B are "
        "activated for each token.",
    )
    assert claim.verdict is Verdict.SUPPORTED, claim.reasons


def test_a_cited_sentence_with_nothing_to_check_is_not_supported() -> None:
    assert _one("It is what it is.", WIKI).verdict is Verdict.UNVERIFIABLE
    assert _one("", WIKI).verdict is Verdict.UNVERIFIABLE


def test_a_quote_is_widened_to_its_sentence_but_not_across_a_line_break() -> None:
    item = _item(
        "https://example.org/raise", "OpenAI raised $40 billion\nThe company said revenue grew fast."
    )
    mid = Citation(
        item_id=item.id, start=item.text.index("revenue"), end=len(item.text), quote="revenue grew fast."
    )
    claim = Claim(
        id="c", block="lead", paragraph=0, text="The company said revenue grew fast.", citations=[mid]
    )
    assert check_claims([claim], items={item.id: item})[0].verdict is Verdict.SUPPORTED
    headline = claim.model_copy(update={"text": "The company raised $40 billion and said revenue grew fast."})
    checked = check_claims([headline], items={item.id: item})[0]
    assert checked.verdict is Verdict.UNSUPPORTED
    assert "the number '$40 billion' is not in the cited passage" in checked.reasons


def test_a_first_word_that_takes_the_place_of_the_passage_s_name_is_unsupported() -> None:
    evidence = "Mistral Medium 3 is priced at $0.40 per million input tokens, well below comparable models."
    swapped = _one("Lisbon costs $0.40 per million input tokens.", evidence)
    assert swapped.verdict is Verdict.UNSUPPORTED
    assert any("'Lisbon'" in r and "'Mistral Medium 3'" in r for r in swapped.reasons)
    # A first word the passage uses, or one that names nothing, is no such swap.
    assert (
        _one("Mistral Medium 3 costs $0.40 per million input tokens.", evidence).verdict is Verdict.SUPPORTED
    )
    assert _one("However, Mistral Medium 3 costs $0.40 per million input tokens.", evidence).verdict is (
        Verdict.SUPPORTED
    )


@pytest.mark.parametrize("when", ["on Tuesday", "on 1 December", "on Tuesday, 1 December 2026"])
def test_the_day_an_item_was_published_counts_as_named_by_it(when: str) -> None:
    text = "OpenAI said today that its new model is available to every paying customer."
    sentence = f"OpenAI said {when} that its new model is available to every paying customer."
    undated = _item("https://example.org/a", text)
    published_tuesday = undated.model_copy(update={"published": datetime(2026, 12, 1, 9, 30, tzinfo=UTC)})
    published_monday = undated.model_copy(update={"published": datetime(2026, 11, 30, 9, 30, tzinfo=UTC)})
    assert _check(sentence, published_tuesday).verdict is Verdict.SUPPORTED
    assert _check(sentence, published_monday).verdict is Verdict.UNSUPPORTED
    assert _check(sentence, undated).verdict is Verdict.UNSUPPORTED


@pytest.mark.parametrize(("sentence", "true"), [("sixteen", True), ("six", False), ("fifteen", False)])
def test_a_move_in_places_written_in_words_is_read_whole(sentence: str, true: bool) -> None:
    # "sixteen" once read as "six" followed by "teen": a true sentence was flagged.
    move = LeaderboardMove(
        leaderboard=AA.name, model="GLM-5.1", rank=4, score=51.4, previous_rank=20, previous_score=41.0
    )
    doc = _item("moves:2026-05-14", "GLM-5.1: rank 4 (was 20)")
    claim = _check(f"GLM-5.1 climbed {sentence} places on the index.", doc, moves=(move,), extra=(AA_ITEM,))
    assert (claim.verdict is Verdict.SUPPORTED) is true, claim.reasons
