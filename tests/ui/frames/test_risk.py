"""roi_ui.frames.risk: the tables behind the risk page hold the analyses' numbers."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from roi_core import Scenario, evaluate, monte_carlo, scenario_from_dict, sensitivity, with_values
from roi_core.analysis import grid2d
from roi_core.variants import risk_adjustment
from roi_ui.export.tables import to_csv
from roi_ui.frames import risk as frames

RANGED = scenario_from_dict(
    {"uncertainty": {"levers": {"retention_lift": {"low": 0.05, "high": 0.2}},
                     "costs": {"setup": {"low": 0, "high": 2_000_000}}}}
)  # fmt: skip
ZERO_COSTS = {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}


# --- risk_adjustment --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scenario",
    [Scenario(), scenario_from_dict({"finance": {"benefit_risk": 0.3, "cost_risk": 0.2}})],
    ids=["default", "heavy_risk"],
)
def test_risk_adjustment_shows_both_cases_and_the_effect(scenario: Scenario) -> None:
    frame = frames.risk_adjustment(risk_adjustment(scenario))
    assert frame.columns.tolist() == ["Unadjusted", "Risk-adjusted", "Effect of risk"]
    assert frame.index.tolist() == [
        "PV of benefits", "PV of costs", "NPV", "ROI", "Payback (months)",
    ]  # fmt: skip
    plain = evaluate(
        with_values(scenario, {"finance.benefit_risk": 0.0, "finance.cost_risk": 0.0})
    ).summary
    adjusted = evaluate(scenario).summary
    for column, summary in (("Unadjusted", plain), ("Risk-adjusted", adjusted)):
        assert frame.loc["NPV", column] == summary.npv
        assert frame.loc["PV of benefits", column] == summary.pv_benefits
        assert frame.loc["PV of costs", column] == summary.pv_costs
        assert frame.loc["ROI", column] == summary.roi
        assert frame.loc["Payback (months)", column] == summary.payback_months
    effect = frame["Effect of risk"]
    assert effect.tolist() == (frame["Risk-adjusted"] - frame["Unadjusted"]).tolist()
    # Risk cuts benefits, marks up costs: the NPV only falls.
    assert effect["PV of benefits"] < 0 < effect["PV of costs"]
    assert effect["NPV"] < 0


def test_risk_adjustment_without_risk_has_no_effect() -> None:
    scenario = scenario_from_dict({"finance": {"benefit_risk": 0, "cost_risk": 0}})
    frame = frames.risk_adjustment(risk_adjustment(scenario))
    assert (frame["Effect of risk"] == 0).all()


def test_risk_adjustment_with_undefined_roi_is_nan() -> None:
    frame = frames.risk_adjustment(risk_adjustment(scenario_from_dict({"costs": ZERO_COSTS})))
    assert math.isnan(frame.loc["ROI", "Unadjusted"])
    assert math.isnan(frame.loc["ROI", "Effect of risk"])


# --- tornado, monte_carlo, grid ----------------------------------------------------------------


def test_tornado_frame_has_the_rows_largest_swing_first() -> None:
    rows = sensitivity(RANGED)
    frame = frames.tornado(rows)
    assert frame.columns.tolist() == ["field", "low", "high", "npv_low", "npv_high", "swing"]
    assert frame["field"].tolist() == [r.field for r in rows] == [
        "costs.setup", "levers.retention_lift",
    ]  # fmt: skip
    assert frame["npv_high"].tolist() == [r.npv_high for r in rows]
    assert frame["swing"].is_monotonic_decreasing


def test_monte_carlo_frame_has_the_percentiles_draws_and_seed() -> None:
    mc = monte_carlo(RANGED, n=500, seed=7)
    frame = frames.monte_carlo(mc)
    assert frame.index.tolist() == ["npv", "roi", "payback_months"]
    assert frame.loc["npv", "p10"] == mc.npv.p10
    assert frame.loc["npv", "p50"] == mc.npv.p50
    assert frame.loc["roi", "p90"] == mc.roi.p90
    assert frame.loc["payback_months", "p50"] == mc.payback_months.p50
    assert frame.loc["payback_months", "share_paid_back"] == mc.payback_months.share_paid_back
    assert (frame["draws"] == 500).all() and (frame["seed"] == 7).all()


def test_grid_frame_is_the_two_way_table() -> None:
    xs, ys = np.linspace(0, 0.5, 4), np.linspace(1e5, 3e6, 3)
    z = grid2d(Scenario(), "levers.retention_lift", xs, "costs.setup", ys)
    frame = frames.grid(xs, ys, z, "levers.retention_lift", "costs.setup")
    assert frame.columns[0] == "costs.setup"
    assert frame["costs.setup"].tolist() == ys.tolist()
    assert list(frame.columns[1:]) == xs.tolist()
    np.testing.assert_array_equal(frame.iloc[:, 1:].to_numpy(), z)
    read = pd.read_csv(io.BytesIO(to_csv(frame)))
    np.testing.assert_array_equal(read.iloc[:, 1:].to_numpy(), z)  # full precision
