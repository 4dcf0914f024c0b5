"""Risk-page figures: every spec passes full Plotly validation and draws the analysis."""

from __future__ import annotations

from typing import Literal

import numpy as np
import plotly.graph_objects as go
import pytest

from roi_core import (
    NUMERIC_FIELDS,
    Scenario,
    evaluate,
    evaluate_batch,
    monte_carlo,
    scenario_from_dict,
    sensitivity,
)
from roi_core.analysis import break_even, grid2d
from roi_ui.editor import factor
from roi_ui.figures import risk as risk_charts
from roi_ui.figures.base import figure
from roi_ui.frames import risk as risk_frames

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
    # The two ends differ by more than colour (WCAG 1.4.1): the low end is hatched.
    assert low.marker.pattern.shape == "/"
    assert not high.marker.pattern.shape
    assert {low.name, high.name} == {"Low end", "High end"}  # and the legend says which


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
    s = Scenario()
    xs = np.linspace(0.0, 1_000_000.0, 121)
    ys = evaluate_batch(s, {"costs.setup": xs}).npv
    found = break_even(s, "costs.setup").value
    assert found == pytest.approx(905_918.2, abs=0.1)
    fig = risk_charts.break_even_curve(xs, ys, path="costs.setup", metric="npv", goal=0.0,
                                       current=s.costs.setup, found=905_918.2,
                                       currency="EUR")  # fmt: skip
    figure(fig.to_dict(), validate=True)
    line, marker = fig.data
    assert line.x[0] == 0 and line.x[-1] == 1_000_000
    np.testing.assert_allclose(line.y, ys)  # the analysis' numbers, drawn as given
    assert marker.x == (905_918.2,) and marker.y == (0.0,)
    # NPV is linear in the set-up cost: the curve crosses the target at the marker.
    assert np.interp(905_918.2, xs, ys) == pytest.approx(0.0, abs=1.0)
    target, today = fig.layout.shapes
    assert target.y0 == 0.0 == target.y1
    assert today.x0 == 80_000 == today.x1
    assert fig.layout.xaxis.title.text == "Setup (EUR)"  # a money field in its currency
    assert fig.layout.yaxis.title.text == "NPV (EUR)"


def test_break_even_curve_shows_shares_and_roi_in_percent() -> None:
    s = Scenario()
    xs = np.linspace(0.0, 0.5, 51)
    ys = evaluate_batch(s, {"levers.retention_lift": xs}).roi
    found = break_even(s, "levers.retention_lift", target_roi=1.0).value
    assert found is not None
    fig = risk_charts.break_even_curve(xs, ys, path="levers.retention_lift", metric="roi",
                                       goal=1.0, current=s.levers.retention_lift, found=found,
                                       scale=100)  # fmt: skip
    figure(fig.to_dict(), validate=True)
    line, marker = fig.data
    np.testing.assert_allclose(line.x, xs * 100)
    np.testing.assert_allclose(line.y, ys * 100)
    assert marker.x == pytest.approx((found * 100,)) and marker.y == (100.0,)
    assert np.interp(found * 100, line.x, line.y) == pytest.approx(100.0, abs=0.5)
    target, today = fig.layout.shapes
    assert target.y0 == 100.0
    assert today.x0 == pytest.approx(10.0)
    assert fig.layout.xaxis.title.text == "Retention lift (%)"
    assert fig.layout.yaxis.title.text == "ROI (%)"


def test_break_even_curve_without_an_answer_leaves_never_as_a_gap() -> None:
    s = Scenario()
    xs = np.linspace(0.0, 1e8, 11)
    ys = evaluate_batch(s, {"costs.setup": xs}).payback_months
    assert np.isinf(ys).any()  # some set-up costs never pay back
    fig = risk_charts.break_even_curve(xs, ys, path="costs.setup", metric="payback_months",
                                       goal=12.0, current=s.costs.setup, found=None)  # fmt: skip
    figure(fig.to_dict(), validate=True)
    (line,) = fig.data  # no marker without an answer
    y = np.asarray(line.y, dtype=float)
    assert np.isnan(y[np.isinf(ys)]).all()  # never pays back: a gap, not infinity
    np.testing.assert_allclose(y[np.isfinite(ys)], ys[np.isfinite(ys)])
    assert fig.layout.yaxis.title.text == "Payback (months)"


def test_break_even_curve_without_a_currency_shows_no_empty_unit() -> None:
    xs = np.linspace(0.0, 1_000_000.0, 5)
    ys = evaluate_batch(Scenario(), {"costs.setup": xs}).npv
    fig = risk_charts.break_even_curve(xs, ys, path="costs.setup", metric="npv", goal=0.0,
                                       current=80_000.0, found=None)  # fmt: skip
    assert fig.layout.yaxis.title.text == "NPV"
    assert fig.layout.xaxis.title.text == "Setup"


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


