"""Figures for the Evidence page's two exports, pure: estimates in, ``go.Figure`` out.

* :func:`monthly`: contacts per channel class per month, the launch line, the
  regression's fit and the counterfactual (the same fit without the launch);
* :func:`advocacy`: the shares of answered and never-answered authors who later
  posted a positive mention, and the reply rate, with 95 % Wilson intervals.

Each has a ``frame_*`` twin in :mod:`roi_ui.widgets.evidence`'s tables.
"""

from __future__ import annotations

import plotly.graph_objects as go

from roi_core import i18n
from roi_core.calibration import CONFIDENCE, Interval, Number
from roi_core.contacts import Baseline
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.mentions import Advocacy
from roi_ui.figures.base import Spec, card_layout, figure
from roi_ui.theme import COST_COLOR, DRIVER_COLORS, NET_COLOR

__all__ = ["advocacy", "monthly", "spec_advocacy", "spec_monthly"]

_CLASS_COLORS = {
    "assisted": COST_COLOR,
    "social": NET_COLOR,
    "self_service": DRIVER_COLORS["self_service"],
}
_CLASS_NAMES = {
    "assisted": N_("Assisted"),
    "social": N_("Social"),
    "self_service": N_("Self-service"),
}


def _month_format() -> str:
    """A month in a hover text or on an axis: ``Jan 2025`` in English; elsewhere
    ``01/2025`` (Plotly names months in English only)."""
    return "%b %Y" if i18n.current() == i18n.DEFAULT else "%m/%Y"


def spec_monthly(result: Baseline) -> Spec:
    """Monthly contacts by class, with the launch and what the fit expected without it."""
    x = [f"{m.month}-01" for m in result.months]
    when = _month_format()
    data: list[Spec] = []
    for name in ("assisted", "social", "self_service"):
        y = [getattr(m, name) if m.has_rows else None for m in result.months]
        label = _(_CLASS_NAMES[name])
        data.append({
            "type": "scatter", "mode": "lines+markers", "x": x, "y": y,
            "name": label,
            "line": {"color": _CLASS_COLORS[name], "width": 2.5},
            "marker": {"size": 5},
            "hovertemplate": f"{label}, %{{x|{when}}}: %{{y:,}}<extra></extra>",
        })  # fmt: skip
    if any(m.fitted is not None for m in result.months):
        fitted, without = _("Fitted"), _("Without the launch")
        data.append({
            "type": "scatter", "mode": "lines", "x": x,
            "y": [m.fitted for m in result.months], "name": _("Assisted, fitted"),
            "line": {"color": COST_COLOR, "width": 1.5, "dash": "dot"},
            "hovertemplate": fitted + f", %{{x|{when}}}: %{{y:,.0f}}<extra></extra>",
        })  # fmt: skip
        after = [m.counterfactual if m.post else None for m in result.months]
        data.append({
            "type": "scatter", "mode": "lines", "x": x, "y": after,
            "name": _("Assisted without the launch"),
            "line": {"color": COST_COLOR, "width": 2, "dash": "dash"},
            "hovertemplate": without + f", %{{x|{when}}}: %{{y:,.0f}}<extra></extra>",
        })  # fmt: skip
    launch = f"{result.launch}-01"
    xaxis: Spec = {"title": {"text": _("month")}, "type": "date"}
    if when != "%b %Y":
        xaxis["tickformat"] = when
    layout = card_layout(
        _("Contacts per month, by channel class"),
        _("dashed: assisted contacts the trend expected without social care"),
        height=400,
    ) | {
        "xaxis": xaxis,
        "yaxis": {"title": {"text": _("contacts")}, "rangemode": "tozero", "tickformat": ",d"},
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
                "text": _("launch"),
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
        _bar(_("Answered authors"), result.positive_share_replied),
        _bar(_("Never answered"), result.positive_share_not_replied),
    ]
    patterns = ["", "/"]  # colour is not the only cue
    names = [  # the figure in the label, clear of the interval's whiskers
        _("{label}: {share} %").format(
            label=b[0], share=Number(b[1], digits=1, grouped=False).text()
        )
        for b in bars
    ]
    data = [
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
            "hovertemplate": _("{label}: later posted a positive mention").format(label="%{x}")
            + "<extra></extra>",
            "name": _("later positive"),
        }
    ]
    replied = Number(100 * (result.reply_rate.estimate or 0), digits=1, grouped=False).text()
    layout = card_layout(
        _("Authors who later posted a positive mention"),
        _("{level} Wilson intervals; the brand answered {share} of posts").format(
            level=_(CONFIDENCE), share=_("{n} %").format(n=replied)
        ),
        height=360,
    ) | {
        "yaxis": {
            "title": {"text": _("{sign} of authors").format(sign="%")},
            "rangemode": "tozero",
        },
        "showlegend": False,
    }
    return {"data": data, "layout": layout}


def monthly(result: Baseline) -> go.Figure:
    return figure(spec_monthly(result))


def advocacy(result: Advocacy) -> go.Figure:
    return figure(spec_advocacy(result))
