"""The comparison's tables (pure: named scenarios and their results in, frames out).

Scenario names are the user's text: plain cells, never Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from roi_core import NUMERIC_FIELDS, Result, Scenario, Summary, i18n
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.scenario import get_value
from roi_ui.formatting import (
    money,
    months,
    percent,
    percent_points,
    signed_money_compact,
    signed_months,
)
from roi_ui.frames.base import formats

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RESULTS",
    "changes_frame",
    "changes_shown",
    "cumulative_frame",
    "export_frame",
    "highlight",
    "inputs_frame",
    "labels_shown",
    "results_frame",
    "results_shown",
]

#: The headline results compared, by label (English: the frames' row labels; shown
#: translated through :func:`labels_shown`).
RESULTS = {
    N_("NPV"): "npv",
    N_("ROI"): "roi",
    N_("Hard-savings ROI"): "roi_hard",
    N_("Payback (months)"): "payback_months",
    N_("PV of benefits"): "pv_benefits",
    N_("PV of costs"): "pv_costs",
    N_("Cost savings"): "total_savings",
    N_("Revenue impact"): "total_revenue_impact",
}
#: The inputs table's rows that are not a field (a field's row is its translated title).
_CURRENCY, _LINE_ITEMS = N_("currency"), N_("line items")
_LABELS = frozenset({*RESULTS, _CURRENCY, _LINE_ITEMS})


def labels_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its English row labels (results, "currency", "line items") in
    the reader's language; every other label (a field's title) as it is."""
    return frame.rename(index=lambda r: _(str(r)) if r in _LABELS else r)


def inputs_frame(named: Sequence[tuple[str, Scenario]]) -> pd.DataFrame:
    """One row per input, one column per scenario (model units)."""
    import pandas as pd

    rows: dict[str, list[object]] = {_CURRENCY: [str(s.business.currency) for __, s in named]}
    for path, spec in NUMERIC_FIELDS.items():
        rows[f"{spec.title} ({path})"] = [get_value(s, path) for __, s in named]
    rows[_LINE_ITEMS] = [len(s.other_items) for __, s in named]
    return pd.DataFrame(rows, index=[n for n, __ in named]).T


def results_frame(named: Sequence[tuple[str, Summary, str]]) -> pd.DataFrame:
    """Headline results (rows) per scenario (columns, by name), each in its own
    currency: ``named`` is ``(name, summary, currency)``."""
    import pandas as pd

    data = {label: [getattr(x, attr) for __, x, ___ in named] for label, attr in RESULTS.items()}
    return pd.DataFrame(data, index=[n for n, __, ___ in named], dtype="float64").T


def changes_frame(named: Sequence[tuple[str, Summary, str]]) -> pd.DataFrame:
    """Each scenario's change against the first (columns by name), only for the
    scenarios in the first one's currency: amounts in different currencies are
    never subtracted. No column at all when none shares it."""
    results = results_frame(named)
    first, __, currency = named[0]
    same = [name for name, ___, cur in named[1:] if cur == currency]
    return results[same].sub(results[first], axis=0)


def _shown(label: str, value: float, currency: str, *, change: bool) -> str:
    if "ROI" in label:
        return (percent_points(value, 0.0) or _("no change")) if change else percent(value)
    if label.startswith("Payback"):
        return (signed_months(value) or _("no change")) if change else months(value)
    if change:
        return signed_money_compact(value, currency) or _("no change")
    return money(value, currency)


def results_shown(frame: pd.DataFrame, currencies: Mapping[str, str]) -> pd.DataFrame:
    """The results as people read them: each column's money in its own currency
    (``currencies`` by column), ROI as percent, payback in months."""
    out: pd.DataFrame = frame.apply(
        lambda col: [_shown(str(r), v, currencies[str(col.name)], change=False)
                     for r, v in col.items()]
    )  # fmt: skip
    return out


def changes_shown(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Changes as people read them: signed money in ``currency``, ROI in percentage
    points, payback in signed months; "no change" where nothing moved."""
    out: pd.DataFrame = frame.apply(
        lambda col: [_shown(str(r), v, currency, change=True) for r, v in col.items()]
    )
    return out


def cumulative_frame(named: Sequence[tuple[str, Result]]) -> pd.DataFrame:
    """The overlay chart's numbers: ``Month`` (raw), then each scenario's cumulative
    net cash flow by its name (money, in the one currency the chart compares);
    months past a shorter horizon are empty. A scenario named "Month" keeps its
    column beside the month's."""
    import pandas as pd

    series = {name: pd.Series(r.monthly.cumulative_net, index=r.monthly.month) for name, r in named}
    frame = pd.DataFrame(series)
    month = _("Month")
    frame.insert(0, month, frame.index.to_numpy(), allow_duplicates=True)
    return formats(frame.reset_index(drop=True), money=list(series), raw=[month])


def export_frame(
    results: pd.DataFrame, changes: pd.DataFrame, inputs: pd.DataFrame
) -> pd.DataFrame:
    """Results, changes against the first scenario (where in its currency), then
    inputs, in one table for a CSV (one column per scenario), labelled in the
    reader's language."""
    import pandas as pd

    names = list(inputs.columns)
    return pd.concat(
        [labels_shown(f) for f in (results[names], changes.reindex(columns=names), inputs)],
        keys=[_("result"), _("change against the first"), _("input")],
    )


def highlight(inputs: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The inputs as text (numbers in short form), cells that differ from the first
    scenario's shaded."""
    differs = inputs.ne(inputs.iloc[:, 0], axis=0)
    swap = str.maketrans(",.", ".,") if i18n.current() == "id" else None  # 1.234,5

    def short(v: object) -> str:
        if not isinstance(v, int | float):
            return str(v)
        text = f"{v:,.6g}"
        return text.translate(swap) if swap else text

    shown = inputs.map(short)
    return shown.style.apply(
        lambda col: ["background-color: #FEF3C7" if d else "" for d in differs[col.name]],
        axis=0,
    )
