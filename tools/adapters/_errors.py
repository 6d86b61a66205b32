"""Errors of the source adapters.

SourceError (agent.domain.errors)
└── ParseError   the fetched bytes are not what the source's kind expects
"""

from __future__ import annotations

from agent.domain.errors import SourceError

__all__ = ["ParseError"]


class ParseError(SourceError):
    """The bytes a source answered cannot be turned into items; the message says what to do.

    ``url`` is the address that answered; ``source`` the source's name when known.
    """

    def __init__(self, message: str, *, url: str = "", source: str = "") -> None:
        super().__init__(message)
        self.url = url
        self.source = source
