"""Source sentences that speak to an AI: a page that tells the model reading it what to do.

Pure. A claim whose cited passage (or its own text) holds such a sentence is flagged for the
reviewer with the sentence quoted (see :mod:`agent.nodes.check`): the writer may have been steered,
and a human decides. The patterns are narrow on purpose: news about AI says "assistant", "model"
and "instructions" all the time, so each pattern needs the sentence to address the reader as an AI,
order it to drop its instructions, or carry a prompt's own tags. Measured: none matches any of the
7,870 sentences of the real feeds, arXiv answers and articles in ../shared/fixtures/real, nor any of
the 200 of the sample edition's items.
"""

from __future__ import annotations

import re

from agent.domain.models import Claim
from agent.domain.text import sentences

__all__ = ["instruction_sentences", "marking_reason", "suspicious_sentences"]

_AI = (
    r"(?:ai|a\.i\.|llms?|large language models?|language models?|chat ?bots?|ai assistants?|ai agents?|"
    r"ai models?|assistants?|claude|chatgpt|gpt(?:-[\w.]+)?|gemini|copilot)"
)
# Words that make "an AI ..." a person or a company, not the reader: "if you are an AI researcher".
_NOT_READER = (
    r"(?!\s+(?:researchers?|engineers?|developers?|companies|company|labs?|startups?|practitioners?|"
    r"enthusiasts?|users?|teams?|professionals?|investors?|founders?|experts?|leaders?|safety|policy|"
    r"product|products|tools?|chips?|models?|systems?|infrastructure))"
)
_PATTERNS = [
    # "Ignore (all) previous instructions", "disregard the above rules", "forget your guidelines".
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?]{0,40}?\b(?:previous|prior|above|earlier|"
    r"preceding|original|all|any|your|the system)\b[^.!?]{0,25}?\b(?:instructions?|prompts?|rules|"
    r"directions|directives|guidelines|guardrails|context)\b",
    # Speaking to the reader as an AI: "you are an AI", "if you're a language model", "as an AI model".
    rf"\b(?:you are|you're|if you are|if you're|as an?)\s+(?:an?\s+)?{_AI}\b{_NOT_READER}",
    # Addressing one: "Dear Claude,", "Attention AI assistants:", "Note to LLMs". A bare "GPT-2: ..." is a
    # title, not an address (two of 7,870 real feed sentences read that way).
    rf"\b(?:dear|hey|hello|hi|attention|psst)\W+(?:all\s+|any\s+)?{_AI}\s*[,:!]",
    rf"\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:all\s+|any\s+)?{_AI}\b{_NOT_READER}",
    # Orders about the model's own instructions or output.
    r"\b(?:new|updated|real|actual|hidden|secret)\s+(?:system\s+)?instructions\b",
    r"\byour\s+(?:system\s+prompt|instructions|guidelines|directives|programming)\b",
    r"\b(?:reveal|print|repeat|output)\s+(?:your|the)\s+(?:system\s+)?prompt\b",
    r"\b(?:score|rate|rank)\s+(?:this|these)\s+(?:items?|articles?|papers?|stor(?:y|ies)|posts?|pages?)\b",
    r"\b(?:summari[sz]e|describe)\s+this\s+(?:article|paper|page|post|story)\s+as\b",
    # A prompt's own tags in a page's text (the prompts' tags, and chat-format role markers).
    r"</?\s*(?:system|user|assistant|human|instructions?|items?|passages?|claim|documents?|focus|theme|"
    r"paper|revision_notes)\s*>",
    r"\b(?:system|assistant|human)\s*:\s*(?:you|ignore|disregard)\b",
]
_SPEAKS_TO_AN_AI = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)


def instruction_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that address an AI or give it instructions, in order."""
    if not _SPEAKS_TO_AN_AI.search(text):
        return []
    return [s for s in sentences(text) if _SPEAKS_TO_AN_AI.search(s)]


def suspicious_sentences(claim: Claim) -> list[str]:
    """The instruction sentences in the claim's cited passages and in the claim itself, once each."""
    found: list[str] = []
    for text in (claim.text, *(c.quote for c in claim.citations)):
        found.extend(s for s in instruction_sentences(text) if s not in found)
    return found


def marking_reason(claim: Claim) -> str | None:
    """The reason a reviewer sees when the claim quotes a sentence that speaks to an AI; else None."""
    found = suspicious_sentences(claim)
    if not found:
        return None
    quoted = "; ".join(f"“{s if len(s) <= 200 else s[:200] + '…'}”" for s in found[:3])
    return (
        f"the source text it rests on addresses an AI or gives instructions: {quoted}. Check the sentence "
        "is the source's news, not an instruction the writer followed"
    )
