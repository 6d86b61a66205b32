"""Clean text: page and feed clutter never becomes quotable text, link posts are read from the linked page
or kept title-only, and authors are people. On captures written for each clutter class and on the real
pages and feeds under ../shared/fixtures/real."""

from __future__ import annotations

import pytest

from agent.domain.models import SourceKind
from tests.tools.adapters._helpers import DATA, MakeContext, RealCapture
from tools.adapters import parse_feed, parse_page
from tools.adapters._authors import people, restore_initials
from tools.adapters._clutter import drop_clutter

CLUTTER = DATA / "clutter"
ARTICLE = [
    "Liquid cooling has moved from a niche for supercomputers to the default plan for new AI data centers,"
    " as racks of accelerators now draw more than 100 kilowatts each.",
    "Operators told TIME that air cooling stops being practical somewhere above 40 kilowatts per rack, and"
    " that most racks ordered this year exceed that.",
    "The shift is reshaping the supply chain: pump and cold-plate makers report order backlogs of more than"
    " a year.",
    "Several operators said they now design buildings around the water supply first and the power supply"
    " second.",
]


@pytest.mark.parametrize(
    ("capture", "clutter"),
    [
        (
            "recommendations.html",
            ["More Must-Reads From TIME", "The Best Inventions of 2026", "The Year in Photos"],
        ),
        ("signup.html", ["Sign up for our Tech newsletter"]),
        ("loading.html", ["Loading weather data", "Loading..."]),
        ("comments.html", ["24 Comments", "View all 24 comments"]),
        ("copyright.html", ["© 2026 TIME USA"]),
    ],
)
def test_a_page_keeps_its_article_and_drops_each_clutter_class(
    capture: str, clutter: list[str], make_context: MakeContext
) -> None:
    body = (CLUTTER / capture).read_bytes()
    [item] = parse_page(
        body, make_context(body, kind=SourceKind.PAGE, url="https://time.example/6320/cooling")
    )
    assert item.text.split("\n\n") == ARTICLE
    for text in clutter:
        assert text not in item.text
    # The byline is the reporter, with her initial's point.
    assert item.authors == ("Priya A. Natarajan",)


def test_clutter_rules_keep_sentences_that_only_mention_the_same_words() -> None:
    article = [
        "Readers can sign up for the lab's newsletter, the company said, but most learn of releases from"
        " the model card itself, which now runs to 60 pages and lists every evaluation.",
        "Related work on speculative decoding is covered in the appendix.",
        "Loading the model takes 40 seconds on one accelerator.",
        "The comments period closes on Friday.",
    ]
    assert drop_clutter(article) == article
    assert drop_clutter(["Related", *article[:1]]) == article[:1]


def test_aggregator_footers_and_reddit_link_posts(make_context: MakeContext) -> None:
    hunt = (DATA / "producthunt_like.atom.xml").read_bytes()
    products = parse_feed(hunt, make_context(hunt, url="https://www.producthunt.com/feed"))
    assert [p.text for p in products] == [
        "Meeting notes that write themselves",
        "Compare prompts across 12 models side by side",
    ]
    body = (CLUTTER / "reddit_like.atom.xml").read_bytes()
    link_post, self_post = parse_feed(
        body, make_context(body, url="https://www.reddit.com/r/MachineLearning/.rss")
    )
    # A link post is the linked article: follow_links reads that page (gather follows item.url); without
    # it the item is its title alone, with nothing a writer could quote.
    assert link_post.url == link_post.id == "https://research.example.org/blog/kv-cache-offloading"
    assert link_post.extra["discussion_url"].startswith("https://www.reddit.com/r/MachineLearning/comments/")
    assert link_post.text == "" and link_post.extra["title_only"] is True
    assert link_post.title == "[N] KV cache offloading cuts serving cost by 40%"
    assert self_post.text == (
        "We measured power draw on 64 accelerators during decode and found it 30% lower than during prefill."
    )
    assert "title_only" not in self_post.extra
    # Reddit account names are not bylines.
    assert link_post.authors == () and self_post.authors == ()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Condé Nast"], ()),
        (["CNN"], ()),
        (["National Desk"], ()),
        (["Kulu Media News Desk"], ()),
        (["Staff and agencies"], ()),
        (["View all posts by Daniel Lemire"], ("Daniel Lemire",)),
        (["By Will Knight; Condé Nast"], ("Will Knight",)),
        (["Tom McCarthy in New York"], ("Tom McCarthy",)),
        (["Ashifa Kassam in Stanstead, Quebec"], ("Ashifa Kassam",)),
        (["Damian Carrington Environment editor"], ("Damian Carrington",)),
        (["Erica Chenoweth and Jeremy Pressman"], ("Erica Chenoweth", "Jeremy Pressman")),
        (["Nick Ames (now), Ed Aarons and Ben Fisher (earlier)"], ("Nick Ames", "Ed Aarons", "Ben Fisher")),
        (["Ash, C., Mueller, K. L."], ("C. Ash", "K. L. Mueller")),
        (["Jane A. Doe"], ("Jane A. Doe",)),
        (["Linksc Creating Search Engine Api Message"], ()),
    ],
)
def test_authors_are_people(names: list[str], expected: tuple[str, ...]) -> None:
    assert people(names) == expected


