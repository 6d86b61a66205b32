"""The review in a terminal: rich renderables for the pending list and for one draft's claims.

Source text is printed through :class:`rich.text.Text` (never parsed as console markup), so a title
with ``[bold]`` or a control sequence shows as what it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from agent.models import Claim, Item
from agent.review._rules import blocking_claims, short_hash
from agent.review._service import DraftForReview, PendingDraft

__all__ = ["VERDICT_STYLES", "draft_renderable", "pending_table"]

VERDICT_STYLES: dict[str, str] = {
    "supported": "green",
    "unsupported": "bold red",
    "no_citation": "yellow",
    "unverifiable": "magenta",
    "unchecked": "blue",
}
_LABELS = {
    "supported": "ok",
    "unsupported": "UNSUPPORTED",
    "no_citation": "NO CITATION",
    "unverifiable": "unverifiable",
    "unchecked": "unchecked",
}
# A cited passage longer than this is cut in the terminal (the review page shows it whole).
_QUOTE_CHARS = 400


def _verdict(claim: Claim) -> str:
    return claim.verdict.value if claim.verdict is not None else "unchecked"


def _clean(text: str) -> str:
    """No control characters from a source reach the terminal (they could move the cursor or recolour)."""
    return "".join(ch if ch.isprintable() or ch == " " else " " for ch in text)


def pending_table(pending: Sequence[PendingDraft]) -> RenderableType:
    if not pending:
        return Text("No drafts are awaiting review.")
    table = Table(title="Drafts awaiting review")
    for column in ("run", "edition", "revision", "claims", "flagged"):
        table.add_column(column)
    for draft in pending:
        counts = Text()
        for verdict, n in draft.verdicts.items():
            if n:
                counts.append(f"{n} {verdict.replace('_', ' ')}  ", style=VERDICT_STYLES.get(verdict, ""))
        table.add_row(
            draft.run_id,
            draft.edition_date.isoformat(),
            f"{draft.revision} ({short_hash(draft.revision_hash)})",
            counts,
            str(draft.flagged),
        )
    return table


def _claim_lines(claim: Claim, items: dict[str, Item]) -> Iterator[RenderableType]:
    verdict = _verdict(claim)
    style = VERDICT_STYLES[verdict]
    line = Text()
    line.append(f"[{_LABELS[verdict]}{' FLAGGED' if claim.flagged else ''}] ", style=style)
    line.append(_clean(claim.text), style=style if verdict != "supported" else "")
    line.append(f"  ({claim.id})", style="dim")
    yield line
    details: list[RenderableType] = []
    for reason in claim.reasons:
        details.append(Text("why: ", style="bold") + Text(_clean(reason)))
    for citation in claim.citations:
        item = items.get(citation.item_id)
        quote = _clean(citation.quote)
        if len(quote) > _QUOTE_CHARS:
            quote = quote[:_QUOTE_CHARS] + " …"
        source = Text("cites: ", style="bold")
        source.append(_clean(item.title if item else citation.item_id), style="italic")
        url = (item.url if item else "") or citation.url
        if url:
            source.append(f" <{_clean(url)}>", style="dim")
        source.append(f" [{citation.start}:{citation.end}]", style="dim")
        details.append(source)
        details.append(Text(f"“{quote}”", style="dim"))
    if not claim.citations:
        details.append(Text("cites: nothing", style="yellow"))
    if details:
        yield Padding(Group(*details), (0, 0, 0, 4))


def draft_renderable(review: DraftForReview) -> RenderableType:
    """The draft with every claim marked, its reasons and its cited passages."""
    draft = review.draft
    by_id = {c.id: c for c in review.claims}
    parts: list[RenderableType] = [
        Text(
            f"Run {review.run_id} · edition {draft.edition_date.isoformat()} · revision {draft.revision} "
            f"({short_hash(review.record.revision_hash)}) · {review.status.replace('_', ' ')}",
            style="bold",
        ),
    ]
    blocking = blocking_claims(review.claims)
    if blocking:
        parts.append(Text(f"{len(blocking)} claim(s) need an override to approve.", style="bold red"))
    parts.append(Rule("Lead"))
    for number, paragraph in enumerate(draft.lead_paragraphs, start=1):
        parts.append(Text(f"¶{number}", style="bold"))
        for claim_id in paragraph:
            if claim_id in by_id:
                parts.extend(_claim_lines(by_id[claim_id], review.items))
    parts.append(Text(draft.byline, style="italic"))
    for paper in draft.papers:
        item = review.items.get(paper.item_id)
        parts.append(Rule(_clean(item.title if item else paper.item_id)))
        if paper.error:
            parts.append(Text(f"summary unavailable: {_clean(paper.error)}", style="yellow"))
        for claim_id in paper.claim_ids:
            if claim_id in by_id:
                parts.extend(_claim_lines(by_id[claim_id], review.items))
    if review.reviews:
        parts.append(Rule("Decisions"))
        for past in review.reviews:
            when = f"{past.decided_at:%Y-%m-%d %H:%M}"
            line = f"{when} {past.reviewer}: {past.decision} (revision {past.revision})"
            if past.comment:
                line += f" — {past.comment}"
            if past.override_reason:
                line += f" [override: {past.override_reason}]"
            parts.append(Text(_clean(line)))
    return Group(*parts)
