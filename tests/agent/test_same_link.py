"""One item, several sources: the same link from two sources is one item recording both; the evidence a
reviewer sees is exactly the text the claim cites, with that text's archived copy; source titles show in
the edition instead of slugs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import quote

from starlette.testclient import TestClient

from agent.runs import DraftOptions, Factories, start_draft
from agent.settings import Settings, load_settings
from agent.store import Store
from agent.web import create_app
from tests.fakes.source_server import SourceServer
from tools.fetching import Fetcher
from tools.fetching.live import LiveFetcher
from tools.fetching.policy import FetchPolicy

LINK = "https://lab.example/post"
TOKEN = "review-token-for-tests"


def _feed(title: str, description: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title>'
        "<link>https://feed.example/</link><description>d</description>"
        f"<item><title>{title}</title><link>{LINK}</link><guid>{LINK}</guid>"
        f"<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>{description}</description></item>"
        "</channel></rss>"
    ).encode()


def _live(settings: Settings, replay: Sequence[Path], store: Store) -> Fetcher:
    return LiveFetcher(FetchPolicy(per_host_delay=0.0, read_timeout=2.0, total_timeout=4.0), cache=store)


async def test_the_same_link_from_two_sources_is_one_item_with_its_own_evidence(
    home: Path, tmp_path: Path
) -> None:
    with SourceServer() as server:
        server.add(
            "/wire.xml",
            _feed("Lab ships a faster model", "A teaser."),
            headers={"content-type": "application/rss+xml"},
        )
        server.add(
            "/lab.xml",
            _feed(
                "Lab ships a faster model",
                "Lab Co said its new model serves 1,200 tokens per second on 8 GPUs. "
                "That is up 35% from the previous release, the lab said.",
            ),
            headers={"content-type": "application/rss+xml"},
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "a-wire"\ntitle = "The Wire"\nkind = "feed"\nsection = "labs"\n'
            f'url = "{server.url("/wire.xml")}"\nallow_private = true\n\n'
            f'[[source]]\nname = "lab"\ntitle = "Lab News"\nkind = "feed"\nsection = "labs"\n'
            f'url = "{server.url("/lab.xml")}"\nallow_private = true\n'
        )
        settings = load_settings({}, home=home)
        outcome = await start_draft(
            settings,
            DraftOptions(
                sources_path=sources,
                writer="extractive",
                edition_date=date(2026, 11, 26),
                out_dir=tmp_path / "out",
            ),
            factories=Factories(fetcher=_live),
        )
    report = outcome.report
    with Store.open(settings.database) as store:
        [item] = store.items(outcome.run_id)
        claims = store.latest_draft(outcome.run_id)
    # One item, the copy with the text to quote, recording the other source.
    assert item.id == LINK and item.source == "lab" and item.also_from == ("a-wire",)
    assert "1,200 tokens per second" in item.text
    assert sum(s["items"] for s in report["sources"]) == 2
    assert sum(report["items_per_section"].values()) == 1
    [dropped] = report["dropped"]
    assert (
        dropped["source"] == "a-wire" and dropped["reason"] == "duplicate" and dropped["duplicate_of"] == LINK
    )
    # Every citation of it quotes the stored text exactly.
    assert claims is not None
    cited = [c for claim in claims.draft.claims for c in claim.citations if c.item_id == LINK]
    assert cited
    assert all(item.text[c.start : c.end] == c.quote for c in cited)
    # Readers see the sources' titles, not their slugs.
    markdown = (tmp_path / "out" / "edition.md").read_text()
    assert "Lab News · also in The Wire" in markdown
    # The archived copy is the answer the text came from (the lab's feed), not the wire's copy.
    client = TestClient(create_app(settings, token=TOKEN), base_url="http://127.0.0.1")
    client.headers["authorization"] = f"Bearer {TOKEN}"
    archived = client.get(f"/runs/{outcome.run_id}/archive/{quote(LINK, safe='')}")
    assert archived.status_code == 200
    assert re.search(r"Archived copy of http://127\.0\.0\.1:\d+/lab\.xml", archived.text)
    assert "1,200 tokens per second" in archived.text


def _reddit_feed(article_url: str) -> bytes:
    content = (
        "&lt;table&gt;&lt;tr&gt;&lt;td&gt; submitted by &lt;a href=&quot;https://www.reddit.com/user/tom&quot;&gt;"
        " /u/tom &lt;/a&gt; &lt;br/&gt; &lt;span&gt;&lt;a href=&quot;"
        f"{article_url}&quot;&gt;[link]&lt;/a&gt;&lt;/span&gt; &lt;span&gt;&lt;a href=&quot;"
        "https://www.reddit.com/r/ml/comments/1/x/&quot;&gt;[comments]&lt;/a&gt;&lt;/span&gt;"
        "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>ml</title>'
        "<id>/r/ml/.rss</id><updated>2026-11-25T10:00:00+00:00</updated><entry>"
        "<author><name>/u/tom</name></author>"
        f'<content type="html">{content}</content><id>t3_1</id>'
        '<link href="https://www.reddit.com/r/ml/comments/1/x/"/>'
        "<updated>2026-11-25T09:40:02+00:00</updated><published>2026-11-25T09:40:02+00:00</published>"
        "<title>Lab cuts serving cost by 40%</title></entry></feed>"
    ).encode()


_ARTICLE = (
    b"<!doctype html><html><head><title>Lab cuts serving cost by 40%</title></head><body><article>"
    b"<h1>Lab cuts serving cost by 40%</h1>"
    b"<p>The lab said offloading the KV cache to host memory cut its serving cost by 40% across 64 GPUs.</p>"
    b"<p>The change took three months and needed no new hardware, the lab said in its post on Tuesday.</p>"
    b"</article></body></html>"
)


async def test_a_link_post_is_read_from_the_linked_page_with_follow_links(home: Path, tmp_path: Path) -> None:
    with SourceServer() as server:
        server.add("/article", _ARTICLE, headers={"content-type": "text/html; charset=utf-8"})
        server.add(
            "/ml.rss", _reddit_feed(server.url("/article")), headers={"content-type": "application/atom+xml"}
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "ml"\nkind = "feed"\nsection = "wire"\nfollow_links = true\n'
            f'url = "{server.url("/ml.rss")}"\nallow_private = true\n'
        )
        settings = load_settings({}, home=home)
        outcome = await start_draft(
            settings,
            DraftOptions(sources_path=sources, writer="extractive", edition_date=date(2026, 11, 26)),
            factories=Factories(fetcher=_live),
        )
    with Store.open(settings.database) as store:
        [item] = store.items(outcome.run_id)
    assert item.url == server.url("/article")
    assert item.text.startswith(
        "The lab said offloading the KV cache to host memory cut its serving cost by 40%"
    )
    assert "title_only" not in item.extra and "submitted by" not in item.text
    assert item.extra["discussion_url"] == "https://www.reddit.com/r/ml/comments/1/x/"
