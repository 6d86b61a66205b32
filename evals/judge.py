"""The optional judge: Claude decides the claims the deterministic checks leave ``unverifiable``.

One structured-output call per claim (``messages.parse(output_format=JudgeAnswer)``) with the versioned
prompt ``prompts/judge``; answers are cached by (claim, passages, prompt hash, model) so a re-run or a
revise round pays nothing for a claim already judged. A failed or malformed call is recorded in the
reasons and leaves the claim ``unverifiable``: the run goes on and the reviewer sees why.

The client is injected (a sync ``anthropic.Anthropic`` or anything with ``messages.parse``): the checker
is synchronous and runs inside the graph's check node.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.models import Verdict
from agent.settings import Settings

__all__ = [
    "ClaudeJudge",
    "JudgeAnswer",
    "JudgeCache",
    "MemoryJudgeCache",
    "SqliteJudgeCache",
    "build_claude_judge",
]

# A judgement is a verdict, a score and three short reasons: 1,024 tokens leaves room to spare.
_MAX_TOKENS = 1024
# Passages beyond this are cut: the checker widens quotes to sentences, so 12,000 characters (about
# 3,000 tokens) already holds several full paragraphs.
_MAX_PASSAGE_CHARS = 12_000


class JudgeAnswer(BaseModel):
    """The judge's structured answer."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["supported", "unsupported", "unverifiable"]
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list, max_length=5)


class JudgeCache(Protocol):
    def get(self, key: str) -> JudgeAnswer | None: ...

    def put(self, key: str, answer: JudgeAnswer) -> None: ...


class MemoryJudgeCache:
    def __init__(self) -> None:
        self._answers: dict[str, JudgeAnswer] = {}

    def get(self, key: str) -> JudgeAnswer | None:
        return self._answers.get(key)

    def put(self, key: str, answer: JudgeAnswer) -> None:
        self._answers[key] = answer


class SqliteJudgeCache:
    """One table, ``key -> answer JSON``; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS judge_cache (key TEXT PRIMARY KEY, answer TEXT NOT NULL)"
            )

    def get(self, key: str) -> JudgeAnswer | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM judge_cache WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return JudgeAnswer.model_validate_json(row[0])
        except ValidationError:
            return None  # written by another prompt version's schema: judge again

    def put(self, key: str, answer: JudgeAnswer) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO judge_cache (key, answer) VALUES (?, ?)",
                (key, answer.model_dump_json()),
            )

    def close(self) -> None:
        self._db.close()


def _cache_key(claim: str, passages: Sequence[str], prompt_sha256: str, model: str) -> str:
    payload = json.dumps([claim, list(passages), prompt_sha256, model], ensure_ascii=False)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _format_passages(passages: Sequence[str]) -> str:
    text = "\n\n".join(f"[{i}] {p.strip()}" for i, p in enumerate(passages, 1))
    return text if len(text) <= _MAX_PASSAGE_CHARS else text[:_MAX_PASSAGE_CHARS] + " [...]"


class ClaudeJudge:
    """Implements :class:`evals.grounding.checker.ClaimJudge` with one structured call per claim."""

    def __init__(
        self, client: Any, *, model: str, cache: JudgeCache | None = None, prompt_version: int | None = None
    ) -> None:
        from prompts import load_prompt

        self.client = client
        self.model = model
        self.cache: JudgeCache = cache if cache is not None else MemoryJudgeCache()
        self.prompt = load_prompt("judge", prompt_version)
        self.calls = 0
        self.failures: list[str] = []

    def judge(self, claim: str, passages: Sequence[str]) -> tuple[Verdict, float, list[str]]:
        key = _cache_key(claim, passages, self.prompt.sha256, self.model)
        answer = self.cache.get(key)
        if answer is None:
            try:
                answer = self._ask(claim, passages)
            except _JudgeFailure as exc:
                self.failures.append(str(exc))
                return Verdict.UNVERIFIABLE, 0.0, [f"the judge could not decide ({exc})"]
            self.cache.put(key, answer)
        ref = f"{self.prompt.name} v{self.prompt.version}"
        return (
            Verdict(answer.verdict),
            round(answer.score, 4),
            [*answer.reasons, f"judged by {self.model} ({ref})"],
        )

    def _ask(self, claim: str, passages: Sequence[str]) -> JudgeAnswer:
        import anthropic

        from agent.llm import describe_api_error

        rendered = self.prompt.render(claim=claim, passages=_format_passages(passages))
        self.calls += 1
        try:
            message = self.client.messages.parse(
                model=self.model,
                max_tokens=_MAX_TOKENS,
                system=rendered.system,
                messages=[{"role": "user", "content": rendered.user}],
                output_format=JudgeAnswer,
            )
        except anthropic.APIError as exc:
            raise _JudgeFailure(describe_api_error(exc)) from exc
        except ValidationError as exc:
            raise _JudgeFailure(f"malformed answer: {exc.errors()[0]['msg']}") from exc
        if getattr(message, "stop_reason", None) == "refusal":
            raise _JudgeFailure("the model refused")
        parsed = getattr(message, "parsed_output", None)
        if not isinstance(parsed, JudgeAnswer):
            raise _JudgeFailure("no structured answer")
        return parsed


class _JudgeFailure(Exception):
    pass


# One judgement is a short answer: 120 s bounds a stalled connection. The SDK sleeps for any Retry-After
# (3600 s sleeps an hour): the judge waits 30 s at most, as the writers do (agent.llm).
_TIMEOUT_SECONDS = 120.0


def build_claude_judge(
    settings: Settings, *, cache_path: Path | None = None, max_retries: int = 3
) -> ClaudeJudge:
    """A judge for ``settings`` (key, base URL, model); :class:`MissingCredentialError` without a key."""
    from agent.llm import make_sync_anthropic_client

    client = make_sync_anthropic_client(settings, max_retries=max_retries, timeout_seconds=_TIMEOUT_SECONDS)
    cache: JudgeCache = SqliteJudgeCache(cache_path) if cache_path else MemoryJudgeCache()
    return ClaudeJudge(client, model=settings.model, cache=cache)
