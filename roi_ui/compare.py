"""Scenario comparison, pure: named scenarios in, frames and a figure out.

Scenario names are the user's text: they reach Plotly escaped (its labels read
a little HTML) and tables as plain cells.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from roi_core import NUMERIC_FIELDS, Scenario, evaluate, sensitivity, with_values
from roi_core.analysis import feasible
from roi_core.scenario import get_value
from roi_ui.charts import card_layout, figure, hline, money_axis
from roi_ui.formatting import plotly_money_format
from roi_ui.theme import DRIVER_COLORS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_COMPARED",
    "cumulative_overlay",
    "export_frame",
    "highlight",
    "inputs_frame",
    "results_frame",
    "variants",
]

MAX_COMPARED = 4
_COLORS = [DRIVER_COLORS[d] for d in ("root_cause", "retention", "saves", "cross_sell")]
_RESULTS = {
    "NPV": "npv",
    "ROI": "roi",
    "Hard-savings ROI": "roi_hard",
    "Payback (months)": "payback_months",
    "PV of benefits": "pv_benefits",
    "PV of costs": "pv_costs",
    "Cost savings": "total_savings",
    "Revenue impact": "total_revenue_impact",
}


def variants(s: Scenario) -> list[tuple[str, Scenario]]:
    """Conservative / Base / Optimistic from the uncertainty ranges: every ranged
    field at the end of its range that lowers (raises) the NPV, made valid the way
    the analyses do (clipped; deflection shares scaled to sum to at most 1)."""
    rows = sensitivity(s)
    if not rows:
        return [("Base", s)]
    out = [("Conservative", {}), ("Optimistic", {})]
    for row in rows:
        worse, better = sorted(((row.npv_low, row.low), (row.npv_high, row.high)))
        out[0][1][row.field] = [worse[1]]
        out[1][1][row.field] = [better[1]]
    made = []
    for name, columns in out:
        valid = feasible(s, columns)
        made.append((name, with_values(s, {p: float(v[0]) for p, v in valid.items()})))
    return [made[0], ("Base", s), made[1]]


def inputs_frame(named: Sequence[tuple[str, Scenario]]) -> pd.DataFrame:
    """One row per input, one column per scenario (model units)."""
    import pandas as pd

    rows = {"currency": [str(s.business.currency) for _, s in named]}
    for path, spec in NUMERIC_FIELDS.items():
        rows[f"{spec.title} ({path})"] = [get_value(s, path) for _, s in named]
    rows["line items"] = [len(s.other_items) for _, s in named]
    return pd.DataFrame(rows, index=[n for n, _ in named]).T


def results_frame(named: Sequence[tuple[str, Scenario]]) -> pd.DataFrame:
    """Headline results per scenario, and each one's change against the first."""
    import pandas as pd

    summaries = [evaluate(s).summary for _, s in named]
    data = {label: [getattr(x, attr) for x in summaries] for label, attr in _RESULTS.items()}
    frame = pd.DataFrame(data, index=[n for n, _ in named], dtype="float64").T
    first = frame.iloc[:, 0]
    for name in frame.columns[1:]:
        frame[f"{name} vs {frame.columns[0]}"] = frame[name] - first
    return frame


def cumulative_overlay(named: Sequence[tuple[str, Scenario]], currency: str) -> go.Figure:
    """Cumulative net cash flow of every scenario on one chart."""
    prefix, fmt = plotly_money_format(currency)
    data = []
    for i, (name, s) in enumerate(named):
        m = evaluate(s).monthly
        label = html.escape(name)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": m.month,
                "y": m.cumulative_net,
                "name": label,
                "line": {"color": _COLORS[i % len(_COLORS)], "width": 3},
                "hovertemplate": f"{label}, month %{{x}}: {prefix}%{{y:{fmt}}}<extra></extra>",
            }
        )
    layout = card_layout("Cumulative net cash flow", "each scenario", height=400) | {
        "xaxis": {"title": {"text": "Month"}},
        "yaxis": money_axis(currency),
        "legend": {"orientation": "h", "y": -0.2},
        "shapes": [hline(0)],
    }
    return figure({"data": data, "layout": layout})


def export_frame(results: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Results, then inputs, in one table for a CSV (one column per scenario)."""
    import pandas as pd

    names = list(inputs.columns)
    return pd.concat([results[names], inputs], keys=["result", "input"])


def highlight(inputs: pd.DataFrame, differs: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The inputs as text (numbers in short form), differing cells shaded."""
    shown = inputs.map(lambda v: f"{v:,.6g}" if isinstance(v, int | float) else str(v))
    return shown.style.apply(
        lambda col: ["background-color: #FEF3C7" if d else "" for d in differs[col.name]],
        axis=0,
    )
