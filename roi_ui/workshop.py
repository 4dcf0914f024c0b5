"""A workshop room's board, pure: submissions in, tables, figures and a median out.

Team names are the participants' text: plain cells in tables, escaped for Plotly.
Until the facilitator reveals them, teams show as "Team 1", "Team 2"… in the
order they first submitted.
"""

from __future__ import annotations

import html
import io
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from roi_core import NUMERIC_FIELDS, Scenario, evaluate, with_values
from roi_core.scenario import get_value
from roi_ui.charts import card_layout, figure
from roi_ui.store import Submission
from roi_ui.theme import NET_COLOR

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "board",
    "disagreement",
    "export_frame",
    "median_scenario",
    "roi_by_team",
    "team_labels",
    "to_xlsx",
]


def team_labels(subs: Sequence[Submission], reveal: bool) -> list[str]:
    return [s.team if reveal else f"Team {i + 1}" for i, s in enumerate(subs)]


def board(subs: Sequence[Submission], allowed: Sequence[str], reveal: bool) -> pd.DataFrame:
    """One row per team (latest submission): version, NPV, ROI, payback, open levers."""
    import pandas as pd

    rows = []
    for label, sub in zip(team_labels(subs, reveal), subs, strict=True):
        summary = evaluate(sub.scenario).summary
        row: dict[str, object] = {
            "team": label,
            "version": sub.version,
            "NPV": summary.npv,
            "ROI": summary.roi,
            "payback (months)": summary.payback_months,
        }
        for path in allowed:
            row[NUMERIC_FIELDS[path].title] = get_value(sub.scenario, path)
        rows.append(row)
    return pd.DataFrame(rows)


def disagreement(subs: Sequence[Submission], allowed: Sequence[str]) -> list[tuple[str, float]]:
    """The open levers the room disagrees on most: the spread of the teams' values
    (standard deviation) relative to the lever's usual scale, largest first."""
    if len(subs) < 2:
        return []
    out = []
    for path in allowed:
        spec = NUMERIC_FIELDS[path]
        values = [get_value(s.scenario, path) for s in subs]
        scale = spec.typical_max or max(abs(v) for v in values) or 1.0
        out.append((path, statistics.pstdev(values) / scale))
    return sorted(out, key=lambda x: -x[1])


def median_scenario(base: Scenario, subs: Sequence[Submission], allowed: Sequence[str]) -> Scenario:
    """The room's scenario with every open lever at the median of the teams' values."""
    if not subs:
        return base
    values = {p: statistics.median(get_value(s.scenario, p) for s in subs) for p in allowed}
    social, self_service = "levers.social_deflection", "levers.self_service_deflection"
    a = values.get(social, get_value(base, social))
    b = values.get(self_service, get_value(base, self_service))
    if a + b > 1:  # medians of valid pairs can break the pair rule; scale as the analyses do
        for path in (social, self_service):
            if path in values:
                values[path] /= a + b
    return with_values(base, values)


def roi_by_team(subs: Sequence[Submission], reveal: bool) -> go.Figure:
    """ROI of each team's latest submission, highest first."""
    labels = [html.escape(x) for x in team_labels(subs, reveal)]
    roi = [(evaluate(s.scenario).summary.roi or 0.0) * 100 for s in subs]
    order = sorted(range(len(roi)), key=lambda i: roi[i])
    spec = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [roi[i] for i in order],
                "y": [labels[i] for i in order],
                "marker": {"color": NET_COLOR},
                "hovertemplate": "%{y}: ROI %{x:.1f}%<extra></extra>",
                "name": "ROI",
            }
        ],
        "layout": card_layout(
            "ROI by team", "latest submission of each", height=max(260, 60 + 30 * len(labels))
        )
        | {"xaxis": {"title": {"text": "ROI (%)"}}, "showlegend": False},
    }
    return figure(spec)


def export_frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Every submitted version flat: team, version, time, the case's results, every input."""
    import pandas as pd

    out = []
    for row in rows:
        s = Scenario.model_validate(row["scenario"])
        summary = evaluate(s).summary
        flat: dict[str, object] = {
            "team": row["team"],
            "version": row["version"],
            "submitted_at": row["submitted_at"],
            "npv": summary.npv,
            "roi": summary.roi,
            "payback_months": summary.payback_months,
        }
        flat |= {path: get_value(s, path) for path in NUMERIC_FIELDS}
        out.append(flat)
    return pd.DataFrame(out)


def to_xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="Submissions", engine="openpyxl")
    return buffer.getvalue()
