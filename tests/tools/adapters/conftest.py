"""Fixtures of the adapter tests: the real-capture manifest, real captures and context builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.tools.adapters._helpers import MakeContext, RealCapture, build_context
from tools.adapters import AdapterContext


@pytest.fixture
def make_context() -> MakeContext:
    return build_context


@pytest.fixture
def manifest(real_fixtures: Path) -> dict[str, dict[str, Any]]:
    """manifest.json of the real captures, keyed by file path relative to fixtures/real."""
    entries = json.loads((real_fixtures / "manifest.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in entries}


@pytest.fixture
def real_capture(real_fixtures: Path, manifest: dict[str, dict[str, Any]]) -> RealCapture:
    """A real capture's bytes and a context with the URL, status and Content-Type the manifest records:
    ``parse_feed(*real_capture("feeds/x.xml", max_items=5))``."""

    def load(relative: str, **overrides: Any) -> tuple[bytes, AdapterContext]:
        entry = manifest[relative]
        options: dict[str, Any] = {
            "url": entry.get("original_url") or f"https://fixtures.example/{relative}",
            "content_type": entry.get("suggested_content_type", ""),
            "status": entry.get("http_status") or 200,
        }
        options.update(overrides)
        body = (real_fixtures / relative).read_bytes()
        return body, build_context(body, **options)

    return load
