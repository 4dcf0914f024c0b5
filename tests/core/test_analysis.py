"""Tornado, break-even and Monte Carlo against MODEL.md §4."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_core import (
    AnalysisError,
    break_even,
    evaluate,
    monte_carlo,
    scenario_from_dict,
    sensitivity,
    with_values,
)
from roi_core.analysis import chunk_rows, draw, feasible, percentiles, triangular
from roi_core.engine import evaluate_batch
from roi_core.scenario import NUMERIC_FIELDS

RANGES: dict[str, Any] = {
    "business": {"monthly_churn_rate": {"low": 0.01, "high": 0.03}},
    "levers": {
        "retention_lift": {"low": 0.05, "high": 0.2},
        "social_deflection": {"low": 0.02, "high": 0.15},
        "save_rate": {"low": 0.1, "high": 0.3},
    },
    "costs": {"setup": {"low": 60_000, "high": 200_000}},
}


def ranged(extra: dict[str, Any] | None = None) -> Any:
    return scenario_from_dict({"uncertainty": RANGES} | (extra or {}))


# --- tornado ----------------------------------------------------------------------------------


def test_tornado_has_one_bar_per_range_largest_swing_first() -> None:
    scenario = ranged()
    rows = sensitivity(scenario)
    assert sorted(r.field for r in rows) == sorted(
        f"{g}.{f}" for g, fields in RANGES.items() for f in fields
    )
    swings = [r.swing for r in rows]
    assert swings == sorted(swings, reverse=True)
    for row in rows:
        low = evaluate(with_values(scenario, {row.field: row.low})).summary.npv
        high = evaluate(with_values(scenario, {row.field: row.high})).summary.npv
        assert row.npv_low == pytest.approx(low, rel=1e-12)
        assert row.npv_high == pytest.approx(high, rel=1e-12)
        assert row.swing == pytest.approx(abs(high - low))


def test_tornado_clips_and_scales_like_monte_carlo() -> None:
    scenario = scenario_from_dict(
        {
            "levers": {"social_deflection": 0.5, "self_service_deflection": 0.4},
            "uncertainty": {"levers": {"social_deflection": {"low": 0.5, "high": 0.9}}},
        }
    )
    (row,) = sensitivity(scenario)
    # 0.9 + 0.4 = 1.3 > 1: both scaled by 1/1.3; the row reports what was evaluated.
    assert row.high == pytest.approx(0.9 / 1.3)
    expected = evaluate(
        with_values(
            scenario,
            {"levers.social_deflection": 0.9 / 1.3, "levers.self_service_deflection": 0.4 / 1.3},
        )
    ).summary.npv
    assert row.npv_high == pytest.approx(expected)


def test_tornado_without_ranges_is_empty() -> None:
    assert sensitivity(scenario_from_dict({})) == []


# --- break-even ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["costs.setup", "costs.staff_monthly", "service.cost_per_social_contact",
     "service.cost_per_assisted_contact", "finance.benefit_risk"],
)  # fmt: skip
def test_break_even_value_brings_npv_to_zero(path: str) -> None:
    scenario = scenario_from_dict({})
    result = break_even(scenario, path)
    assert result.value is not None, result.message
    assert result.target == {"metric": "npv", "value": 0.0}
    s = evaluate(with_values(scenario, {path: result.value})).summary
    assert abs(s.npv) <= 1e-6 * s.pv_costs
    assert path in result.message


def test_break_even_for_a_target_roi() -> None:
    scenario = scenario_from_dict({})
    result = break_even(scenario, "levers.retention_lift", target_roi=2.0)
    assert result.value is not None
    roi = evaluate(with_values(scenario, {"levers.retention_lift": result.value})).summary.roi
    assert roi == pytest.approx(2.0, rel=1e-6)


def test_break_even_unreachable_says_so() -> None:
    # Even with no price premium at all the default case has npv > 0.
    result = break_even(scenario_from_dict({}), "levers.price_premium")
    assert result.value is None
    assert "No value of levers.price_premium" in result.message


def test_break_even_stays_inside_the_joint_deflection_limit() -> None:
    scenario = scenario_from_dict(
        {
            "levers": {"self_service_deflection": 0.5},
            "service": {"cost_per_social_contact": 20.0},
            "costs": {"setup": 10_000},
        }
    )
    result = break_even(scenario, "levers.social_deflection")
    assert result.value is not None
    assert 0 <= result.value <= 0.5
    npv = evaluate(with_values(scenario, {"levers.social_deflection": result.value})).summary.npv
    assert abs(npv) < 1e-3


def test_break_even_on_a_whole_number_field_returns_a_whole_value() -> None:
    scenario = scenario_from_dict({})
    result = break_even(scenario, "finance.horizon_months")
    assert result.value is not None and result.value.is_integer()
    at = evaluate(with_values(scenario, {"finance.horizon_months": result.value})).summary.npv
    before = evaluate(with_values(scenario, {"finance.horizon_months": result.value - 1})).summary
    assert at >= 0 > before.npv
    customers = break_even(scenario_from_dict({"costs": {"setup": 5e6}}), "business.customers")
    assert customers.value is not None and customers.value.is_integer()


def test_break_even_rejects_unknown_fields() -> None:
    with pytest.raises(AnalysisError, match=r"levers\.bogus"):
        break_even(scenario_from_dict({}), "levers.bogus")


# --- Monte Carlo ----------------------------------------------------------------------------


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    scenario = ranged()
    a, b = monte_carlo(scenario, n=3_000, seed=11), monte_carlo(scenario, n=3_000, seed=11)
    c = monte_carlo(scenario, n=3_000, seed=12)
    assert a.to_dict() == b.to_dict()
    assert a.npv.mean != c.npv.mean
    assert a.to_dict()["seed"] == 11


def test_monte_carlo_statistics_follow_the_draws() -> None:
    scenario = ranged()
    mc = monte_carlo(scenario, n=5_000, seed=3)
    assert mc.samples is not None
    npv = mc.samples.npv
    assert mc.npv.mean == pytest.approx(npv.mean())
    assert [mc.npv.p5, mc.npv.p10, mc.npv.p50, mc.npv.p90, mc.npv.p95] == pytest.approx(
        np.percentile(npv, [5, 10, 50, 90, 95])
    )
    assert mc.prob_npv_positive == pytest.approx((npv > 0).mean())
    # Every draw is a real scenario: draw i evaluated alone gives npv i.
    columns = draw(scenario, 5_000, 3)
    for i in (0, 17, 4_999):
        variant = with_values(scenario, {p: float(v[i]) for p, v in columns.items()})
        assert evaluate(variant).summary.npv == pytest.approx(npv[i], rel=1e-9)


@pytest.mark.parametrize("horizon", [1, 36, 120])
def test_chunks_give_the_numbers_of_one_batch(horizon: int) -> None:
    """Monte Carlo evaluates its draws in chunks; the result is the one batch of
    every draw at once (what it computed before chunking): the same random numbers
    in the same order, the same figures to rounding (BLAS sums a chunk's dot
    products in another order, a few 1e-16 apart)."""
    scenario = ranged({"finance": {"horizon_months": horizon, "ramp_months": 0}}).model_copy(
        deep=True
    )
    scenario = with_values(scenario, {"levers.self_service_deflection": 0.9})  # scaling bites
    n = 2 * chunk_rows(horizon) + 17  # two full chunks and a short one
    mc = monte_carlo(scenario, n=n, seed=23)
    whole = evaluate_batch(scenario, draw(scenario, n, 23))
    assert mc.samples is not None
    for name in ("npv", "roi", "pv_benefits", "pv_costs", "payback_months"):
        np.testing.assert_allclose(
            getattr(mc.samples, name), getattr(whole, name), rtol=1e-12, atol=1e-9
        )
    assert mc.npv.p50 == pytest.approx(float(np.percentile(whole.npv, 50)), rel=1e-12)
    assert mc.prob_npv_positive == float((whole.npv > 0).mean())


def test_peak_memory_does_not_grow_with_the_months_of_the_draws() -> None:
    """Issue 13: a million draws over 120 months within 64 MiB. The peak is one
    chunk's working arrays plus about 40 bytes per draw (the five results kept) and a
    sorted copy for the percentiles; measured at two sizes (a million draws would
    take this test ~10 s) and extrapolated linearly to MAX_DRAWS."""
    import tracemalloc

    from roi_core.analysis import MAX_DRAWS

    scenario = ranged({"finance": {"horizon_months": 120}})

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            monte_carlo(scenario, n=n, seed=1)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = 2 * chunk_rows(120), 60 * chunk_rows(120)
    p_small, p_large = peak(small), peak(large)
    per_draw = (p_large - p_small) / (large - small)
    assert per_draw <= 64, f"{per_draw:.1f} bytes per draw"  # results, not months
    at_max = p_small + per_draw * (MAX_DRAWS - small)
    assert at_max <= 64 * 2**20, f"{at_max / 2**20:.1f} MiB at {MAX_DRAWS:,} draws"


def test_payback_percentiles_when_some_draws_never_pay_back() -> None:
    scenario = scenario_from_dict(
        {"uncertainty": {"costs": {"setup": {"low": 0, "high": 3_000_000}}}}
    )
    mc = monte_carlo(scenario, n=4_000, seed=5)
    assert mc.samples is not None
    payback = mc.samples.payback_months
    paid = np.isfinite(payback)
    share = paid.mean()
    assert 0.05 < share < 0.9  # the test needs both kinds of draws
    assert mc.payback_months.share_paid_back == pytest.approx(share)
    assert mc.payback_months.mean == pytest.approx(payback[paid].mean())
    ordered = np.sort(payback)
    for q in (5, 10, 50, 90, 95):
        value = getattr(mc.payback_months, f"p{q}")
        top = ordered[math.ceil(q / 100 * (len(ordered) - 1))]
        if math.isinf(top):
            assert value is None
        else:
            # Both neighbouring order statistics are finite: numpy's own answer.
            assert value == pytest.approx(np.percentile(ordered, q))
    assert mc.payback_months.p95 is None  # > 5 % never pay back


def test_draws_stay_in_range_and_deflection_is_scaled() -> None:
    # A range may not reach past its field's bounds (docs/model-notes.md), so the
    # draws never need clipping; the two deflection shares may still sum past 1.
    scenario = scenario_from_dict(
        {
            "levers": {"social_deflection": 0.6, "self_service_deflection": 0.35},
            "uncertainty": {
                "levers": {
                    "social_deflection": {"low": 0.2, "high": 0.95},
                    "self_service_deflection": {"low": 0.1, "high": 0.9},
                    "retention_lift": {"low": 0.0, "high": 1.0},
                }
            },
        }
    )
    columns = draw(scenario, 20_000, 8)
    lift = columns["levers.retention_lift"]
    assert lift.min() >= 0.0 and lift.max() <= 1.0
    total = columns["levers.social_deflection"] + columns["levers.self_service_deflection"]
    assert total.max() <= 1.0 + 1e-12
    assert (np.isclose(total, 1.0)).mean() > 0.2  # many draws needed the scaling


def test_monte_carlo_rejects_bad_counts() -> None:
    with pytest.raises(AnalysisError, match="n: must be between"):
        monte_carlo(ranged(), n=0)


def test_without_a_seed_one_is_chosen_and_reported() -> None:
    scenario = ranged()
    first = monte_carlo(scenario, n=500)
    again = monte_carlo(scenario, n=500, seed=first.seed)
    assert first.to_dict() == again.to_dict()


# --- building blocks ------------------------------------------------------------------------


def test_triangular_moments_and_degenerate_ranges() -> None:
    u = np.random.default_rng(0).random(400_000)
    x = triangular(u, np.float64(1.0), np.float64(2.0), np.float64(6.0))
    assert x.min() >= 1.0 and x.max() <= 6.0
    assert x.mean() == pytest.approx((1 + 2 + 6) / 3, rel=5e-3)
    # P(X <= mode) = (mode - low) / (high - low)
    assert (x <= 2.0).mean() == pytest.approx(0.2, abs=5e-3)
    same = triangular(u[:10], np.float64(3.0), np.float64(3.0), np.float64(3.0))
    assert (same == 3.0).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=200),
       st.integers(0, 50))  # fmt: skip
def test_percentiles_match_numpy_and_treat_inf_as_infinity(values: list[float], n_inf: int) -> None:
    x = np.array(values)
    assert percentiles(x) == pytest.approx(list(np.percentile(x, [5, 10, 50, 90, 95])))
    with_inf = np.concatenate([x, np.full(n_inf, np.inf)])
    ordered = np.sort(with_inf)
    for q, got in zip((5, 10, 50, 90, 95), percentiles(with_inf), strict=True):
        pos = q / 100 * (len(with_inf) - 1)
        lo, hi = math.floor(pos), math.ceil(pos)
        if hi >= len(x):  # the upper order statistic is one of the infinities
            assert got is None
        else:  # numpy's linear rule; written out, as numpy gives nan for inf * 0
            frac = pos - lo
            expected = ordered[lo] + (ordered[hi] - ordered[lo]) * frac if frac else ordered[lo]
            assert got == pytest.approx(expected)


def test_feasible_clips_to_each_fields_own_range() -> None:
    scenario = scenario_from_dict({})
    out = feasible(
        scenario,
        {"business.monthly_churn_rate": [-1.0, 0.5, 2.0], "costs.setup": [-5.0, 1.0, 1e9]},
    )
    churn = out["business.monthly_churn_rate"]
    assert churn[0] == 0.0 and churn[1] == 0.5
    assert churn[2] < 1.0  # the bound is open: just below 1
    assert out["costs.setup"].tolist() == [0.0, 1.0, 1e9]
    assert NUMERIC_FIELDS["business.monthly_churn_rate"].upper < 1.0
