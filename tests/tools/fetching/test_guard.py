"""The address guard: schemes, every refused address class, and what the fetcher connects to."""

from __future__ import annotations

import pytest

from tests.tools.fetching.fakes import MapResolver
from tools.fetching import FetchError
from tools.fetching.guard import Target, blocked_reason, check_url


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.20", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-global"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:169.254.169.254", "link-local"),
        ("::127.0.0.1", "reserved"),  # IPv4-compatible (deprecated)
        ("64:ff9b::7f00:1", "reserved"),  # NAT64 of 127.0.0.1
        ("2002:7f00:1::1", "loopback (6to4)"),  # 6to4 embedding 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local (6to4)"),  # 6to4 embedding 169.254.169.254
        ("2002:5db8:d822::1", None),  # 6to4 embedding the public 93.184.216.34
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "private"),  # Teredo
        ("fe80::1%eth0", "link-local"),  # with a zone id
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_blocked_reason(address: str, reason: str | None) -> None:
    assert blocked_reason(address) == reason


async def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    resolver = MapResolver({"mixed.test": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FetchError, match=r"mixed.test resolves to 10.0.0.7, a private address"):
        await check_url("https://mixed.test/feed", resolver=resolver, allow_private=False)


async def test_allow_private_lets_it_through_and_pins_the_first_address() -> None:
    resolver = MapResolver({"intranet.test": ["10.0.0.7", "10.0.0.8"]})
    target = await check_url("http://intranet.test:8080/a?b=c#frag", resolver=resolver, allow_private=True)
    assert target == Target(
        url="http://intranet.test:8080/a?b=c#frag",
        scheme="http",
        host="intranet.test",
        port=8080,
        address="10.0.0.7",
    )
    assert target.connect_url == "http://10.0.0.7:8080/a?b=c"
    assert target.host_header == "intranet.test:8080"
    assert target.origin == "http://intranet.test:8080"


async def test_ip_literals_are_not_resolved_and_ipv6_is_bracketed() -> None:
    resolver = MapResolver({})
    target = await check_url("https://[2606:4700::1111]/x", resolver=resolver, allow_private=False)
    assert resolver.calls == []
    assert target.connect_url == "https://[2606:4700::1111]/x"
    assert target.origin == "https://[2606:4700::1111]"


async def test_unresolvable_and_malformed_urls() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve host 'nowhere.test'"):
        await check_url("https://nowhere.test/", resolver=MapResolver({}), allow_private=False)
    with pytest.raises(FetchError, match="no host"):
        await check_url("https:///path", resolver=MapResolver({}), allow_private=False)
    with pytest.raises(FetchError, match="not a valid URL"):
        await check_url("http://example.org:99999/", resolver=MapResolver({}), allow_private=False)
