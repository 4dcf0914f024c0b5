"""roi_ui.figures.base: the shared layout pieces, and for_screen for presenter mode."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from roi_core import Scenario, evaluate
from roi_ui.figures import base
from roi_ui.figures import dashboard as charts


def _waterfall() -> go.Figure:
    return charts.value_waterfall(evaluate(Scenario()), "USD")


def test_for_screen_raises_the_height_and_every_font_size() -> None:
    before = _waterfall()
    height = before.layout.height
    title_size = before.layout.title.font.size
    fig = base.for_screen(before)
    go.Figure(fig.to_dict())  # still a valid figure
    assert fig.layout.height == 560 > height
    assert fig.layout.font.size == 17
    assert fig.layout.title.font.size == 23 > (title_size or 0)
    (waterfall,) = [t for t in fig.data if t.type == "waterfall"]
    assert waterfall.textfont.size == 16
    # The theme's small tick and legend fonts are overridden too.
    assert fig.layout.xaxis.tickfont.size == fig.layout.yaxis.tickfont.size == 16
    assert fig.layout.legend.font.size == 16
    assert fig.layout.title.text == _waterfall().layout.title.text  # same chart, bigger


def test_for_screen_takes_a_height_and_font_size() -> None:
    fig = base.for_screen(charts.cumulative_cash(evaluate(Scenario()), "EUR"), height=700,
                          font_size=20)  # fmt: skip
    go.Figure(fig.to_dict())
    assert fig.layout.height == 700
    assert fig.layout.font.size == 20
    assert fig.layout.title.font.size == 26
    assert fig.layout.margin.t == 100


def test_card_layout_and_lines_are_valid_plotly() -> None:
    layout = base.card_layout("Title", "sub", height=300) | {
        "shapes": [base.hline(0), base.vline(2.5, dash="dot", width=2, color="#000000")],
        "yaxis": base.money_axis("JPY"),
    }
    fig = base.figure({"data": [], "layout": layout}, validate=True)
    assert fig.layout.title.text == "Title" and fig.layout.title.subtitle.text == "sub"
    assert fig.layout.height == 300
    assert fig.layout.yaxis.tickprefix == "¥" and fig.layout.yaxis.title.text == "JPY"
    h, v = fig.layout.shapes
    assert (h.y0, h.y1, h.xref) == (0, 0, "paper")
    assert (v.x0, v.x1, v.yref, v.line.dash) == (2.5, 2.5, "paper", "dot")


def test_figure_validates_only_when_asked() -> None:
    bad = {"data": [{"type": "scatter", "x": [1], "colour": "red"}], "layout": {}}
    base.figure(bad)  # the fast path trusts the spec
    with pytest.raises(ValueError):
        base.figure(bad, validate=True)
