"""The Claude writer: paper summaries and the lead essay with native citations, under a cost budget.

    writer = make_claude_writer(settings, max_cost_usd=2.0, batch=False)   # raises MissingCredentialError
    results = await writer.summarize_papers(papers, notes=...)            # {item id: WriteResult}
    lead = await writer.write_lead(LeadRequest(...))
    ranked = await writer.rank_items(items, focus)                         # [(item id, score)], best first
    theme = await writer.name_theme(items)

Failures of one call (after the SDK's retries) and answers still malformed after one more attempt
are returned as ``WriteResult.error``; a reached budget as ``skipped_for_budget``. The run goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from agent.domain.errors import BudgetExceeded, ModelCallError, WriterError
from agent.domain.models import Item, PromptRef, Usage
from agent.llm import (
    Billing,
    CostMeter,
    ModelClient,
    make_anthropic_client,
    require_credentials,
    usage_from_api,
)
from agent.settings import Settings
from agent.writers._claude_batch import BatchLedger, run_batch
from agent.writers._claude_citations import ParsedAnswer, parse_cited_answer
from agent.writers._claude_requests import (
    CacheTTL,
    estimate_usd,
    lead_documents,
    lead_params,
    summary_params,
    thinking_params,
)
from agent.writers._claude_select import Ranking, Theme, items_listing, scores_for
from agent.writers.base import LeadRequest, RevisionNote, WriteResult
from prompts import PROMPTS_DIR, Prompt, load_prompt

__all__ = ["ClaudeOptions", "ClaudeWriter", "make_claude_writer"]

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class ClaudeOptions:
    model: str
    # A summary is about 200 tokens; 2,048 leaves room without inviting a runaway answer.
    summary_max_tokens: int = 2048
    # The lead streams, so a large cap costs nothing unless used.
    lead_max_tokens: int = 8192
    select_max_tokens: int = 4096
    # Parallel summary calls: 4 stays under the lowest tier's concurrent-request limits.
    concurrency: int = 4
    batch: bool = False
    # The lead through the Batches API as well (half price, minutes of latency); make_claude_writer
    # turns it on with --batch.
    batch_lead: bool = False
    cache: bool = True
    # Batches usually end within an hour; polling every 30 s costs nothing and reports promptly.
    batch_poll_seconds: float = 30.0
    # The API expires an unfinished batch after 24 h.
    batch_max_wait_seconds: float = 24 * 3600.0
    prompt_versions: dict[str, int] = field(default_factory=dict)


class ClaudeWriter:
    name = "claude"

    def __init__(
        self,
        client: ModelClient,
        options: ClaudeOptions,
        *,
        meter: CostMeter | None = None,
        sleep: Sleep = asyncio.sleep,
        prompts_root: Path = PROMPTS_DIR,
        batches: BatchLedger | None = None,
    ) -> None:
        self.client = client
        self.options = options
        self.meter = meter or CostMeter()
        self._sleep = sleep
        self.batches = batches  # where the run keeps the batches it submitted (None: not kept)
        self._prompts_root = prompts_root
        self._prompts: dict[str, Prompt] = {}
        self._limit = asyncio.Semaphore(max(1, options.concurrency))

    # -- prompts ------------------------------------------------------------------------------------

    def prompt(self, name: str) -> Prompt:
        if name not in self._prompts:
            version = self.options.prompt_versions.get(name)
            self._prompts[name] = load_prompt(name, version, root=self._prompts_root)
        return self._prompts[name]

    @property
    def prompt_refs(self) -> list[PromptRef]:
        """Every prompt this writer has used so far (the selection helpers' included)."""
        return [p.ref for p in self._prompts.values()]

    # -- paper summaries ----------------------------------------------------------------------------

    async def summarize_papers(
        self, papers: Sequence[Item], *, notes: dict[str, list[RevisionNote]] | None = None
    ) -> dict[str, WriteResult]:
        notes = notes or {}
        system, task = self.prompt("edition_writer"), self.prompt("paper_summary")
        refs = [system.ref, task.ref]
        results: dict[str, WriteResult] = {}
        with_text = [p for p in papers if p.text.strip()]
        for paper in papers:
            if not paper.text.strip():
                results[paper.id] = WriteResult(prompts=refs, error=f"paper:{paper.id}: no text to summarise")
        pending: dict[str, dict[str, Any]] = {
            paper.id: summary_params(
                system,
                task,
                with_text,
                n,
                model=self.options.model,
                max_tokens=self.options.summary_max_tokens,
                cache=self._cache_ttl,
                notes=notes.get(paper.id, ()),
            )
            for n, paper in enumerate(with_text)
        }
        by_id = {p.id: p for p in with_text}
        ids = list(pending)
        # A cache entry exists once its response has been sent: the first summary alone writes the
        # shared prefix (every paper); the other summaries, then the lead, read it. With --batch the
        # first one is a batch of one, so even the write is at half price.
        groups = [ids[:1], ids[1:]] if self.options.cache and len(ids) > 1 else [ids]
        write = self._summaries_by_batch if self.options.batch else self._summaries_live
        for n, group in enumerate(groups):
            if group:
                warm = self.options.cache and n > 0
                results.update(await write({i: pending[i] for i in group}, by_id, refs, warm=warm))
        return {p.id: results[p.id] for p in papers}

    async def _summaries_live(
        self,
        pending: dict[str, dict[str, Any]],
        papers: dict[str, Item],
        refs: list[PromptRef],
        *,
        warm: bool,
    ) -> dict[str, WriteResult]:
        done = await asyncio.gather(*(self._summary(i, pending, papers, refs, warm=warm) for i in pending))
        return dict(zip(pending, done, strict=True))

    @property
    def _cache_ttl(self) -> CacheTTL:
        if not self.options.cache:
            return None
        return "1h" if self.options.batch else "5m"

    def _summary_parser(self, paper: Item, papers: Sequence[Item]) -> Callable[[Sequence[Any]], ParsedAnswer]:
        return lambda content: parse_cited_answer(
            content, papers, block=f"paper:{paper.id}", cite_only=paper.id
        )

    async def _summary(
        self,
        item_id: str,
        pending: dict[str, dict[str, Any]],
        papers: dict[str, Item],
        refs: list[PromptRef],
        *,
        warm: bool,
    ) -> WriteResult:
        async with self._limit:
            parser = self._summary_parser(papers[item_id], list(papers.values()))
            return await self._cited_call(f"paper:{item_id}", pending[item_id], parser, refs, warm=warm)

    async def _summaries_by_batch(
        self,
        pending: dict[str, dict[str, Any]],
        papers: dict[str, Item],
        refs: list[PromptRef],
        *,
        warm: bool,
    ) -> dict[str, WriteResult]:
        parsers = {i: self._summary_parser(papers[i], list(papers.values())) for i in pending}
        return await self._batch(
            {f"paper:{i}": (params, parsers[i]) for i, params in pending.items()},
            refs,
            kind="summary",
            keys={f"paper:{i}": i for i in pending},
            warm=warm,
        )

    async def _batched_call(
        self,
        label: str,
        params: dict[str, Any],
        parse: Callable[[Sequence[Any]], ParsedAnswer],
        refs: list[PromptRef],
        *,
        kind: str,
    ) -> WriteResult:
        return (
            await self._batch({label: (params, parse)}, refs, kind=kind, keys={label: label}, warm=False)
        )[label]

    async def _batch(
        self,
        requests: dict[str, tuple[dict[str, Any], Callable[[Sequence[Any]], ParsedAnswer]]],
        refs: list[PromptRef],
        *,
        kind: str,
        keys: dict[str, str],
        warm: bool,
    ) -> dict[str, WriteResult]:
        """Labelled requests through one batch; results keyed by ``keys[label]``. A request's error is
        its failure; a malformed answer is asked for once more, live."""
        results: dict[str, WriteResult] = {}
        admitted: dict[str, Any] = {}
        for label, (params, _parse) in requests.items():
            try:
                admitted[label] = self.meter.admit(
                    label,
                    estimate_usd(params, kind, batch=True, warm=warm),
                    billing=self._billing(label, refs),
                )
            except BudgetExceeded as exc:
                results[keys[label]] = WriteResult(prompts=refs, error=str(exc), skipped_for_budget=True)
        if not admitted:
            return results
        outcomes = await run_batch(
            self.client,
            {label: requests[label][0] for label in admitted},
            sleep=self._sleep,
            poll_seconds=self.options.batch_poll_seconds,
            max_wait_seconds=self.options.batch_max_wait_seconds,
            ledger=self.batches,
        )
        for label, outcome in outcomes.items():
            params, parse = requests[label]
            if outcome.message is None:
                self.meter.settle(admitted[label], None)
                results[keys[label]] = WriteResult(prompts=refs, error=f"{label}: {outcome.error}")
                continue
            usage = usage_from_api(outcome.message.usage, self.options.model, batch=True)
            self.meter.settle(admitted[label], usage)
            parsed = parse(outcome.message.content)
            problem = _answer_problem(outcome.message, parsed)
            if problem is None:
                results[keys[label]] = WriteResult(
                    claims=parsed.claims, usage=usage, prompts=refs, problems=parsed.problems
                )
                continue
            log.info("%s: malformed batch answer (%s); retrying once live", label, problem)
            async with self._limit:
                retry = await self._cited_call(
                    label, params, parse, refs, kind=kind, stream=kind == "lead", attempts=1, warm=True
                )
            retry.usage = usage + retry.usage
            results[keys[label]] = retry
        return results

    # -- lead essay ---------------------------------------------------------------------------------

    async def write_lead(self, request: LeadRequest) -> WriteResult:
        system, task = self.prompt("edition_writer"), self.prompt("lead_essay")
        refs = [system.ref, task.ref]
        documents, paper_count = lead_documents(request)
        if not documents:
            return WriteResult(prompts=refs, error="lead: no selected item has text to cite")
        params = lead_params(
            system,
            task,
            request,
            documents,
            paper_count,
            model=self.options.model,
            max_tokens=self.options.lead_max_tokens,
            # Live: the summaries' 5-minute entry for the papers is still warm; a batch run wrote 1-hour ones.
            cache=self._cache_ttl,
        )

        def parse(content: Sequence[Any]) -> ParsedAnswer:
            return parse_cited_answer(content, documents, block="lead")

        if self.options.batch_lead:
            return await self._batched_call("lead", params, parse, refs, kind="lead")
        return await self._cited_call("lead", params, parse, refs, kind="lead", stream=True)

    # -- selection help -----------------------------------------------------------------------------

    async def rank_items(self, items: Sequence[Item], focus: Sequence[str]) -> list[tuple[str, float]]:
        """Every item's relevance to ``focus`` in [0, 1], best first (ties keep the given order).

        Raises :class:`BudgetExceeded` when the budget is reached and :class:`WriterError` when the
        call fails; the select stage then keeps its own ranking.
        """
        if not items:
            return []
        prompt = self.prompt("rank_items")
        rendered = prompt.render(focus="\n".join(focus) or "none given", items=items_listing(items))
        ranking = await self._structured_call("rank_items", rendered.system, rendered.user, Ranking)
        return scores_for(ranking, items)

    async def name_theme(self, items: Sequence[Item]) -> str:
        """The week's theme as a short noun phrase. Raises like :meth:`rank_items`."""
        if not items:
            raise WriterError("name_theme: no items")
        prompt = self.prompt("name_theme")
        rendered = prompt.render(items=items_listing(items))
        theme = await self._structured_call("name_theme", rendered.system, rendered.user, Theme)
        return " ".join(theme.theme.split())

    # -- calls --------------------------------------------------------------------------------------

    def _billing(self, label: str, prompts: Sequence[PromptRef]) -> Billing:
        """How the run records this call when it is billed: selection help under ``select``, summaries
        (labelled ``paper:<item id>``) and the lead under ``write``."""
        if label in ("rank_items", "name_theme"):
            return Billing(stage="select", model=self.options.model, prompts=tuple(prompts))
        item_id = label.removeprefix("paper:") if label.startswith("paper:") else None
        return Billing(stage="write", model=self.options.model, prompts=tuple(prompts), item_id=item_id)

    async def _send(self, params: dict[str, Any], *, stream: bool) -> Any:
        if stream:
            return await self.client.stream(params)
        return await self.client.create(params)

    async def _cited_call(
        self,
        label: str,
        params: dict[str, Any],
        parse: Callable[[Sequence[Any]], ParsedAnswer],
        prompt_refs: list[PromptRef],
        *,
        kind: str = "summary",
        stream: bool = False,
        attempts: int = 2,
        warm: bool = False,
    ) -> WriteResult:
        """One cited answer; a malformed one is asked for once more (``attempts`` in all), then recorded
        as the failure."""
        result = WriteResult(prompts=list(prompt_refs))
        problem = ""
        for attempt in range(1, attempts + 1):
            try:
                # A retry re-reads the prefix its first attempt wrote.
                reservation = self.meter.admit(
                    label,
                    estimate_usd(params, kind, warm=warm or attempt > 1),
                    billing=self._billing(label, prompt_refs),
                )
            except BudgetExceeded as exc:
                result.error, result.skipped_for_budget = str(exc), True
                return result
            try:
                message = await self._send(params, stream=stream)
            except ModelCallError as exc:
                self.meter.settle(reservation, None)
                result.error = f"{label}: {exc}"
                return result
            usage = usage_from_api(message.usage, self.options.model)
            self.meter.settle(reservation, usage)
            result.usage = result.usage + usage
            parsed = parse(message.content)
            found = _answer_problem(message, parsed)
            if found is None:
                result.claims, result.problems = parsed.claims, parsed.problems
                return result
            problem = found
            log.info("%s: malformed answer on attempt %d: %s", label, attempt, problem)
        result.error = f"{label}: malformed answer after a retry: {problem}"
        return result

    async def _structured_call(self, label: str, system: str, user: str, output: type[_Model]) -> _Model:
        params: dict[str, Any] = {
            "model": self.options.model,
            "max_tokens": self.options.select_max_tokens,
            "system": system,
            "messages": [{"role": "user", "content": user}],
            **thinking_params(self.options.model),
        }
        problem = ""
        for _attempt in (1, 2):
            reservation = self.meter.admit(
                label, estimate_usd(params, "select"), billing=self._billing(label, [self.prompt(label).ref])
            )
            try:
                message = await self.client.parse(output, params)
            except ModelCallError as exc:
                self.meter.settle(reservation, None)
                raise WriterError(f"{label}: {exc}") from exc
            except ValidationError as exc:
                # The SDK validates while parsing the body and the answer's usage is lost with it: the
                # call is charged its (pessimistic) estimate, so the budget is never under-counted.
                self.meter.settle(reservation, Usage(usd=round(reservation.estimate_usd, 6)))
                problem = f"answer does not match the schema: {exc.errors()[0]['msg']}"
                continue
            self.meter.settle(reservation, usage_from_api(message.usage, self.options.model))
            if message.parsed_output is not None:
                return message.parsed_output
            problem = "no structured answer"
        raise WriterError(f"{label}: malformed answer after a retry: {problem}")

    async def aclose(self) -> None:
        await self.client.close()


def _answer_problem(message: Any, parsed: ParsedAnswer) -> str | None:
    stop = getattr(message, "stop_reason", None)
    if stop == "max_tokens":
        return "the answer was cut off at max_tokens"
    if stop == "refusal":
        return "the model refused"
    if parsed.malformed:
        return "; ".join(parsed.malformed[:3])
    return None


def make_claude_writer(
    settings: Settings,
    *,
    max_cost_usd: float | None = None,
    batch: bool = False,
    client: ModelClient | None = None,
    meter: CostMeter | None = None,
    sleep: Sleep = asyncio.sleep,
    options: ClaudeOptions | None = None,
    batches: BatchLedger | None = None,
) -> ClaudeWriter:
    """The Claude writer for ``settings``; raises :class:`MissingCredentialError` (one line) without a key.

    ``max_cost_usd`` falls back to ``settings.max_cost_usd``; pass ``meter`` to share one budget with
    other model calls of the run (the judge), or to carry the spend of a resumed run, and ``batches``
    (the run's store) so that a resumed ``--batch`` run collects the batches it submitted before.
    """
    require_credentials(settings)
    budget = max_cost_usd if max_cost_usd is not None else settings.max_cost_usd
    if meter is None:
        meter = CostMeter(max_cost_usd=budget)
    elif budget is not None and meter.max_cost_usd is None:
        meter.max_cost_usd = budget
    opts = options or ClaudeOptions(model=settings.model)
    # --batch is the editor choosing half price over latency: every writing request of the run goes
    # through the Batches API, the lead included (on the sample: 0.28 of naive, against 0.37 with
    # only the summaries batched; scripts/bench_cost.py).
    opts = replace(opts, batch=batch or opts.batch, batch_lead=batch or opts.batch_lead)
    return ClaudeWriter(
        client or make_anthropic_client(settings), opts, meter=meter, sleep=sleep, batches=batches
    )
