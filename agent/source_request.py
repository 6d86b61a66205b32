"""The request that fetches a configured source: its URL, its API key header (from the key the
sources file names), its private-address permission. Used by the gather node and ``sources check``."""

from __future__ import annotations

from agent.domain.models import SourceKind
from agent.domain.sources import SourceSpec
from tools.fetching import FetchRequest

__all__ = ["source_request"]

# arXiv explains a malformed query in the Atom body of a 400 answer; the adapter turns it into a clear error.
_ARXIV_ERROR_STATUSES = frozenset({400})


def source_request(spec: SourceSpec, secrets: dict[str, str]) -> FetchRequest:
    headers: dict[str, str] = {}
    if spec.api_key_env and secrets.get(spec.api_key_env):
        headers[spec.api_key_header] = secrets[spec.api_key_env]
    return FetchRequest(
        url=str(spec.url),
        headers=headers,
        secret_headers=frozenset({spec.api_key_header}),
        allow_private=spec.allow_private,
        source=spec.name,
        accept_statuses=_ARXIV_ERROR_STATUSES if spec.kind is SourceKind.ARXIV else frozenset(),
    )
