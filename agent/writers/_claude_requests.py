"""Request bodies for the Claude writer: pure, so tests and the cost benchmark can inspect them.

Every cited request of an edition starts with the same prefix: the ``edition_writer`` system prompt,
then the papers as documents (a cache breakpoint after the last one). Each summary asks for "document
k" after that prefix, and the lead appends the other items and the leaderboard moves (a second
breakpoint) before its task. So the papers are written to the cache once and read by every other
summary and by the lead; the lead's documents are read again by a revise round or a retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from agent.domain.models import Item, Section
from agent.llm import price_for
from agent.writers._claude_citations import document_block
from agent.writers.base import LeadRequest, RevisionNote
from prompts import Prompt, Tagged, escape

__all__ = [
    "CacheTTL",
    "estimate_usd",
    "lead_documents",
    "lead_params",
    "notes_text",
    "summary_params",
    "thinking_params",
]

# None: no caching. "5m" for live calls; "1h" for batches, whose requests may run after a 5-minute
# entry has expired (a 1-hour write costs 2x input instead of 1.25x, still repaid by the second read).
CacheTTL = Literal["5m", "1h"] | None

# Expected answer lengths, used only to hold budget for a call in flight: a 3-6 sentence summary is
# about 150 words (200 tokens), a 3-5 paragraph lead about 450 words (600 tokens); doubled for safety.
EXPECTED_OUTPUT_TOKENS = {"summary": 400, "lead": 1200, "select": 600}


def thinking_params(model: str) -> dict[str, Any]:
    """The lowest thinking setting each model accepts: thinking tokens bill as output.

    Sonnet 5.5 refuses ``disabled`` (400) and takes ``between_tools`` (no up-front thinking); Sonnet 5
    and Opus 5 take ``disabled``; Opus 5.5 and Fable refuse both, so thinking is left to the model.
    """
    if model.startswith("claude-sonnet-5-5"):
        return {"thinking": {"type": "between_tools"}}
    if model.startswith(("claude-sonnet-5", "claude-opus-5")) and not model.startswith("claude-opus-5-5"):
        return {"thinking": {"type": "disabled"}}
    return {}


def notes_text(notes: Sequence[RevisionNote], reviewer_comment: str | None = None) -> Tagged:
    """Revision notes as a tagged block for the prompt ("" when there are none). The notes quote the
    draft and its sources, so every value is escaped."""
    if not notes and not reviewer_comment:
        return Tagged("")
    lines = ["<revision_notes>", "A previous draft had these problems. Fix them; keep what was supported."]
    for note in notes:
        reasons = "; ".join(note.reasons) or "not supported by its citations"
        lines.append(f"- {escape(repr(note.text))}: {escape(reasons)}")
    if reviewer_comment:
        lines.append(f"- The reviewer asked: {escape(reviewer_comment)}")
    lines.append("</revision_notes>")
    return Tagged("\n".join(lines))


def _blocks(documents: Sequence[Item], breakpoints: dict[int, CacheTTL]) -> list[dict[str, Any]]:
    blocks = [document_block(item) for item in documents]
    for index, ttl in breakpoints.items():
        if ttl is not None:
            blocks[index]["cache_control"] = {"type": "ephemeral", **({"ttl": "1h"} if ttl == "1h" else {})}
    return blocks


def summary_params(
    system: Prompt,
    task: Prompt,
    papers: Sequence[Item],
    index: int,
    *,
    model: str,
    max_tokens: int,
    cache: CacheTTL,
    notes: Sequence[RevisionNote] = (),
) -> dict[str, Any]:
    """The summary of ``papers[index]``, asked after the shared prefix of all ``papers``."""
    paper = papers[index]
    rendered = task.render(
        document_number=index + 1,
        title=paper.title,
        item_id=paper.id,
        categories=", ".join(paper.categories) or "none given",
        revision_notes=notes_text(notes),
    )
    blocks = _blocks(papers, {len(papers) - 1: cache})
    return {
        "model": model,
        "max_tokens": max_tokens,
        "system": system.render().system,
        "messages": [{"role": "user", "content": [*blocks, {"type": "text", "text": rendered.user}]}],
        **thinking_params(model),
    }


def lead_documents(request: LeadRequest) -> tuple[list[Item], int]:
    """The lead's documents, papers first (the prefix the summaries share), and how many are papers.

    Items without text cannot be documents and are left out, as the summaries leave them out.
    """
    with_text = [i for i in request.items if i.text.strip()]
    papers = [i for i in with_text if i.section is Section.PAPERS]
    others = [i for i in with_text if i.section is not Section.PAPERS]
    if request.moves_document is not None and request.moves_document.text.strip():
        others.append(request.moves_document)
    return [*papers, *others], len(papers)


def lead_params(
    system: Prompt,
    task: Prompt,
    request: LeadRequest,
    documents: Sequence[Item],
    paper_count: int,
    *,
    model: str,
    max_tokens: int,
    cache: CacheTTL,
) -> dict[str, Any]:
    """The lead's request: the shared prefix, the other documents (cached for revise rounds), the task.

    ``cache`` is the lifetime of the papers' entry, the one the summaries wrote.
    """
    rendered = task.render(
        edition_date=request.edition_date.isoformat(),
        focus="\n".join(request.focus) or "none given",
        theme=request.theme or "none given: find it in the documents",
        revision_notes=notes_text(request.revision_notes, request.reviewer_comment),
    )
    # The papers' entry keeps the summaries' lifetime; the rest is re-read only by a revise round or a
    # retry within minutes, so it is written at the 5-minute price (1.25x, not 2x). The API wants longer
    # lifetimes first, which this order gives.
    breakpoints: dict[int, CacheTTL] = {len(documents) - 1: None if cache is None else "5m"}
    if paper_count:
        breakpoints[paper_count - 1] = cache
    blocks = _blocks(documents, breakpoints)
    return {
        "model": model,
        "max_tokens": max_tokens,
        "system": system.render().system,
        "messages": [{"role": "user", "content": [*blocks, {"type": "text", "text": rendered.user}]}],
        **thinking_params(model),
    }


def _chars(params: dict[str, Any]) -> tuple[int, int]:
    """Characters up to the last cache breakpoint (the system prompt included) and after it."""
    system = params.get("system", "")
    sizes = [len(system)] if isinstance(system, str) else [len(b.get("text", "")) for b in system]
    marked = -1
    for message in params.get("messages", []):
        content = message["content"]
        blocks: list[dict[str, Any]] = [{"text": content}] if isinstance(content, str) else content
        for block in blocks:
            sizes.append(len(block.get("text", "")) + len(block.get("source", {}).get("data", "")))
            if block.get("cache_control"):
                marked = len(sizes) - 1
    return sum(sizes[: marked + 1]), sum(sizes[marked + 1 :])


def estimate_usd(params: dict[str, Any], kind: str, *, batch: bool = False, warm: bool = False) -> float:
    """A pessimistic cost for a call before it is made (about 4 characters a token): a cached prefix
    at the write price, or at the read price when ``warm`` (an earlier call of this run wrote it)."""
    prefix, rest = _chars(params)
    tokens = {"input_tokens": rest // 4, "output_tokens": EXPECTED_OUTPUT_TOKENS[kind]}
    if warm:
        tokens["cache_read_tokens"] = prefix // 4
    elif prefix:
        tokens["cache_write_tokens"] = prefix // 4
    return price_for(str(params["model"])).cost(**tokens, batch=batch)
