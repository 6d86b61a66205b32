"""The address guard: only http(s), and never a private, loopback or otherwise non-public address.

The guard resolves the host itself and hands back the address it checked; the fetcher then
connects to exactly that address (the URL is rewritten to the IP, the Host header and TLS SNI keep
the name), so a DNS answer that changes between the check and the connect (rebinding) is never used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from tools.fetching._types import FetchError

__all__ = ["Resolver", "Target", "blocked_reason", "check_url", "split_url", "system_resolver", "url_host"]

# host, port -> the addresses it resolves to.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_DEFAULT_PORTS = {"http": 80, "https": 443}


async def system_resolver(host: str, port: int) -> list[str]:
    """The event loop's getaddrinfo, de-duplicated in answer order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def blocked_reason(address: str) -> str | None:
    """Why this address may not be fetched without ``allow_private``; None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            # 2002::/16 counts as global, but a host with a 6to4 route delivers 2002:7f00:1:: to
            # 127.0.0.1: judge the IPv4 address it embeds.
            embedded = blocked_reason(str(ip.sixtofour))
            return None if embedded is None else f"{embedded} (6to4)"
    for label, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return label
    # e.g. 100.64.0.0/10 (carrier-grade NAT) is neither private nor global.
    return None if ip.is_global else "non-global"


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed the guard, with the address to connect to."""

    url: str
    scheme: str
    host: str  # lower-cased name or IP literal, without brackets
    port: int
    address: str

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{_netloc(self.host, self.port, self.scheme)}"

    @property
    def host_header(self) -> str:
        return _netloc(self.host, self.port, self.scheme)

    @property
    def connect_url(self) -> str:
        """The URL with the host replaced by the checked address."""
        parts = urlsplit(self.url)
        netloc = _netloc(self.address, self.port, self.scheme)
        return urlunsplit((self.scheme, netloc, parts.path or "/", parts.query, ""))


def _netloc(host: str, port: int, scheme: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if _DEFAULT_PORTS.get(scheme) == port else f"{shown}:{port}"


def split_url(url: str) -> tuple[str, str, int]:
    """scheme, host, port of an http(s) URL, or a FetchError saying what is wrong with it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {exc}", url=url) from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(
            f"refused: only http and https URLs are fetched, not {scheme or 'no scheme'!r}", url=url
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError("not a valid URL: no host", url=url)
    if not host.isascii():
        # The Host header, TLS SNI and the certificate check all need the ASCII (IDNA) form.
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise FetchError(f"not a valid URL: host {host!r} is not a valid domain name", url=url) from exc
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme]


def url_host(url: str) -> str:
    """The host :func:`split_url` finds in ``url`` (lower-cased, ASCII), or "" when it is not a valid URL."""
    try:
        return split_url(url)[1]
    except FetchError:
        return ""


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def check_url(
    url: str, *, resolver: Resolver, allow_private: bool, private_host: str | None = None
) -> Target:
    """Resolve the URL's host and refuse it when any address is not public (unless allowed).

    With ``private_host``, ``allow_private`` opens that host only: a source may live on loopback, but
    the redirects and links it hands out reach no other private address (169.254.169.254, say).
    """
    scheme, host, port = split_url(url)
    hint = "set allow_private = true on the source to allow it"
    if allow_private and private_host is not None and host != private_host.lower():
        allow_private = False
        hint = f"allow_private covers only the source's own host, {private_host}"
    if _ip_literal(host):
        addresses = [host]
    else:
        try:
            addresses = await resolver(host, port)
        except OSError as exc:
            raise FetchError(f"cannot resolve host {host!r}: {exc}", url=url) from exc
        if not addresses:
            raise FetchError(f"cannot resolve host {host!r}: no addresses", url=url)
    if not allow_private:
        for address in addresses:
            reason = blocked_reason(address)
            if reason is not None:
                what = f"{host} is" if host == address else f"{host} resolves to {address},"
                raise FetchError(
                    f"refused: {what} a {reason} address ({hint})",
                    url=url,
                )
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])
