"""Figures for the risk page, pure: analysis results in, ``go.Figure`` out.

Same conventions as :mod:`roi_ui.figures.dashboard`: specs validated in the
tests, wrapped without per-property validation on the hot path; money in the
scenario's currency. Nothing here evaluates a scenario: the analyses' numbers
come in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

from roi_core import NUMERIC_FIELDS
from roi_core.analysis import MonteCarlo, TornadoRow
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_ui.figures.base import Spec, card_layout, figure, hline, money_axis, vline
from roi_ui.formatting import money_compact, percent, plotly_money_format
from roi_ui.theme import COST_COLOR, DRIVER_COLORS, NET_COLOR

__all__ = [
    "break_even_curve",
    "heatmap",
    "monte_carlo_npv",
    "monte_carlo_payback",
    "monte_carlo_roi",
    "spec_break_even",
    "spec_heatmap",
    "spec_histogram",
    "spec_tornado",
    "tornado",
]

_UP, _DOWN = DRIVER_COLORS["social_deflection"], COST_COLOR

#: The tornado's two bars per input: legend name, hover text, the row's attributes
#: (NPV there, value there), colour and hatching.
_ENDS = (
    (
        N_("Low end"),
        N_("{input} at low end ({value}): {change} vs base"),
        "npv_low",
        "low",
        _DOWN,
        "/",
    ),
    (
        N_("High end"),
        N_("{input} at high end ({value}): {change} vs base"),
        "npv_high",
        "high",
        _UP,
        "",
    ),
)


def spec_tornado(rows: Sequence[TornadoRow], base_npv: float, currency: str) -> Spec:
    """Horizontal bars from the base NPV to the NPV at each range's low and high end,
    largest swing on top."""
    prefix, fmt = plotly_money_format(currency)
    labels = [NUMERIC_FIELDS[r.field].title for r in rows][::-1]
    ordered = list(rows)[::-1]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": _(name),
            "y": labels,
            "x": [getattr(r, attr) - base_npv for r in ordered],
            "base": base_npv,
            # not by colour alone (WCAG 1.4.1): the low end's bars are hatched
            "marker": {"color": color, "pattern": {"shape": shape, "solidity": 0.35}},
            "customdata": [getattr(r, end) for r in ordered],
            "hovertemplate": _(hover).format(
                input="%{y}", value="%{customdata:.4g}", change=f"{prefix}%{{x:{fmt}}}"
            )
            + "<extra></extra>",
        }
        for name, hover, attr, end, color, shape in _ENDS
    ]
    base = money_compact(base_npv, currency)
    layout = card_layout(
        _("What moves the NPV most"),
        _("one range at a time; line: base NPV {npv}").format(npv=base),
        height=max(260, 60 + 34 * len(rows)),
    ) | {
        "barmode": "overlay",
        "xaxis": money_axis(currency),
        "shapes": [vline(base_npv, color=NET_COLOR, width=2)],
        "legend": {"orientation": "h", "y": -0.15},
    }
    return {"data": data, "layout": layout}


def _bin_edges(values: npt.NDArray[np.float64], bins: int = 40) -> npt.NDArray[np.float64]:
    """Forty equal bins over the values; one bin around them when they are (nearly)
    all the same — equal-width bins cannot split a span of a few units at 1e15."""
    if not values.size:
        return np.array([0.0, 1.0])
    try:
        edges: npt.NDArray[np.float64] = np.histogram_bin_edges(values, bins=bins)
    except ValueError:  # "Too many bins for data range"
        middle = float(np.median(values))
        half = max(abs(middle) * 1e-6, float(np.ptp(values)), 1.0)
        return np.array([middle - half, middle + half])
    return edges


def spec_histogram(
    values: npt.NDArray[np.float64],
    *,
    title: str,
    x_title: str,
    markers: dict[str, float | None],
    currency: str | None = None,
) -> Spec:
    """Distribution of draws with vertical lines at the given markers (P10, P50…)."""
    shown = values[np.isfinite(values)]
    bins = _bin_edges(shown)
    counts, edges = np.histogram(shown, bins=bins)
    centers = (edges[:-1] + edges[1:]) / 2
    share = counts / max(values.size, 1)
    xaxis: Spec = money_axis(currency) if currency else {"title": {"text": x_title}}
    if currency:
        xaxis["title"] = {"text": f"{x_title} ({currency})"}
    shapes, notes = [], []
    for label, x in markers.items():
        if x is None:
            continue
        shapes.append(vline(x, dash="dot", width=1.5))
        notes.append(
            {
                "xref": "x",
                "x": x,
                "yref": "paper",
                "y": 1.0,
                "text": label,
                "showarrow": False,
                "yanchor": "bottom",
            }
        )
    data = [
        {
            "type": "bar",
            "x": centers,
            "y": share,
            "width": float(edges[1] - edges[0]) if edges.size > 1 else 1.0,
            "marker": {"color": NET_COLOR},
            "name": _("share of draws"),
            "hovertemplate": _("{value}: {share} of draws").format(
                value="%{x:,.4g}", share="%{y:.1%}"
            )
            + "<extra></extra>",
        }
    ]
    layout = card_layout(title, height=340) | {
        "xaxis": xaxis,
        "yaxis": {"title": {"text": _("share of draws")}, "tickformat": ".0%"},
        "shapes": shapes,
        "annotations": notes,
        "showlegend": False,
        "bargap": 0.02,
    }
    return {"data": data, "layout": layout}


def spec_break_even(
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    *,
    field_title: str,
    metric_title: str,
    target: float,
    current: float,
    found: float | None,
) -> Spec:
    """The metric against the field, the target line, the current value and the answer."""
    shapes = [hline(target), vline(current, dash="dot", width=1.5, color="#64748B")]
    data: list[Spec] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "name": metric_title,
            "line": {"color": NET_COLOR, "width": 3},
        },
    ]
    if found is not None:
        data.append(
            {
                "type": "scatter",
                "x": [found],
                "y": [target],
                "mode": "markers",
                "name": _("break-even"),
                "marker": {"size": 14, "symbol": "diamond", "color": COST_COLOR},
            }
        )
    layout = card_layout(
        _("{metric} against {field}").format(metric=metric_title, field=field_title),
        _("dotted: today's value; dashed: the target"),
        height=360,
    ) | {
        "xaxis": {"title": {"text": field_title}},
        "yaxis": {"title": {"text": metric_title}},
        "shapes": shapes,
        "legend": {"orientation": "h", "y": -0.2},
    }
    return {"data": data, "layout": layout}


def spec_heatmap(
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    z: npt.NDArray[np.float64],
    *,
    x_title: str,
    y_title: str,
    metric_title: str,
    current: tuple[float, float],
    break_even: bool = True,
) -> Spec:
    """A two-way data table as a heatmap, with today's point and, where the metric
    crosses zero on the grid (``break_even``), the zero contour."""
    data: list[Spec] = [
        # Red for losses, white at break-even, brand teal for gains (explicit: a named
        # scale would be replaced by the app theme's own).
        {
            "type": "heatmap",
            "x": xs,
            "y": ys,
            "z": z,
            "zmid": 0,
            "colorscale": [[0.0, COST_COLOR], [0.5, "#F8FAFC"], [1.0, NET_COLOR]],
            "colorbar": {"title": {"text": metric_title}},
            "hovertemplate": f"{x_title} %{{x:.4g}}<br>{y_title} %{{y:.4g}}<br>"
            f"{metric_title} %{{z:,.0f}}<extra></extra>",
        },
        {
            "type": "contour",
            "x": xs,
            "y": ys,
            "z": z,
            "showscale": False,
            "contours": {"start": 0, "end": 0, "size": 1, "coloring": "none", "showlabels": True},
            "line": {"width": 3, "color": "#0F172A"},
            "name": f"{metric_title} = 0",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": [current[0]],
            "y": [current[1]],
            "mode": "markers",
            "name": _("today"),
            "marker": {"size": 14, "symbol": "x", "color": "#0F172A"},
        },
    ]
    if not break_even:
        data = [d for d in data if d["type"] != "contour"]
    subtitle = (
        _("black line: break-even; x: today's scenario") if break_even else _("x: today's scenario")
    )
    title = _("{metric} over two inputs").format(metric=metric_title)
    layout = card_layout(title, subtitle, height=460) | {
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "showlegend": False,
    }
    return {"data": data, "layout": layout}


def break_even_curve(
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    *,
    path: str,
    metric: str,
    goal: float,
    current: float,
    found: float | None,
    scale: float = 1.0,
    currency: str = "",
) -> go.Figure:
    """The metric (``ys``, as the analysis gives it) over the field's values
    (``xs``, model units), shown in display units: ``scale`` 100 for shares, ROI
    in %, money with its currency."""
    spec = NUMERIC_FIELDS[path]
    shown = {"npv": ys, "roi": ys * 100, "payback_months": ys}[metric]
    label = {
        "npv": f"NPV ({currency})" if currency else "NPV",
        "roi": "ROI (%)",
        "payback_months": _("Payback (months)"),
    }[metric]
    money = spec.unit.startswith("money") and currency
    unit = " (%)" if scale == 100 else (f" ({currency})" if money else "")
    return figure(
        spec_break_even(
            xs * scale,
            np.where(np.isfinite(shown), shown, np.nan),
            field_title=spec.title + unit,
            metric_title=label,
            target=goal * 100 if metric == "roi" else goal,
            current=current * scale,
            found=None if found is None else found * scale,
        )
    )


def heatmap(
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    z: npt.NDArray[np.float64],
    **labels: object,
) -> go.Figure:
    """:func:`spec_heatmap` as a figure (``labels``: its keyword arguments)."""
    return figure(spec_heatmap(xs, ys, z, **labels))  # type: ignore[arg-type]


def tornado(rows: Sequence[TornadoRow], base_npv: float, currency: str) -> go.Figure:
    return figure(spec_tornado(rows, base_npv, currency))


def monte_carlo_npv(mc: MonteCarlo, currency: str) -> go.Figure:
    assert mc.samples is not None
    markers = {"P10": mc.npv.p10, "P50": mc.npv.p50, "P90": mc.npv.p90}
    return figure(
        spec_histogram(
            mc.samples.npv,
            title=_("NPV across the draws"),
            x_title="NPV",
            markers=markers,
            currency=currency,
        )
    )


def monte_carlo_roi(mc: MonteCarlo) -> go.Figure:
    """ROI (in %) across the draws whose ROI is defined."""
    assert mc.samples is not None
    roi = mc.samples.roi * 100
    markers = {
        k: None if v is None else v * 100
        for k, v in (("P10", mc.roi.p10), ("P50", mc.roi.p50), ("P90", mc.roi.p90))
    }
    return figure(
        spec_histogram(roi, title=_("ROI across the draws"), x_title="ROI (%)", markers=markers)
    )


def monte_carlo_payback(mc: MonteCarlo) -> go.Figure:
    assert mc.samples is not None
    p = mc.payback_months
    return figure(
        spec_histogram(
            mc.samples.payback_months,
            title=_("Payback ({share} of draws pay back)").format(
                share=percent(p.share_paid_back, digits=0)
            ),
            x_title=_("Months"),
            markers={"P10": p.p10, "P50": p.p50, "P90": p.p90},
        )
    )
