from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evals.grounding._pair_features import pair_features, tokens

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
    assert f.co_occurrence == 1.0 and f.aligned_coverage == 1.0 and f.bigram_precision == 1.0
    assert f.novel_words == 0 and f.splice_rate == 0.0 and f.sentences == 1


def test_an_invented_word_is_novel_and_named() -> None:
    f = pair_features(SOURCE, "Gary Locke will be sacked as Kilmarnock manager on Friday.")
    assert f.novel_words == 1
    assert f.notes[0].novel == [tokens("sacked")[0]]


def test_pieces_glued_from_two_sentences_raise_the_splice_rate_and_split_pairs() -> None:
    glued = pair_features(SOURCE, "Gary Locke will be confirmed by the Rugby Park club on Friday morning.")
    copied = pair_features(SOURCE, "An announcement will be made by the Rugby Park club on Friday morning.")
    assert glued.splice_rate > copied.splice_rate == 0.0
    assert glued.co_occurrence < copied.co_occurrence
    assert glued.notes[0].pairs_apart > 0


def test_the_weakest_sentence_sets_the_per_sentence_features() -> None:
    good = "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday."
    both = pair_features(SOURCE, good + " Celtic signed a striker from Ajax for ten million pounds.")
    assert both.sentences == 2
    assert both.aligned_coverage < pair_features(SOURCE, good).aligned_coverage
    assert (
        both.novel_words
        == pair_features(SOURCE, "Celtic signed a striker from Ajax for ten million pounds.").novel_words
    )


def test_repeated_words_are_measured() -> None:
    f = pair_features(SOURCE, "the manager manager will be confirmed as manager on friday .")
    assert f.repeated_words == pytest.approx(2 / 5)
    assert pair_features(SOURCE, "locke will be confirmed on friday .").repeated_words == 0.0


def test_empty_claims_give_neutral_features() -> None:
    f = pair_features(SOURCE, "")
    assert f.notes == [] and f.copy_density == 0.0 and f.novel_words == 0


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