def test_a_site_or_account_name_is_not_a_byline() -> None:
    assert people(["Google"], url="https://security.googleblog.com/2020/05/x.html") == ()
    assert people(["Golemfactory"], url="https://github.com/golemfactory/yapapi") == ()
    assert people(["The Verge"], publishers=["The Verge"]) == ()
    assert people(["Todd"], url="https://www.rutgers.edu/news/new-robot") == ("Todd",)


def test_an_initial_keeps_its_point_when_the_page_prints_it() -> None:
    assert (
        restore_initials("Priya A Natarajan", '<a rel="author">Priya A. Natarajan</a>')
        == "Priya A. Natarajan"
    )
    assert restore_initials("Joe S", "<span>Joe S</span>") == "Joe S"


@pytest.mark.shared
def test_real_pages_name_people_and_keep_their_expected_authors(real_capture: RealCapture) -> None:
    authors = {}
    for name in (
        "vancouversun.com.microsoft.html",
        "kulu-media.com.meta-outage.html",
        "lemire.me.json.html",
        "github.com.yapapi.html",
        "security.googleblog.com.protection.html",
        "hackernoon.com.scrape.html",
        "reuters.com.parasite.html",
        "nature.com.telescope.html",
        "d44c5ef50718437984dca47627dee96b.html",
    ):
        [item] = parse_page(*real_capture(f"articles/trafilatura/{name}", kind=SourceKind.PAGE))
        authors[name] = item.authors
    # Before: ("Reuters",), ("Kulu Media News Desk",), ("View all posts by Daniel Lemire",),
    # ("Golemfactory",), ("Google",), ("Linksc Creating Search Engine Api Message",), "Joe S" (no point).
    assert authors["vancouversun.com.microsoft.html"] == ()
    assert authors["kulu-media.com.meta-outage.html"] == ()
    assert authors["lemire.me.json.html"] == ("Daniel Lemire",)
    assert authors["github.com.yapapi.html"] == ()
    assert authors["security.googleblog.com.protection.html"] == ()
    assert authors["hackernoon.com.scrape.html"] == ()
    assert authors["reuters.com.parasite.html"] == ("Jill Serjeant",)
    assert authors["nature.com.telescope.html"] == ("Elizabeth Gibney",)
    assert authors["d44c5ef50718437984dca47627dee96b.html"] == ("Joe S.",)


@pytest.mark.shared
def test_real_feeds_lose_their_clutter_and_their_desk_bylines(real_capture: RealCapture) -> None:
    items = parse_feed(*real_capture("feeds/news/guardian_us_2018.rss.xml", max_items=500))
    paragraphs = [p for item in items for p in item.text.split("\n\n")]
    assert not [p for p in paragraphs if p.startswith("Related: ")]
    assert "Sign up here to get an email whenever First Dog cartoons are published" not in paragraphs
    names = {a for item in items for a in item.authors}
    assert {"Staff and agencies", "Associated Press", "Reuters in New York"}.isdisjoint(names)
    assert {"Tom McCarthy", "Sam Morris", "Patrick Wintour"} <= names
