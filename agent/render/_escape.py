"""Escaping for what came from a source: link targets, Markdown text and XML text.

HTML escaping is Jinja's autoescape; Markdown has no autoescape, so the Markdown environment runs
every ``{{ value }}`` through :func:`markdown_escape` unless the value is :class:`MarkdownSafe`
(built only here, from escaped parts).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

__all__ = ["MarkdownSafe", "markdown_escape", "markdown_link", "safe_url", "xml_text"]

# Inline syntax in CommonMark and GitHub Markdown: code, emphasis, links/images, raw HTML and
# autolinks, tables, headings, strikethrough. ``(`` and ``!`` are harmless once ``[``/``]`` are escaped.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# Block syntax that only matters at the start of a line: list items and ordered list items.
_MD_LIST_START = re.compile(r"^([-+])(?=\s|$)")
_MD_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s|$)")
# Characters XML 1.0 forbids outright (a feed with one of them does not parse).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class MarkdownSafe(str):
    """Markdown that is already escaped: the Markdown environment writes it as is."""

    __slots__ = ()


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL that can be written into a link, else ``None``.

    Everything else (``javascript:``, ``data:``, relative or scheme-relative URLs, URLs with
    whitespace or control characters) is rendered as plain text, not as a link.
    """
    if not url:
        return None
    candidate = url.strip()
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def markdown_escape(text: object) -> str:
    """Plain text as Markdown that renders as that text: inline syntax escaped, whitespace collapsed
    (a newline in a title must not start a heading or a list)."""
    flat = " ".join(str(text).split())
    flat = _MD_INLINE.sub(r"\\\1", flat)
    flat = _MD_ENTITY.sub(r"\\&", flat)
    flat = _MD_LIST_START.sub(r"\\\1", flat)
    return _MD_ORDERED_START.sub(r"\1\\\2", flat)


def _markdown_destination(url: str) -> str:
    # Percent-encode what could end or confuse a link destination; keep URL syntax as is.
    return quote(url, safe="/:?#[]@!$&'*+,;=%-._~")


def markdown_link(text: object, url: str | None) -> MarkdownSafe:
    """``[text](url)`` for an http(s) URL, otherwise the escaped text alone."""
    label = markdown_escape(text)
    target = safe_url(url)
    if target is None:
        return MarkdownSafe(label)
    return MarkdownSafe(f"[{label}]({_markdown_destination(target)})")


def xml_text(value: object) -> str:
    """Drop the characters XML 1.0 cannot carry (escaping is the template's autoescape)."""
    return _XML_INVALID.sub("", str(value))
