"""A workshop room's figure, pure: each team's ROI in, ``go.Figure`` out.

Team names are the participants' text: shown through
:func:`roi_ui.text.plotly_label`, never as Plotly's HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from roi_core.i18n import gettext as _
from roi_core.i18n import ngettext
from roi_ui.figures.base import card_layout, figure
from roi_ui.formatting import count, percent
from roi_ui.text import plotly_label
from roi_ui.theme import NET_COLOR

__all__ = ["alt_roi_by_team", "roi_by_team"]


def roi_by_team(labels: Sequence[str], roi: Sequence[float | None]) -> go.Figure:
    """ROI of each team's latest submission (fractions; undefined as 0), highest on top."""
    shown = [plotly_label(x) for x in labels]
    percent = [(r or 0.0) * 100 for r in roi]
    order = sorted(range(len(percent)), key=lambda i: percent[i])
    spec = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [percent[i] for i in order],
                "y": [shown[i] for i in order],
                "marker": {"color": NET_COLOR},
                "hovertemplate": "%{y}: ROI %{x:.1f}%<extra></extra>",
                "name": "ROI",
            }
        ],
        "layout": card_layout(
            _("ROI by team"),
            _("latest submission of each"),
            height=max(260, 60 + 30 * len(shown)),
        )
        | {"xaxis": {"title": {"text": _("ROI (%)")}}, "showlegend": False},
    }
    return figure(spec)


def alt_roi_by_team(labels: Sequence[str], roi: Sequence[float | None]) -> str:
    """The chart in one sentence (a screen reader's text): how many teams, the highest
    and the lowest ROI. An attribute, never HTML: team names go in as typed."""
    known = [(r, label) for label, r in zip(labels, roi, strict=True) if r is not None]
    n = len(labels)
    if not known:
        return ngettext(
            "ROI by team: {n} team, no ROI defined yet.",
            "ROI by team: {n} teams, no ROI defined yet.",
            n,
        ).format(n=count(n))
    best, worst = max(known), min(known)
    return ngettext(
        "ROI by team: {n} team; highest {best} at {best_roi}, lowest {worst} at {worst_roi}.",
        "ROI by team: {n} teams; highest {best} at {best_roi}, lowest {worst} at {worst_roi}.",
        n,
    ).format(
        n=count(n),
        best=best[1],
        best_roi=percent(best[0]),
        worst=worst[1],
        worst_roi=percent(worst[0]),
    )
