"""Rendering: an edition as Markdown and as HTML (the reviewer's draft page or email-safe), and the
Atom feed and archive page of published editions. Tables come from parsed data; everything from a
source is escaped.
"""

from agent.render._escape import markdown_escape, markdown_link, safe_url
from agent.render._render import (
    render_archive,
    render_feed,
    render_fragment,
    render_html,
    render_markdown,
)
from agent.render._styles import Mode
from agent.render._view import (
    EditionView,
    Envelope,
    Layout,
    PublishedEdition,
    layout,
    long_date,
    preview_text,
)

__all__ = [
    "EditionView",
    "Envelope",
    "Layout",
    "Mode",
    "PublishedEdition",
    "layout",
    "long_date",
    "markdown_escape",
    "markdown_link",
    "preview_text",
    "render_archive",
    "render_feed",
    "render_fragment",
    "render_html",
    "render_markdown",
    "safe_url",
]
