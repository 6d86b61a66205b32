from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from evals.perturb import KINDS, Pair, perturb
from tests.conftest import ROOT

PAIRS = [
    Pair(
        "Hyperscalers are spending $725 billion on AI compute this year.",
        "The four largest hyperscalers will spend $725 billion on AI compute this year.",
        "capex",
    ),
    Pair(
        "Claude Opus 4.6 holds the top position on SWE-rebench at 65.3%.",
        "Claude Opus 4.6 holds the top position at 65.3%, followed by GLM-5 at 62.8%.",
        "swe",
    ),
    Pair(
        "Meta did not release the weights of its largest model.",
        "Meta did not release the weights of its largest model, citing Llama safety reviews.",
        "meta",
    ),
    Pair(
        "Anthropic's revenue run rate passed $5 billion in August.",
        "By August, Anthropic's revenue run rate had passed $5 billion, up from $1 billion in January.",
        "revenue",
    ),
    Pair(
        "The lab writes: “We searched the pretraining tokens for the test sets of twelve benchmarks.”",
        "We searched the pretraining tokens for the test sets of twelve benchmarks.",
        "contamination",
    ),
]


def test_every_kind_is_generated_and_each_changes_the_sentence() -> None:
    cases = perturb(PAIRS)
    assert {c.kind for c in cases} == {"untouched", *KINDS}
    for case in cases:
        assert (case.sentence == case.original) == (case.kind == "untouched")


def test_specific_perturbations() -> None:
    by_kind = {(c.original[:5], c.kind): c.sentence for c in perturb(PAIRS)}
    assert "$725 million" in by_kind[("Hyper", "scale")]
    assert "second position" in by_kind[("Claud", "rank")]
    assert by_kind[("Meta ", "negation")] == "Meta did release the weights of its largest model."
    dated = by_kind[("Anthr", "date")]
    assert "August" not in dated and "January" not in dated  # a month the passage never names
    assert dated.endswith(" billion in " + dated.rsplit(" ", 1)[1])
    assert by_kind[("The l", "quote")] == (
        "The lab writes: “We searched the pretraining tokens for the sets of twelve benchmarks.”"
    )  # a word dropped from the middle: the quotation is no longer word for word
    swapped = by_kind[("Claud", "entity")]
    assert "GLM-5" not in swapped  # the swapped-in name is one the passage lacks
    assert swapped != PAIRS[1].sentence


def test_number_swaps_are_never_a_rounding_of_the_original() -> None:
    # One figure changes, by at least a tenth of itself: $725 -> $726 would be a figure a reader, or a
    # checker allowing for rounding, could take for the same one.
    swaps = [c for seed in range(5) for c in perturb(PAIRS, seed=seed) if c.kind == "number"]
    assert len(swaps) >= 10
    for case in swaps:
        before, after = (re.findall(r"\d+(?:\.\d+)?", s) for s in (case.original, case.sentence))
        [(old, new)] = [(float(a), float(b)) for a, b in zip(before, after, strict=True) if a != b]
        assert abs(new - old) >= 0.1 * old, (case.original, case.sentence)


def test_deterministic_for_a_seed() -> None:
    assert perturb(PAIRS, seed=1) == perturb(PAIRS, seed=1)
    # In another process too (another hash seed): the suite's committed floors were measured on this draw.
    script = (
        "import json, sys\n"
        "from evals.perturb import perturb\n"
        "from tests.evals.test_perturb import PAIRS\n"
        "print(json.dumps([(c.kind, c.sentence) for c in perturb(PAIRS, seed=1)]))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    here = [[c.kind, c.sentence] for c in perturb(PAIRS, seed=1)]
    assert json.loads(other.stdout) == here
