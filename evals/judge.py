"""The optional judge: Claude decides the claims the deterministic checks leave ``unverifiable``, and with
scope ``"passed"`` gives a second reading of the claims they passed (:mod:`evals.grounding.checker`).

One structured-output call per claim (the Messages API's ``parse`` with ``JudgeAnswer``) with the versioned
prompt ``prompts/judge``; answers are cached by (claim, passages, prompt hash, model) so a re-run or a
revise round pays nothing for a claim already judged. A failed or malformed call is recorded in the
reasons and leaves the claim ``unverifiable``: the run goes on and the reviewer sees why.

Every call that reaches the API is priced as the writers price theirs (:func:`agent.llm.usage_from_api`),
admitted and settled on the run's :class:`~agent.llm.CostMeter` (its ``--max-cost``), and handed to the
injected :class:`UsageRecorder` (the run's store, under stage ``check``). Once the budget is reached the
judge stops asking: the claim stays ``unverifiable`` with the reason and the meter lists it as skipped.
A cache hit costs nothing and is neither metered nor recorded.

The client is injected (a :class:`~agent.llm.SyncModelClient` or anything with its ``parse``): the checker
is synchronous and runs inside the graph's check node (in a worker thread, while no other node runs,
so the meter is never touched from two threads at once).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain.errors import BudgetExceeded, ModelCallError
from agent.domain.models import JudgeScope, PromptRef, Usage, Verdict
from agent.llm import CostMeter, Reservation, price_for, usage_from_api
from agent.settings import Settings

__all__ = [
    "ClaudeJudge",
    "JudgeAnswer",
    "JudgeCache",
    "JudgeCost",
    "MemoryJudgeCache",
    "SqliteJudgeCache",
    "StoreJudgeCache",
    "UsageRecorder",
    "build_claude_judge",
    "judge_cache",
]

# A judgement is a verdict, a score and three short reasons: 1,024 tokens leaves room to spare.
_MAX_TOKENS = 1024
# Passages beyond this are cut: the checker widens quotes to sentences, so 12,000 characters (about
# 3,000 tokens) already holds several full paragraphs.
_MAX_PASSAGE_CHARS = 12_000
# What a call is held at on the meter until it settles (and charged when the SDK loses the usage of a
# malformed answer): the writers' 4 characters a token for the prompt, and 300 output tokens, about three
# times what a JSON verdict, score and three one-line reasons (some 60 words) take.
_EXPECTED_OUTPUT_TOKENS = 300
_CHARS_PER_TOKEN = 4
# The meter's label for a refused claim: enough of the sentence to find it in the draft.
_LABEL_CHARS = 60


class JudgeAnswer(BaseModel):
    """The judge's structured answer."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["supported", "unsupported", "unverifiable"]
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list, max_length=5)


class JudgeCache(Protocol):
    def get(self, key: str) -> JudgeAnswer | None: ...

    def put(self, key: str, answer: JudgeAnswer) -> None: ...

    def close(self) -> None:
        """Release what the cache holds open; the judge that owns it calls this once."""


class UsageRecorder(Protocol):
    """Where a billed judge call's usage goes (a run's store; nothing, for the eval harness)."""

    def __call__(self, usage: Usage, *, model: str, prompt: PromptRef) -> None: ...


def _cached_answer(text: str) -> JudgeAnswer | None:
    try:
        return JudgeAnswer.model_validate_json(text)
    except ValidationError:
        return None  # written by another prompt version's schema: judge again


class MemoryJudgeCache:
    def __init__(self) -> None:
        self._answers: dict[str, JudgeAnswer] = {}

    def get(self, key: str) -> JudgeAnswer | None:
        return self._answers.get(key)

    def put(self, key: str, answer: JudgeAnswer) -> None:
        self._answers[key] = answer

    def close(self) -> None:
        pass  # nothing held open


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
        return None if row is None else _cached_answer(row[0])

    def put(self, key: str, answer: JudgeAnswer) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO judge_cache (key, answer) VALUES (?, ?)",
                (key, answer.model_dump_json()),
            )

    def close(self) -> None:
        self._db.close()


class AnswerStore(Protocol):
    """Where :class:`StoreJudgeCache` keeps answers: the run's store (``agent.store.Store``)."""

    def judge_answer(self, key: str) -> str | None: ...

    def put_judge_answer(self, key: str, answer: str) -> None: ...


