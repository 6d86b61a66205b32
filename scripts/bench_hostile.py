"""The checker on hostile shapes of input, each at n and 2n: CPU seconds and their ratio (about 2 is linear).

    .venv/bin/python scripts/bench_hostile.py [case ...]

One claim sentence against one cited source, both grown together: thousands of numbers (matched, unmatched,
with the same word after them), quarters, a 2 MB source, a 190,000-character sentence, thousands of names,
quotations, scale words, versioned names and acronyms against a 470,000-character source, nested
parentheses, negations, a word of 40,000 letters, a comma list of 20,000 characters without "and", a
number of 20,000 digits in a sentence about a table, Markdown and HTML tables of 10,000 rows and
sentences of thousands of table statements (scores, ranks, comparisons, ties, differences, "top N",
"cheapest of the top N", moves), and thousands of claims citing one long item with a table per sentence.
A ratio near 4 is quadratic: a defect.
Not a test (timings on a shared machine move); the tests count the work instead
(tests/evals/grounding/test_hostile_input.py).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.domain.models import Citation, Claim, Item, Section, SourceKind  # noqa: E402
from evals.grounding.checker import check_claims  # noqa: E402

_RNG = random.Random(7)
_WORDS = "model score release benchmark team price token agent data paper week result open weights".split()


def _item(text: str) -> Item:
    return Item(
        id="s", source="bench", section=Section.WIRE, kind=SourceKind.PAGE, title="", url="urn:s", text=text
    )


def _claim(n: int, text: str, start: int, end: int, source: str) -> Claim:
    citation = Citation(item_id="s", start=start, end=end, quote=source[start:end])
    return Claim(id=f"c{n}", block="b", paragraph=0, text=text, citations=[citation])


def _prose(n: int) -> str:
    return " ".join(_RNG.choice(_WORDS) for _ in range(n))


def _numbers(n: int) -> str:
    return " ".join(f"{_RNG.randint(1, 10**6) / 100:g} {_RNG.choice(_WORDS)}" for _ in range(n))


def _filler(n: int) -> str:
    return ". ".join(_prose(16) for _ in range(n)) + "."


def _md_table(n: int) -> str:
    rows = "\n".join(f"| Model-{i} | {50 + (i % 500) / 10:.1f}% | ${i % 90 + 1}.00 |" for i in range(n))
    return f"Results:\n\n| Model | Score | Price |\n|---|---|---|\n{rows}\n"


def _score(i: int) -> str:
    return f"{50 + (i % 500) / 10:.1f}%"


# Each case: n -> (source, claim sentence).
_SENTENCES: dict[str, tuple[int, Callable[[int], tuple[str, str]]]] = {
    "numbers": (2_000, lambda n: (". ".join(_numbers(20) for _ in range(n // 20)) + ".", _numbers(n) + ".")),
    "numbers_unmatched": (
        2_000,
        lambda n: (
            ". ".join(_numbers(20) for _ in range(n // 20)) + ".",
            " ".join(f"{i}.{i % 7}3 widgets" for i in range(n)) + ".",
        ),
    ),
    "same_next_word": (
        2_000,
        lambda n: (
            " ".join(f"{i} draft models." for i in range(n)),
            " ".join(f"{i + 10**6} draft" for i in range(n)) + ".",
        ),
    ),
    "quarters": (
        2_000,
        lambda n: (
            " ".join(f"Q{1 + i % 3} revenue {i}." for i in range(n)),
            " ".join("Q4 sales" for _ in range(n)) + ".",
        ),
    ),
    "big_source": (
        900_000,
        lambda n: (
            ". ".join(_prose(12) + f" {i} Acme{i % 50}" for i in range(n // 80)) + ".",
            "The model score rose 12% in the week.",
        ),
    ),
    "long_claim": (15_000, lambda n: (_filler(200), _prose(n) + ".")),
    "names": (
        2_000,
        lambda n: (
            " ".join(f"Name{i} Corp met Person{i}." for i in range(n)),
            " and ".join(f"Name{i} Corp" for i in range(n)) + " met.",
        ),
    ),
    "names_big": (
        2_000,
        lambda n: (
            ". ".join(_prose(16) + f" Known{i} Corp" for i in range(n)) + ".",
            ", ".join(f"Zork{i} Blah{i}" for i in range(n)) + " met.",
        ),
    ),
    "quotes_big": (
        2_000,
        lambda n: (_filler(n), " ".join(f'said "{_prose(3)} q{i}"' for i in range(n)) + "."),
    ),
    "scale_words_big": (
        2_000,
        lambda n: (_filler(n), " ".join("a million users and a billion tokens" for _ in range(n)) + "."),
    ),
    "versioned_big": (
        2_000,
        lambda n: (
            ". ".join(_prose(16) + f" Foo{i % 50} said" for i in range(n)) + ".",
            " ".join(f"Foo{i % 50}-{i} and" for i in range(n)) + " more.",
        ),
    ),
    "acronyms_big": (
        2_000,
        lambda n: (
            _filler(n),
            " ".join(f"and QX{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}" for i in range(n)) + ".",
        ),
    ),
    "long_word": (
        20_000,
        lambda n: ("x " + "a" * n + " fell.", "The " + "a" * n + " rose 5% on three counts."),
    ),
    "comma_list": (10_000, lambda n: ("ab, " * (n // 4) + "x.", "The list rose 5% on three counts.")),
    "digit_run": (10_000, lambda n: (_md_table(20), "Model-3 scored " + "1" * n + " points.")),
    "parens": (
        50_000,
        lambda n: ("(" * n + "model score" + ")" * n + ".", "(" * n + "model score 5" + ")" * n + "."),
    ),
    "nots": (
        2_000,
        lambda n: (
            " ".join(f"the team did not release model {i}." for i in range(n)),
            " ".join("the team did not release the model and" for _ in range(n)) + ".",
        ),
    ),
    "md_table": (
        5_000,
        lambda n: (_md_table(n), "Model-3 scores 50.3%, ahead of Model-7 and cheaper than Model-9."),
    ),
    "html_table": (
        5_000,
        lambda n: (
            "Results:<table><tr><th>Model</th><th>Score</th></tr>"
            + "".join(f"<tr><td>Model-{i}</td><td>{_score(i)}</td></tr>" for i in range(n))
            + "</table>",
            "Model-3 scores 50.3%, ahead of Model-7.",
        ),
    ),
    "table_long_claim": (5_000, lambda n: (_md_table(n), "Model-3 scores 50.3% " + _prose(n * 3) + ".")),
    "table_scores": (
        1_000,
        lambda n: (_md_table(n), ", ".join(f"Model-{i} scores {_score(i)}" for i in range(0, n, 5)) + "."),
    ),
    "table_swapped": (
        1_000,
        lambda n: (_md_table(n), ", ".join(f"Model-{i} scores {_score(i + 1)}" for i in range(n)) + "."),
    ),
    "table_ranks": (
        1_000,
        lambda n: (_md_table(n), ", ".join(f"Model-{i} ranks {i + 1}" for i in range(0, n, 5)) + "."),
    ),
    "table_pairs": (
        1_000,
        lambda n: (
            _md_table(n),
            ", ".join(f"Model-{i} outscores Model-{i + 1}" for i in range(0, n, 5)) + ".",
        ),
    ),
    "table_diffs": (
        1_000,
        lambda n: (
            _md_table(n),
            ", ".join(f"Model-{i} trails Model-{i + 1} by 0.1 points" for i in range(0, n, 2)) + ".",
        ),
    ),
    "table_ties": (
        1_000,
        lambda n: (
            _md_table(n),
            ", ".join(f"Model-{i} and Model-{i + 500} are tied" for i in range(0, n, 2)) + ".",
        ),
    ),
    "table_top": (
        1_000,
        lambda n: (_md_table(n), ", ".join(f"Model-{i} is in the top {i + 1}" for i in range(0, n, 2)) + "."),
    ),
    "table_cheapest": (
        1_000,
        lambda n: (
            _md_table(n),
            ", ".join(f"Model-{i} is the cheapest of the top {i + 2}" for i in range(0, n, 2)) + ".",
        ),
    ),
    "table_moves": (
        1_000,
        lambda n: (
            _md_table(n),
            ", ".join(f"Model-{i} climbed {i % 7 + 2} places to rank {i + 1}" for i in range(0, n, 2)) + ".",
        ),
    ),
}


def _one_sentence(source: str, sentence: str) -> float:
    claims = [_claim(0, sentence, 0, len(source), source)]
    started = time.process_time()
    check_claims(claims, items={"s": _item(source)})
    return time.process_time() - started


def _many_claims(n: int) -> float:
    """n claims, each citing its own sentence of one item that prints a small table after each sentence."""
    parts = [
        f"Model{i} scored {i % 90}.5% on the bench in week {i}. \n\n| Model | Score |\n|---|---|\n"
        f"| Model{i} | {i % 90}.5% |\n\n"
        for i in range(n)
    ]
    text = "".join(parts)
    claims: list[Claim] = []
    at = 0
    for i, part in enumerate(parts):
        end = at + part.index(".", part.index("week")) + 1
        claims.append(_claim(i, f"Model{i} scored {i % 90}.5% on the bench.", at, end, text))
        at += len(part)
    started = time.process_time()
    check_claims(claims, items={"s": _item(text)})
    return time.process_time() - started


def main() -> None:
    names = sys.argv[1:] or [*_SENTENCES, "many_claims"]
    print("case                 n        CPU s    2n     CPU s   ratio")
    for name in names:
        if name == "many_claims":
            n = 2_000
            first, second = _many_claims(n), _many_claims(2 * n)
        else:
            n, make = _SENTENCES[name]
            first, second = _one_sentence(*make(n)), _one_sentence(*make(2 * n))
        print(
            f"{name:18} {n:>9,} {first:8.3f} {2 * n:>9,} {second:8.3f}   x{second / max(first, 1e-3):.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
