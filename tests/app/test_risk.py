"""The risk page through AppTest: ranges, tornado, Monte Carlo, goal seek, grid."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from app_support import current, shown_text, unescaped
from streamlit.testing.v1 import AppTest

from roi_core import NUMERIC_FIELDS, evaluate, monte_carlo, sensitivity
from roi_ui import formatting as fmt

Start = Callable[..., AppTest]
RANGES = json.dumps({"levers": {"retention_lift": {"low": 0.05, "high": 0.2},
                                "save_rate": {"low": 0.1, "high": 0.4}},
                     "costs": {"setup": {"low": 50000, "high": 200000}}})  # fmt: skip


def risk(at: AppTest, tab: str | None = None) -> AppTest:
    at.switch_page("pages/risk.py").run()
    if tab:
        at.session_state["ui.risk.tab"] = tab
        at.run()
    assert not at.exception
    return at


def specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_every_tab_opens_without_error(app: Start) -> None:
    at = risk(app(ranges=RANGES))
    for tab in ["Tornado", "Monte Carlo", "Break-even", "Two-way table", "Risk adjustment"]:
        at.session_state["ui.risk.tab"] = tab
        at.run()
        assert not at.exception, tab


def test_plus_minus_25_percent_sets_a_range_on_every_lever(app: Start) -> None:
    at = risk(app())
    at.button[0].click().run()
    s = current(at)
    levers = [p for p in NUMERIC_FIELDS if p.startswith("levers.")]
    # The price premium is 0 by default: no ±25 % around it, and the page says why.
    assert [p for p, _ in s.uncertainty.items()] == [
        p for p in levers if p != "levers.price_premium"
    ]
    assert "No range for Price premium" in shown_text(at)
    rng = s.uncertainty.get("levers.retention_lift")
    assert rng is not None
    assert (rng.low, rng.high) == pytest.approx((0.075, 0.125))
    at.button[2].click().run()  # clear all
    assert current(at).uncertainty.items() == []


def test_tornado_has_one_bar_per_range_largest_on_top(app: Start) -> None:
    at = risk(app(ranges=RANGES), "Tornado")
    rows = sensitivity(current(at))
    bars = specs(at)[0]["data"][0]
    # Plotly draws the first category at the bottom: the list is reversed.
    assert bars["y"][::-1] == [NUMERIC_FIELDS[r.field].title for r in rows]
    assert len(bars["y"]) == 3


def test_monte_carlo_reproduces_for_a_seed(app: Start) -> None:
    at = risk(app(ranges=RANGES), "Monte Carlo")
    at.number_input(key="ui.risk.seed").set_value(7).run()
    expected = monte_carlo(current(at), n=10_000, seed=7)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Chance NPV > 0"] == fmt.percent(expected.prob_npv_positive, digits=1)
    assert shown["ROI P50"] == fmt.percent(expected.roi.p50)
    assert any(s["layout"]["title"]["text"] == "NPV across the draws" for s in specs(at))


def test_goal_seek_value_brings_npv_to_zero_and_can_be_applied(app: Start) -> None:
    at = risk(app(), "Break-even")
    at.selectbox(key="ui.risk.be.field").set_value("levers.retention_lift").run()
    at.selectbox(key="ui.risk.be.field").set_value("costs.staff_monthly").run()
    said = unescaped(at.success[0].value)
    assert said.startswith("Staff of $") and "brings the NPV to $0 (today: $18,000.00)" in said
    at.button[0].click().run()  # "Use this value in the scenario"
    assert abs(evaluate(current(at)).summary.npv) < 1e-3


def test_two_way_table_draws_the_break_even_line_only_where_the_grid_crosses_it(
    app: Start,
) -> None:
    at = risk(app(), "Two-way table")
    kinds = [t["type"] for t in specs(at)[0]["data"]]
    assert kinds == ["heatmap", "scatter"]  # the default spans never reach NPV = 0
    assert "does not cross zero anywhere on this grid" in shown_text(at)
    z = specs(at)[0]["data"][0]["z"]  # arrays travel as {dtype, bdata, shape}
    assert z["shape"].replace(" ", "") == "25,25"
    at.selectbox(key="ui.risk.g.x").set_value("costs.setup").run()
    at.number_input(key="ui.risk.g.xs.costs.setup.hi").set_value(3_000_000.0).run()
    kinds = [t["type"] for t in specs(at)[0]["data"]]
    assert kinds == ["heatmap", "contour", "scatter"]
    layout = specs(at)[0]["layout"]
    assert layout["xaxis"]["title"]["text"] == "Setup (USD)"
    assert "does not cross zero" not in shown_text(at)
