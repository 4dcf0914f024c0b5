"""Properties the model must have whatever the inputs (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scenario_strategies import fraction, scenarios

from roi_core import Scenario, evaluate, evaluate_batch, monte_carlo, with_values
from roi_core.drivers import SAVINGS_DRIVERS
from roi_core.scenario import NUMERIC_FIELDS, get_value

MONEY_FIELDS = [p for p, spec in NUMERIC_FIELDS.items() if spec.unit.startswith("money")]
LEVERS = [p for p in NUMERIC_FIELDS if p.startswith("levers.")]
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_money_fields_are_the_ones_in_the_currency() -> None:
    assert set(MONEY_FIELDS) == {
        "business.monthly_revenue_per_customer", "service.cost_per_assisted_contact",
        "service.cost_per_social_contact", "service.cost_per_self_service_contact",
        "levers.cross_sell_revenue", "costs.setup", "costs.platform_monthly",
        "costs.staff_monthly", "costs.other_monthly",
    }  # fmt: skip


def _scaled(scenario: Scenario, k: float) -> Scenario:
    data = with_values(scenario, {p: get_value(scenario, p) * k for p in MONEY_FIELDS}).model_dump()
    for item in data["other_items"]:
        item["amount"] *= k
    return Scenario.model_validate(data)


@SETTINGS
@given(scenarios(max_horizon=48), st.floats(0.01, 100.0))
def test_scaling_every_money_field_scales_npv_and_keeps_roi(scenario: Scenario, k: float) -> None:
    base, scaled = evaluate(scenario).summary, evaluate(_scaled(scenario, k)).summary
    scale = max(base.pv_benefits, base.pv_costs, 1.0)
    assert scaled.npv == pytest.approx(base.npv * k, rel=1e-9, abs=1e-9 * scale * k)
    if base.roi is None:
        assert scaled.roi is None
    else:
        assert scaled.roi is not None
        assert scaled.roi == pytest.approx(base.roi, rel=1e-9, abs=1e-9 * scale / base.pv_costs)
    assert (scaled.payback_months is None) == (base.payback_months is None) or math.isclose(
        base.pv_costs, 0.0
    )


@SETTINGS
@given(
    scenarios(max_horizon=48, items=False),
    st.sampled_from(["levers.social_deflection", "levers.self_service_deflection"]),
    fraction,
    fraction,
)
def test_savings_never_fall_as_a_deflection_rate_rises(
    scenario: Scenario, path: str, a: float, b: float
) -> None:
    """Holds whenever the channel is no dearer than the phone (MODEL.md: a dearer
    channel gives a negative saving, so more deflection then costs money)."""
    target = (
        "cost_per_social_contact"
        if path.endswith("social_deflection")
        else ("cost_per_self_service_contact")
    )
    assume(getattr(scenario.service, target) <= scenario.service.cost_per_assisted_contact)
    other = get_value(scenario, "levers.self_service_deflection" if "social" in path else
                      "levers.social_deflection")  # fmt: skip
    low, high = sorted((a * (1 - other), b * (1 - other)))
    lo = evaluate(with_values(scenario, {path: low})).summary.total_savings
    hi = evaluate(with_values(scenario, {path: high})).summary.total_savings
    assert hi >= lo - 1e-9 * max(abs(lo), 1.0)


@SETTINGS
@given(scenarios(max_horizon=60))
def test_all_levers_zero_give_zero_driver_benefits(scenario: Scenario) -> None:
    result = evaluate(with_values(scenario, dict.fromkeys(LEVERS, 0.0)))
    for driver, series in result.monthly.benefits.items():
        if driver != "other":
            assert not series.any(), driver
    for series in result.monthly.revenue.values():
        assert not series.any()
    assert result.summary.total_savings == 0
    assert result.summary.total_revenue_impact == 0
    assert result.summary.extra_customers_end == 0


@SETTINGS
@given(scenarios(max_horizon=60))
def test_hard_case_leaves_out_exactly_the_revenue_drivers(scenario: Scenario) -> None:
    result = evaluate(scenario)
    soft = sum(result.monthly.benefits[d] for d in ("retention", "saves", "referrals",
                                                   "cross_sell", "price_premium"))  # fmt: skip
    pv_soft = float(np.dot(soft, result.monthly.discount))
    s = result.summary
    assert s.npv - s.npv_hard == pytest.approx(pv_soft, rel=1e-9, abs=1e-6 * max(s.pv_benefits, 1))
    savings = sum(result.monthly.benefits[d].sum() for d in SAVINGS_DRIVERS)
    assert s.total_savings == pytest.approx(savings)


@SETTINGS
@given(scenarios(max_horizon=48), st.integers(1, 50))
def test_monte_carlo_without_ranges_is_the_deterministic_result(scenario: Scenario, n: int) -> None:
    s = evaluate(scenario).summary
    mc = monte_carlo(scenario, n=n, seed=1)
    scale = max(s.pv_benefits, s.pv_costs, 1.0)
    for stat in ("mean", "p5", "p10", "p50", "p90", "p95"):
        assert getattr(mc.npv, stat) == pytest.approx(s.npv, rel=1e-9, abs=1e-9 * scale)
        if s.roi is None:
            assert getattr(mc.roi, stat) is None
        else:
            assert getattr(mc.roi, stat) == pytest.approx(s.roi, rel=1e-9, abs=1e-9 * scale)
        if s.payback_months is None:
            assert getattr(mc.payback_months, stat) is None
    assert mc.payback_months.share_paid_back == (0.0 if s.payback_months is None else 1.0)
    assert mc.prob_npv_positive in (0.0, 1.0)


@SETTINGS
@given(scenarios(max_horizon=48), st.lists(fraction, min_size=1, max_size=6))
def test_a_batch_row_equals_evaluating_that_variant(
    scenario: Scenario, shares: list[float]
) -> None:
    """evaluate_batch (drivers summed per basis, draws as rows) and evaluate
    (driver by driver) are the same model."""
    batch = evaluate_batch(scenario, {"levers.retention_lift": shares, "levers.save_rate": shares})
    for i, x in enumerate(shares):
        s = evaluate(with_values(scenario, {"levers.retention_lift": x, "levers.save_rate": x}))
        scale = max(s.summary.pv_benefits, s.summary.pv_costs, 1.0)
        assert batch.npv[i] == pytest.approx(s.summary.npv, rel=1e-9, abs=1e-9 * scale)
        if s.summary.payback_months is None:
            assert math.isinf(batch.payback_months[i])
