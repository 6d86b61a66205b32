"""The cost meter shared by every model call of a run, with the run's budget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.domain.errors import BudgetExceeded
from agent.domain.models import PromptRef, Usage

__all__ = ["Billing", "CostMeter", "Reservation"]


@dataclass(frozen=True, slots=True)
class Billing:
    """Where a billed call is recorded: the graph stage that made it, its model, prompts and item."""

    stage: str
    model: str
    prompts: tuple[PromptRef, ...] = ()
    item_id: str | None = None


@dataclass(slots=True)
class Reservation:
    """A call admitted under the budget; its estimate counts against the budget until it settles."""

    label: str
    estimate_usd: float
    settled: bool = False
    billing: Billing | None = None


@dataclass(slots=True)
class CostMeter:
    """Sums usage per run and refuses new calls once ``max_cost_usd`` is reached.

    Calls run concurrently, so an admitted call holds its estimated cost until :meth:`settle`
    replaces it with the billed cost: parallel summaries cannot all slip under the cap at once.
    Single-threaded asyncio needs no lock here: admit/settle never await.

    ``on_billed`` hears of every billed call admitted with a :class:`Billing`, as it settles: the run
    records it at once, so a process killed mid-stage loses no spend (the run's cost and a resumed
    run's budget count every call that was billed).
    """

    max_cost_usd: float | None = None
    total: Usage = field(default_factory=Usage)
    calls: int = 0
    skipped: list[str] = field(default_factory=list)
    on_billed: Callable[[Billing, Usage], None] | None = None
    _in_flight: dict[int, Reservation] = field(default_factory=dict)

    @property
    def committed_usd(self) -> float:
        return self.total.usd + sum(r.estimate_usd for r in self._in_flight.values())

    @property
    def exhausted(self) -> bool:
        return self.max_cost_usd is not None and self.committed_usd >= self.max_cost_usd

    def admit(self, label: str, estimate_usd: float = 0.0, *, billing: Billing | None = None) -> Reservation:
        """Admit a call or raise :class:`BudgetExceeded` (and note ``label`` as skipped)."""
        if self.exhausted:
            self.skipped.append(label)
            raise BudgetExceeded(
                f"budget reached: ${self.committed_usd:.4f} of ${self.max_cost_usd:.4f} spent or committed; "
                f"{label} not written"
            )
        reservation = Reservation(label=label, estimate_usd=max(estimate_usd, 0.0), billing=billing)
        self._in_flight[id(reservation)] = reservation
        return reservation

    def settle(self, reservation: Reservation, usage: Usage | None) -> None:
        """Replace the reservation's estimate by the billed usage (None: the call billed nothing)."""
        if reservation.settled:
            return
        reservation.settled = True
        self._in_flight.pop(id(reservation), None)
        if usage is not None:
            self.total = self.total + usage
            self.calls += 1
            if reservation.billing is not None and self.on_billed is not None:
                self.on_billed(reservation.billing, usage)

    def add(self, usage: Usage) -> None:
        """Record usage billed outside a reservation (e.g. a batch's results)."""
        self.total = self.total + usage
        self.calls += 1

    def report(self) -> dict[str, object]:
        """This meter's totals and the calls it refused. The run report's ``cost`` is summed from the
        store instead, which also holds what earlier processes of a resumed run spent."""
        return {
            **self.total.model_dump(),
            "calls": self.calls,
            "max_cost_usd": self.max_cost_usd,
            "skipped_for_budget": list(self.skipped),
        }
