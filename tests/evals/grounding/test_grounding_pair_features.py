from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evals.grounding._pair_features import content_tokens, pair_features, tokens

REPO = Path(__file__).resolve().parents[3]

SOURCE = (
    "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday. "
    "An announcement will be made by the Rugby Park club on Friday morning. "
    "Locke was asked to take charge until the end of the season eight weeks ago."
)


def test_lower_cased_tokenised_text_reads_like_the_cased_article() -> None:
    assert tokens("kilmarnock 's manager did n't say `` yes '' .") == tokens(
        "Kilmarnock's manager didn't say \u201cyes\u201d."
    )
    assert "unk" not in tokens("the UNK club")


def test_a_copied_sentence_has_full_support_and_no_novel_words() -> None:
    f = pair_features(SOURCE, "gary locke will be confirmed as kilmarnock 's permanent manager on friday .")
    assert f.sentence_count == 1 and len(f.sentences) == 1
    (s,) = f.sentences
    assert s.co_occurrence == 1.0 and s.aligned_coverage == 1.0 and s.bigram_precision == 1.0
    assert s.novel_words == 0 and s.splice_rate == 0.0


def test_an_invented_word_is_novel_and_named() -> None:
    f = pair_features(SOURCE, "Gary Locke will be sacked as Kilmarnock manager on Friday.")
    assert f.sentences[0].novel_words == 1
    assert f.notes[0].novel == [tokens("sacked")[0]]


def test_pieces_glued_from_two_sentences_raise_the_splice_rate_and_split_pairs() -> None:
    glued = pair_features(SOURCE, "Gary Locke will be confirmed by the Rugby Park club on Friday morning.")
    copied = pair_features(SOURCE, "An announcement will be made by the Rugby Park club on Friday morning.")
    assert glued.sentences[0].splice_rate > copied.sentences[0].splice_rate == 0.0
    assert glued.sentences[0].co_occurrence < copied.sentences[0].co_occurrence
    assert glued.notes[0].pairs_apart > 0


def test_each_sentence_is_read_on_its_own() -> None:
    good = "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday."
    bad = "Celtic signed a striker from Ajax for ten million pounds."
    both = pair_features(SOURCE, good + " " + bad)
    assert both.sentence_count == 2
    assert both.sentences == pair_features(SOURCE, good).sentences + pair_features(SOURCE, bad).sentences
    assert [n.sentence for n in both.notes] == [good, bad]


def test_stopwords_are_not_content_words_even_when_their_stem_is_not_a_stopword() -> None:
    # "after" stems to "aft" and "before" to "befor", neither a stopword: the word itself decides.
    assert content_tokens("Locke left after the match, before Friday") == tokens("Locke left match Friday")


def test_repeated_words_are_measured() -> None:
    f = pair_features(SOURCE, "the manager manager will be confirmed as manager on friday .")
    assert f.repeated_words == pytest.approx(2 / 5)
    assert pair_features(SOURCE, "locke will be confirmed on friday .").repeated_words == 0.0


def test_empty_claims_give_neutral_features() -> None:
    f = pair_features(SOURCE, "")
    assert f.notes == [] and f.sentences == [] and f.repeated_words == 0.0


def test_scores_do_not_depend_on_string_hashing() -> None:
    code = (
        "from evals.grounding.pairs import score_pair;"
        "from tests.evals.grounding.test_grounding_pair_features import SOURCE;"
        "print(score_pair(SOURCE, 'Locke was asked to take charge of the club on Friday morning.')[1])"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
            cwd=REPO,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1
