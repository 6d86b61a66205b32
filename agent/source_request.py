"""The request that fetches a configured source: its URL, its API key header (from the key the
sources file names), its private-address permission. Used by the gather node and ``sources check``."""

from __future__ import annotations

from agent.domain.models import SourceKind
from agent.domain.sources import SourceSpec
from tools.fetching import FetchRequest

__all__ = ["key_hint", "source_request"]

# arXiv explains a malformed query in the Atom body of a 400 answer; the adapter turns it into a clear error.
_ARXIV_ERROR_STATUSES = frozenset({400})


# What an API answers a request that carries no key, or a wrong one.
_KEY_STATUSES = frozenset({401, 403})


def key_hint(spec: SourceSpec, secrets: dict[str, str], status: int | None) -> str:
    """What to add to a failed fetch's reason when the source's API key is missing: a 401 alone does
    not tell a new desk that ``ARTIFICIAL_ANALYSIS_API_KEY`` is the variable to set."""
    if status not in _KEY_STATUSES or not spec.api_key_env or secrets.get(spec.api_key_env):
        return ""
    return f"; {spec.api_key_env} is not set (the key this source's api_key_env names)"


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
