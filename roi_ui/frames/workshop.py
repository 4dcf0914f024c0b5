"""A workshop room's tables (pure: submissions with their results in, frames out).

Team names are the participants' text: plain cells. Until the facilitator
reveals them, teams show as "Team 1", "Team 2"… in the order they first
submitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from roi_core import NUMERIC_FIELDS, Scenario, Summary
from roi_core.i18n import gettext as _
from roi_core.scenario import get_value

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["board", "export_frame", "team_labels"]


def team_labels(teams: Sequence[str], reveal: bool) -> list[str]:
    return [t if reveal else _("Team {number}").format(number=i + 1) for i, t in enumerate(teams)]


def board(
    labels: Sequence[str],
    cases: Sequence[tuple[int, Scenario, Summary]],
    allowed: Sequence[str],
) -> pd.DataFrame:
    """One row per team (its latest submission: version, scenario, summary): the
    team, its version, NPV, ROI, payback and the open levers, headed by their
    titles. ``attrs`` say how each reads (:func:`roi_ui.frames.base.displayed`):
    money in the room's currency, ROI and shares in %, payback in months — the
    units the teams see, not model fractions."""
    import pandas as pd

    from roi_ui.frames.base import formats

    team, version_, npv, roi, payback = _("Team"), _("Version"), _("NPV"), _("ROI"), _("Payback")
    rows = []
    for label, (version, scenario, summary) in zip(labels, cases, strict=True):
        row: dict[str, object] = {
            team: label,
            version_: version,
            npv: summary.npv,
            roi: summary.roi,
            payback: summary.payback_months,
        }
        for path in allowed:
            row[NUMERIC_FIELDS[path].title] = get_value(scenario, path)
        rows.append(row)
    frame = pd.DataFrame(
        rows,
        columns=[team, version_, npv, roi, payback, *(NUMERIC_FIELDS[p].title for p in allowed)],
    )
    levers = {NUMERIC_FIELDS[p].title: NUMERIC_FIELDS[p].unit for p in allowed}
    return formats(
        frame,
        money=[npv, *(t for t, u in levers.items() if u.startswith("money"))],
        percent=[roi, *(t for t, u in levers.items() if u.startswith("fraction"))],
        months=[payback],
        count=[version_],
    )


def export_frame(rows: Sequence[tuple[dict[str, Any], Summary]]) -> pd.DataFrame:
    """Every submitted version flat: team, version, time (ISO 8601 with its UTC
    offset), the case's results (ROI in percent), every input (model units).
    ``rows`` are the store's export rows, each with its scenario's summary."""
    import pandas as pd

    out = []
    for row, summary in rows:
        scenario = Scenario.model_validate(row["scenario"])
        when = row["submitted_at"]
        flat: dict[str, object] = {
            "team": row["team"],
            "version": row["version"],
            "submitted_at": when.isoformat() if isinstance(when, datetime) else when,
            "npv": summary.npv,
            "roi_percent": None if summary.roi is None else summary.roi * 100,
            "payback_months": summary.payback_months,
        }
        flat |= {path: get_value(scenario, path) for path in NUMERIC_FIELDS}
        out.append(flat)
    return pd.DataFrame(out)
