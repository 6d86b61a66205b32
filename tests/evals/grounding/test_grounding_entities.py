from __future__ import annotations

from evals.grounding._entities import extract_names, gazetteer, name_in
from evals.grounding._text import norm_key, split_sentences


def test_models_with_versions_and_products() -> None:
    names = extract_names(
        "Chinese-developed models: GLM-5.1 moved to 51.4 on Artificial Analysis while Kimi K2 "
        "Thinking jumped to 40.9."
    )
    assert {"GLM-5.1", "Artificial Analysis", "Kimi K2 Thinking"} <= set(names)


def test_version_stays_with_the_name() -> None:
    assert "Claude Opus 4.6" in extract_names("Yesterday Claude Opus 4.6 holds the top position.")


def test_repositories_and_inner_capitals() -> None:
    assert {"trycua/cua", "GitHub"} <= set(extract_names("GitHub confirms it: trycua/cua lets agents act."))


def test_a_capitalised_first_word_is_not_a_name_unless_known() -> None:
    assert extract_names("Marginal gains now require refined approaches.") == []
    assert extract_names("Anthropic now serves more customers.", names_seen=frozenset({"Anthropic"})) == [
        "Anthropic"
    ]


def test_known_names_are_found_in_any_case() -> None:
    assert "gpt-5.2-2025-12-11-medium" in extract_names(
        "the gpt-5.2-2025-12-11-medium model", known=["gpt-5.2-2025-12-11-medium"]
    )


def test_name_lookup_ignores_punctuation_and_possessives() -> None:
    key = norm_key("In Guinea, Google's AI Overviews (GLM-5.1) ...")
    assert name_in("Guinea", key) and name_in("Google", key) and name_in("GLM 5.1", key)
    assert not name_in("GLM-5", key)


def test_gazetteer_keeps_mid_sentence_names() -> None:
    assert "Anthropic" in gazetteer(["Ramp data shows Anthropic ahead."])


def test_sentences_split_on_periods_but_not_decimals_or_initials() -> None:
    assert split_sentences("Opus 4.6 leads. The U.S. market grew. Mr. Smith left.") == [
        "Opus 4.6 leads.",
        "The U.S. market grew.",
        "Mr. Smith left.",
    ]
    assert split_sentences("prices rose .  then they fell .") == ["prices rose .", "then they fell ."]
