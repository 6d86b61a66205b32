"""Turning fetched bytes into text: BOM, then the header's charset, then the document's, then UTF-8."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

__all__ = ["declared_charset", "decode_text", "header_charset"]

# The WHATWG Encoding Standard decodes these labels as windows-1252: pages labelled latin-1 are
# nearly always cp1252 (curly quotes in 0x80-0x9F), which strict latin-1 would turn into controls.
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# HTML's prescan looks at the first 1024 bytes; XML puts its declaration first. 2048 is generous.
_PRESCAN_BYTES = 2048
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def header_charset(headers: Mapping[str, str]) -> str | None:
    content_type = headers.get("content-type", "")
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def declared_charset(body: bytes) -> str | None:
    """The charset the document declares in an XML declaration or an HTML ``<meta>``."""
    head = body[:_PRESCAN_BYTES]
    match = _XML_DECL.match(head) or _META.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = _WHATWG_ALIASES.get(label.strip().lower(), label.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(body: bytes, headers: Mapping[str, str]) -> str:
    """Decode a response body; never raises. ``headers`` have lower-cased names (FetchResponse.headers).

    A charset that is unknown, or that the bytes do not decode under, is skipped for the next one;
    the last resort is UTF-8 with U+FFFD for undecodable bytes.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    for label in (header_charset(headers), declared_charset(body)):
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")
