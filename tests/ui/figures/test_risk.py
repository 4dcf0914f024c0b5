"""Risk-page figures: every spec passes full Plotly validation and draws the analysis."""

from __future__ import annotations

import numpy as np
import pytest

from roi_core import (
    NUMERIC_FIELDS,
    Scenario,
    evaluate,
    monte_carlo,
    scenario_from_dict,
    sensitivity,
)
from roi_core.analysis import grid2d
from roi_ui.figures import risk as risk_charts
from roi_ui.figures.base import figure

RANGED = scenario_from_dict(
    {"uncertainty": {"levers": {"retention_lift": {"low": 0.05, "high": 0.2}},
                     "costs": {"setup": {"low": 0, "high": 2_000_000}}}}
)  # fmt: skip


def test_tornado_spec_is_valid_and_its_bars_span_low_to_high() -> None:
    rows = sensitivity(RANGED)
    base = evaluate(RANGED).summary.npv
    fig = figure(risk_charts.spec_tornado(rows, base, "EUR"), validate=True)
    low, high = fig.data
    assert list(low.y)[::-1] == [NUMERIC_FIELDS[r.field].title for r in rows]
    for bar, attr in ((low, "npv_low"), (high, "npv_high")):
        ends = np.asarray(bar.x) + bar.base
        assert ends[::-1] == pytest.approx([getattr(r, attr) for r in rows])


@pytest.mark.parametrize("n", [1, 50, 5_000])
def test_histograms_are_valid_and_shares_add_up(n: int) -> None:
    mc = monte_carlo(RANGED, n=n, seed=3)
    npv = figure(risk_charts.spec_histogram(
        mc.samples.npv, title="t", x_title="NPV", markers={"P50": mc.npv.p50}, currency="USD",
    ), validate=True)  # type: ignore[union-attr]  # fmt: skip
    assert sum(npv.data[0].y) == pytest.approx(1.0)
    payback = risk_charts.monte_carlo_payback(mc)
    paid = np.isfinite(mc.samples.payback_months).mean()  # type: ignore[union-attr]
    assert sum(payback.data[0].y) == pytest.approx(paid)
    figure(payback.to_dict(), validate=True)


def test_break_even_curve_marks_the_answer() -> None:
    fig = risk_charts.break_even_curve(Scenario(), "costs.setup", "npv", 0.0, 905_918.2,
                                       (0.0, 1_000_000.0))  # fmt: skip
    figure(fig.to_dict(), validate=True)
    line, marker = fig.data
    assert line.x[0] == 0 and line.x[-1] == 1_000_000
    assert marker.x == (905_918.2,) and marker.y == (0.0,)


def test_heatmap_spec_is_valid_with_zero_contour() -> None:
    xs, ys = np.linspace(0, 0.5, 25), np.linspace(1e5, 3e6, 25)
    z = grid2d(Scenario(), "levers.retention_lift", xs, "costs.setup", ys)
    fig = figure(risk_charts.spec_heatmap(xs, ys, z, x_title="x", y_title="y", metric_title="NPV",
                                          current=(0.1, 80_000)), validate=True)  # fmt: skip
    assert fig.data[1].contours.start == 0 == fig.data[1].contours.end
    assert (z < 0).any() and (z > 0).any()  # the contour has somewhere to run


def test_roi_histogram_is_in_percent_and_valid() -> None:
    mc = monte_carlo(RANGED, n=2_000, seed=1)
    fig = risk_charts.monte_carlo_roi(mc)
    figure(fig.to_dict(), validate=True)
    p50 = next(s for s in fig.layout.shapes if s.x0 is not None and s.x0 == s.x1)
    assert mc.roi.p10 is not None
    assert p50.x0 == pytest.approx(mc.roi.p10 * 100)
