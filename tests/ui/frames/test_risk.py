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
from roi_ui.formatting import money, months, percent
from roi_ui.frames import risk as frames
from roi_ui.frames.base import displayed

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
    frame = frames.tornado(rows, currency="EUR")
    assert frame.columns.tolist() == [
        "Input", "Low", "High", "Unit", "NPV at low", "NPV at high", "Swing", "Field",
    ]  # fmt: skip
    # The chart's axis labels, then the path last for scripts.
    assert frame["Input"].tolist() == ["Setup", "Retention lift"]
    assert frame["Field"].tolist() == [r.field for r in rows] == [
        "costs.setup", "levers.retention_lift",
    ]  # fmt: skip
    assert frame["NPV at low"].tolist() == [r.npv_low for r in rows]
    assert frame["NPV at high"].tolist() == [r.npv_high for r in rows]
    assert frame["Swing"].tolist() == [r.swing for r in rows]
    assert frame["Swing"].is_monotonic_decreasing
    # The range in display units, with the unit beside it: a share in percent.
    assert frame["Low"].tolist() == [0.0, 5.0]
    assert frame["High"].tolist() == [2_000_000.0, 20.0]
    assert frame["Unit"].tolist() == ["EUR", "%"]
    assert frame.attrs["money"] == ["NPV at low", "NPV at high", "Swing"]
    assert frame.attrs["raw"] == ["Low", "High"]  # each row in its own unit


def test_tornado_frame_names_each_unit_as_the_app_does() -> None:
    ranged = scenario_from_dict(
        {"uncertainty": {"costs": {"platform_monthly": {"low": 1_000, "high": 9_000}},
                         "levers": {"save_rate": {"low": 0.07, "high": 1 / 3}},
                         "business": {"customers": {"low": 100_000, "high": 300_000}}}}
    )  # fmt: skip
    rows = frames.tornado(sensitivity(ranged), currency="GBP").set_index("Field")
    assert rows.loc["costs.platform_monthly", "Unit"] == "GBP per month"
    assert rows.loc["levers.save_rate", "Unit"] == "%"
    assert rows.loc["levers.save_rate", "Low"] == 7.0  # not 7.000000000000001
    assert rows.loc["levers.save_rate", "High"] == (1 / 3) * 100  # kept in full
    assert rows.loc["business.customers", "Unit"] == "customers"
    assert rows.loc["business.customers", "High"] == 300_000
    # Without a currency money goes unnamed rather than wrongly named.
    bare = frames.tornado(sensitivity(ranged)).set_index("Field")
    assert bare.loc["costs.platform_monthly", "Unit"] == "per month"


def test_tornado_frame_without_ranges_is_empty_with_its_columns() -> None:
    frame = frames.tornado([])
    assert frame.empty
    assert frame.columns.tolist() == frames.TORNADO_COLUMNS


def test_tornado_frame_reads_as_money_and_keeps_the_ends_raw() -> None:
    frame = frames.tornado(sensitivity(RANGED), currency="EUR")
    shown = displayed(frame, "EUR")
    assert shown["Swing"].tolist() == [money(v, "EUR") for v in frame["Swing"]]
    assert shown["NPV at low"].iloc[0].startswith("€")
    for column in ("Input", "Low", "High", "Unit", "Field"):
        assert shown[column].equals(frame[column])


def test_monte_carlo_frame_has_the_percentiles_draws_and_seed() -> None:
    mc = monte_carlo(RANGED, n=500, seed=7)
    frame = frames.monte_carlo(mc)
    assert frame.columns.tolist() == [
        "Result", "Mean", "P5", "P10", "P50", "P90", "P95",
        "Chance NPV > 0", "Share paid back", "Draws", "Seed",
    ]  # fmt: skip
    # The labels are a column: the page hides the index and the CSV leaves it out.
    assert frame["Result"].tolist() == ["NPV", "ROI", "Payback (months)"]
    rows = frame.set_index("Result")
    for label, stats in (("NPV", mc.npv), ("ROI", mc.roi), ("Payback (months)", mc.payback_months)):
        for column, attr in (("Mean", "mean"), ("P5", "p5"), ("P10", "p10"), ("P50", "p50"),
                             ("P90", "p90"), ("P95", "p95")):  # fmt: skip
            expected = getattr(stats, attr)
            cell = rows.loc[label, column]
            assert math.isnan(cell) if expected is None else cell == expected
    assert rows.loc["Payback (months)", "Share paid back"] == mc.payback_months.share_paid_back
    assert rows.loc["NPV", "Chance NPV > 0"] == mc.prob_npv_positive
    assert rows["Share paid back"].drop("Payback (months)").isna().all()
    assert rows["Chance NPV > 0"].drop("NPV").isna().all()
    assert (frame["Draws"] == 500).all() and (frame["Seed"] == 7).all()
    assert set(mc.to_dict()) == {"n", "seed", "npv", "roi", "payback_months", "prob_npv_positive"}


