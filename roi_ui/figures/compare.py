"""The comparison's figure, pure: named results in, ``go.Figure`` out.

Scenario names are the user's text: they reach Plotly through
:func:`roi_ui.text.plotly_label` (Plotly's labels read a little HTML).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from roi_core import Result
from roi_core.i18n import gettext as _
from roi_ui.figures.base import card_layout, figure, hline, money_axis
from roi_ui.formatting import plotly_money_format
from roi_ui.text import plotly_label
from roi_ui.theme import DRIVER_COLORS

__all__ = ["COLORS", "cumulative_overlay"]

#: One colour per compared scenario, in order.
COLORS = [DRIVER_COLORS[d] for d in ("root_cause", "retention", "saves", "cross_sell")]
#: And one dash per scenario, so the lines differ by more than colour (WCAG 1.4.1).
DASHES = ["solid", "dash", "dot", "dashdot"]


def cumulative_overlay(named: Sequence[tuple[str, Result]], currency: str) -> go.Figure:
    """Cumulative net cash flow of every scenario on one chart (all in ``currency``:
    the caller compares only scenarios of one currency on one chart)."""
    prefix, fmt = plotly_money_format(currency)
    data = []
    for i, (name, result) in enumerate(named):
        m = result.monthly
        label = plotly_label(name)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": m.month,
                "y": m.cumulative_net,
                "name": label,
                "line": {
                    "color": COLORS[i % len(COLORS)],
                    "dash": DASHES[i % len(DASHES)],
                    "width": 3,
                },
                "hovertemplate": _("{name}, month {month}: {amount}").format(
                    name=label, month="%{x}", amount=f"{prefix}%{{y:{fmt}}}"
                )
                + "<extra></extra>",
            }
        )
    layout = card_layout(_("Cumulative net cash flow"), _("each scenario"), height=400) | {
        "xaxis": {"title": {"text": _("Month")}},
        "yaxis": money_axis(currency),
        "legend": {"orientation": "h", "y": -0.2},
        "shapes": [hline(0)],
    }
    return figure({"data": data, "layout": layout})
