"""A claim that has lost its case, read as if it had it.

Summarisers of the 2017-2020 benchmarks write lower-cased, tokenised text ("lewis hamilton 's title
hopes", "# 330million" for "£330million", "-lrb-" for "("): the name check finds names by their capitals,
so in such a sentence it sees none, and an invented person or place can only be caught by word coverage.
FRANK: 375 of 480 claims are written so.

A sentence is case-less when it has no capital letter past its first, over enough letters to tell. Its
case is restored from the cited evidence: a run of words the evidence writes capitalised mid-sentence
(and never lower-case) becomes that name; a word the evidence never uses and no English word list holds
("pochettino") is capitalised too, an unknown name, which the name check then looks for as it does in
cased text. The word list is pyspellchecker's English frequency list (MIT, 650 kB in the wheel, read once
on first need): a word it holds ("london", "online") is left lower-case. Cased text is never touched.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import spellchecker

from evals.grounding._entities import is_common_word
from evals.grounding._text import STOPWORDS

__all__ = ["case_map", "is_caseless", "restore_case", "untokenise"]

# Fewer letters than this cannot tell a case-less sentence from a short one ("ok, fine.").
_MIN_LETTERS = 20
_UPPER_RE = re.compile(r"[A-Z]")
# Summarisers' placeholder for a word they could not produce: upper-case in otherwise lower-case text.
_PLACEHOLDER_RE = re.compile(r"\bUNK\b")


def is_caseless(sentence: str) -> bool:
    """No capital letter at all over at least 20 letters; or one only at the start of a sentence that shows
    the tokeniser's marks (" 's", " , ", "-lrb-"). A sentence written with a capital first letter and no
    name ("The company reobtained $20 million") is cased text that names nothing: left as it is."""
    text = _PLACEHOLDER_RE.sub("", sentence)
    first = _UPPER_RE.search(text)
    if first is not None:
        lead = text[: first.start()]
        if any(c.isalpha() for c in lead) or _UPPER_RE.search(text, first.end()) is not None:
            return False
        if not _TOKENISER_MARK_RE.search(text):
            return False
    return sum(c.isalpha() for c in text) >= _MIN_LETTERS


_TOKENISER_MARK_RE = re.compile(r"\w (?:'s|n't|[,.;:])(?:\s|$)|-[lr][rsc]b-|``|# \d")


# The tokeniser's marks put back: brackets, quotes, split possessives and contractions, a pound sign
# written "#" (the CNN/DM pipeline's encoding of "£"), the escaped quotes of the XSum outputs.
_TOKENISED = (
    (re.compile(r"-lrb-"), "("),
    (re.compile(r"-rrb-"), ")"),
    (re.compile(r"-lsb-"), "["),
    (re.compile(r"-rsb-"), "]"),
    (re.compile(r"-lcb-"), "{"),
    (re.compile(r"-rcb-"), "}"),
    (re.compile(r"\\(['\"])"), r"\1"),
    (re.compile(r"``|''"), '"'),
    (re.compile(r"(?<=\w) (['’]s|n['’]t|['’](?:re|ve|ll|d|m))\b"), r"\1"),
    (re.compile(r"(?<![\w#])# ?(?=\d)"), "£"),
    # "£50, 000" and "£10.25 m": a number split by the tokeniser is one number.
    (re.compile(r"(?<=\d), (?=\d{3}\b)"), ","),
    (re.compile(r"(?<=[£$€]\d)(\d*(?:\.\d+)?) (m|bn|k)\b"), r"\1\2"),
    # The placeholder for a word the summariser could not produce, lower-cased: "james UNK" names James.
    (re.compile(r"\bUNK\b"), "unk"),
    (re.compile(r"\( ", re.UNICODE), "("),
    (re.compile(r" ([,;:)!?%])"), r"\1"),
    (re.compile(r" \.$"), "."),
)


def untokenise(sentence: str) -> str:
    """ "spain 's 2-0 defeat" -> "spain's 2-0 defeat"; "# 330million" -> "£330million"."""
    for pattern, repl in _TOKENISED:
        sentence = pattern.sub(repl, sentence)
    return sentence


_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
# A run of capitalised words; one that opens a sentence counts from its second word, or from its first when
# that word is no common word ("Greece has denied": the text never writes "greece" lower-case either).
_CASED_RUN_RE = re.compile(
    r"(?<![\w'’\-])[A-Z][\w'’\-]*(?: (?:of|de|la|van|von|the|and|&) [A-Z][\w'’\-]*| [A-Z][\w'’\-]*)*"
)
_OPENS_RE = re.compile(r"(?:^|[.!?\n][\"'”’)]*)\s*[\"'“‘(]*$")


def case_map(text: str) -> tuple[dict[str, str], frozenset[str]]:
    """How ``text`` writes its names: lower-cased runs of capitalised words (one to four words) to their
    written form, for runs whose words the text never writes lower-case; and the words it writes at all,
    lower-cased."""
    lower_words = {w for w in _WORD_RE.findall(text) if w.islower()}
    cased: dict[str, str] = {}
    for m in _CASED_RUN_RE.finditer(text):
        tokens = m.group(0).split()
        if _OPENS_RE.search(text[max(0, m.start() - 4) : m.start()]) and is_common_word(_bare(tokens[0])):
            tokens = tokens[1:]
        for n in range(min(4, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                run = tokens[i : i + n]
                if run[0].islower() or run[-1].islower():
                    continue
                words = [_bare(t) for t in run]
                form = " ".join(words)
                if form.lower() in cased or any(w.lower() in STOPWORDS for w in words if w[:1].isupper()):
                    continue
                # A single word the text also writes lower-case is a common word ("City" and "the city");
                # a run of several is a name unless the text writes the run itself lower-case.
                common = form.lower() in lower_words if n == 1 else form.lower() in text
                if not common:
                    cased[form.lower()] = form
    return cased, frozenset(w.lower() for w in _WORD_RE.findall(text))


def _bare(token: str) -> str:
    token = token.rstrip(".,;:'’")
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token


def restore_case(sentence: str, names: dict[str, str], vocabulary: frozenset[str]) -> str:
    """``sentence`` (case-less, untokenised) with the evidence's names capitalised as the evidence writes
    them (longest run first), and words neither the evidence nor the word list knows capitalised."""
    out: list[str] = []
    pos = 0
    tokens = list(_WORD_RE.finditer(sentence))
    i = 0
    while i < len(tokens):
        matched = False
        for n in range(min(4, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            if any(sentence[a.end() : b.start()] != " " for a, b in pairwise(run)):
                continue
            key = " ".join(_bare(t.group(0)) for t in run).lower()
            form = names.get(key)
            if form is None:
                continue
            start, end = run[0].start(), run[-1].start() + len(_bare(run[-1].group(0)))
            out.append(sentence[pos:start])
            out.append(form)
            pos = end
            i += n
            matched = True
            break
        if matched:
            continue
        tok = tokens[i]
        word = _bare(tok.group(0)).lower()
        if _unknown_name(word, vocabulary):
            out.append(sentence[pos : tok.start()])
            out.append(tok.group(0)[:1].upper())
            pos = tok.start() + 1
        i += 1
    out.append(sentence[pos:])
    return "".join(out)


def _unknown_name(word: str, vocabulary: frozenset[str]) -> bool:
    if len(word) < 3 or not word.isalpha() or word in STOPWORDS or word in vocabulary or word == "unk":
        return False
    known = english_words()
    return word not in known and not any(v in known for v in _american(word))


# British spellings the (American) word list writes otherwise: "offences", "criticised", "medallist".
_BRITISH = (
    ("ences", "enses"),
    ("ence", "ense"),
    ("isation", "ization"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("our", "or"),
    ("ours", "ors"),
    ("llist", "list"),
    ("llists", "lists"),
    ("lled", "led"),
    ("lling", "ling"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("ogue", "og"),
    ("amme", "am"),
    ("ammes", "ams"),
)


def _american(word: str) -> list[str]:
    out = [word[: -len(gb)] + us for gb, us in _BRITISH if word.endswith(gb)]
    out += [w.replace("our", "or") for w in (word, *out) if "our" in w[1:]]  # "favourite", "colours"
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """pyspellchecker's English word list (160,572 words, lower-case), read from its wheel."""
    path = resources.files(spellchecker) / "resources" / "en.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return frozenset(json.load(f))
