"""The product's exception tree. Third-party errors are translated at the boundary (``raise ... from``).

ReportError
├── ConfigError
│   ├── SourcesFileError        a sources.toml that does not validate
│   └── MissingCredentialError  e.g. --writer claude without ANTHROPIC_API_KEY
├── SourceError                 one source failed; recorded in the run report, never fatal
│   ├── FetchError              (tools.fetching) network, HTTP status, size cap, guard
│   └── ParseError              (tools.adapters) the bytes are not what the kind expects
├── WriterError                 one writer call failed after its retries
│   └── BudgetExceeded          --max-cost reached: writing stops cleanly
├── RunNotFound
└── ReviewError                 a decision the rules refuse (stale revision, missing override...)
"""

from __future__ import annotations

__all__ = [
    "BudgetExceeded",
    "ConfigError",
    "MissingCredentialError",
    "ReportError",
    "ReviewError",
    "RunNotFound",
    "SourceError",
    "SourcesFileError",
    "WriterError",
]


class ReportError(Exception):
    """Base of every error this product raises on purpose."""


class ConfigError(ReportError):
    pass


class SourcesFileError(ConfigError):
    pass


class MissingCredentialError(ConfigError):
    pass


class SourceError(ReportError):
    pass


class WriterError(ReportError):
    pass


class BudgetExceeded(WriterError):
    pass


class RunNotFound(ReportError):
    pass


class ReviewError(ReportError):
    pass
