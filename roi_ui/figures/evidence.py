"""Figures for the Evidence page's two exports, pure: estimates in, ``go.Figure`` out.

* :func:`monthly`: contacts per channel class per month, the launch line, the
  regression's fit and the counterfactual (the same fit without the launch);
* :func:`advocacy`: the shares of answered and never-answered authors who later
  posted a positive mention, and the reply rate, with 95 % Wilson intervals.

Each has a ``frame_*`` twin in :mod:`roi_ui.widgets.evidence`'s tables.
"""

from __future__ import annotations

import plotly.graph_objects as go

from roi_core.calibration import Interval
from roi_core.contacts import Baseline
from roi_core.mentions import Advocacy
from roi_ui.figures.base import Spec, card_layout, figure
from roi_ui.theme import COST_COLOR, DRIVER_COLORS, NET_COLOR

__all__ = ["advocacy", "monthly", "spec_advocacy", "spec_monthly"]

_CLASS_COLORS = {
    "assisted": COST_COLOR,
    "social": NET_COLOR,
    "self_service": DRIVER_COLORS["self_service"],
}
_CLASS_NAMES = {"assisted": "Assisted", "social": "Social", "self_service": "Self-service"}


def spec_monthly(result: Baseline) -> Spec:
    """Monthly contacts by class, with the launch and what the fit expected without it."""
    x = [f"{m.month}-01" for m in result.months]
    data: list[Spec] = []
    for name in ("assisted", "social", "self_service"):
        y = [getattr(m, name) if m.has_rows else None for m in result.months]
        data.append({
            "type": "scatter", "mode": "lines+markers", "x": x, "y": y,
            "name": _CLASS_NAMES[name],
            "line": {"color": _CLASS_COLORS[name], "width": 2.5},
            "marker": {"size": 5},
            "hovertemplate": f"{_CLASS_NAMES[name]}, %{{x|%b %Y}}: %{{y:,}}<extra></extra>",
        })  # fmt: skip
    if any(m.fitted is not None for m in result.months):
        data.append({
            "type": "scatter", "mode": "lines", "x": x,
            "y": [m.fitted for m in result.months], "name": "Assisted, fitted",
            "line": {"color": COST_COLOR, "width": 1.5, "dash": "dot"},
            "hovertemplate": "Fitted, %{x|%b %Y}: %{y:,.0f}<extra></extra>",
        })  # fmt: skip
        after = [m.counterfactual if m.post else None for m in result.months]
        data.append({
            "type": "scatter", "mode": "lines", "x": x, "y": after,
            "name": "Assisted without the launch",
            "line": {"color": COST_COLOR, "width": 2, "dash": "dash"},
            "hovertemplate": "Without the launch, %{x|%b %Y}: %{y:,.0f}<extra></extra>",
        })  # fmt: skip
    launch = f"{result.launch}-01"
    layout = card_layout(
        "Contacts per month, by channel class",
        "dashed: assisted contacts the trend expected without social care",
        height=400,
    ) | {
        "xaxis": {"title": {"text": "month"}, "type": "date"},
        "yaxis": {"title": {"text": "contacts"}, "rangemode": "tozero", "tickformat": ",d"},
        "legend": {"orientation": "h", "y": -0.25},
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "x0": launch,
                "x1": launch,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": "#64748B", "width": 1.5, "dash": "dashdot"},
            }
        ],
        "annotations": [
            {
                "x": launch,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "text": "launch",
                "showarrow": False,
                "font": {"color": "#64748B"},
            }
        ],
    }
    return {"data": data, "layout": layout}


def _bar(label: str, iv: Interval) -> tuple[str, float, float, float]:
    est = 100 * (iv.estimate or 0.0)
    high = 100 * (iv.high - iv.estimate) if iv.high is not None and iv.estimate is not None else 0
    low = 100 * (iv.estimate - iv.low) if iv.low is not None and iv.estimate is not None else 0
    return label, est, high, low


def spec_advocacy(result: Advocacy) -> Spec:
    """Later positive mentions, answered vs never answered, and the reply rate (%)."""
    bars = [
        _bar("Answered authors", result.positive_share_replied),
        _bar("Never answered", result.positive_share_not_replied),
    ]
    patterns = ["", "/"]  # colour is not the only cue
    names = [f"{b[0]}: {b[1]:.1f} %" for b in bars]  # the figure in the label, clear of
    data = [  # the interval's whiskers
        {
            "type": "bar",
            "x": names,
            "y": [b[1] for b in bars],
            "width": 0.5,
            "marker": {
                "color": [NET_COLOR, DRIVER_COLORS["other"]],
                "pattern": {"shape": patterns},
            },
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": [b[2] for b in bars],
                "arrayminus": [b[3] for b in bars],
                "thickness": 2,
                "width": 10,
                "color": "#334155",
            },
            "hovertemplate": "%{x}: later posted a positive mention<extra></extra>",
            "name": "later positive",
        }
    ]
    layout = card_layout(
        "Authors who later posted a positive mention",
        f"95 % Wilson intervals; the brand answered {100 * (result.reply_rate.estimate or 0):.1f}"
        " % of posts",
        height=360,
    ) | {
        "yaxis": {"title": {"text": "% of authors"}, "rangemode": "tozero"},
        "showlegend": False,
    }
    return {"data": data, "layout": layout}


def monthly(result: Baseline) -> go.Figure:
    return figure(spec_monthly(result))


def advocacy(result: Advocacy) -> go.Figure:
    return figure(spec_advocacy(result))
