"""roi_ui.figures.dashboard inspected as figures: every spec passes Plotly's full validation
(the guard for the unvalidated fast path), and each figure shows the numbers of
the result it was drawn from."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from roi_core import Result, Scenario, evaluate, scenario_from_dict
from roi_core.drivers import DRIVERS, REVENUE_DRIVERS
from roi_ui.figures import base
from roi_ui.figures import dashboard as charts
from roi_ui.formatting import currency_symbol, months, plotly_money_format
from roi_ui.frames import dashboard as tables
from roi_ui.presets import load_presets
from roi_ui.theme import driver_label

ZERO_COSTS = {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}

#: Scenarios that stress the figures: paying back, never paying back, no costs,
#: a negative driver, the shortest and longest horizons, other currencies.
CASES: dict[str, Callable[[], Scenario]] = {
    "default": Scenario,
    "telecom": lambda: load_presets()["telecom"].scenario,
    "no_payback": lambda: scenario_from_dict({"costs": {"setup": 50_000_000}}),
    "zero_costs": lambda: scenario_from_dict({"costs": ZERO_COSTS}),
    "social_dearer_than_phone": lambda: scenario_from_dict(
        {"service": {"cost_per_social_contact": 10.0}}
    ),
    "horizon_1": lambda: scenario_from_dict({"finance": {"horizon_months": 1}}),
    "horizon_120": lambda: scenario_from_dict({"finance": {"horizon_months": 120}}),
    "eur": lambda: scenario_from_dict({"business": {"currency": "EUR"}}),
    "jpy": lambda: scenario_from_dict({"business": {"currency": "JPY"}}),
    "no_drivers": lambda: scenario_from_dict(
        {"business": {"customers": 0}, "service": {"monthly_assisted_contacts": 0}}
    ),
    "line_items": lambda: scenario_from_dict(
        {
            "business": {"currency": "GBP"},
            "other_items": [
                {"name": "Focus group replaced", "kind": "benefit", "amount": 20_000},
                {"name": "Licence", "kind": "cost", "amount": 5_000, "every": "year"},
                {"name": "Integration", "kind": "cost", "amount": 30_000, "start_month": 0},
            ],
        }
    ),
}


@cache
def _case(name: str) -> tuple[Scenario, Result]:
    scenario = CASES[name]()
    return scenario, evaluate(scenario)


def _currency(name: str) -> str:
    return str(_case(name)[0].business.currency)


def _spec_waterfall(name: str) -> dict[str, Any]:
    _, result = _case(name)
    return charts.spec_value_waterfall(result, _currency(name))


def _spec_cumulative(name: str) -> dict[str, Any]:
    _, result = _case(name)
    return charts.spec_cumulative_cash(result, _currency(name))


def _spec_monthly(name: str) -> dict[str, Any]:
    _, result = _case(name)
    return charts.spec_monthly_flows(result, _currency(name))


def _spec_revenue(name: str) -> dict[str, Any]:
    _, result = _case(name)
    return charts.spec_revenue_by_driver(result, _currency(name))


SPECS: dict[str, Callable[[str], dict[str, Any]]] = {
    "spec_value_waterfall": _spec_waterfall,
    "spec_cumulative_cash": _spec_cumulative,
    "spec_monthly_flows": _spec_monthly,
    "spec_revenue_by_driver": _spec_revenue,
}


def _fig(spec_name: str, case: str) -> go.Figure:
    return base.figure(SPECS[spec_name](case), validate=True)


def _fast(spec_name: str, case: str) -> go.Figure:
    """The figure as the page builds it (unvalidated public function)."""
    _, result = _case(case)
    currency = _currency(case)
    if spec_name == "spec_value_waterfall":
        return charts.value_waterfall(result, currency)
    if spec_name == "spec_cumulative_cash":
        return charts.cumulative_cash(result, currency)
    if spec_name == "spec_monthly_flows":
        return charts.monthly_flows(result, currency)
    return charts.revenue_by_driver(result, currency)


def _close(actual: Any, expected: Any, *, abs_tol: float = 1e-6) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=1e-9, atol=abs_tol
    )


def test_every_spec_function_is_covered() -> None:
    assert {n for n in charts.__all__ if n.startswith("spec_")} == set(SPECS)


# --- full validation ---------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("spec_name", list(SPECS))
def test_every_spec_passes_full_plotly_validation(spec_name: str, case: str) -> None:
    fig = _fig(spec_name, case)
    assert isinstance(fig, go.Figure)
    # The fast path builds the same figure.
    fast = _fast(spec_name, case)
    assert fast.layout.title.text == fig.layout.title.text
    assert [t.type for t in fast.data] == [t.type for t in fig.data]
    assert [t.name for t in fast.data] == [t.name for t in fig.data]
    for a, b in zip(fast.data, fig.data, strict=True):
        np.testing.assert_array_equal(np.asarray(a.y), np.asarray(b.y))


def test_a_misspelt_property_fails_full_validation() -> None:
    spec = _spec_waterfall("default")
    spec["layout"]["titel"] = {"text": "typo"}
    with pytest.raises(ValueError, match="titel"):
        base.figure(spec, validate=True)


# --- titles, axes, hover -----------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("spec_name", list(SPECS))
def test_title_and_money_axis_in_the_currency(spec_name: str, case: str) -> None:
    fig = _fig(spec_name, case)
    currency = _currency(case)
    assert fig.layout.title.text
    assert fig.layout.yaxis.title.text == currency
    assert fig.layout.yaxis.tickprefix == currency_symbol(currency)
    if spec_name != "spec_value_waterfall":
        assert fig.layout.xaxis.title.text == "Month"


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("spec_name", list(SPECS))
def test_money_hover_templates_carry_the_currency_symbol_and_decimals(
    spec_name: str, case: str
) -> None:
    fig = _fig(spec_name, case)
    prefix, fmt = plotly_money_format(_currency(case))
    money_traces = [t for t in fig.data if not (t.name or "").startswith("Payback")]
    if spec_name != "spec_revenue_by_driver" or case != "no_drivers":
        assert money_traces
    for trace in money_traces:
        assert f"{prefix}%{{y:{fmt}}}" in trace.hovertemplate, trace.name


def test_jpy_hover_has_no_decimals_and_eur_has_two() -> None:
    assert "¥%{y:,.0f}" in _fig("spec_monthly_flows", "jpy").data[0].hovertemplate
    assert "€%{y:,.2f}" in _fig("spec_monthly_flows", "eur").data[0].hovertemplate


# --- waterfall ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_waterfall_ends_in_npv_and_shows_benefits_and_costs(case: str) -> None:
    _, result = _case(case)
    s = result.summary
    trace = _fig("spec_value_waterfall", case).data[0]
    assert trace.type == "waterfall"
    steps = list(trace.x)
    values = dict(zip(steps, np.asarray(trace.y, dtype=float), strict=True))
    measures = dict(zip(steps, trace.measure, strict=True))
    assert steps[-1] == "NPV"
    assert measures["NPV"] == "total"
    assert values["NPV"] == pytest.approx(s.npv, rel=1e-12, abs=1e-9)
    assert measures["All benefits"] == "total"
    assert values["All benefits"] == pytest.approx(s.pv_benefits, rel=1e-12, abs=1e-9)
    assert measures["Costs"] == "relative"
    assert values["Costs"] == pytest.approx(-s.pv_costs, rel=1e-12, abs=1e-9)
    assert measures["Hard savings"] == "total"
    assert values["Hard savings"] == pytest.approx(s.npv_hard + s.pv_costs, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("case", list(CASES))
def test_waterfall_relative_bars_add_up_to_each_total(case: str) -> None:
    trace = _fig("spec_value_waterfall", case).data[0]
    # Drivers worth less than 0.5 in present value are left out of the bars.
    tolerance = 0.5 * len(DRIVERS) + 1e-6
    running = 0.0
    totals = 0
    for step, measure, value in zip(trace.x, trace.measure, trace.y, strict=True):
        if measure == "relative":
            running += float(value)
        else:
            assert measure == "total"
            assert float(value) == pytest.approx(running, rel=1e-9, abs=tolerance), step
            running = float(value)
            totals += 1
    assert totals == 3


@pytest.mark.parametrize("case", list(CASES))
def test_waterfall_driver_bars_are_the_driver_present_values(case: str) -> None:
    _, result = _case(case)
    pv = result.monthly.present_values()
    trace = _fig("spec_value_waterfall", case).data[0]
    bars = dict(zip(trace.x, np.asarray(trace.y, dtype=float), strict=True))
    for driver in DRIVERS:
        label = driver_label(driver)
        if abs(pv[driver]) >= 0.5:
            assert bars[label] == pytest.approx(pv[driver], rel=1e-12)
        else:
            assert label not in bars


def test_waterfall_shows_a_channel_dearer_than_the_phone_as_a_negative_bar() -> None:
    _, result = _case("social_dearer_than_phone")
    trace = _fig("spec_value_waterfall", "social_dearer_than_phone").data[0]
    bars = dict(zip(trace.x, np.asarray(trace.y, dtype=float), strict=True))
    assert bars["Social deflection"] < 0
    assert bars["Social deflection"] == pytest.approx(
        result.monthly.present_values()["social_deflection"]
    )


def test_waterfall_default_steps_in_order() -> None:
    trace = _fig("spec_value_waterfall", "default").data[0]
    assert list(trace.x) == [
        "Root-cause fixes",
        "Social deflection",
        "Self-service",
        "Hard savings",
        "Retention",
        "Saves",
        "Referrals",
        "Cross-sell",
        "All benefits",
        "Costs",
        "NPV",
    ]
    assert trace.text[-1] == "$867.2K"


def test_waterfall_with_line_items_shows_them_among_hard_savings() -> None:
    trace = _fig("spec_value_waterfall", "line_items").data[0]
    steps = list(trace.x)
    assert steps.index("Other line items") < steps.index("Hard savings")


# --- cumulative cash ---------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_cumulative_line_is_the_cumulative_net_cash_flow(case: str) -> None:
    _, result = _case(case)
    line = _fig("spec_cumulative_cash", case).data[0]
    _close(line.x, result.monthly.month)
    _close(line.y, result.monthly.cumulative_net)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c not in ("no_payback", "horizon_1", "no_drivers")]
)
def test_payback_marker_sits_at_the_payback_month_on_zero(case: str) -> None:
    _, result = _case(case)
    payback = result.summary.payback_months
    assert payback is not None
    fig = _fig("spec_cumulative_cash", case)
    assert len(fig.data) == 2
    marker = fig.data[1]
    assert list(marker.x) == pytest.approx([payback])
    assert list(marker.y) == [0]
    assert months(payback) in marker.name
    assert f"pays back after {months(payback)}" in fig.layout.title.subtitle.text
    assert "no payback" not in fig.layout.title.subtitle.text


def test_default_pays_back_after_11_7_months() -> None:
    fig = _fig("spec_cumulative_cash", "default")
    assert fig.data[1].x[0] == pytest.approx(11.712, abs=1e-3)
    assert fig.layout.title.text == "Cumulative net cash flow"
    assert fig.layout.title.subtitle.text == "pays back after 11.7 months"


def test_zero_costs_pays_back_at_once() -> None:
    fig = _fig("spec_cumulative_cash", "zero_costs")
    assert list(fig.data[1].x) == [0]
    assert list(fig.data[1].y) == [0]


@pytest.mark.parametrize("case", ["no_payback", "horizon_1", "no_drivers"])
def test_no_payback_has_no_marker_and_says_so(case: str) -> None:
    _, result = _case(case)
    assert result.summary.payback_months is None
    fig = _fig("spec_cumulative_cash", case)
    assert len(fig.data) == 1
    assert fig.layout.title.subtitle.text.startswith("no payback within")
    assert "pays back" not in fig.layout.title.subtitle.text


def test_cumulative_chart_has_a_break_even_line_at_zero() -> None:
    fig = _fig("spec_cumulative_cash", "default")
    (line,) = fig.layout.shapes
    assert (line.y0, line.y1) == (0, 0)
    assert fig.layout.annotations[0].text == "break-even"


# --- monthly flows -----------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_monthly_bars_are_the_non_zero_drivers(case: str) -> None:
    _, result = _case(case)
    fig = _fig("spec_monthly_flows", case)
    bars = [t for t in fig.data if t.type == "bar"]
    expected = [d for d in DRIVERS if np.any(result.monthly.benefits[d])]
    assert [b.name for b in bars] == [driver_label(d) for d in expected]
    for bar, driver in zip(bars, expected, strict=True):
        _close(bar.x, result.monthly.month)
        _close(bar.y, result.monthly.benefits[driver])
    assert fig.layout.barmode == "relative"


@pytest.mark.parametrize("case", list(CASES))
def test_monthly_stacked_bars_sum_to_total_benefits(case: str) -> None:
    _, result = _case(case)
    bars = [t for t in _fig("spec_monthly_flows", case).data if t.type == "bar"]
    stacked = np.sum([np.asarray(b.y, dtype=float) for b in bars], axis=0) if bars else 0.0
    expected = result.monthly.total_benefits
    np.testing.assert_allclose(
        np.broadcast_to(stacked, expected.shape), expected, rtol=1e-9, atol=1e-6
    )


@pytest.mark.parametrize("case", list(CASES))
def test_monthly_cost_line_is_the_monthly_costs(case: str) -> None:
    _, result = _case(case)
    fig = _fig("spec_monthly_flows", case)
    line = fig.data[-1]
    assert line.type == "scatter"
    assert line.name == "Costs"
    _close(line.x, result.monthly.month)
    _close(line.y, result.monthly.costs)


def test_monthly_default_drivers() -> None:
    bars = [t.name for t in _fig("spec_monthly_flows", "default").data if t.type == "bar"]
    # Price premium is 0 by default and there are no line items.
    assert bars == [
        "Root-cause fixes",
        "Social deflection",
        "Self-service",
        "Retention",
        "Saves",
        "Referrals",
        "Cross-sell",
    ]


def test_monthly_negative_driver_is_drawn_below_zero() -> None:
    fig = _fig("spec_monthly_flows", "social_dearer_than_phone")
    social = next(t for t in fig.data if t.name == "Social deflection")
    assert np.asarray(social.y, dtype=float)[1:].max() < 0


# --- revenue by driver -------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_revenue_traces_sum_to_the_revenue_drivers(case: str) -> None:
    _, result = _case(case)
    fig = _fig("spec_revenue_by_driver", case)
    expected = np.sum([result.monthly.revenue[d] for d in REVENUE_DRIVERS], axis=0)
    drawn = [d for d in REVENUE_DRIVERS if np.any(result.monthly.revenue[d])]
    assert [t.name for t in fig.data] == [driver_label(d) for d in drawn]
    for trace, driver in zip(fig.data, drawn, strict=True):
        assert trace.stackgroup == "revenue"
        _close(trace.x, result.monthly.month)
        _close(trace.y, result.monthly.revenue[driver])
    total = (
        np.sum([np.asarray(t.y, dtype=float) for t in fig.data], axis=0)
        if fig.data
        else np.zeros_like(expected)
    )
    np.testing.assert_allclose(total, expected, rtol=1e-9, atol=1e-6)


def test_revenue_chart_without_revenue_drivers_is_empty_but_valid() -> None:
    _, result = _case("no_drivers")
    # Saves still bring revenue: at-risk customers are not tied to the customer count.
    names = [t.name for t in _fig("spec_revenue_by_driver", "no_drivers").data]
    assert names == [driver_label(d) for d in REVENUE_DRIVERS if np.any(result.monthly.revenue[d])]
    scenario = scenario_from_dict(
        {"business": {"customers": 0}, "levers": {"at_risk_per_month": 0}}
    )
    empty = evaluate(scenario)
    fig = base.figure(charts.spec_revenue_by_driver(empty, "USD"), validate=True)
    assert len(fig.data) == 0
    assert fig.layout.title.text


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_chart_draws_exactly_its_data_table(case: str) -> None:
    """The chart and the "data behind this chart" table carry the same numbers, under
    the chart's own words."""
    _, result = _case(case)
    waterfall = tables.value_waterfall(result)
    trace = _fig("spec_value_waterfall", case).data[0]
    assert list(trace.x) == waterfall["Step"].tolist()
    _close(trace.y, waterfall["Present value"])
    # A subtotal is a bar drawn from zero ("total"), a step one from the last level.
    kinds = {"subtotal": "total", "step": "relative"}
    assert list(trace.measure) == [kinds[k] for k in waterfall["Kind"]]
    cumulative = tables.cumulative_cash(result)
    line = _fig("spec_cumulative_cash", case).data[0]
    assert line.name == "Cumulative net cash flow"
    _close(line.x, cumulative["Month"])
    _close(line.y, cumulative[line.name])
    np.testing.assert_allclose(cumulative["Net cash flow"].cumsum(), line.y, rtol=1e-9, atol=1e-6)
    for build, spec in ((tables.monthly_flows, "spec_monthly_flows"),
                        (tables.revenue_by_driver, "spec_revenue_by_driver")):  # fmt: skip
        frame = build(result)
        drawn = _fig(spec, case).data
        for t in drawn:
            assert t.name in frame.columns  # the legend's label is the column's header
            _close(t.x, frame["Month"])
            _close(t.y, frame[t.name])
        # A column the chart leaves out is a driver worth nothing this month or any other.
        left_out = set(frame.columns) - {t.name for t in drawn} - {"Month", "Total benefits"}
        for column in left_out:
            assert not frame[column].any(), column
    monthly = tables.monthly_flows(result)
    bars = [t for t in _fig("spec_monthly_flows", case).data if t.type == "bar"]
    stacked = np.sum([np.asarray(b.y, dtype=float) for b in bars], axis=0) if bars else 0.0
    np.testing.assert_allclose(
        np.broadcast_to(stacked, len(monthly)), monthly["Total benefits"], rtol=1e-9, atol=1e-6
    )


