"""Turning fetched bytes into text: the declared charset when it is true, a careful guess when not."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import lxml.etree
import lxml.html
from charset_normalizer.md import mess_ratio

from tools.adapters._context import AdapterContext
from tools.adapters._errors import ParseError

__all__ = [
    "charset_from_content_type",
    "declared_charset",
    "decode_document",
    "guess_encoding",
    "html_document",
]

_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# Browsers look for a meta charset in the first 1024 bytes; pages in the wild put it a little later.
_META_WINDOW = 4096
# windows-1252 decodes any byte string, so it needs evidence against it before a detector is asked.
# Western text has few high bytes (accented letters, about 1 in 20) and reads cleanly as 1252 (mess
# ratio near 0); KOI8-R or Greek text is mostly high bytes and scores 0.34 on the fixture. Mess ratios
# of short strings are noisy (0.44 for "Ação é café"), hence both tests.
_MAX_1252_MESS = 0.2
_MAX_WESTERN_HIGH_BYTES = 0.15


# The WHATWG Encoding Standard decodes these labels as windows-1252: pages labelled latin-1 are
# nearly always cp1252 (curly quotes in 0x80-0x9F), which strict latin-1 would turn into controls.
_WHATWG_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    label = name.strip()
    try:
        return codecs.lookup(_WHATWG_ALIASES.get(label.lower(), label)).name
    except LookupError:
        return None


def _bom(body: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    return None


def charset_from_content_type(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if it names a known codec."""
    match = _CHARSET_PARAM.search(content_type.encode("latin-1", "replace"))
    return _known(match.group(1).decode("ascii")) if match else None


def declared_charset(body: bytes) -> str | None:
    """The charset the document declares: a byte-order mark, the XML declaration or a meta tag."""
    bom = _bom(body)
    if bom is not None:
        return bom[0]
    head = body[:_META_WINDOW]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _known(match.group(1).decode("ascii")) if match else None


def guess_encoding(body: bytes) -> str:
    """The encoding of undeclared (or falsely declared) bytes: UTF-8 if they decode as UTF-8, else
    windows-1252 when that reads cleanly (the usual mislabelled Western page), else a detector's guess."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    high_bytes = sum(1 for byte in body if byte >= 0x80) / len(body)
    if (
        high_bytes <= _MAX_WESTERN_HIGH_BYTES
        or mess_ratio(body.decode("cp1252", "replace")) <= _MAX_1252_MESS
    ):
        return "cp1252"
    best = charset_normalizer.from_bytes(body).best()
    return (_known(best.encoding) if best is not None else None) or "cp1252"


def decode_document(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Text and the encoding used: a byte-order mark, the HTTP charset, then the document's own
    declaration, then a guess. Never raises.

    A BOM wins over the header, as in browsers (WHATWG "decode"). A declared charset that cannot
    decode the bytes is a lie and is skipped, so a latin-1 page served as UTF-8 still reads correctly
    instead of filling with replacement characters. Latin-1 and ASCII labels mean windows-1252.
    """
    bom = _bom(body)
    if bom is not None:
        bom_codec, length = bom
        return body[length:].decode(bom_codec, errors="replace"), bom_codec
    for name in (charset_from_content_type(content_type), declared_charset(body)):
        if name is None:
            continue
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            continue
    guessed = guess_encoding(body)
    return body.decode(guessed, errors="replace"), guessed


def html_document(body: bytes, context: AdapterContext) -> lxml.html.HtmlElement:
    """The parsed HTML page of a response, decoded as :func:`decode_document` does; a
    :class:`ParseError` when lxml cannot make a document of it."""
    text, _ = decode_document(body, context.content_type)
    try:
        return lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ParseError(
            f"{context.url}: not an HTML page: {exc}", url=context.url, source=context.source
        ) from exc
