"""Pure functions between items and the Messages API: citable documents out, cited claims back.

Claude answers a citations request as several text blocks, split where citations start and end;
a sentence may span blocks and a block may span sentences. The blocks are joined back into one text,
cut into paragraphs (blank lines) and sentences (:func:`agent.domain.text.sentence_spans`, as the extractive
writer cuts them), and each sentence keeps the citations of every block it overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.domain.models import Citation, Claim, Item
from agent.domain.text import sentence_spans

__all__ = [
    "ParsedAnswer",
    "document_block",
    "looks_factual",
    "parse_cited_answer",
]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_NUMBER = re.compile(r"\d")
_INNER_CAPITAL = re.compile(r"\s[\"'“(]?[A-Z][A-Za-z0-9]")


def document_block(item: Item, *, cache: bool = False) -> dict[str, Any]:
    """``item.text`` as a citable plain-text document; ``cache`` marks the end of a shared prefix."""
    context = f"item id: {item.id}; source: {item.source}; url: {item.url}"
    if item.published is not None:
        context += f"; published: {item.published.date().isoformat()}"
    block: dict[str, Any] = {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": item.text},
        "title": item.title[:500] or item.id,
        "context": context,
        "citations": {"enabled": True},
    }
    if cache:
        block["cache_control"] = {"type": "ephemeral"}
    return block


def looks_factual(sentence: str) -> bool:
    """A sentence with a number or a name (a capitalised word past the first) needs a citation."""
    return bool(_NUMBER.search(sentence) or _INNER_CAPITAL.search(sentence))


@dataclass(slots=True)
class ParsedAnswer:
    claims: list[Claim] = field(default_factory=list)
    # Recorded, not fatal: e.g. a cited_text that differs from the document at that range.
    problems: list[str] = field(default_factory=list)
    # Fatal for this attempt (retried once): no text, a citation outside the documents, an uncited fact.
    malformed: list[str] = field(default_factory=list)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def _citation(
    raw: Any, documents: Sequence[Item], problems: list[str], malformed: list[str]
) -> Citation | None:
    kind = _get(raw, "type")
    if kind != "char_location":
        malformed.append(f"citation of type {kind!r}: only char_location is expected for text documents")
        return None
    index, start, end = (
        _get(raw, "document_index"),
        _get(raw, "start_char_index"),
        _get(raw, "end_char_index"),
    )
    if not isinstance(index, int) or not 0 <= index < len(documents):
        malformed.append(f"citation of document {index!r}: only {len(documents)} document(s) were sent")
        return None
    item = documents[index]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(item.text)):
        malformed.append(f"citation {start!r}:{end!r} outside document {item.id} (length {len(item.text)})")
        return None
    quote = item.text[start:end]
    cited_text = _get(raw, "cited_text")
    if cited_text is not None and cited_text != quote:
        problems.append(
            f"{item.id} {start}:{end}: cited_text {cited_text[:60]!r} differs from the document text"
        )
    return Citation(
        item_id=item.id,
        start=start,
        end=end,
        quote=quote,
        url=item.url,
        fetched_at=item.fetched_at,
        content_hash=item.content_hash,
    )


def parse_cited_answer(
    content: Sequence[Any],
    documents: Sequence[Item],
    *,
    block: str,
    require_citations: bool = True,
    cite_only: str | None = None,
) -> ParsedAnswer:
    """Claims (one per sentence, ids ``<block>:<paragraph>:<sentence>``) from an answer's content blocks.

    ``documents[i]`` is the item sent as the request's i-th document; with ``cite_only`` set, a
    citation of any other document is malformed (a summary citing another paper). Non-text blocks
    (thinking) are skipped.
    """
    parsed = ParsedAnswer()
    joined = ""
    pieces: list[tuple[int, int, list[Citation]]] = []
    for part in content:
        if _get(part, "type") != "text":
            continue
        text = str(_get(part, "text") or "")
        citations = [
            c
            for raw in (_get(part, "citations") or [])
            if (c := _citation(raw, documents, parsed.problems, parsed.malformed)) is not None
        ]
        strays = sorted({c.item_id for c in citations if cite_only is not None and c.item_id != cite_only})
        if strays:
            parsed.malformed.append(f"cites {', '.join(strays)} instead of {cite_only} only")
        pieces.append((len(joined), len(joined) + len(text), citations))
        joined += text
    if not joined.strip():
        parsed.malformed.append("the answer has no text")
        return parsed

    paragraph_starts = [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(joined))]
    paragraph_ends = [*(m.start() for m in _PARAGRAPH_BREAK.finditer(joined)), len(joined)]
    paragraph = 0
    for p_start, p_end in zip(paragraph_starts, paragraph_ends, strict=True):
        sentences = sentence_spans(joined[p_start:p_end])
        if not sentences:
            continue
        for n, (s_rel, e_rel) in enumerate(sentences):
            s, e = p_start + s_rel, p_start + e_rel
            cites: list[Citation] = []
            for b_start, b_end, block_cites in pieces:
                if joined[max(s, b_start) : min(e, b_end)].strip():
                    cites.extend(c for c in block_cites if c not in cites)
            sentence = " ".join(joined[s:e].split())
            if require_citations and not cites and looks_factual(sentence):
                parsed.malformed.append(f"uncited factual sentence: {sentence[:80]!r}")
            parsed.claims.append(
                Claim(
                    id=f"{block}:{paragraph}:{n}",
                    block=block,
                    paragraph=paragraph,
                    text=sentence,
                    citations=cites,
                )
            )
        paragraph += 1
    return parsed
