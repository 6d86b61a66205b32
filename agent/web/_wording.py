"""The web page's words for what the terminal says with flags: a refusal raised by the rules (worded
for ``inference-report review``) is reworded here, at the web layer, so the CLI keeps its wording and
the page names its own boxes and buttons."""

from __future__ import annotations

import re

__all__ = ["move_class", "web_wording"]

_REWORDINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r'approve with\s+--override "reason"', 'write why in "Override reason" and approve again'),
        (
            r"review it again with `inference-report review [^`]+` and then decide",
            "reload this page to see the latest revision, then decide",
        ),
        (r"approve it with `inference-report review [^`]+` first", "approve it on its page first"),
        # Before the --comment rule, which made "review R --correct the "Comment" box ..." of these.
        (
            r'inference-report review (\S+) --correct --comment (?:"[^"]*"|\.\.\.)',
            r'"Start a correction" on the page of run \1',
        ),
        (r"\(--reviewer or the reviewer setting\)", '(the "Reviewer" box)'),
        (r"\(--comment\)", '(the "Comment" box)'),
        (r"--approve and --reject need no key", '"Approve" and "Reject" need no key'),
        (r"with --approve, --reject or --request-changes", 'with "Approve", "Reject" or "Request changes"'),
        (r"\(--text\), or --delete", '("The sentence"), or "Delete sentence"'),
        (r"\(--cite ITEM_ID\)", '("Item")'),
        (r"\(--quote TEXT\)", '("Passage, exactly as the item has it")'),
        (r"needs --comment", "needs a comment"),
        (r"--override(?: \"reason\")?", 'an "Override reason"'),
        (r"--comment", 'the "Comment" box'),
        (r"--reviewer", 'the "Reviewer" box'),
        (r"\bwith --correct\b", 'with "Start a correction"'),
    )
)


def web_wording(message: str) -> str:
    """``message`` with its command-line instructions put as the review page's own controls."""
    for pattern, replacement in _REWORDINGS:
        message = pattern.sub(replacement, message)
    return message


def move_class(label: str) -> str:
    """The CSS class of a leaderboard move (``▲2`` up, ``▼1`` down, ``new``; same rank: none)."""
    if label.startswith("▲"):
        return "move-up"
    if label.startswith("▼"):
        return "move-down"
    return "move-new" if label == "new" else ""
