"""The Jinja2 environments: built on first use, never at import time.

All three raise on a missing variable (``StrictUndefined``). HTML and XML autoescape every value;
the Markdown environment escapes every value as Markdown unless it is :class:`MarkdownSafe`.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from agent.render._escape import MarkdownSafe, markdown_escape, xml_text

__all__ = ["html_environment", "markdown_environment", "xml_environment"]


def _templates() -> PackageLoader:
    return PackageLoader("agent.render", "templates")


def _markdown_finalize(value: object) -> str:
    return value if isinstance(value, MarkdownSafe) else markdown_escape(value)


@cache
def html_environment() -> Environment:
    return Environment(
        loader=_templates(), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


@cache
def markdown_environment() -> Environment:
    return Environment(
        loader=_templates(),
        autoescape=False,
        undefined=StrictUndefined,
        finalize=_markdown_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def xml_environment() -> Environment:
    return Environment(
        loader=_templates(),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=xml_text,
        trim_blocks=True,
        lstrip_blocks=True,
    )
