"""Rendering: an edition as Markdown and as HTML (the reviewer's draft page or email-safe), and the
Atom feed of published editions. Tables come from parsed data; everything from a source is escaped.
"""

from agent.render._escape import markdown_escape, markdown_link, safe_url
from agent.render._render import render_feed, render_html, render_markdown
from agent.render._styles import Mode
from agent.render._view import EditionView, Layout, PublishedEdition, layout, long_date

__all__ = [
    "EditionView",
    "Layout",
    "Mode",
    "PublishedEdition",
    "layout",
    "long_date",
    "markdown_escape",
    "markdown_link",
    "render_feed",
    "render_html",
    "render_markdown",
    "safe_url",
]
