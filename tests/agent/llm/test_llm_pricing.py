"""Prices, the per-run cost meter and its budget."""

from __future__ import annotations

import pytest

from agent.domain.errors import BudgetExceeded
from agent.domain.models import Usage
from agent.llm import PRICES, CostMeter, price_for, usage_from_api
from agent.settings import DEFAULT_MODEL


def test_cache_write_is_125_percent_and_batch_is_half_price() -> None:
    price = PRICES["claude-sonnet-4-6"]  # $3 in, $15 out, cache hit at 0.1x
    assert price.cost(input_tokens=1_000_000, output_tokens=0) == pytest.approx(3.0)
    assert price.cost(input_tokens=0, output_tokens=0, cache_write_tokens=1_000_000) == pytest.approx(3.75)
    assert price.cost(input_tokens=0, output_tokens=0, cache_read_tokens=1_000_000) == pytest.approx(0.30)
    assert price.cost(input_tokens=1_000_000, output_tokens=1_000_000, batch=True) == pytest.approx(9.0)


def test_default_model_is_priced_and_snapshot_ids_use_their_alias() -> None:
    assert DEFAULT_MODEL in PRICES
    assert price_for("claude-sonnet-5-5-20260928") is PRICES["claude-sonnet-5-5"]
    assert price_for("claude-sonnet-5") is PRICES["claude-sonnet-5"]  # not swallowed by a longer alias


def test_an_unknown_model_is_priced_as_the_dearest_so_budgets_are_not_undercounted() -> None:
    dearest = max(p.output for p in PRICES.values())
    assert price_for("claude-unknown-9").output == dearest


def test_usage_from_api_keeps_uncached_input_as_reported() -> None:
    usage = usage_from_api(
        {
            "input_tokens": 100,
            "output_tokens": 50,
            "cache_creation_input_tokens": 1000,
            "cache_read_input_tokens": 0,
        },
        "claude-sonnet-4-6",
    )
    assert (usage.input_tokens, usage.cache_write_tokens, usage.cache_read_tokens) == (100, 1000, 0)
    assert usage.usd == pytest.approx((100 * 3 + 50 * 15 + 1000 * 3.75) / 1e6)


def test_meter_refuses_calls_once_the_budget_is_reached_and_lists_them() -> None:
    meter = CostMeter(max_cost_usd=0.01)
    first = meter.admit("paper:a", 0.004)
    second = meter.admit("paper:b", 0.004)  # 0.008 committed: still under
    meter.settle(first, Usage(usd=0.006))
    assert meter.committed_usd == pytest.approx(0.010)
    with pytest.raises(BudgetExceeded, match="budget"):
        meter.admit("lead", 0.001)
    meter.settle(second, Usage(usd=0.003))
    assert meter.total.usd == pytest.approx(0.009)
    assert meter.report()["skipped_for_budget"] == ["lead"]


def test_meter_without_budget_never_refuses() -> None:
    meter = CostMeter()
    for n in range(5):
        meter.settle(meter.admit(str(n), 100.0), Usage(usd=100.0))
    assert meter.total.usd == 500.0 and meter.calls == 5


def test_one_hour_cache_writes_are_priced_at_twice_the_input_rate() -> None:
    usage = usage_from_api(
        {
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_creation_input_tokens": 1_000_000,
            "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 400_000, "ephemeral_1h_input_tokens": 600_000},
        },
        "claude-sonnet-4-6",
    )
    assert usage.cache_write_tokens == 1_000_000
    assert usage.usd == pytest.approx(0.4 * 3.75 + 0.6 * 6.0)