class StoreJudgeCache:
    """The answers in the store's ``judge_cache`` table: with a PostgreSQL store, the cache lives in the
    database too, and no SQLite file is written in the data folder. ``close`` closes what ``on_close``
    names (a store opened for the judge alone), never a store the caller keeps."""

    def __init__(self, store: AnswerStore, *, on_close: Callable[[], None] | None = None) -> None:
        self._store = store
        self._on_close = on_close

    def get(self, key: str) -> JudgeAnswer | None:
        text = self._store.judge_answer(key)
        return None if text is None else _cached_answer(text)

    def put(self, key: str, answer: JudgeAnswer) -> None:
        self._store.put_judge_answer(key, answer.model_dump_json())

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()


def _cache_key(claim: str, passages: Sequence[str], prompt_sha256: str, model: str) -> str:
    payload = json.dumps([claim, list(passages), prompt_sha256, model], ensure_ascii=False)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _format_passages(passages: Sequence[str]) -> str:
    text = "\n\n".join(f"[{i}] {p.strip()}" for i, p in enumerate(passages, 1))
    return text if len(text) <= _MAX_PASSAGE_CHARS else text[:_MAX_PASSAGE_CHARS] + " [...]"


@dataclass(frozen=True, slots=True)
class JudgeCost:
    """A judge's spend: ``calls`` reached the API (``usage`` is what they billed), ``cache_hits`` did not."""

    model: str
    prompt: PromptRef
    usage: Usage
    calls: int
    cache_hits: int
    failures: int
    skipped_for_budget: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "prompt": self.prompt.model_dump(),
            **self.usage.model_dump(),
            "calls": self.calls,
            "cache_hits": self.cache_hits,
            "failures": self.failures,
            "skipped_for_budget": list(self.skipped_for_budget),
        }

    def summary(self) -> str:
        """One line for a terminal or a report."""
        u = self.usage
        line = (
            f"{self.calls} call(s) to {self.model} ({self.prompt.name} v{self.prompt.version}), "
            f"{self.cache_hits} answered from the cache, {u.input_tokens} input + {u.output_tokens} output "
            f"tokens, ${u.usd:.4f}"
        )
        if self.skipped_for_budget:
            line += f", {len(self.skipped_for_budget)} not judged (budget reached)"
        return line


class ClaudeJudge:
    """Implements :class:`evals.grounding.checker.ClaimJudge` with one structured call per claim.

    ``scope`` says which claims the checker sends it. ``meter`` holds the budget (a fresh, unlimited one when
    none is given); ``record`` receives each billed call's priced usage. ``usage``, ``calls``,
    ``cache_hits`` and ``skipped`` tally this judge's own work (the meter may be shared with the writer):
    :meth:`cost` gives them to an eval report.
    """

    def __init__(
        self,
        client: Any,
        *,
        model: str,
        cache: JudgeCache | None = None,
        prompt_version: int | None = None,
        meter: CostMeter | None = None,
        record: UsageRecorder | None = None,
        scope: JudgeScope = "undecided",
    ) -> None:
        from prompts import load_prompt

        self.client = client
        self.model = model
        self.scope: JudgeScope = scope
        self.cache: JudgeCache = cache if cache is not None else MemoryJudgeCache()
        self.prompt = load_prompt("judge", prompt_version)
        self.meter = meter if meter is not None else CostMeter()
        self._record = record
        self.usage = Usage()
        self.calls = 0
        self.cache_hits = 0
        self.failures: list[str] = []
        self.skipped: list[str] = []

    def judge(self, claim: str, passages: Sequence[str]) -> tuple[Verdict, float, list[str]]:
        key = _cache_key(claim, passages, self.prompt.sha256, self.model)
        answer = self.cache.get(key)
        if answer is not None:
            self.cache_hits += 1
        else:
            try:
                answer = self._ask(claim, passages)
            except BudgetExceeded as exc:
                return Verdict.UNVERIFIABLE, 0.0, [str(exc)]
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

    def close(self) -> None:
        """Release the cache's database and the client's connections (a run ends, or an eval does)."""
        self.cache.close()
        close_client = getattr(self.client, "close", None)
        if close_client is not None:
            close_client()

    def cost(self) -> JudgeCost:
        """What this judge spent and skipped so far, for a report that has no run store (the eval harness)."""
        return JudgeCost(
            model=self.model,
            prompt=self.prompt.ref,
            usage=self.usage,
            calls=self.calls,
            cache_hits=self.cache_hits,
            failures=len(self.failures),
            skipped_for_budget=tuple(self.skipped),
        )

    def _ask(self, claim: str, passages: Sequence[str]) -> JudgeAnswer:
        """One call; :class:`BudgetExceeded` (with a reviewer-readable message) when the budget is reached."""
        rendered = self.prompt.render(claim=claim, passages=_format_passages(passages))
        label = _label(claim)
        try:
            reservation = self.meter.admit(label, _estimate_usd(self.model, rendered.system, rendered.user))
        except BudgetExceeded as exc:
            self.skipped.append(label)
            spent, cap = self.meter.committed_usd, self.meter.max_cost_usd or 0.0
            raise BudgetExceeded(
                f"budget reached (${spent:.4f} of ${cap:.4f} spent or committed): not sent to the judge, "
                "a reviewer decides"
            ) from exc
        self.calls += 1
        try:
            message = self.client.parse(
                JudgeAnswer,
                {
                    "model": self.model,
                    "max_tokens": _MAX_TOKENS,
                    "system": rendered.system,
                    "messages": [{"role": "user", "content": rendered.user}],
                },
            )
        except ModelCallError as exc:
            self.meter.settle(reservation, None)
            raise _JudgeFailure(str(exc)) from exc
        except ValidationError as exc:
            # The SDK validates while parsing the body and the answer's usage is lost with it: the call is
            # charged its (pessimistic) estimate, as the writer does, so the budget is never under-counted.
            self._bill(reservation, Usage(usd=round(reservation.estimate_usd, 6)))
            raise _JudgeFailure(f"malformed answer: {exc.errors()[0]['msg']}") from exc
        self._bill(reservation, usage_from_api(message.usage, self.model))
        if getattr(message, "stop_reason", None) == "refusal":
            raise _JudgeFailure("the model refused")
        parsed = getattr(message, "parsed_output", None)
        if not isinstance(parsed, JudgeAnswer):
            raise _JudgeFailure("no structured answer")
        return parsed

    def _bill(self, reservation: Reservation, usage: Usage) -> None:
        self.meter.settle(reservation, usage)
        self.usage = self.usage + usage
        if self._record is not None:
            self._record(usage, model=self.model, prompt=self.prompt.ref)


