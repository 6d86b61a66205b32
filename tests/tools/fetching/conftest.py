"""Fixtures for fetcher tests: the loopback source server and a recording sleep."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.source_server import SourceServer
from tests.tools.fetching.fakes import RecordingSleep


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with SourceServer() as running:
        yield running


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()
