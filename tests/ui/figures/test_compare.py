"""roi_ui.figures.compare: the overlay passes Plotly's full validation, draws each
scenario's own numbers and shows the user's names as text."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from roi_core import Result, Scenario, evaluate, scenario_from_dict
from roi_ui.figures import compare as figures
from roi_ui.formatting import currency_symbol

NASTY = 'Say "hi" <b>bold</b> & Co %{y}'


def _named(*names: str) -> list[tuple[str, Result]]:
    scenarios = [
        Scenario(),
        scenario_from_dict({"costs": {"setup": 500_000}}),
        scenario_from_dict({"levers": {"retention_lift": 0.3}, "finance": {"horizon_months": 60}}),
        scenario_from_dict({"finance": {"horizon_months": 1}}),
        scenario_from_dict({"business": {"customers": 0}}),
    ]
    return [(n, evaluate(s)) for n, s in zip(names, scenarios, strict=False)]


@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY", "IDR"])
def test_overlay_is_valid_and_draws_each_cumulative_cash_flow(currency: str) -> None:
    named = _named("Base", "Dearer", "Longer", "Shortest", "Empty")
    fig = figures.cumulative_overlay(named, currency)
    go.Figure(fig.to_dict())  # full validation: a misspelt property fails here
    assert len(fig.data) == len(named)
    for trace, (name, result) in zip(fig.data, named, strict=True):
        assert trace.name == name
        np.testing.assert_array_equal(trace.x, result.monthly.month)
        np.testing.assert_array_equal(trace.y, result.monthly.cumulative_net)
    colors = [t.line.color for t in fig.data]
    assert len(set(colors[:4])) == 4  # four compared at most: each its own colour
    dashes = [t.line.dash for t in fig.data]
    assert len(set(dashes[:4])) == 4  # and its own dash: not colour alone (WCAG 1.4.1)
    assert fig.layout.yaxis.tickprefix.startswith(currency_symbol(currency))
    assert fig.layout.shapes[0].y0 == 0  # the zero line


def test_user_names_show_as_text() -> None:
    named = _named(NASTY, "A & B")
    fig = figures.cumulative_overlay(named, "USD")
    go.Figure(fig.to_dict())
    first, second = fig.data
    # Plotly reads a little HTML: < and & become entities, quotes stay quotes.
    assert first.name == 'Say "hi" &lt;b&gt;bold&lt;/b&gt; &amp; Co %\u200b{y}'
    assert second.name == "A &amp; B"
    for trace in fig.data:
        assert "<b>" not in trace.name and "&quot;" not in trace.name
        assert trace.name in trace.hovertemplate
    # The user's %{y} is not a template variable; ours still is.
    assert first.hovertemplate.count("%{y") == 1
    assert first.hovertemplate.count("%{x}") == 1


def test_one_scenario_alone_is_a_valid_chart() -> None:
    fig = figures.cumulative_overlay(_named("Only"), "GBP")
    go.Figure(fig.to_dict())
    (trace,) = fig.data
    assert trace.name == "Only"