# --- text alternatives -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_alt_texts_read_the_numbers_the_charts_draw(name: str) -> None:
    from roi_ui.formatting import money_compact

    scenario, result = _case(name)
    cur = str(scenario.business.currency)
    s, m = result.summary, result.monthly
    horizon = int(m.month[-1])
    texts = {
        "waterfall": charts.alt_value_waterfall(result, cur),
        "cash": charts.alt_cumulative_cash(result, cur),
        "flows": charts.alt_monthly_flows(result, cur),
        "revenue": charts.alt_revenue_by_driver(result, cur),
    }
    for text in texts.values():  # one sentence, never a non-number
        assert text.endswith(".") and text.count(". ") == 0
        assert not any(bad in text.lower() for bad in ("nan", "inf", "none"))
    assert f"NPV {money_compact(s.npv, cur)};" in texts["waterfall"]
    assert f"less costs of {money_compact(s.pv_costs, cur)}." in texts["waterfall"]
    paying = s.payback_months is not None
    assert (f"pays back after {months(s.payback_months)}" in texts["cash"]) is paying
    assert (f"does not pay back within {horizon} months" in texts["cash"]) is not paying
    assert f"{money_compact(float(m.cumulative_net[-1]), cur)} at month {horizon}" in texts["cash"]
    assert f"{money_compact(float(m.total_benefits[-1]), cur)} in month {horizon}" in texts["flows"]
    revenue_end = sum(float(v[-1]) for v in m.revenue.values())
    if revenue_end > 0:
        assert texts["revenue"].startswith(
            f"Revenue impact by driver: {money_compact(revenue_end, cur)} in month {horizon}"
        )
    else:
        assert "no revenue impact" in texts["revenue"]


def test_alt_text_of_the_waterfall_names_the_largest_driver() -> None:
    _, result = _case("default")
    pv = result.monthly.present_values()
    top = max((d for d in pv if d != "costs"), key=pv.__getitem__)
    assert f"the most from {driver_label(top)}" in charts.alt_value_waterfall(result, "USD")