def _label(claim: str) -> str:
    text = " ".join(claim.split())
    return f'judge "{text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 3] + "..."}"'


def _estimate_usd(model: str, system: str, user: str) -> float:
    input_tokens = (len(system) + len(user)) // _CHARS_PER_TOKEN
    return price_for(model).cost(input_tokens=input_tokens, output_tokens=_EXPECTED_OUTPUT_TOKENS)


class _JudgeFailure(Exception):
    pass


# One judgement is a short answer: 120 s bounds a stalled connection. The SDK sleeps for any Retry-After
# (3600 s sleeps an hour): the judge waits 30 s at most, as the writers do (agent.llm).
_TIMEOUT_SECONDS = 120.0


def judge_cache(
    settings: Settings, *, store: AnswerStore | None = None, path: Path | None = None
) -> JudgeCache:
    """Where the judge's answers are kept. ``path`` names a SQLite file. Without it, a desk on PostgreSQL
    keeps them in its database (in ``store``, or in one opened for the judge alone and closed with the
    cache), so no SQLite file is written in the data folder; a SQLite desk keeps them in
    ``judge-cache.sqlite`` beside its store."""
    if path is None and settings.database_url:
        if store is not None:
            return StoreJudgeCache(store)
        from agent.store import Store

        opened = Store.open(settings.database)
        return StoreJudgeCache(opened, on_close=opened.close)
    return SqliteJudgeCache(path or settings.home / "judge-cache.sqlite")


def build_claude_judge(
    settings: Settings,
    *,
    cache: JudgeCache | None = None,
    max_retries: int = 3,
    meter: CostMeter | None = None,
    record: UsageRecorder | None = None,
    scope: JudgeScope = "undecided",
) -> ClaudeJudge:
    """A judge for ``settings`` (key, base URL, model); :class:`MissingCredentialError` without a key.
    Its answers go to ``cache`` (see :func:`judge_cache`), else to memory; the judge closes it.

    Pass the run's ``meter`` to share its budget, ``record`` to keep each billed call's usage, and
    ``scope="passed"`` for a second reading of the claims the checks pass."""
    from agent.llm import make_sync_anthropic_client, require_credentials

    try:
        require_credentials(settings, judge=True)
        client = make_sync_anthropic_client(
            settings, max_retries=max_retries, timeout_seconds=_TIMEOUT_SECONDS
        )
    except BaseException:
        if cache is not None:  # no judge will own it: a store opened for the cache is closed now
            cache.close()
        raise
    return ClaudeJudge(client, model=settings.model, cache=cache, meter=meter, record=record, scope=scope)
