"""robots.txt matching per RFC 9309 (the examples of sections 2.2.2 and 5)."""

from __future__ import annotations

import random
import re

import pytest

from tools.fetching import robots
from tools.fetching.robots import RobotsRules, parse_robots

TOKEN = "InferenceReport"


def test_longest_match_wins_and_allow_wins_a_tie() -> None:
    rules = parse_robots(
        "User-agent: *\nDisallow: /example/\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
    )
    assert rules.allows(TOKEN, "/example/page/") is True
    assert rules.allows(TOKEN, "/example/other") is False
    assert rules.allows(TOKEN, "/example/page/disallowed.gif") is False
    tie = parse_robots("User-agent: *\nDisallow: /folder\nAllow: /folder\n")
    assert tie.allows(TOKEN, "/folder/x") is True


def test_our_group_is_chosen_over_the_wildcard_case_insensitively() -> None:
    rules = parse_robots(
        "User-agent: *\nDisallow: /\n\nUser-agent: inferencereport/2.0\nAllow: /\nDisallow: /drafts\n"
    )
    assert rules.allows(TOKEN, "/news") is True
    assert rules.allows(TOKEN, "/drafts/1") is False
    assert rules.allows("OtherBot", "/news") is False


def test_consecutive_user_agents_share_a_group_and_groups_with_the_same_agent_merge() -> None:
    rules = parse_robots(
        "User-agent: a\nUser-agent: InferenceReport\nDisallow: /x\n\n"
        "User-agent: inferencereport\nDisallow: /y\n"
    )
    assert not rules.allows(TOKEN, "/x") and not rules.allows(TOKEN, "/y") and rules.allows(TOKEN, "/z")
    assert not rules.allows("a", "/x") and rules.allows("a", "/y")


@pytest.mark.parametrize(
    ("pattern", "path", "allowed"),
    [
        ("/*.php$", "/index.php", False),
        ("/*.php$", "/index.php?x=1", True),
        ("/*.php", "/dir/index.php?x=1", False),
        ("/fish*", "/fishheads", False),
        ("/fish", "/Fish", True),  # paths are case-sensitive
        ("/caf%C3%A9", "/café", False),  # percent-encoding is normalised on both sides
        ("/search?q=", "/search?q=ai", False),
    ],
)
def test_wildcards_anchors_and_encoding(pattern: str, path: str, allowed: bool) -> None:
    assert parse_robots(f"User-agent: *\nDisallow: {pattern}\n").allows(TOKEN, path) is allowed


def test_empty_disallow_comments_and_junk_allow_everything() -> None:
    rules = parse_robots("# hello\nUser-agent: * # all\nDisallow:\nnonsense line\nSitemap: https://x/s.xml\n")
    assert rules.allows(TOKEN, "/anything")
    assert parse_robots("").allows(TOKEN, "/")
    assert parse_robots("Disallow: /\n").allows(TOKEN, "/")  # rules before any user-agent are ignored


def test_robots_txt_itself_is_always_allowed_and_blanket_verdicts() -> None:
    assert parse_robots("User-agent: *\nDisallow: /\n").allows(TOKEN, "/robots.txt")
    assert RobotsRules.allow_all().allows(TOKEN, "/x")
    assert not RobotsRules.unreachable("HTTP 503").allows(TOKEN, "/robots.txt")


def test_crawl_delay_is_read_for_our_group_and_from_a_request_rate() -> None:
    rules = parse_robots(
        "User-agent: *\nCrawl-delay: 10\n\nUser-agent: InferenceReport\nCrawl-delay: 2.5\nDisallow: /x\n"
    )
    assert rules.crawl_delay(TOKEN) == 2.5
    assert rules.crawl_delay("OtherBot") == 10
    assert parse_robots("User-agent: *\nRequest-rate: 1/5\n").crawl_delay(TOKEN) == 5
    assert parse_robots("User-agent: *\nDisallow: /x\n").crawl_delay(TOKEN) is None
    assert parse_robots("User-agent: *\nCrawl-delay: soon\n").crawl_delay(TOKEN) is None
    assert RobotsRules.allow_all().crawl_delay(TOKEN) is None


def test_versions_are_dropped_as_the_plain_pattern_drops_them_without_rereading_blank_lines() -> None:
    # The plain pattern tried \s* from every blank line and read all the blank lines after it: a robots.txt
    # of 100,000 blank lines held the event loop for 26 s, and the cap on robots.txt is 500 KiB.
    plain = re.compile(r"(?im)^(\s*user-agent\s*:\s*[^/#\r\n]*?)\s*/[^#\r\n]*")
    rng = random.Random(5)
    pieces = ["User-agent", "user-AGENT", ":", " ", "\t", "\n", "\r", "\r\n", "/", "#", "bot", "2.0", "\n\n"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert robots._AGENT_VERSION.sub(r"\1", text) == plain.sub(r"\1", text), repr(text)
    # From the user-agent line's own start, never across the blank lines before it; spaces read once.
    assert robots._AGENT_VERSION.pattern.startswith(r"(?im)^([^\S\n]*user-agent")
    assert r"\s*+/" in robots._AGENT_VERSION.pattern
    rules = parse_robots("User-agent: inferencereport/2.0\n" + "\n" * 20_000 + "Disallow: /drafts\n")
    assert rules.allows(TOKEN, "https://lab.example/drafts") is False
    assert rules.allows(TOKEN, "https://lab.example/posts") is True
