"""The shared helpers: HTML to citable text, canonical URLs, decoding."""

from __future__ import annotations

import pytest

from tools.adapters._encoding import decode_document, guess_encoding
from tools.adapters._text import canonical_url, html_to_text, plain_text


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("HTTPS://Example.COM:443/a?utm_source=x&id=3&fbclid=y#frag", "", "https://example.com/a?id=3"),
        ("http://example.com:8080", "", "http://example.com:8080/"),
        ("../b.html?source=rss----abc", "https://m.example/a/x/", "https://m.example/a/b.html"),
        (
            "/p?source=homepage&q=a%20b",
            "https://x.example/feed",
            "https://x.example/p?source=homepage&q=a%20b",
        ),
        ("https://x.example/p?flag&UTM_Campaign=z", "", "https://x.example/p?flag"),
    ],
)
def test_canonical_url(url: str, base: str, expected: str) -> None:
    assert canonical_url(url, base=base) == expected


def test_html_to_text_keeps_sentences_and_paragraphs() -> None:
    markup = (
        "Lead-in <p>GLM-5.1 moved to <strong>51.4</strong> on the <a href='/x'>index</a>.&nbsp;Kimi "
        "jumped.</p><ul><li>one</li><li>two</li></ul>tail<br>after<script>track()</script> end "
        "<!-- hidden --> x<style>p{}</style>"
    )
    assert html_to_text(markup) == (
        "Lead-in\n\nGLM-5.1 moved to 51.4 on the index. Kimi jumped.\n\none\n\ntwo\n\ntail\n\nafter end x"
    )


def test_html_to_text_edge_cases() -> None:
    assert html_to_text("") == ""
    assert html_to_text("5 &lt; 6 &amp; so on") == "5 < 6 & so on"
    assert html_to_text("<html><head><title>T</title></head><body><p>Body.</p></body></html>") == "Body."
    deep = "<div>" * 200 + "deep <b>text</b>" + "</div>" * 200
    assert html_to_text(deep) == "deep text"
    assert html_to_text("zero\u200bwidth\u00adsoft") == "zerowidthsoft"


def test_plain_text_paragraphs() -> None:
    assert (
        plain_text("line one\nwraps here\n\n  second   para \r\n\r\n") == "line one wraps here\n\nsecond para"
    )


def test_guess_encoding() -> None:
    assert guess_encoding("plain ascii and ünïcode".encode()) == "utf-8"
    assert guess_encoding("Ação é café, disse a inteligência.".encode("latin-1")) == "cp1252"
    russian = ("Наверное, единственное, во что сегодня можно верить безоговорочно. " * 3).encode("koi8-r")
    assert guess_encoding(russian) == "koi8-r"


def test_decode_document_skips_a_false_declaration() -> None:
    text, encoding = decode_document("café".encode("latin-1"), "text/html; charset=utf-8")
    assert (text, encoding) == ("café", "cp1252")
    assert decode_document("café".encode(), "text/html; charset=nonsense-codec") == ("café", "utf-8")
