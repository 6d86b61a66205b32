"""The review in a terminal: rich renderables for the pending list and for one draft's claims.

Source text is printed through :class:`rich.text.Text` (never parsed as console markup), so a title
with ``[bold]`` or a control sequence shows as what it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from agent.domain.models import Claim, Item
from agent.report import SelectionAccount
from agent.review._read import DraftForReview, PendingDraft
from agent.review._rules import blocking_claims, short_hash

__all__ = [
    "COMMAND",
    "VERDICT_STYLES",
    "decision_label",
    "draft_renderable",
    "next_steps",
    "pending_table",
    "writer_notes",
]

# The command as the README and every hint spell it (``python -m agent`` is the same command).
COMMAND = "inference-report"

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
_DECISION_LABELS = {
    "approve": "approved",
    "reject": "rejected",
    "request_changes": "changes requested",
}
# A cited passage longer than this is cut in the terminal (the review page shows it whole).
_QUOTE_CHARS = 400


def _verdict(claim: Claim) -> str:
    return claim.verdict.value if claim.verdict is not None else "unchecked"


def _clean(text: str) -> str:
    """No control characters from a source reach the terminal (they could move the cursor or recolour)."""
    return "".join(ch if ch.isprintable() or ch == " " else " " for ch in text)


def decision_label(decision: str) -> str:
    """``approved``, ``rejected``, ``changes requested``: a recorded decision as a reviewer reads it."""
    return _DECISION_LABELS.get(decision, decision.replace("_", " "))


def _block_label(block: str) -> str:
    if block == "lead":
        return "lead"
    if block.startswith("paper:"):
        return f"summary of {block.removeprefix('paper:')}"
    return block


def writer_notes(report: Mapping[str, Any] | None, *, revision_hash: str) -> list[str]:
    """The writer's problems with the revision ``revision_hash`` (e.g. a comment it could not follow),
    one line each, read from the run report. Empty when the report was written for another revision:
    a note about an earlier revision would describe text the reviewer no longer sees."""
    if not report or report.get("revision_hash") != revision_hash:
        return []
    return [
        _clean(f"{_block_label(str(p.get('block', '?')))}: {p.get('problem', '')}")
        for p in report.get("writer_problems", [])
        if isinstance(p, Mapping)
    ]


def _claims(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


def next_steps(
    run_id: str, status: str, *, blocking: int = 0, viewing: bool = False, failure: str | None = None
) -> list[str]:
    """What to do next with a run in ``status``, as commands to copy. ``viewing``: the reviewer has the
    draft in front of them (``review RUN``), so the next step is a decision, not another look."""
    if status == "awaiting_review" and viewing:
        lines = [
            "Decide with one of:",
            f"  {COMMAND} review {run_id} --approve",
            f'  {COMMAND} review {run_id} --request-changes --comment "what to change"',
            f'  {COMMAND} review {run_id} --reject --comment "why"',
        ]
        if blocking:
            lines[1] += ' --override "why it may go out anyway"'
            lines.append(
                f"({_claims(blocking)} unsupported, uncited or flagged: --approve needs --override.)"
            )
        return lines
    if status == "awaiting_review":
        review, serve = f"{COMMAND} review {run_id}", f"{COMMAND} serve"
        return [
            f"Run {run_id} is awaiting review. Next:",
            f"  {review}  # every claim with its evidence, then decide",
            f"  {serve:<{len(review)}}  # the same review in the browser",
        ]
    if status == "approved":
        # No --out DIR to copy: a placeholder pasted as it is makes a folder named DIR beside the site.
        return [
            f"Run {run_id} is approved. Next:",
            f"  {COMMAND} publish {run_id}  # into the site, published/ in the data folder (or --out DIR)",
        ]
    if status == "published":
        return [
            f"Run {run_id} is published. To correct it (a new revision, reviewed again):",
            f'  {COMMAND} review {run_id} --correct --comment "what to correct"',
        ]
    if status == "failed" and failure:
        # Finished, not interrupted: resuming cannot help, a new draft after the cause is fixed can.
        return [
            f"Run {run_id} failed: {failure}.",
            f"  {COMMAND} sources check  # what each source returns now",
        ]
    if status in ("failed", "running", "changes_requested"):
        return [
            f"Run {run_id} is {status.replace('_', ' ')}: it did not reach review. Continue it with:",
            f"  {COMMAND} draft --resume {run_id}",
        ]
    return [f"Run {run_id} is {status.replace('_', ' ')}."]


def pending_table(pending: Sequence[PendingDraft]) -> RenderableType:
    if not pending:
        return Text("No drafts are awaiting review.")
    table = Table(title="Drafts awaiting review")
    # The run id is what a reviewer copies into the next command: never cut or wrapped.
    table.add_column("run", no_wrap=True)
    table.add_column("edition", no_wrap=True)
    table.add_column("revision", no_wrap=True)
    table.add_column("claims")
    for draft in pending:
        # One verdict a line: the column stays narrow enough for an 80-column terminal.
        counts = [
            Text(f"{n} {verdict.replace('_', ' ')}", style=VERDICT_STYLES.get(verdict, ""))
            for verdict, n in draft.verdicts.items()
            if n
        ]
        if draft.flagged:
            counts.append(Text(f"{draft.flagged} flagged", style="bold red"))
        # A warning's headline (before its colon): the whole of it is on the draft itself.
        counts.extend(Text(f"WARNING: {w.split(':')[0]}", style="bold red") for w in draft.warnings)
        table.add_row(
            draft.run_id,
            draft.edition_date.isoformat(),
            f"{draft.revision} ({short_hash(draft.revision_hash)})",
            Text("\n").join(counts) if counts else Text("none"),
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


# Left-out items listed per section before the rest is summed up: the run report lists them all.
_LEFT_OUT_SHOWN = 12


def _left_out_lines(account: SelectionAccount) -> Iterator[RenderableType]:
    """Per section, what the edition left out and why; an empty section says why it is empty."""
    if not account.left_out and not account.empty_reasons():
        return
    yield Rule(f"Left out of the edition ({account.left_out})")
    for section in account.sections:
        if section.empty_reason:
            yield Text(f"{section.title} is empty: ", style="bold yellow") + Text(
                _clean(section.empty_reason)
            )
        if not section.left_out:
            continue
        yield Text(f"{section.title}: {section.shown} shown, {len(section.left_out)} left out", style="bold")
        for entry in section.left_out[:_LEFT_OUT_SHOWN]:
            line = Text("  - ")
            line.append(_clean(entry.title), style="italic")
            line.append(f" ({_clean(entry.source)}): ")
            line.append(entry.reason, style="yellow")
            if entry.detail:
                line.append(f" — {_clean(entry.detail)}", style="dim")
            yield line
        hidden = len(section.left_out) - _LEFT_OUT_SHOWN
        if hidden > 0:
            yield Text(f"  ... and {hidden} more (each under dropped in run-report.json)", style="dim")


def draft_renderable(review: DraftForReview, *, notes: Sequence[str] = ()) -> RenderableType:
    """The draft with every claim marked, its reasons and its cited passages. ``notes``: the writer's
    problems with this revision (:func:`writer_notes`), shown above the text they concern."""
    draft = review.draft
    by_id = {c.id: c for c in review.claims}
    parts: list[RenderableType] = [
        Text(
            f"Run {review.run_id} · edition {draft.edition_date.isoformat()} · revision {draft.revision} "
            f"({short_hash(review.record.revision_hash)}) · {review.status.replace('_', ' ')}",
            style="bold",
        ),
    ]
    counts = Text(f"{_claims(len(review.claims))}: ")
    for verdict in VERDICT_STYLES:
        n = sum(1 for c in review.claims if _verdict(c) == verdict)
        if n:
            counts.append(f"{n} {verdict.replace('_', ' ')}  ", style=VERDICT_STYLES[verdict])
    parts.append(counts)
    blocking = blocking_claims(review.claims)
    if blocking:
        ids = ", ".join(c.id for c in blocking)
        needs = "needs" if len(blocking) == 1 else "need"
        parts.append(
            Text(f"{_claims(len(blocking))} {needs} an override to approve: {ids}", style="bold red")
        )
    account = review.selection
    if account is not None:
        parts.extend(
            Text("WARNING: ", style="bold red reverse") + Text(_clean(w), style="bold red")
            for w in account.warnings
        )
    if notes:
        parts.append(Rule("Writer notes", style="yellow"))
        parts.extend(Text("note: ", style="bold yellow") + Text(_clean(note)) for note in notes)
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
    if account is not None:
        parts.extend(_left_out_lines(account))
    if review.reviews:
        parts.append(Rule("Decisions"))
        for past in review.reviews:
            when = f"{past.decided_at:%Y-%m-%d %H:%M}"
            line = f"{when} {past.reviewer}: {decision_label(past.decision)} (revision {past.revision})"
            if past.comment:
                line += f" — {past.comment}"
            if past.override_reason:
                line += f" [override: {past.override_reason}]"
            parts.append(Text(_clean(line)))
    if review.edits:
        parts.append(Rule("Edits by hand"))
        for edit in review.edits:
            when = f"{edit.edited_at:%Y-%m-%d %H:%M}"
            head = f"{when} {edit.editor}: {edit.claim_id} (revision {edit.revision})"
            if edit.deleted:
                parts.append(Text(_clean(f"{head} deleted “{edit.old_text}”")))
                continue
            parts.append(Text(_clean(f"{head} “{edit.old_text}” → “{edit.new_text}”")))
    return Group(*parts)
