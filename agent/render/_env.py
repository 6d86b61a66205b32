"""The Jinja2 environments: built on first use, never at import time.

All three raise on a missing variable (``StrictUndefined``). HTML and XML autoescape every value;
the Markdown environment escapes every value as Markdown unless it is :class:`MarkdownSafe`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from agent.render._escape import MarkdownSafe, markdown_escape, xml_text

__all__ = ["html_environment", "markdown_environment", "xml_environment"]


def _environment(**options: Any) -> Environment:
    return Environment(
        loader=PackageLoader("agent.render", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


def _markdown_finalize(value: object) -> str:
    return value if isinstance(value, MarkdownSafe) else markdown_escape(value)


@cache
def html_environment() -> Environment:
    return _environment(autoescape=True)


@cache
def markdown_environment() -> Environment:
    return _environment(autoescape=False, finalize=_markdown_finalize, keep_trailing_newline=True)


@cache
def xml_environment() -> Environment:
    return _environment(autoescape=True, finalize=xml_text)
