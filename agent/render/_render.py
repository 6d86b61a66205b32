"""Rendering an edition (Markdown, HTML for the draft page or for email) and the feed of editions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

from markupsafe import Markup

from agent.render._env import html_environment, markdown_environment, xml_environment
from agent.render._escape import MarkdownSafe, markdown_link, safe_url
from agent.render._styles import Mode, attribute, stylesheet
from agent.render._view import Column, EditionView, Envelope, PublishedEdition, Ref, layout, long_date

__all__ = ["render_archive", "render_feed", "render_fragment", "render_html", "render_markdown"]

# After the preview text: invisible joiners and spaces, so the inbox does not fill the rest of the
# preview line with the start of the body (the title and date).
_PREVIEW_PADDING = Markup("&#847;&zwnj;&nbsp;" * 60)


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


def _nav_links(envelope: Envelope | None) -> list[tuple[str, str]]:
    if envelope is None:
        return []
    links = [
        ("Read it on the web", envelope.page_url),
        ("All editions", envelope.archive_url),
        ("Atom feed", envelope.feed_url),
    ]
    return [(text, url) for text, url in links if url]


def _template_values(view: EditionView, mode: Mode, envelope: Envelope | None) -> dict[str, object]:
    if mode not in ("draft", "email"):
        raise ValueError(f"mode must be 'draft' or 'email', not {mode!r}")

    def css(name: str) -> Markup:
        return attribute(name, mode)

    return {
        "e": layout(view),
        "mode": mode,
        "css": css,
        "stylesheet": stylesheet(),
        "envelope": None if mode == "draft" else envelope,
        "nav_links": [] if mode == "draft" else _nav_links(envelope),
        "preview_padding": _PREVIEW_PADDING,
        "fragment": False,
    }


def render_html(view: EditionView, *, mode: Mode, envelope: Envelope | None = None) -> str:
    """A standalone page. ``draft``: a class per element, a stylesheet, and each sentence in a span
    carrying its claim id, verdict (a class) and reasons (its title). ``email``: a 600 px table
    layout with inline CSS only, no classes, no scripts, no verdicts; ``envelope`` adds the preview
    text, the links around the edition and the unsubscribe footer (the site's page and the email
    are both this mode)."""
    template = html_environment().get_template("edition.html.j2")
    return template.render(_template_values(view, mode, envelope))


def render_fragment(view: EditionView, *, envelope: Envelope | None = None) -> str:
    """The edition's content in email style with no page around it: a feed entry's HTML."""
    values = _template_values(view, "email", envelope) | {"fragment": True}
    return html_environment().get_template("edition.html.j2").render(values).strip() + "\n"


def render_archive(editions: Sequence[tuple[date, str, str]], *, title: str, feed_href: str) -> str:
    """The site's front page: ``(edition date, title, summary)`` per edition, listed as given (the
    caller orders them newest first), each linking to its folder ``YYYY-MM-DD/``."""

    def css(name: str) -> Markup:
        return attribute(name, "email")

    rows = [(f"{day.isoformat()}/", long_date(day), heading, summary) for day, heading, summary in editions]
    template = html_environment().get_template("archive.html.j2")
    return template.render(editions=rows, title=title, feed_href=feed_href, css=css)


@dataclass(frozen=True, slots=True)
class _FeedEntry:
    id: str
    title: str
    url: str | None
    published: str
    updated: str
    summary: str
    content: str


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
            updated=_rfc3339(e.updated_at or e.published_at),
            summary=e.summary,
            content=e.content,
        )
        for e in ordered
    ]
    updated = max((r.updated for r in rows), default=_rfc3339(datetime(1970, 1, 1, tzinfo=UTC)))
    template = xml_environment().get_template("feed.xml.j2")
    return template.render(
        entries=rows, feed_url=feed_url, site_url=site_url, title=title, author=author, updated=updated
    )
