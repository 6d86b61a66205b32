"""Rendering an edition (Markdown, HTML for the draft page or for email) and the feed of editions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from markupsafe import Markup

from agent.render._env import html_environment, markdown_environment, xml_environment
from agent.render._escape import MarkdownSafe, markdown_link, safe_url
from agent.render._styles import Mode, attribute, stylesheet
from agent.render._view import Column, EditionView, PublishedEdition, Ref, layout, long_date

__all__ = ["render_feed", "render_html", "render_markdown"]


def _markdown_refs(refs: Sequence[Ref]) -> MarkdownSafe:
    # markdown_link leaves the label unlinked (escaped, "\\[1\\]") when there is no safe URL.
    return MarkdownSafe("".join(markdown_link(f"[{ref.number}]", ref.url) for ref in refs))


def _markdown_rule(columns: Sequence[Column]) -> MarkdownSafe:
    return MarkdownSafe("|" + "".join(" ---: |" if c.numeric else " --- |" for c in columns))


def render_markdown(view: EditionView) -> str:
    template = markdown_environment().get_template("edition.md.j2")
    text = template.render(
        e=layout(view), md_link=markdown_link, md_refs=_markdown_refs, md_rule=_markdown_rule
    )
    # Template control flow leaves runs of blank lines; Markdown gives them no meaning.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1]):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"


def render_html(view: EditionView, *, mode: Mode) -> str:
    """A standalone page. ``draft``: a class per element, a stylesheet, and each sentence in a span
    carrying its claim id, verdict (a class) and reasons (its title). ``email``: inline CSS only,
    no classes, no scripts, no verdicts."""
    if mode not in ("draft", "email"):
        raise ValueError(f"mode must be 'draft' or 'email', not {mode!r}")

    def css(name: str) -> Markup:
        return attribute(name, mode)

    template = html_environment().get_template("edition.html.j2")
    return template.render(e=layout(view), mode=mode, css=css, stylesheet=stylesheet())


@dataclass(frozen=True, slots=True)
class _FeedEntry:
    id: str
    title: str
    url: str | None
    published: str
    summary: str


def _utc(moment: datetime) -> datetime:
    # A naive time is taken as UTC: the store and the clock record UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _rfc3339(moment: datetime) -> str:
    return _utc(moment).isoformat().replace("+00:00", "Z")


def render_feed(
    entries: Sequence[PublishedEdition],
    *,
    feed_url: str,
    site_url: str,
    title: str = "The Inference Report",
    author: str = "The Inference Report",
) -> str:
    """An Atom feed of published editions, newest first. The same entries give the same bytes, so
    publishing again rewrites an identical file."""
    for name, url in (("feed_url", feed_url), ("site_url", site_url)):
        if safe_url(url) is None:
            raise ValueError(f"{name} must be an absolute http(s) URL, not {url!r}")
    ordered = sorted(entries, key=lambda e: (_utc(e.published_at), e.run_id), reverse=True)
    rows = [
        _FeedEntry(
            # Stable whatever the URL: a feed reader must see a re-published edition as the same one.
            id=f"urn:inference-report:run:{quote(e.run_id, safe='')}",
            title=e.title or f"{title}, {long_date(e.edition_date)}",
            url=safe_url(e.url),
            published=_rfc3339(e.published_at),
            summary=e.summary,
        )
        for e in ordered
    ]
    updated = rows[0].published if rows else _rfc3339(datetime(1970, 1, 1, tzinfo=UTC))
    template = xml_environment().get_template("feed.xml.j2")
    return template.render(
        entries=rows, feed_url=feed_url, site_url=site_url, title=title, author=author, updated=updated
    )
