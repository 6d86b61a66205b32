"""What a body is, by its first bytes: so an adapter handed the wrong thing says what it got."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["BodyKind", "body_kind", "describe_body"]

BodyKind = Literal["feed", "json", "html", "xml", "text"]

_HEAD = 2048
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_DESCRIPTIONS: dict[BodyKind, str] = {
    "feed": "an RSS or Atom feed",
    "json": "JSON",
    "html": "an HTML page",
    "xml": "an XML document",
    "text": "plain text",
}


def body_kind(body: bytes) -> BodyKind:
    head = body[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return "json"
    if _HTML_ROOT.search(head):
        return "html"
    if _FEED_ROOT.search(head):
        return "feed"
    if head.startswith(b"<"):
        return "xml"
    return "text"


def describe_body(body: bytes) -> str:
    """``"an RSS or Atom feed"``, ``"JSON"``, ``"an HTML page"``, ...: for error messages."""
    return _DESCRIPTIONS[body_kind(body)]
