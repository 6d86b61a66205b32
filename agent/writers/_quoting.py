"""How the extractive writer quotes a source in the desk's voice: who said it, and which sentences
can stand alone.

Pure functions over text. A quoted sentence keeps its source's words exactly (the citation points at
them); what the desk adds is the frame: the speaker's name and quotation marks, so a lab's "we" is
never read as the desk's.
"""

from __future__ import annotations

import re

from agent.domain.models import Item, Section

__all__ = [
    "asks_for_a_story",
    "attributed",
    "comment_directives",
    "is_complete",
    "needs_context",
    "speaker",
]

# A sentence that opens with one of these leans on an earlier sentence for its subject ("It said...",
# "They plan...", "This means..."): quoted alone, a reader cannot tell who or what it is about.
_PRONOUN_OPENERS = frozenset(
    "it its it's this that these those they them their theirs he she his her him such both each "
    "another others here there then also however meanwhile but and or so yet still instead".split()
)
# "The company said...", "The Lisbon team will...": a description that names nobody. The sentence is
# kept only when its subject names someone ("The EU AI Office drafts...").
_GENERIC_HEADS = frozenset(
    "company companies firm firms team teams lab labs startup start-up group groups organisation "
    "organization office unit division model models system systems paper study report draft deal move "
    "project researchers authors author scientists engineers maker makers provider providers chipmaker "
    "developer developers agency regulator government ministry newsroom platform service product tool "
    "release update announcement statement spokesperson executive executives founder founders ceo".split()
)
_WORD = re.compile(r"[\w'’-]+")
_COMPLETE = re.compile(r"""[.!?]["'”’)\]]*$""")


def is_complete(sentence: str) -> bool:
    """Starts like a sentence and ends with its punctuation: no headline, label or cut-off line."""
    stripped = sentence.strip()
    if not stripped or not _COMPLETE.search(stripped):
        return False
    first = stripped.lstrip("\"'“‘(")[:1]
    return first.isupper() or first.isdigit()


def needs_context(sentence: str) -> bool:
    """Does the sentence's subject lean on what came before it (a pronoun, "the company")?"""
    words = _WORD.findall(sentence)
    if not words:
        return True
    first = words[0].lower()
    if first in _PRONOUN_OPENERS:
        return True
    if first != "the":
        return False
    # "The" + capitalised words + a generic head noun ("The Czech company"), or no name at all.
    rest = words[1:]
    named = 0
    for word in rest:
        if word[:1].isupper():
            named += 1
            continue
        return word.lower() in _GENERIC_HEADS or named == 0
    return named == 0


def speaker(item: Item) -> str:
    """Who a quotation from ``item`` is attributed to, by name: a paper's first author ("Ada Lovelace and
    colleagues"), anything else its publisher (the source's title, its feed's title, the site)."""
    if item.section is Section.PAPERS and item.authors:
        first = item.authors[0]
        return first if len(item.authors) == 1 else f"{first} and colleagues"
    return item.publisher


def attributed(item: Item, sentence: str, turn: int) -> str:
    """The sentence as a quotation in the desk's voice, its speaker named; ``turn`` varies the frame so
    a paragraph of quotations does not read as a list."""
    who = speaker(item)
    quote = f"“{sentence.strip()}”"
    frames: tuple[str, ...]
    if item.section is Section.PAPERS:
        verb = "write" if who.endswith("colleagues") else "writes"
        frames = (f"{who} {verb}: {quote}", f"In “{item.title}”, {who} {verb}: {quote}")
        if not item.authors:
            frames = (f"The authors of “{item.title}” write: {quote}",)
    elif item.section is Section.WIRE:
        frames = (f"{who} reports: {quote}", f"According to {who}, {quote}", f"{who} writes: {quote}")
    else:
        frames = (f"{who} writes: {quote}", f"In {who}’s words: {quote}", f"As {who} puts it, {quote}")
    return frames[turn % len(frames)]


# What a reviewer's comment can ask of a writer that only chooses sentences: to leave a story out, or to
# open with it. Anything else (fix a figure, change the tone) is beyond it.
_DROP = re.compile(r"\b(?:drop|remove|cut|skip|omit|delete|leave out|take out|lose|without)\b", re.I)
_LEAD = re.compile(
    r"\b(?:lead (?:with|on)|open (?:with|on)|start with|begin with|headline|focus on|more on)\b", re.I
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9.&'’/-]*[a-z0-9]|[a-z0-9]")
# Words too common in titles and comments to tell one story from another.
_COMMON = frozenset(
    "about after also from have into lead more most news over paper post says story than that their "
    "them this what when will with week edition please instead first drop remove without".split()
)


# "Lead on the price war, not the office": what follows a contrast names the story the reviewer does not
# want there, so it must not pick the story out.
_CONTRAST = re.compile(r",?\s*\b(?:not|rather than|instead of)\b", re.I)


def _stem(token: str) -> str:
    """A plural and its singular are one word ("prices" is the "price" a reviewer writes)."""
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _tokens(text: str) -> set[str]:
    return {_stem(t) for t in _TOKEN.findall(text.lower()) if len(t) >= 4 and t not in _COMMON}


# How much of an item's opening a reviewer may name it by ("the Sextant 2 story" for a post titled
# "Meridian Labs releases an open model"): about its first two sentences.
_LEDE_CHARS = 400


def _mentioned(clause: str, items: list[Item]) -> list[Item]:
    """The items a clause speaks of: those sharing the most distinctive words with it, a word of the
    title, publisher or repository counting twice one of the item's opening; several when they tie,
    none when nothing is shared."""
    words = _tokens(clause)

    def overlap(item: Item) -> int:
        named = _tokens(f"{item.title} {item.publisher} {item.repo.full_name if item.repo else ''}")
        return 2 * len(words & named) + len(words & (_tokens(item.text[:_LEDE_CHARS]) - named))

    scores = {i.id: overlap(i) for i in items}
    best = max(scores.values(), default=0)
    return [i for i in items if best and scores[i.id] == best]


def _clauses(comment: str) -> list[str]:
    return re.split(r"[.;!?\n]|\band\b|\bbut\b", comment)


def asks_for_a_story(comment: str) -> bool:
    """Does the comment ask to leave a story out or to open with one, whichever story it names?"""
    return any(_DROP.search(clause) or _LEAD.search(clause) for clause in _clauses(comment))


def comment_directives(comment: str, items: list[Item]) -> tuple[set[str], list[str]]:
    """Item ids the comment asks to drop, and those it asks to lead with, in the comment's order.

    Each clause of the comment (split at sentence ends, semicolons, "and" and "but") is read on its own:
    a verb of leaving out or of leading, and the story the clause names."""
    drop: set[str] = set()
    lead: list[str] = []
    for clause in _clauses(comment):
        wants_out, wants_first = bool(_DROP.search(clause)), bool(_LEAD.search(clause))
        if not (wants_out or wants_first):
            continue
        named, *contrasted = _CONTRAST.split(clause, maxsplit=1)
        mentioned = _mentioned(named, items)
        if contrasted and not wants_out:
            unwanted = {i.id for i in _mentioned(contrasted[0], items)}
            mentioned = [i for i in mentioned if i.id not in unwanted]
        if wants_out:
            drop.update(i.id for i in mentioned)
        else:
            lead.extend(i.id for i in mentioned if i.id not in lead)
    return drop, [i for i in lead if i not in drop]
