from __future__ import annotations

from agent.domain.text import sentence_spans, sentences


def test_sentences_keep_decimals_versions_and_abbreviations_together() -> None:
    text = (
        "Claude Opus 4.6 holds the top spot at 65.3%. Models ranked 2 through 7 cluster (e.g. GLM-5). "
        'The U.S. market grew! Dr. J. Smith said "yes." Then 2024 came.'
    )
    assert sentences(text) == [
        "Claude Opus 4.6 holds the top spot at 65.3%.",
        "Models ranked 2 through 7 cluster (e.g. GLM-5).",
        "The U.S. market grew!",
        'Dr. J. Smith said "yes."',
        "Then 2024 came.",
    ]


def test_spans_index_the_original_text() -> None:
    text = "  First one here.\n\nSecond one?  Third.  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one here.", "Second one?", "Third."]


def test_lower_case_continuation_is_not_a_boundary() -> None:
    assert sentences("It rose 3 pct. over the year. Then it fell.") == [
        "It rose 3 pct. over the year.",
        "Then it fell.",
    ]


def test_a_line_break_ends_a_sentence() -> None:
    text = "Policy\nEU AI Office drafts an energy code\nThe office said on Monday that it would act."
    assert sentences(text) == [
        "Policy",
        "EU AI Office drafts an energy code",
        "The office said on Monday that it would act.",
    ]


def test_a_sentence_may_start_with_a_price_and_follow_a_multiplier() -> None:
    assert sentences("ChunkFlow is 1.28x faster, e.g. on H100s. $40M funds it, cf. Sec. 3 of the paper.") == [
        "ChunkFlow is 1.28x faster, e.g. on H100s.",
        "$40M funds it, cf. Sec. 3 of the paper.",
    ]
