"""Page and feed clutter that is not the article but would become quotable text: recommendation
blocks ("More Must-Reads From TIME" and its headlines), newsletter sign-up lines, loading
placeholders, comment counters, copyright footers, and the "Discussion | Link" footers of
aggregator feeds.

Each rule looks at one paragraph and is deliberately narrow: a paragraph that ends like a sentence
and runs long is kept, so an article that merely mentions a newsletter keeps that sentence.
"""

from __future__ import annotations

import re

__all__ = ["drop_clutter", "is_clutter"]

# Clutter is short; the longest sign-up line in the captures is 134 characters.
_MAX_CLUTTER_CHARS = 200
# A headline in a recommendation list: short, and not a sentence of the article.
_MAX_HEADLINE_CHARS = 140

_RECOMMENDATION_HEADING = re.compile(
    r"^(?:more\s+(?:must[- ]reads?|stories|from|to\s+read|on\s+this|in\b|news|like\s+this)|"
    r"(?:most\s+)?(?:read|popular|viewed|shared)\s+(?:next|now|stories|articles)?|most\s+(?:read|popular)|"
    r"related(?:\s+(?:stories|articles|posts|content|coverage|reading|links))?|recommended(?:\s+for\s+you)?|"
    r"you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)|read\s+(?:more|next|also)|"
    r"also\s+read|editor'?s?\s+picks?|top\s+stories|trending(?:\s+now|\s+stories)?|what\s+to\s+read\s+next|"
    r"don'?t\s+miss)\b",
    re.IGNORECASE,
)
# A sign-up line opens with its call to action; an article sentence that mentions one does not.
_SIGN_UP = re.compile(
    r"^\W*(?:sign\s*up|subscribe|join|register|get\s+(?:our|the|it)|enter\s+your\s+e-?mail)\b", re.IGNORECASE
)
# "Related: <headline>", "Read more: <headline>": one recommended link on a line of its own.
_INLINE_RECOMMENDATION = re.compile(
    r"^(?:related|read\s+(?:more|next|also)|see\s+also|also\s+read|more)\s*:\s+\S", re.IGNORECASE
)
_SIGN_UP_OBJECT = re.compile(r"\b(?:newsletters?|inbox|e-?mails?|updates|digest|briefing)\b", re.IGNORECASE)
_LOADING = re.compile(
    r"^(?:loading\b[^.!?]*(?:\.{3}|…)?|please\s+(?:wait|enable\s+javascript)[^.!?]*[.!?…]*|"
    r"(?:this\s+)?(?:content|video|player)\s+is\s+loading[.…]*)$",
    re.IGNORECASE,
)
_COMMENT_COUNTER = re.compile(
    r"^(?:(?:view|show|read|load|leave|add|post|write|see|hide)\s+)?(?:a|all|the)?\s*(?:\d[\d,]*\s+)?"
    r"comments?(?:\s*\(\d[\d,]*\))?(?:\s*[|·]\s*(?:share|\d+\s+shares?))?$",
    re.IGNORECASE,
)
_FOOTER_WORD = r"(?:discussion|comments?|\[?link\]?)"
_LINK_FOOTER = re.compile(rf"^{_FOOTER_WORD}(?:\s*\|\s*{_FOOTER_WORD})+$")
# Reddit's feed footer: "submitted by /u/name [link] [comments]", split or not at its line break.
_SUBMITTED_BY = re.compile(
    r"^(?:submitted\s+by\s+/?u/\S+(?:\s+to\s+/?r/\S+)?)?\s*(?:\[link\])?\s*(?:\[comments\])?$", re.IGNORECASE
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_LIST_MARK = re.compile(r"^[-*•]\s+")


def _finished(paragraph: str) -> bool:
    return paragraph[-1:] in ".!?\"”'):"


def is_clutter(paragraph: str) -> bool:
    """One paragraph that is page furniture, not text of the article."""
    text = paragraph.strip()
    if not text or len(text) > _MAX_CLUTTER_CHARS:
        return False
    if _LOADING.match(text) or _COMMENT_COUNTER.match(text) or _LINK_FOOTER.match(text.lower()):
        return True
    if _INLINE_RECOMMENDATION.match(text) and len(text) <= _MAX_HEADLINE_CHARS + 20:
        return True
    if _SUBMITTED_BY.match(text):
        return True
    if _COPYRIGHT.match(text) and len(text) <= 100:
        return True
    return bool(_SIGN_UP.search(text) and _SIGN_UP_OBJECT.search(text) and len(text) <= _MAX_CLUTTER_CHARS)


def _is_headline(paragraph: str) -> bool:
    text = _LIST_MARK.sub("", paragraph.strip())
    return bool(text) and len(text) <= _MAX_HEADLINE_CHARS and (not _finished(text) or text[-1:] == "?")


def _is_recommendation_heading(paragraph: str) -> bool:
    text = paragraph.strip()
    return len(text) <= 80 and not _finished(text) and _RECOMMENDATION_HEADING.match(text) is not None


def drop_clutter(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without clutter. A recommendation heading takes the headlines under it along."""
    kept: list[str] = []
    in_block = False
    for paragraph in paragraphs:
        if in_block and _is_headline(paragraph):
            continue
        in_block = False
        if _is_recommendation_heading(paragraph):
            in_block = True
            continue
        if is_clutter(paragraph):
            continue
        kept.append(paragraph)
    return kept