@pytest.mark.parametrize("break_even", [True, False])
def test_heatmap_draws_the_break_even_line_only_when_asked(break_even: bool) -> None:
    xs, ys = np.linspace(0, 0.5, 6), np.linspace(1e5, 3e6, 5)
    z = grid2d(Scenario(), "levers.retention_lift", xs, "costs.setup", ys)
    fig = risk_charts.heatmap(xs * 100, ys, z, x_title="Retention lift (%)", y_title="Setup",
                              metric_title="NPV (USD)", current=(10.0, 80_000.0),
                              break_even=break_even)  # fmt: skip
    figure(fig.to_dict(), validate=True)
    types = [t.type for t in fig.data]
    subtitle = fig.layout.title.subtitle.text
    if break_even:
        assert types == ["heatmap", "contour", "scatter"]
        assert "break-even" in subtitle
    else:
        assert types == ["heatmap", "scatter"]  # no contour where nothing crosses zero
        assert "break-even" not in subtitle
        assert subtitle == "x: today's scenario"
    heat, today = fig.data[0], fig.data[-1]
    np.testing.assert_array_equal(heat.z, z)
    np.testing.assert_array_equal(heat.x, xs * 100)
    assert (today.x, today.y) == ((10.0,), (80_000.0,))


# --- each chart draws exactly its data table --------------------------------------------------


def test_tornado_draws_exactly_its_data_table() -> None:
    rows = sensitivity(RANGED)
    base = evaluate(RANGED).summary.npv
    table = risk_frames.tornado(rows, currency="EUR")
    low, high = figure(risk_charts.spec_tornado(rows, base, "EUR"), validate=True).data
    # Largest swing on top: the chart lists its bars bottom-up, the table top-down.
    assert list(low.y)[::-1] == table["Input"].tolist()
    for bar, npv, end in ((low, "NPV at low", "Low"), (high, "NPV at high", "High")):
        ends = (np.asarray(bar.x) + bar.base)[::-1]
        np.testing.assert_allclose(ends, table[npv], rtol=1e-12)
        # The hover's raw end (model units) is the table's end in display units.
        raw = np.asarray(bar.customdata, dtype=float)[::-1]
        shown = raw * np.array([factor(p) for p in table["Field"]])
        np.testing.assert_allclose(shown, table[end], rtol=1e-12)
    np.testing.assert_allclose(
        np.abs(table["NPV at high"] - table["NPV at low"]), table["Swing"], rtol=1e-12
    )


def _markers(fig: go.Figure) -> dict[str, float]:
    """The histogram's marker lines by their labels (P10, P50, P90)."""
    return {note.text: line.x0 for note, line in zip(fig.layout.annotations, fig.layout.shapes,
                                                     strict=True)}  # fmt: skip


def test_monte_carlo_histograms_mark_their_data_tables_percentiles() -> None:
    mc = monte_carlo(RANGED, n=2_000, seed=5)
    rows = risk_frames.monte_carlo(mc).set_index("Result")
    npv = _markers(risk_charts.monte_carlo_npv(mc, "USD"))
    roi = _markers(risk_charts.monte_carlo_roi(mc))
    payback_fig = risk_charts.monte_carlo_payback(mc)
    payback = _markers(payback_fig)
    for p in ("P10", "P50", "P90"):
        assert npv[p] == rows.loc["NPV", p]
        assert roi[p] == pytest.approx(rows.loc["ROI", p] * 100, rel=1e-12)  # drawn in %
        expected = rows.loc["Payback (months)", p]
        if np.isnan(expected):  # past the horizon: no line, and "never" in the table
            assert p not in payback
        else:
            assert payback[p] == expected
    share = rows.loc["Payback (months)", "Share paid back"]
    assert f"{share:.0%} of draws pay back" in payback_fig.layout.title.text


@pytest.mark.parametrize("metric", ["npv", "roi"])
def test_heatmap_draws_exactly_its_data_table(metric: Literal["npv", "roi"]) -> None:
    x, y = "levers.retention_lift", "costs.setup"
    xs, ys = np.linspace(0, 0.5, 7), np.linspace(1e5, 3e6, 5)
    z = grid2d(Scenario(), x, xs, y, ys, metric=metric)
    table = risk_frames.grid(xs, ys, z, x, y, metric=metric, currency="USD")
    # As the risk page draws it: inputs in display units, the ROI in percent.
    scale = 100 if metric == "roi" else 1
    fig = risk_charts.heatmap(xs * factor(x), ys * factor(y), z * scale, x_title=table.attrs["x"],
                              y_title=table.attrs["y"], metric_title=table.attrs["metric"],
                              current=(10.0, 80_000.0))  # fmt: skip
    heat = fig.data[0]
    np.testing.assert_allclose(heat.x, list(table.columns[1:]), rtol=1e-12)
    np.testing.assert_allclose(heat.y, table[table.attrs["y"]], rtol=1e-12)
    np.testing.assert_allclose(heat.z, table.iloc[:, 1:].to_numpy() * scale, rtol=1e-12)
    assert fig.layout.xaxis.title.text == table.attrs["x"] == "Retention lift (%)"
    assert fig.layout.yaxis.title.text == table.columns[0] == "Setup (USD)"
