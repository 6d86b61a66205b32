"""HTTPS with the connection pinned to the checked IP: the certificate is still checked against the name.

The fetcher connects to the address the guard checked and sends the host name as TLS SNI and Host.
A certificate for ``tls.test`` from a test CA (trustme, made for this session) is trusted through an
injected SSL context.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.fakes.source_server import SourceServer
from tests.tools.fetching.fakes import FAST, MapResolver, RecordingSleep
from tools.fetching import FetchError, FetchRequest
from tools.fetching.live import LiveFetcher


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate chain, server key) for ``tls.test``: made by trustme, a dev
    dependency, so the suite never skips these for want of an openssl binary."""
    authority = trustme.CA()
    issued = authority.issue_cert("tls.test")
    folder = tmp_path_factory.mktemp("tls")
    ca, cert, key = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    authority.cert_pem.write_to_path(str(ca))
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    return ca, cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path, Path]) -> Iterator[SourceServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate[1], certificate[2])
    with SourceServer(tls=context) as server:
        server.add("/page", b"over tls")
        yield server


def trusting(certificate: tuple[Path, Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


async def test_https_to_the_pinned_ip_verifies_the_name(
    tls_server: SourceServer, certificate: tuple[Path, Path, Path]
) -> None:
    resolver = MapResolver({"tls.test": ["127.0.0.1"]})
    async with LiveFetcher(
        FAST, resolver=resolver, ssl_context=trusting(certificate), sleep=RecordingSleep()
    ) as live:
        response = await live.fetch(
            FetchRequest(url=f"https://tls.test:{tls_server.port}/page", allow_private=True)
        )
    assert response.body == b"over tls"
    assert response.final_url == f"https://tls.test:{tls_server.port}/page"
    assert {r.headers["host"] for r in tls_server.requests} == {f"tls.test:{tls_server.port}"}


async def test_a_certificate_for_another_name_is_refused_without_retrying(
    tls_server: SourceServer, certificate: tuple[Path, Path, Path]
) -> None:
    resolver = MapResolver({"impostor.test": ["127.0.0.1"]})
    async with LiveFetcher(
        FAST, resolver=resolver, ssl_context=trusting(certificate), sleep=RecordingSleep()
    ) as live:
        with pytest.raises(
            FetchError, match=r"TLS certificate of impostor.test not accepted: .*[Hh]ostname mismatch"
        ):
            await live.fetch(
                FetchRequest(url=f"https://impostor.test:{tls_server.port}/page", allow_private=True)
            )
    assert tls_server.requests == []


async def test_plain_http_never_loads_the_ca_bundle(
    server: SourceServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx reads SSL_CERT_FILE when it loads the CA bundle (20-50 ms of the event loop): a missing one
    # fails that load, so an http-only run shows it never happened.
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    server.add("/page", b"plain")
    async with LiveFetcher(FAST, sleep=RecordingSleep()) as live:
        response = await live.fetch(FetchRequest(url=server.url("/page"), allow_private=True))
    assert response.body == b"plain"


async def test_https_after_http_still_verifies_with_the_ca_bundle(
    server: SourceServer,
    tls_server: SourceServer,
    certificate: tuple[Path, Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The bundle (here the test certificate, through SSL_CERT_FILE) is loaded at the first https host;
    # the http pools' empty context trusts nothing and never serves an https request.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    server.add("/page", b"plain")
    resolver = MapResolver({"tls.test": ["127.0.0.1"]})
    async with LiveFetcher(FAST, resolver=resolver, sleep=RecordingSleep()) as live:
        plain = await live.fetch(FetchRequest(url=server.url("/page"), allow_private=True))
        secure = await live.fetch(
            FetchRequest(url=f"https://tls.test:{tls_server.port}/page", allow_private=True)
        )
    assert (plain.body, secure.body) == (b"plain", b"over tls")
