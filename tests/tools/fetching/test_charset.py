"""decode_text: BOM, then the header charset, then the document's, then UTF-8 with replacement."""

from __future__ import annotations

import codecs

from tools.fetching.charset import declared_charset, decode_text, header_charset

CAFE = "Caf\u00e9 \u201cquoted\u201d"


def test_the_header_charset_is_used_first() -> None:
    body = f'<meta charset="utf-8">{CAFE}'.encode("cp1252")
    assert CAFE in decode_text(body, {"content-type": "text/html; charset=windows-1252"})


def test_a_wrong_header_charset_falls_back_to_the_declared_one() -> None:
    body = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>{CAFE}'
    )
    assert CAFE in decode_text(body.encode("cp1252"), {"content-type": "text/html; charset=utf-8"})


def test_an_unknown_header_charset_is_skipped() -> None:
    text = "Caf\u00e9 \u20ac"
    body = f'<?xml version="1.0" encoding="ISO-8859-15"?><rss>{text}</rss>'.encode("iso-8859-15")
    assert "Caf\u00e9 \u20ac" in decode_text(
        body, {"content-type": "application/xml; charset=no-such-charset"}
    )


def test_latin1_labels_decode_as_windows_1252_like_browsers() -> None:
    assert decode_text(CAFE.encode("cp1252"), {"content-type": "text/plain; charset=ISO-8859-1"}) == CAFE


def test_no_charset_anywhere_means_utf8_with_replacement() -> None:
    assert decode_text(CAFE.encode("utf-8"), {}) == CAFE
    assert decode_text(b"caf\xe9!", {}) == "caf\ufffd!"


def test_a_bom_wins() -> None:
    assert (
        decode_text(codecs.BOM_UTF8 + "\u00e9".encode(), {"content-type": "text/plain; charset=cp1252"})
        == "\u00e9"
    )
    assert decode_text(codecs.BOM_UTF16_LE + "\u00e9t\u00e9".encode("utf-16-le"), {}) == "\u00e9t\u00e9"


def test_charset_extraction() -> None:
    assert header_charset({"content-type": 'text/html; Charset="UTF-8"'}) == "UTF-8"
    assert header_charset({"content-type": "text/html"}) is None
    assert declared_charset(b"<?xml version='1.0' encoding='windows-1251'?><a/>") == "windows-1251"
    assert declared_charset(b"<html><META CHARSET=koi8-r>") == "koi8-r"
    assert declared_charset(b"<html>" + b" " * 4096 + b'<meta charset="koi8-r">') is None
