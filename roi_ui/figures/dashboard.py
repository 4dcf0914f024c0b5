"""The dashboard's figures, pure: ``f(result, currency) -> go.Figure`` (STYLE.md).

The numbers drawn are the ones :mod:`roi_ui.frames.dashboard` lays out as the
chart's data table (``tests/ui/figures/test_dashboard.py`` checks that they
agree); figures read the result directly so that a first page view needs no
pandas at all.

No colours for backgrounds or text are set here: Streamlit's theme supplies
them for light and dark mode; the series colours come from the brand palette
(:mod:`roi_ui.theme`). Every figure has a title, axis titles with units and
money-formatted hover text in the scenario's currency.

Every figure is a plain spec wrapped without per-property validation
(:mod:`roi_ui.figures.base`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

from roi_core import Result
from roi_core.drivers import FloatArray
from roi_core.i18n import gettext as _
from roi_core.results import npv_bridge
from roi_ui.figures.base import Spec, card_layout, figure, hline, money_axis
from roi_ui.formatting import count, money_compact, months, plotly_money_format
from roi_ui.theme import COST_COLOR, DRIVER_COLORS, NET_COLOR, driver_label, step_label

__all__ = [
    "alt_cumulative_cash",
    "alt_monthly_flows",
    "alt_revenue_by_driver",
    "alt_value_waterfall",
    "cumulative_cash",
    "monthly_flows",
    "revenue_by_driver",
    "spec_cumulative_cash",
    "spec_monthly_flows",
    "spec_revenue_by_driver",
    "spec_value_waterfall",
    "value_waterfall",
]


def _layout(title: str, currency: str, *, x_title: str, subtitle: str = "") -> Spec:
    layout = card_layout(title, subtitle)
    # Short titles fit a half-width card on a laptop; the detail goes in the subtitle.
    layout["title"]["font"] = {"size": 16}
    return layout | {
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        "hovermode": "x unified",
        "xaxis": {"title": {"text": x_title}},
        "yaxis": money_axis(currency),
    }


def _months_count(n: int) -> str:
    """A whole number of months: "36 months" ("36 bulan")."""
    return _("{n} months").format(n=count(n))


def _hover(currency: str, label: str = "%{fullData.name}") -> str:
    prefix, fmt = plotly_money_format(currency)
    return f"{label}: {prefix}%{{y:{fmt}}}<extra></extra>"


def spec_value_waterfall(result: Result, currency: str) -> Spec:
    prefix, fmt = plotly_money_format(currency)
    steps = npv_bridge(result)
    values = [step.value for step in steps]
    trace = {
        "type": "waterfall",
        "name": _("present value"),
        "x": [step_label(step.key) for step in steps],
        "y": values,
        "measure": ["total" if step.total else "relative" for step in steps],
        "text": [money_compact(v, currency) for v in values],
        "textposition": "outside",
        "textfont": {"size": 11},
        "cliponaxis": False,
        "increasing": {"marker": {"color": DRIVER_COLORS["social_deflection"]}},
        "decreasing": {"marker": {"color": COST_COLOR}},
        "totals": {"marker": {"color": NET_COLOR}},
        "connector": {"line": {"width": 1, "dash": "dot"}},
        "hovertemplate": f"%{{x}}: {prefix}%{{y:{fmt}}}<extra></extra>",
    }
    layout = _layout(
        _("Where the NPV comes from"),
        currency,
        x_title="",
        subtitle=_("present values, risk-adjusted"),
    )
    layout |= {"hovermode": "closest", "showlegend": False}
    return {"data": [trace], "layout": layout}


def spec_cumulative_cash(result: Result, currency: str) -> Spec:
    payback = result.summary.payback_months
    data: list[Spec] = [
        {
            "type": "scatter",
            "x": result.monthly.month,
            "y": result.monthly.cumulative_net,
            "mode": "lines+markers",
            "marker": {"size": 4},
            "line": {"color": NET_COLOR, "width": 3},
            "name": _("Cumulative net cash flow"),
            "hovertemplate": _hover(currency, _("Month {month}").format(month="%{x}")),
        }
    ]
    if payback is not None:
        data.append(
            {
                "type": "scatter",
                "x": [payback],
                "y": [0],
                "mode": "markers",
                "marker": {"size": 14, "symbol": "diamond", "color": COST_COLOR},
                "name": _("Payback: {months}").format(months=months(payback)),
                "hovertemplate": _("Payback after {months}").format(months=months(payback))
                + "<extra></extra>",
            }
        )
    horizon = int(result.monthly.month[-1])
    subtitle = (
        _("pays back after {months}").format(months=months(payback))
        if payback is not None
        else _("no payback within {months}").format(months=_months_count(horizon))
    )
    layout = _layout(_("Cumulative net cash flow"), currency, x_title=_("Month"), subtitle=subtitle)
    layout["hovermode"] = "closest"
    layout["shapes"] = [hline(0)]
    layout["annotations"] = [
        {
            "xref": "paper",
            "x": 1,
            "yref": "y",
            "y": 0,
            "text": _("break-even"),
            "showarrow": False,
            "xanchor": "right",
            "yanchor": "bottom",
        }
    ]
    return {"data": data, "layout": layout}


def _driver_traces(
    series: Mapping[str, FloatArray], month: npt.NDArray[Any], currency: str, style: Spec
) -> list[Spec]:
    """One trace per driver that is not zero all along, in the brand colour."""
    return [
        {
            "x": month,
            "y": values,
            "name": driver_label(driver),
            "hovertemplate": _hover(currency),
            **style,
            "marker" if style["type"] == "bar" else "line": {
                "color": DRIVER_COLORS[driver],
                **({} if style["type"] == "bar" else {"width": 1}),
            },
        }
        for driver, values in series.items()
        if values.any()
    ]


def spec_monthly_flows(result: Result, currency: str) -> Spec:
    m = result.monthly
    data = _driver_traces(m.benefits, m.month, currency, {"type": "bar"})
    data.append(
        {
            "type": "scatter",
            "x": m.month,
            "y": m.costs,
            "name": _("Costs"),
            "mode": "lines",
            "line": {"color": COST_COLOR, "width": 3},
            "hovertemplate": _hover(currency),
        }
    )
    layout = _layout(
        _("Monthly benefits by driver against costs"),
        currency,
        x_title=_("Month"),
        subtitle=_("risk-adjusted, not discounted"),
    )
    layout |= {"barmode": "relative", "bargap": 0.15}
    return {"data": data, "layout": layout}


def spec_revenue_by_driver(result: Result, currency: str) -> Spec:
    m = result.monthly
    style = {"type": "scatter", "mode": "lines", "stackgroup": "revenue"}
    data = _driver_traces(m.revenue, m.month, currency, style)
    layout = _layout(
        _("Revenue impact by driver"),
        currency,
        x_title=_("Month"),
        subtitle=_("before margin and risk"),
    )
    return {"data": data, "layout": layout}


def value_waterfall(result: Result, currency: str) -> go.Figure:
    """Where the NPV comes from: present value of each driver, subtotals, costs, NPV."""
    return figure(spec_value_waterfall(result, currency))


def cumulative_cash(result: Result, currency: str) -> go.Figure:
    """Cumulative net cash flow by month, the break-even line and the payback point."""
    return figure(spec_cumulative_cash(result, currency))


def monthly_flows(result: Result, currency: str) -> go.Figure:
    """Monthly benefits stacked by driver (risk-adjusted) against monthly costs."""
    return figure(spec_monthly_flows(result, currency))


def revenue_by_driver(result: Result, currency: str) -> go.Figure:
    """Revenue impact per month by driver, before margin and risk (stacked areas)."""
    return figure(spec_revenue_by_driver(result, currency))


# --- text alternatives (WCAG 1.1.1): one sentence a screen reader reads for each chart ------


def alt_value_waterfall(result: Result, currency: str) -> str:
    """ "NPV $867.2K: benefits worth $1.8M in present value, the most from hard
    savings' self-service ($422.5K), less costs of $935.4K." """
    s = result.summary
    drivers = [step for step in npv_bridge(result) if not step.total and step.key != "costs"]
    top = max(drivers, key=lambda step: step.value, default=None)
    npv, benefits = money_compact(s.npv, currency), money_compact(s.pv_benefits, currency)
    costs = money_compact(s.pv_costs, currency)
    if top is not None and top.value > 0:
        return _(
            "Where the NPV comes from: NPV {npv}; benefits worth {benefits} in present value, "
            "the most from {driver} ({amount}), less costs of {costs}."
        ).format(
            npv=npv,
            benefits=benefits,
            driver=step_label(top.key),
            amount=money_compact(top.value, currency),
            costs=costs,
        )
    return _(
        "Where the NPV comes from: NPV {npv}; benefits worth {benefits} in present value, "
        "less costs of {costs}."
    ).format(npv=npv, benefits=benefits, costs=costs)


