"""Authors are people: bylines without publishers, desks, wire agencies, account names or page text
that metadata extractors mistake for a name ("Condé Nast", "CNN", "National Desk", "View all posts by
Daniel Lemire"), and with their initials' points ("Priya A. Natarajan", not "Priya A Natarajan").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from tools.adapters._text import normalise_whitespace

__all__ = ["people", "restore_initials"]

_BYLINE_PREFIX = re.compile(
    r"^(?:view\s+all\s+posts\s+by|posted\s+by|written\s+by|words\s+by|story\s+by|by)\s+", re.IGNORECASE
)
# Words that name an organisation or a role, never a person.
_ORGANISATION_WORDS = frozenset(
    "desk staff news newsroom editorial editors editor team press media wire wires agency agencies "
    "reporters contributors correspondents inc inc. ltd ltd. llc corp corporation company group "
    "publishing publications magazine times post journal daily weekly online digital blog "
    "associated service services nast network networks studio studios foundation institute "
    "university lab labs official admin administrator webmaster".split()
)
# Wire agencies and publishers that bylines name in place of a reporter.
_PUBLISHERS = frozenset(
    name.casefold()
    for name in (
        "Reuters",
        "AP",
        "AFP",
        "Associated Press",
        "Agence France-Presse",
        "Bloomberg",
        "CNN",
        "BBC",
        "NPR",
        "Condé Nast",
        "Conde Nast",
        "PA Media",
        "dpa",
        "UPI",
        "Xinhua",
        "Kyodo",
        "Getty Images",
    )
)
_PARTICLES = frozenset("van von der den de del della da di du la le bin ibn al el st. st y".split())
# More capitalised words than this is a sentence or a headline, not a name.
_MAX_NAME_WORDS = 4
_ACRONYM = re.compile(r"^[A-Z0-9&]{2,6}$")
_INITIAL = re.compile(r"(?<![\w.])([A-Z])(?=\s|$)")
# "Ash, C., Mueller, K. L.": the pieces after a surname that are only initials.
_ONLY_INITIALS = re.compile(r"^(?:[A-Z]\.\s*)+$")
_PEOPLE_SEPARATORS = re.compile(r"\s*(?:;|&|\band\b)\s*")
_PLACE = re.compile(r"\s+in\s+[A-Z].*$")
_ROLE = re.compile(
    r"\s+(?:[A-Z][\w-]*\s+)?(?:editor|correspondent|reporter|writer|columnist|critic|contributor|"
    r"producer|analyst)$"
)
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")


def _split_bylines(raw: str) -> list[str]:
    """The names in one byline: "A and B", "A in Madrid; B", "A, B", "Ash, C., Mueller, K. L."."""
    names: list[str] = []
    for part in _PEOPLE_SEPARATORS.split(_PARENTHETICAL.sub("", raw)):
        # The place goes first: "in Palm Beach, Florida" holds a comma that is not between names.
        for piece in _PLACE.sub("", part).split(","):
            piece = piece.strip()
            if not piece:
                continue
            if _ONLY_INITIALS.match(piece) and names and " " not in names[-1]:
                names[-1] = f"{piece} {names[-1]}"  # "Ash" + "C." -> "C. Ash"
                continue
            names.append(_ROLE.sub("", piece).strip())
    return names


def _host_labels(url: str) -> set[str]:
    parts = urlsplit(url)
    labels = {label.casefold() for label in (parts.hostname or "").split(".") if len(label) > 3}
    labels |= {segment.casefold() for segment in parts.path.split("/") if segment}
    return labels


def _is_person(name: str, *, publishers: set[str], url_words: set[str]) -> bool:
    folded = name.casefold()
    if folded in _PUBLISHERS or folded in publishers:
        return False
    words = name.split()
    if _ACRONYM.match(name.replace(" ", "")) and "." not in name:
        return False
    if any(w.casefold().strip(".,") in _ORGANISATION_WORDS for w in words):
        return False
    named = [w for w in words if w.casefold() not in _PARTICLES]
    # Digits, "@", "/" or "_": an account ("/u/tensor_tom", "zhaohui19711114"), not a byline.
    if len(named) > _MAX_NAME_WORDS or any(ch.isdigit() or ch in "@/_" for ch in name):
        return False
    # One word that is also the site's or the account's name ("Google" on googleblog.com,
    # "Golemfactory" on github.com/golemfactory) is the publisher, not a byline.
    return not (len(named) == 1 and (folded in url_words or any(folded in w for w in url_words)))


def people(names: Iterable[str], *, publishers: Iterable[str] = (), url: str = "") -> tuple[str, ...]:
    """The names among ``names`` that are people, bylines cleaned, in order, each once.

    ``publishers`` are names known to be the site's (its site name, the feed's title)."""
    known = {normalise_whitespace(p).casefold() for p in publishers if p}
    url_words = _host_labels(url) if url else set()
    kept: list[str] = []
    for raw in names:
        for piece in _split_bylines(_BYLINE_PREFIX.sub("", normalise_whitespace(raw))):
            name = piece.strip(" ,;|")
            if name and _is_person(name, publishers=known, url_words=url_words) and name not in kept:
                kept.append(name)
    return tuple(kept)


def restore_initials(name: str, document: str) -> str:
    """``name`` with the points after its initials that the page prints ("A" -> "A."), when the
    document holds that spelling; otherwise ``name`` unchanged."""
    if not _INITIAL.search(name):
        return name
    dotted = _INITIAL.sub(r"\1.", name)
    return dotted if dotted in document else name
