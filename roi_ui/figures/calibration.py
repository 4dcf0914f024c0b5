"""Figures for the calibration page, pure: estimates in, ``go.Figure`` out."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

from roi_core.calibration import CONFIDENCE, Calibration, Interval
from roi_core.i18n import gettext as _
from roi_ui.figures.base import Spec, card_layout, figure
from roi_ui.theme import DRIVER_COLORS, NET_COLOR

__all__ = ["estimates", "retention", "spec_estimates", "spec_retention"]


def spec_retention(
    curves: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]],
) -> Spec:
    """Share of each group still a customer, month by month."""
    colors = {"engaged": NET_COLOR, "control": DRIVER_COLORS["other"]}
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": months,
            "y": share,
            "name": _(group),
            "line": {"color": colors[group], "width": 3, "shape": "hv"},
            "hovertemplate": _("{group}, month {month}: {share} still customers").format(
                group=_(group), month="%{x}", share="%{y:.1%}"
            )
            + "<extra></extra>",
        }
        for group, (months, share) in curves.items()
    ]
    layout = card_layout(
        _("Customers retained, engaged vs control"),
        _("monthly life table of the uploaded customers"),
        height=360,
    ) | {
        "xaxis": {"title": {"text": _("Months observed")}},
        "yaxis": {"title": {"text": _("share retained")}, "tickformat": ".0%"},
        "legend": {"orientation": "h", "y": -0.2},
    }
    return {"data": data, "layout": layout}


def spec_estimates(calibration: Calibration) -> Spec:
    """The relative effects with their 95 % intervals (a forest plot, in %)."""
    rows: list[tuple[str, Interval]] = [
        (_("Retention lift"), calibration.retention_lift),
        (_("Fewer assisted contacts"), calibration.assisted_contact_change),
    ]
    shown = [(n, iv) for n, iv in rows if iv.estimate is not None]
    est = [100 * (iv.estimate or 0.0) for _name, iv in shown]
    high = [
        100 * (iv.high - iv.estimate) if iv.high is not None and iv.estimate is not None else 0.0
        for _name, iv in shown
    ]
    low = [
        100 * (iv.estimate - iv.low) if iv.low is not None and iv.estimate is not None else 0.0
        for _name, iv in shown
    ]
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "x": est,
            "y": [n for n, _iv in shown],
            "marker": {"size": 14, "color": NET_COLOR},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": high,
                "arrayminus": low,
                "thickness": 3,
                "width": 8,
            },
            "hovertemplate": "%{y}: %{x:.1f}%<extra></extra>",
            "name": _("estimate"),
        }
    ]
    layout = card_layout(
        _("Measured effects"), _("with {level} intervals").format(level=_(CONFIDENCE)), height=240
    ) | {
        "xaxis": {"title": {"text": "%"}, "zeroline": True},
        "showlegend": False,
    }
    return {"data": data, "layout": layout}


def retention(
    curves: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]],
) -> go.Figure:
    return figure(spec_retention(curves))


def estimates(calibration: Calibration) -> go.Figure:
    return figure(spec_estimates(calibration))
