"""decode_document: BOM, then the header charset, then the document's, then a guess; never raises."""

from __future__ import annotations

import codecs

from tools.adapters._encoding import charset_from_content_type, declared_charset, decode_document

CAFE = "Caf\u00e9 \u201cquoted\u201d"


def test_the_header_charset_is_used_first() -> None:
    body = f'<meta charset="utf-8">{CAFE}'.encode("cp1252")
    assert CAFE in decode_document(body, "text/html; charset=windows-1252")[0]


def test_a_wrong_header_charset_falls_back_to_the_declared_one() -> None:
    body = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>{CAFE}'
    )
    assert CAFE in decode_document(body.encode("cp1252"), "text/html; charset=utf-8")[0]


def test_an_unknown_header_charset_is_skipped() -> None:
    text = "Caf\u00e9 \u20ac"
    body = f'<?xml version="1.0" encoding="ISO-8859-15"?><rss>{text}</rss>'.encode("iso-8859-15")
    assert text in decode_document(body, "application/xml; charset=no-such-charset")[0]


def test_latin1_labels_decode_as_windows_1252_like_browsers() -> None:
    for label in ("ISO-8859-1", "latin1", "us-ascii"):
        assert decode_document(CAFE.encode("cp1252"), f"text/plain; charset={label}") == (CAFE, "cp1252")
    assert decode_document(f'<meta charset="iso-8859-1">{CAFE}'.encode("cp1252"))[0].endswith(CAFE)


def test_no_charset_anywhere_is_guessed() -> None:
    assert decode_document(CAFE.encode("utf-8")) == (CAFE, "utf-8")
    assert decode_document(b"caf\xe9!") == ("caf\u00e9!", "cp1252")


def test_a_bom_wins_over_the_header() -> None:
    assert decode_document(codecs.BOM_UTF8 + "\u00e9".encode(), "text/plain; charset=iso-8859-1") == (
        "\u00e9",
        "utf-8",
    )
    utf16 = codecs.BOM_UTF16_LE + "\u00e9t\u00e9".encode("utf-16-le")
    assert decode_document(utf16) == ("\u00e9t\u00e9", "utf-16-le")


def test_charset_extraction() -> None:
    assert charset_from_content_type('text/html; Charset="UTF-8"') == "utf-8"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type("text/html; charset=no-such-charset") is None
    assert declared_charset(b"<?xml version='1.0' encoding='windows-1251'?><a/>") == "cp1251"
    assert declared_charset(b"<html><META CHARSET=koi8-r>") == "koi8-r"
    assert declared_charset(b"<html>" + b" " * 4096 + b'<meta charset="koi8-r">') is None