def alt_cumulative_cash(result: Result, currency: str) -> str:
    """ "Pays back after 11.7 months; cumulative net cash flow $1.1M at month 36." """
    m, payback = result.monthly, result.summary.payback_months
    horizon = int(m.month[-1])
    end = money_compact(float(m.cumulative_net[-1]), currency)
    lowest = money_compact(float(m.cumulative_net.min()), currency)
    if payback is not None:
        return _(
            "Cumulative net cash flow: pays back after {months}; {end} at month {month}, "
            "lowest {lowest}."
        ).format(months=months(payback), end=end, month=horizon, lowest=lowest)
    return _(
        "Cumulative net cash flow: does not pay back within {months}; {end} at month {month}, "
        "lowest {lowest}."
    ).format(months=_months_count(horizon), end=end, month=horizon, lowest=lowest)


def alt_monthly_flows(result: Result, currency: str) -> str:
    """Benefits in the first and last month against the costs of those months."""
    m = result.monthly
    benefits, horizon = m.total_benefits, int(m.month[-1])
    return _(
        "Monthly benefits against costs: benefits {first_benefits} in month 1 and "
        "{last_benefits} in month {month}; costs {first_costs} in month 1 and {last_costs} in "
        "month {month}."
    ).format(
        first_benefits=money_compact(float(benefits[1]), currency),
        last_benefits=money_compact(float(benefits[-1]), currency),
        first_costs=money_compact(float(m.costs[1]), currency),
        last_costs=money_compact(float(m.costs[-1]), currency),
        month=horizon,
    )


def alt_revenue_by_driver(result: Result, currency: str) -> str:
    """The revenue drivers' total in the last month, and the largest of them."""
    m = result.monthly
    horizon = int(m.month[-1])
    last = {driver: float(values[-1]) for driver, values in m.revenue.items()}
    total = float(np.sum(list(last.values()))) if last else 0.0
    if total <= 0:
        return _("Revenue impact by driver: no revenue impact in {months}.").format(
            months=_months_count(horizon)
        )
    top = max(last, key=last.__getitem__)
    return _(
        "Revenue impact by driver: {total} in month {month}, the most from {driver} ({amount})."
    ).format(
        total=money_compact(total, currency),
        month=horizon,
        driver=driver_label(top),
        amount=money_compact(last[top], currency),
    )
