"""Versioned prompt files and their loader.

A prompt lives in ``prompts/<name>/v<N>.md``: Markdown with XML-tagged sections (``<system>``,
``<user>``, or any other tag a caller asks for) and named variables written ``{{name}}``. A released
version is never edited: a new ``v<N+1>.md`` is added and registered in ``manifest.json``
(``python -m prompts.manifest --add``); ``tests/prompts`` fails on a silent edit.

    >>> prompt = load_prompt("paper_summary")          # the latest version
    >>> rendered = prompt.render(title="...", item_id="...", revision_notes="")
    >>> rendered.system, rendered.user, prompt.ref     # PromptRef(name, version, sha256)

Every value is escaped (``&``, ``<``, ``>`` as entities) as it goes in, so a source's title or text
cannot close or open the prompt's own tags (``</items>``, ``</passages>``); a block that code builds
with tags of its own is passed as :class:`Tagged`, its values escaped with :func:`escape`.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from agent.domain.errors import ConfigError
from agent.domain.models import PromptRef

__all__ = [
    "PROMPTS_DIR",
    "Prompt",
    "PromptError",
    "PromptNotFound",
    "PromptVariableError",
    "RenderedPrompt",
    "Tagged",
    "escape",
    "load_prompt",
    "prompt_versions",
]

PROMPTS_DIR = Path(__file__).resolve().parent

_VERSION_FILE = re.compile(r"^v(\d+)\.md$")
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# A top-level section: an opening tag alone on its line, its body, the matching closing tag alone on its line.
_SECTION = re.compile(r"^<([a-z_][a-z0-9_]*)>[ \t]*\n(.*?)\n</\1>[ \t]*$", re.MULTILINE | re.DOTALL)


class Tagged(str):
    """Prompt text built by code: its tags are the prompt's structure and go in unescaped.

    Whoever builds one escapes every value in it that came from a source (:func:`escape`).
    """

    __slots__ = ()


def escape(text: object, *, quote: bool = False) -> str:
    """``text`` with ``&``, ``<`` and ``>`` as entities (and quotes, for an attribute value)."""
    return html.escape(str(text), quote=quote)


def _value(value: object) -> str:
    return str(value) if isinstance(value, Tagged) else escape(value)


class PromptError(ConfigError):
    """A prompt that cannot be loaded or rendered."""


class PromptNotFound(PromptError):
    pass


class PromptVariableError(PromptError):
    """A variable missing from ``render`` or one the template does not declare."""


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    """A prompt with its variables filled in, by section."""

    sections: Mapping[str, str]

    def section(self, name: str) -> str:
        try:
            return self.sections[name]
        except KeyError:
            raise PromptError(f"prompt has no <{name}> section (has: {', '.join(self.sections)})") from None

    @property
    def system(self) -> str:
        return self.section("system")

    @property
    def user(self) -> str:
        return self.section("user")


@dataclass(frozen=True, slots=True)
class Prompt:
    name: str
    version: int
    text: str
    sha256: str

    @property
    def ref(self) -> PromptRef:
        return PromptRef(name=self.name, version=self.version, sha256=self.sha256)

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(_VARIABLE.findall(self.text))

    @property
    def section_names(self) -> tuple[str, ...]:
        return tuple(m.group(1) for m in _SECTION.finditer(self.text))

    def render(self, **variables: object) -> RenderedPrompt:
        """Fill every ``{{name}}``; a missing or undeclared variable raises :class:`PromptVariableError`."""
        declared = self.variables
        missing = sorted(declared - variables.keys())
        unknown = sorted(variables.keys() - declared)
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown {', '.join(unknown)}")
            raise PromptVariableError(f"prompt {self.name} v{self.version}: {'; '.join(parts)}")
        values = {k: _value(v) for k, v in variables.items()}
        # Sections are split from the template before any value goes in, and values are escaped: a
        # source's text that contains "</user>" or "</items>" neither ends a section nor a tag.
        sections = {
            m.group(1): _VARIABLE.sub(lambda v: values[v.group(1)], m.group(2)).strip()
            for m in _SECTION.finditer(self.text)
        }
        if not sections:
            raise PromptError(f"prompt {self.name} v{self.version} has no <section> ... </section> blocks")
        return RenderedPrompt(sections=sections)


def _file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prompt_versions(name: str, *, root: Path = PROMPTS_DIR) -> list[int]:
    """The released versions of prompt ``name``, ascending."""
    folder = root / name
    if not folder.is_dir():
        return []
    found = (_VERSION_FILE.match(p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def load_prompt(name: str, version: int | None = None, *, root: Path = PROMPTS_DIR) -> Prompt:
    """Prompt ``name`` at ``version`` (the latest when None), read from ``root/<name>/v<version>.md``."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise PromptNotFound(f"not a prompt name: {name!r}")
    versions = prompt_versions(name, root=root)
    if not versions:
        raise PromptNotFound(f"no prompt named {name!r} in {root}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise PromptNotFound(f"prompt {name!r} has no version {chosen} (has {versions})")
    data = (root / name / f"v{chosen}.md").read_bytes()
    return Prompt(name=name, version=chosen, text=data.decode("utf-8"), sha256=_file_sha256(data))