def test_monte_carlo_frame_reads_each_row_in_its_own_unit() -> None:
    mc = monte_carlo(RANGED, n=500, seed=7)
    frame = frames.monte_carlo(mc)
    assert frame.attrs["rows"] == {"NPV": "money", "ROI": "percent", "Payback (months)": "months"}
    assert frame.attrs["row_label"] == "Result"
    assert frame.attrs["by_row"] == ["Mean", "P5", "P10", "P50", "P90", "P95"]
    assert frame.attrs["percent"] == ["Chance NPV > 0", "Share paid back"]
    assert frame.attrs["count"] == ["Draws"]
    assert frame.attrs["raw"] == ["Seed"]
    shown = displayed(frame, "USD").set_index("Result")
    assert shown.loc["NPV", "P50"] == money(mc.npv.p50, "USD")
    assert shown.loc["ROI", "P50"] == percent(mc.roi.p50)
    assert shown.loc["Payback (months)", "P50"] == months(mc.payback_months.p50)
    assert mc.payback_months.p95 is None  # some draws never pay back
    assert shown.loc["Payback (months)", "P95"] == "never"
    assert shown.loc["NPV", "Chance NPV > 0"] == percent(mc.prob_npv_positive)
    assert shown.loc["ROI", "Share paid back"] == "n/a"
    assert shown["Draws"].tolist() == ["500"] * 3
    assert shown["Seed"].tolist() == [7] * 3


def test_monte_carlo_frame_to_csv_keeps_the_labels_and_full_precision() -> None:
    frame = frames.monte_carlo(monte_carlo(RANGED, n=200, seed=1))
    read = pd.read_csv(io.BytesIO(to_csv(frame)))
    assert read["Result"].tolist() == ["NPV", "ROI", "Payback (months)"]
    np.testing.assert_array_equal(read["P50"].to_numpy(), frame["P50"].to_numpy())


def test_grid_frame_is_the_two_way_table() -> None:
    xs, ys = np.linspace(0, 0.5, 4), np.linspace(1e5, 3e6, 3)
    z = grid2d(Scenario(), "levers.retention_lift", xs, "costs.setup", ys)
    frame = frames.grid(xs, ys, z, "levers.retention_lift", "costs.setup", currency="USD")
    assert frame.columns[0] == "Setup (USD)"
    assert frame["Setup (USD)"].tolist() == ys.tolist()
    # The x values in display units: a share in percent.
    assert list(frame.columns[1:]) == (xs * 100).tolist()
    np.testing.assert_array_equal(frame.iloc[:, 1:].to_numpy(), z)
    assert frame.attrs["metric"] == "NPV"
    assert frame.attrs["x"] == "Retention lift (%)"
    assert frame.attrs["y"] == "Setup (USD)"
    assert frame.attrs["money"] == list(frame.columns[1:])
    assert frame.attrs["raw"] == ["Setup (USD)"]
    read = pd.read_csv(io.BytesIO(to_csv(frame)))
    np.testing.assert_array_equal(read.iloc[:, 1:].to_numpy(), z)  # full precision
    shown = displayed(frame, "USD")
    assert shown.iloc[0, 1] == money(z[0, 0], "USD")
    assert shown["Setup (USD)"].tolist() == ys.tolist()


def test_grid_frame_of_roi_reads_as_percent_with_shares_down_the_side() -> None:
    xs, ys = np.linspace(1e5, 3e6, 3), np.linspace(0.0, 0.07, 3)
    z = grid2d(Scenario(), "costs.setup", xs, "levers.save_rate", ys, metric="roi")
    frame = frames.grid(xs, ys, z, "costs.setup", "levers.save_rate", metric="roi")
    assert frame.columns[0] == "Save rate (%)"
    assert frame["Save rate (%)"].tolist() == [0.0, 3.5, 7.0]
    assert list(frame.columns[1:]) == xs.tolist()
    assert frame.attrs["metric"] == "ROI"
    assert frame.attrs["x"] == "Setup"  # money, no currency given
    assert frame.attrs["percent"] == xs.tolist()
    assert frame.attrs["money"] == []
    np.testing.assert_array_equal(frame.iloc[:, 1:].to_numpy(), z)  # fractions, as analysed
    assert displayed(frame, "USD").iloc[0, 1] == percent(z[0, 0])


def test_grid_frame_with_one_x_value_repeated_keeps_every_column() -> None:
    xs, ys = np.full(3, 0.1), np.linspace(1e5, 3e6, 2)
    z = grid2d(Scenario(), "levers.retention_lift", xs, "costs.setup", ys)
    frame = frames.grid(xs, ys, z, "levers.retention_lift", "costs.setup", currency="USD")
    assert frame.shape == (2, 4)
    shown = displayed(frame, "USD")
    assert shown.shape == (2, 4)
    assert shown.iloc[1, 3] == money(z[1, 2], "USD")
