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
├── ModelCallError              a model API call failed after the SDK's retries (agent.llm translates the
│   │                           SDK's errors at its boundary; the message is one safe line, never the request)
│   ├── ModelAuthError          401/403: the key is wrong or may not do this
│   ├── ModelBadRequest         another 4xx: the API refuses the request itself; sending it again won't help
│   ├── ModelRateLimited        429
│   ├── ModelServerError        5xx
│   │   └── ModelOverloaded     529
│   ├── ModelTimeout            no answer in time
│   └── ModelConnectionError    the API could not be reached
├── RunNotFound
└── ReviewError                 a decision the rules refuse (stale revision, missing override...)
"""

from __future__ import annotations

__all__ = [
    "BudgetExceeded",
    "ConfigError",
    "MissingCredentialError",
    "ModelAuthError",
    "ModelBadRequest",
    "ModelCallError",
    "ModelConnectionError",
    "ModelOverloaded",
    "ModelRateLimited",
    "ModelServerError",
    "ModelTimeout",
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


class ModelCallError(ReportError):
    """``str(error)`` is one line (status, error type, the API's message cut to 200 characters)."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class ModelAuthError(ModelCallError):
    pass


class ModelBadRequest(ModelCallError):
    pass


class ModelRateLimited(ModelCallError):
    pass


class ModelServerError(ModelCallError):
    pass


class ModelOverloaded(ModelServerError):
    pass


class ModelTimeout(ModelCallError):
    pass


class ModelConnectionError(ModelCallError):
    pass


class RunNotFound(ReportError):
    pass


class ReviewError(ReportError):
    pass
