"""Hostile shapes of input the checker must read in near-linear time, with the verdicts it always gave.

Costs are checked by counting the work (how often the passage's quantities are read), never by timing: the
timings before and after are in the notes of the change (scripts of /work/notes/s13, s13b).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from agent.domain.models import Citation, Item, Section, SourceKind
from agent.domain.text import sentence_spans
from evals.grounding import _core, _entities, _table_claims, checker
from evals.grounding._core import build_evidence, check_sentence
from evals.grounding._entities import extract_names
from evals.grounding._quantities import Quantity, QuantityIndex, find_match
from evals.grounding._tables import Column, Row, Table, tables_in
from evals.grounding._text import KeyRuns, norm_key


def _random_quantities(rng: random.Random, n: int) -> list[Quantity]:
    out = []
    for _ in range(n):
        kind = rng.choice(["number", "number", "word", "pair", "date", "period"])
        value = rng.choice(
            [0.0, 1.0, 3.0, 65.0, 65.3, 64.5, 1e9, 1e9 + 1, 1e12, float("inf"), rng.uniform(0, 100)]
        )
        unit = rng.choice(["", "", "%", "pp", "USD", "quarter", "date"])
        tolerance = rng.choice([0.0, 0.5, 0.05, 0.005, 5e8])
        out.append(Quantity(value, unit, f"{value:g}", tolerance, kind))
    return out


def test_the_quantity_index_answers_what_find_match_answers() -> None:
    rng = random.Random(11)
    for _ in range(200):
        evidence = _random_quantities(rng, rng.randint(0, 30))
        index = QuantityIndex(evidence)
        for claim in _random_quantities(rng, 20):
            assert index.find(claim) == find_match(claim, evidence), claim


def test_an_infinite_value_confirms_no_other_number() -> None:
    # A leaderboard's JSON may say Infinity; |x - inf| <= 1e-9 * inf held for every x, so one such row
    # confirmed every number of every claim citing it.
    row = Quantity(float("inf"), "", "inf")
    evidence = build_evidence(["The archive holds 7 bytes."], extra_quantities=[row])
    check = check_sentence("The archive holds 12 bytes.", evidence)
    assert any("'12' is not in the cited passage" in r for r in check.hard), check
    assert find_match(Quantity(12.0, "", "12"), [row]) == (None, None)
    assert find_match(row, [Quantity(12.0, "", "12"), row]) == (None, None)


class _CountingList(list[Quantity]):
    reads = 0

    def __iter__(self) -> Iterator[Quantity]:
        _CountingList.reads += 1
        return super().__iter__()


def test_a_sentence_of_many_numbers_reads_the_passage_s_numbers_a_few_times_not_once_each() -> None:
    # 4,000 numbers in one sentence against a passage of 4,000 took 11 s when each was matched against all.
    passage = " ".join(f"{i} target models with {1000 + i} draft models." for i in range(300))
    sentence = " ".join(f"{i} target models with {i + 1} draft models" for i in range(300)) + "."
    evidence = build_evidence([passage])
    evidence.quantities = _CountingList(evidence.quantities)
    _CountingList.reads = 0
    check = check_sentence(sentence, evidence)
    assert _CountingList.reads <= 4
    assert (
        "the passage has '1000' draft, the sentence '1' draft: the number belongs to something else"
        in check.hard
    )
    assert "0 = 0" in check.confirmed


def _random_key(rng: random.Random, vocabulary: list[str], most: int) -> str:
    return norm_key(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, most))))


def test_key_runs_answer_what_reading_the_keys_answers() -> None:
    rng = random.Random(5)
    vocabulary = ["a", "b", "gpt", "5", "gpt-5", "a.b", "x+", "s", "&"]
    for _ in range(300):
        texts = [_random_key(rng, vocabulary, 30) for _ in range(rng.randint(0, 3))] + [""]
        runs = KeyRuns(texts)
        for _ in range(30):
            k = _random_key(rng, vocabulary, 4)
            for question in (k, k[:-1] + "s ", k[:-2] + " ", k.strip(), "  "):
                assert (question in runs) == any(question in t for t in texts), (question, texts)


def test_a_long_source_is_asked_for_names_and_quotations_by_its_tokens() -> None:
    # 4,000 names against a 470,000-character source took 5.5 s, the source read once per name.
    filler = "The team wrote about the model and its score this week. " * 400
    evidence = build_evidence([filler + "Corvid Labs said “the model is ready for release” on Monday."])
    check = check_sentence("Corvid Labs said “the model is ready for release”, unlike Halden AI.", evidence)
    assert evidence._runs is not None
    assert check.hard == ["the name 'Halden AI' is not in the cited passage"]


def test_names_inside_longer_names_are_dropped_alike_past_a_handful(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    words = ["Alpha", "Beta", "Gamma", "Corp", "Labs", "GPT-5", "X2"]
    sentence = " and ".join(" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(80))
    by_tokens = extract_names(sentence + ".")
    assert len(by_tokens) > _entities._FEW_NAMES
    monkeypatch.setattr(_entities, "_FEW_NAMES", 10**9)
    assert by_tokens == extract_names(sentence + ".")


def test_versioned_words_are_those_the_regex_finds() -> None:
    rng = random.Random(9)
    pieces = ["gpt", "llama", ".", "cpp", "-", " ", "5", "3", "_", "é", "(", "x"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        for word in ("gpt", "llama", "cpp", "llama.cpp", "gpt.cpp", "x", "xgpt", "cpp.x"):
            found = re.search(rf"\b{re.escape(word)}[\s-]?\d", text) is not None
            assert (word in _core._versioned_words(text)) == found, (word, text)


@pytest.mark.parametrize("written", ["million", "Million", "MILLION", "trillion", "Thousand"])
@pytest.mark.parametrize(
    "passage", ["a million users", "2 MILLION", "millions", "a Thousand", "8-trillion-token"]
)
def test_scale_words_are_those_the_regex_finds(written: str, passage: str) -> None:
    found = re.search(rf"\b{written}\b", passage, re.IGNORECASE) is not None
    assert (_core._scale_word(written) in build_evidence([passage]).scales) == found


def _passage_by_reading_all(citation: Citation, item: Item) -> str:
    """The quote widened as the checker always widened it: every sentence and table of the item read."""
    start, end = citation.start, citation.end
    for s, e in sentence_spans(item.text):
        if s <= citation.start < e:
            start = min(start, s)
        if s < citation.end <= e:
            end = max(end, e)
    for s, e, _ in tables_in(item.text):
        if s < end and start < e:
            start, end = min(start, s), max(end, e)
    return item.text[start:end]


def test_a_quote_is_widened_to_the_sentences_and_tables_it_touches_found_by_bisection() -> None:
    # Reading every sentence of an item for each claim made 4,000 claims citing one long item quadratic.
    rng = random.Random(4)
    pieces = [
        "Model{i} scored {i}.5% on the bench. ",
        "\n\nScores\n| Model | Score |\n|---|---|\n| Model{i} | {i}.5% |\n| Other | 3.5% |\n\n",
        "<table><tr><th>Model</th><th>Score</th></tr><tr><td>Model{i}</td><td>{i}.5%</td></tr></table> ",
        "A line {i} without a stop\n",
    ]
    for trial in range(60):
        text = "".join(rng.choice(pieces).format(i=i) for i in range(rng.randint(1, 30)))
        item = Item(
            id=f"i{trial}",
            source="s",
            section=Section.WIRE,
            kind=SourceKind.PAGE,
            title="",
            url="urn:i",
            text=text,
        )
        spans: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        for _ in range(20):
            a = rng.randrange(len(text))
            b = min(len(text), a + rng.randint(1, 120))
            citation = Citation(item_id=item.id, start=a, end=b, quote=text[a:b])
            assert checker._passage(citation, item, spans) == _passage_by_reading_all(citation, item)


class _CountingRows(tuple[Row, ...]):
    reads = 0

    def __iter__(self) -> Iterator[Row]:
        _CountingRows.reads += 1
        return super().__iter__()


def _table(rng: random.Random, n: int) -> Table:
    columns = (Column("Model", "text"), Column("Score", "score", "%"), Column("Price", "price", "USD"))
    rows = []
    for i in range(1, n + 1):
        score, price = rng.choice([None, 50.0, 61.5, float(rng.randint(1, 9))]), float(rng.randint(1, 5))
        cells = (f"M{i}", "" if score is None else f"{score:g}%", f"${price:g}")
        rows.append(Row(f"M{i}", (None, score, price), cells, i))
    return Table("Results", columns, _CountingRows(rows), primary=1)


def test_a_table_is_ranked_by_sorting_once_not_by_comparing_every_row_with_every_other() -> None:
    # 400 rank statements against a 2,000-row table took 16 s, each ranking reading every row for each row.
    rng = random.Random(2)
    for n in (1, 5, 40):
        table = _table(rng, n)
        for column in (None, 1, 2):
            expected = []
            for row in table.rows:
                col = 1 if column is None else column
                mine = row.values[col]
                if mine is None:
                    continue
                lower = table.columns[col].lower_is_better
                others = [v for r in table.rows if (v := r.values[col]) is not None]
                better = [v for v in others if (v < mine if lower else v > mine)]
                expected.append((len(better) + 1, row))
            expected.sort(key=lambda pair: (pair[0], pair[1].position))
            assert table.ranked(column) == expected
            for rank in range(n + 2):
                assert table.at_rank(rank, column) == next((r for k, r in expected if k == rank), None)
    table = _table(rng, 500)
    _CountingRows.reads = 0
    for column in (None, 1, 2):
        table.ranked(column)
        table.at_rank(3, column)
    assert _CountingRows.reads <= 6


def test_spans_answer_what_reading_every_span_answers() -> None:
    rng = random.Random(6)
    for _ in range(300):
        spans = [(a, a + rng.randint(0, 6)) for a in (rng.randint(0, 40) for _ in range(rng.randint(0, 6)))]
        merged = _table_claims._Spans(spans)
        for pos in range(-1, 50):
            assert merged.holds_start(pos) == any(s <= pos < e for s, e in spans)
            assert merged.holds_end(pos) == any(s < pos <= e for s, e in spans)


def test_numbers_of_other_rows_are_found_without_reading_every_row_for_each() -> None:
    # A sentence giving each of 2,000 rows another row's score read all 2,000 rows for each number (4.5 s).
    rng = random.Random(1)
    table = _table(rng, 300)
    named = [r for r in table.rows if r.values[1] is not None][:60]
    sentence = ", ".join(
        f"{r.name} scores {named[(n + 1) % len(named)].values[1]:g}%" for n, r in enumerate(named)
    )
    _CountingRows.reads = 0
    relations = _table_claims.check_table_claims(sentence + ".", [table])
    assert _CountingRows.reads <= 12
    assert any("is M" in r.reason and not r.held for r in relations)


def test_a_name_is_looked_for_only_when_its_words_are_in_the_sentence_and_found_alike() -> None:
    # Each row's name was searched through the whole sentence: 10,000 rows against 190,000 characters, 3 s.
    rng = random.Random(12)
    pieces = ["gpt", "-", "5", ".", "mini", " ", "o3", "(", ")", "5.1", "é", "_"]
    for _ in range(400):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        reader = _table_claims._Reader(low, _table(rng, 2))
        for _ in range(10):
            name = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
            assert reader.find_name(name) == _table_claims._find_name(reader.low, name), (name, low)


def test_the_by_value_pattern_of_each_column_is_compiled_once_per_table() -> None:
    # A table read the other way has a column per row: compiling each column's pattern for every sentence
    # (and reading the whole sentence with it) made one sentence against 10,000 rows take 57 s.
    table = _table(random.Random(3), 20)
    patterns = table.remembered("by_value_patterns", _table_claims._by_value_patterns)
    assert table.remembered("by_value_patterns", _table_claims._by_value_patterns) is patterns
    relations = _table_claims.check_table_claims("M3 has the highest Score.", [table])
    assert [(r.held, r.reason) for r in relations] == [
        (False, "'highest score' of the table on Results: M9 (61.5%), M15 (61.5%), M18 (61.5%); M3 has 1%")
    ]


def test_used_spans_answer_what_reading_every_span_answers() -> None:
    # Each difference and number of a long sentence read every span already used: 1,000 differences, 1 s.
    rng = random.Random(13)
    for _ in range(200):
        used = _table_claims._Used()
        spans: list[tuple[int, int]] = []
        for _ in range(rng.randint(0, 12)):
            span = (a := rng.randint(0, 40), a + rng.randint(0, 8))
            used.append(span)
            spans.append(span)
            copy = used.copy()
            assert list(copy) == spans
            for pos in range(-1, 50):
                assert copy.holds(pos) == used.holds(pos) == any(s <= pos < e for s, e in spans)


def test_the_leader_is_looked_for_once_through_the_sentence_and_found_alike() -> None:
    rng = random.Random(14)
    pieces = ["the leader", " ", "top spot", "x", "#1", "No. 1", "a", ","]
    for _ in range(300):
        sentence = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        reader = _table_claims._Reader(sentence, _table(rng, 2))
        for pos in sorted(rng.randint(0, len(sentence) + 2) for _ in range(8)):
            assert reader.leader_from(pos) == (_table_claims._LEADER_RE.search(sentence, pos) is not None)


def test_enumerations_are_those_the_regex_finds_and_a_list_is_not_retried_from_each_word() -> None:
    # A comma list that never ends in "and" failed from its first word after reading all of it, and again
    # from each later word: 6.4 s for 40,000 characters.
    rng = random.Random(15)
    pieces = ["a", "bb", "-", " ", ", ", ",", "and", "or", " and ", " or ", "x-y", ".", "é", "3", ", ", " "]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = [m.span() for m in _core._ENUMERATION_RE.finditer(text)]
        assert [m.span() for m in _core._enumeration_matches(text)] == expected, text
    tries = 0
    pattern = _core._ENUMERATION_RE

    class _Counting:
        def match(self, text: str, pos: int) -> re.Match[str] | None:
            nonlocal tries
            tries += 1
            return pattern.match(text, pos)

    _core._ENUMERATION_RE = _Counting()  # type: ignore[assignment]
    try:
        assert _core._enumeration_matches("ab, " * 2_000 + "x, y and z") != []
    finally:
        _core._ENUMERATION_RE = pattern
    assert tries <= 2


def test_a_long_word_or_a_long_number_is_read_once_not_from_each_of_its_characters() -> None:
    # A 40,000-letter word made the versioned-word scan take 14 s; a 20,000-digit number in a sentence about
    # a table took 22 s; each backtracked through the rest of the run from every character of it.
    assert _core._versioned_words("a" * 40_000 + " gpt-5") == frozenset({"gpt"})
    for pattern in (_table_claims._SPREAD_RE, _table_claims._BOUND_PERCENT_RE, _table_claims._DIFF_RE):
        assert "(?<!\\d)(\\d+" in pattern.pattern
    assert "(?<![a-z.])([a-z.]++)" in _core._VERSIONED_RUN_RE.pattern
    relations = _table_claims.check_table_claims(
        "M3 scored " + "1" * 20_000 + " points.", [_table(random.Random(1), 5)]
    )
    assert all(isinstance(r.held, bool) for r in relations)
