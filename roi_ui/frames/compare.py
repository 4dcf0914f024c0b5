"""The comparison's tables (pure: named scenarios and their results in, frames out).

Scenario names are the user's text: plain cells, never Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from roi_core import NUMERIC_FIELDS, Scenario, Summary
from roi_core.scenario import get_value
from roi_ui.formatting import (
    money,
    months,
    percent,
    percent_points,
    signed_money_compact,
    signed_months,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RESULTS",
    "export_frame",
    "highlight",
    "inputs_frame",
    "results_frame",
    "results_shown",
]

#: The headline results compared, by label.
RESULTS = {
    "NPV": "npv",
    "ROI": "roi",
    "Hard-savings ROI": "roi_hard",
    "Payback (months)": "payback_months",
    "PV of benefits": "pv_benefits",
    "PV of costs": "pv_costs",
    "Cost savings": "total_savings",
    "Revenue impact": "total_revenue_impact",
}


def inputs_frame(named: Sequence[tuple[str, Scenario]]) -> pd.DataFrame:
    """One row per input, one column per scenario (model units)."""
    import pandas as pd

    rows: dict[str, list[object]] = {"currency": [str(s.business.currency) for _, s in named]}
    for path, spec in NUMERIC_FIELDS.items():
        rows[f"{spec.title} ({path})"] = [get_value(s, path) for _, s in named]
    rows["line items"] = [len(s.other_items) for _, s in named]
    return pd.DataFrame(rows, index=[n for n, _ in named]).T


def results_frame(named: Sequence[tuple[str, Summary, str]]) -> pd.DataFrame:
    """Headline results per scenario (``(name, summary, currency)``), each in its own
    currency, and each one's change against the first — only for scenarios in the
    first one's currency: amounts in different currencies are never subtracted."""
    import pandas as pd

    data = {label: [getattr(x, attr) for _, x, _ in named] for label, attr in RESULTS.items()}
    frame = pd.DataFrame(data, index=[n for n, _, _ in named], dtype="float64").T
    first_name, _, first_currency = named[0]
    for name, _, currency in named[1:]:
        if currency == first_currency:
            frame[f"{name} vs {first_name}"] = frame[name] - frame[first_name]
    return frame


def results_shown(frame: pd.DataFrame, currencies: Mapping[str, str]) -> pd.DataFrame:
    """The results as people read them: each column's money in its own currency
    (``currencies`` by column; a "vs" column in its scenario's), ROI as percent
    (changes in percentage points), payback in months (changes signed)."""

    def column(name: str, values: pd.Series) -> list[str]:
        currency = currencies.get(name) or currencies.get(name.split(" vs ")[0], "")
        change = name not in currencies
        out = []
        for row, v in values.items():
            label = str(row)
            if "ROI" in label:
                out.append((percent_points(v, 0.0) or "no change") if change else percent(v))
            elif label.startswith("Payback"):
                out.append((signed_months(v) or "no change") if change else months(v))
            elif change:
                out.append(signed_money_compact(v, currency) or "no change")
            else:
                out.append(money(v, currency))
        return out

    return frame.apply(lambda col: column(str(col.name), col))


def export_frame(results: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Results, then inputs, in one table for a CSV (one column per scenario)."""
    import pandas as pd

    names = list(inputs.columns)
    return pd.concat([results[names], inputs], keys=["result", "input"])


def highlight(inputs: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The inputs as text (numbers in short form), cells that differ from the first
    scenario's shaded."""
    differs = inputs.ne(inputs.iloc[:, 0], axis=0)
    shown = inputs.map(lambda v: f"{v:,.6g}" if isinstance(v, int | float) else str(v))
    return shown.style.apply(
        lambda col: ["background-color: #FEF3C7" if d else "" for d in differs[col.name]],
        axis=0,
    )
