"""PageExtractor: the same article in a worker process as in the calling thread; errors come back typed."""

from __future__ import annotations

import pytest

from agent.domain.models import Section, SourceKind
from tests.tools.adapters._helpers import build_context
from tools.adapters import PageExtractor, ParseError, extract_page

ARTICLE = (
    b"<html><head><title>Launch</title></head><body><article><h1>Launch</h1><p>The lab released a model "
    b"that reads long documents and answers questions about them with citations.</p><p>It is available "
    b"today to every customer of the API, at the same price as its predecessor.</p></article></body></html>"
)


@pytest.mark.parametrize("workers", [0, 1])
async def test_a_worker_extracts_what_the_calling_thread_does(workers: int) -> None:
    ctx = build_context(ARTICLE, kind=SourceKind.FEED, section=Section.LABS, url="https://lab.example/launch")
    async with PageExtractor(workers=workers) as extractor:
        item = await extractor.extract(ARTICLE, ctx)
        bare = await extractor.extract(ARTICLE, ctx, with_metadata=False, known_title="Launch")
    assert item == extract_page(ARTICLE, ctx)
    assert item.title == "Launch" and item.text.startswith("The lab released a model")
    assert bare.text == item.text and bare.title == "Launch"


@pytest.mark.parametrize("workers", [0, 1])
async def test_a_page_with_no_text_is_a_parse_error_from_a_worker_too(workers: int) -> None:
    body = b"<html><body><script>app()</script></body></html>"
    ctx = build_context(body, kind=SourceKind.PAGE, url="https://app.example/")
    async with PageExtractor(workers=workers) as extractor:
        with pytest.raises(ParseError, match="no article text"):
            await extractor.extract(body, ctx)
