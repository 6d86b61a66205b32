"""robots.txt per RFC 9309: groups by user-agent, longest matching rule wins, allow wins a tie.

Pure parsing and matching; fetching and the per-host cache live in :mod:`tools.fetching.live`.
``urllib.robotparser`` is not used: it applies the first matching rule, not the longest (RFC 9309
section 2.2.2), and does not understand ``*`` or ``$`` in paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

__all__ = ["RobotsRules", "parse_robots", "robots_path"]


@dataclass(frozen=True, slots=True)
class _Rule:
    allow: bool
    pattern: str  # normalised path pattern, may contain * and a trailing $

    def matches(self, path: str) -> bool:
        return _compile(self.pattern).match(path) is not None


@lru_cache(maxsize=1024)
def _compile(pattern: str) -> re.Pattern[str]:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def _normalise(path: str) -> str:
    # Compare percent-encoded forms so "/caf%C3%A9" and "/café" are the same path (RFC 9309 2.2.2).
    return quote(unquote(path), safe="/*$?=&;:@!,'()+~%-._")


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rule groups of one robots.txt by user-agent, or a blanket verdict (``allow_all`` /
    ``unreachable``)."""

    disallow_all: bool = False
    # Why everything is disallowed (e.g. "robots.txt answered HTTP 503"), for the error message.
    reason: str = ""
    groups: dict[str, tuple[_Rule, ...]] = field(default_factory=dict)

    @classmethod
    def allow_all(cls) -> RobotsRules:
        return cls()

    @classmethod
    def unreachable(cls, reason: str) -> RobotsRules:
        return cls(disallow_all=True, reason=reason)

    def allows(self, token: str, url_or_path: str) -> bool:
        if self.disallow_all:
            return False
        path = robots_path(url_or_path)
        if path == "/robots.txt":
            return True
        rules = self._rules_for(token)
        best: _Rule | None = None
        for rule in rules:
            if rule.matches(path) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow)
            ):
                best = rule
        return best is None or best.allow

    def _rules_for(self, token: str) -> tuple[_Rule, ...]:
        wanted = token.lower()
        if wanted in self.groups:
            return self.groups[wanted]
        return self.groups.get("*", ())


def robots_path(url_or_path: str) -> str:
    """The path and query a rule is matched against."""
    if url_or_path.startswith("/"):
        path, _, query = url_or_path.partition("?")
    else:
        parts = urlsplit(url_or_path)
        path, query = parts.path, parts.query
    path = _normalise(path or "/")
    return f"{path}?{query}" if query else path


def parse_robots(text: str) -> RobotsRules:
    """Parse a robots.txt body. Unknown lines are ignored; a file with no groups allows everything."""
    groups: dict[str, list[_Rule]] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agent = value.split("/", 1)[0].strip().lower()
            agents.append(agent)
            groups.setdefault(agent, [])
        elif key in ("allow", "disallow"):
            in_rules = True
            if not agents or (key == "disallow" and not value):
                continue  # rules before any user-agent; an empty Disallow allows everything
            if not value.startswith(("/", "*")):
                value = "/" + value
            rule = _Rule(allow=key == "allow", pattern=_normalise(value))
            for agent in agents:
                groups[agent].append(rule)
    return RobotsRules(groups={agent: tuple(rules) for agent, rules in groups.items()})
