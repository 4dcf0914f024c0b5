"""The numbers behind the risk page's charts and tables (pure: analyses in,
frames out).

Columns carry the charts' own words, and each frame's ``attrs`` say how its
numbers read (:mod:`roi_ui.frames.base`): the CSV keeps the raw numbers,
:func:`roi_ui.frames.base.displayed` formats a copy for the page. An input's
values are in display units, as its control shows them: shares in percent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from roi_core import NUMERIC_FIELDS, Summary
from roi_core.analysis import MonteCarlo, TornadoRow
from roi_core.drivers import FloatArray
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_ui.editor import factor
from roi_ui.frames.base import Kind, field_title, field_unit, formats

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MONTE_CARLO_ROWS",
    "TORNADO_COLUMNS",
    "break_even_curve",
    "grid",
    "monte_carlo",
    "risk_adjustment",
    "tornado",
    "translated",
]

#: The tornado table's columns, the field path last (for scripts reading the CSV);
#: in English here, in the language spoken in a frame.
TORNADO_COLUMNS = [
    N_("Input"), N_("Low"), N_("High"), N_("Unit"), N_("NPV at low"), N_("NPV at high"),
    N_("Swing"), N_("Field"),
]  # fmt: skip

#: The Monte Carlo table's rows: its label (English; spoken in a frame), the
#: analysis' name and how it reads.
MONTE_CARLO_ROWS: dict[str, tuple[str, Kind]] = {
    "NPV": ("npv", "money"),
    "ROI": ("roi", "percent"),
    N_("Payback (months)"): ("payback_months", "months"),
}
_STATS = {N_("Mean"): "mean", "P5": "p5", "P10": "p10", "P50": "p50", "P90": "p90", "P95": "p95"}

#: The risk adjustment table's labels (rows and columns), translated when shown.
_ADJUSTMENT_LABELS = (
    N_("PV of benefits"),
    N_("PV of costs"),
    N_("Payback (months)"),
    N_("Unadjusted"),
    N_("Risk-adjusted"),
    N_("Effect of risk"),
)


def _display(path: str, value: float) -> float:
    """A field's value as its control shows it: shares in percent, else as it is.

    A percent is rounded at ten decimals where that is still the same share
    (``0.07`` reads ``7.0``, not ``7.000000000000001``), and kept in full where
    rounding would change it (a sixth is ``16.666666666666664``)."""
    scale = factor(path)
    if scale == 1:
        return value
    shown = value * scale
    clean = round(shown, 10)
    return clean if clean / scale == value else shown


def tornado(rows: Sequence[TornadoRow], *, currency: str = "") -> pd.DataFrame:
    """The tornado's bars, largest swing first: ``Input`` (the field's title, as on
    the chart's axis), ``Low`` and ``High`` (the range evaluated, in display units:
    shares in percent), ``Unit`` (as the app writes it after a title: ``%``,
    ``USD``, ``customers``), ``NPV at low``, ``NPV at high`` and ``Swing`` (money),
    then ``Field`` (the field's path).

    ``Low`` and ``High`` are left raw: each row has its own unit, named beside them.
    ``currency`` names money units (``USD per month``); without one they go unnamed."""
    import pandas as pd

    data = [
        (
            NUMERIC_FIELDS[r.field].title,
            _display(r.field, r.low),
            _display(r.field, r.high),
            field_unit(r.field, currency),
            r.npv_low,
            r.npv_high,
            r.swing,
            r.field,
        )
        for r in rows
    ]
    frame = pd.DataFrame(data, columns=[_(c) for c in TORNADO_COLUMNS])
    return formats(
        frame,
        money=[_("NPV at low"), _("NPV at high"), _("Swing")],
        raw=[_("Low"), _("High")],
    )


def monte_carlo(mc: MonteCarlo) -> pd.DataFrame:
    """Mean and percentiles of the NPV, the ROI and the payback over the draws, one
    row each (named in the column ``Result``: "NPV", "ROI", "Payback (months)"):
    ``Mean``, ``P5``, ``P10``, ``P50``, ``P90``, ``P95`` read as their row (money,
    percent, months; a payback percentile past the horizon is undefined, "never");
    ``Chance NPV > 0`` (the NPV row) and ``Share paid back`` (the payback row) are
    percent, empty in the other rows; ``Draws`` is a count. ``Seed`` is left raw:
    it is typed back into the page as it is, not read as a quantity."""
    import pandas as pd

    data = mc.to_dict()
    result, chance, paid = _("Result"), _("Chance NPV > 0"), _("Share paid back")
    stats_columns = [_(column) for column in _STATS]
    rows = []
    for label, (key, _kind) in MONTE_CARLO_ROWS.items():
        stats = data[key]
        rows.append(
            {result: _(label)}
            | {_(column): stats[name] for column, name in _STATS.items()}
            | {
                chance: mc.prob_npv_positive if key == "npv" else None,
                paid: stats.get("share_paid_back"),
            }
        )
    frame = pd.DataFrame(rows)
    numbers = [*stats_columns, chance, paid]
    frame[numbers] = frame[numbers].astype("float64")
    draws, seed = _("Draws"), _("Seed")
    frame[draws], frame[seed] = mc.n, mc.seed
    return formats(
        frame,
        percent=[chance, paid],
        count=[draws],
        raw=[seed],
        by_row=stats_columns,
        rows={_(label): kind for label, (_key, kind) in MONTE_CARLO_ROWS.items()},
        row_label=result,
    )


def grid(
    xs: FloatArray,
    ys: FloatArray,
    z: FloatArray,
    x_path: str,
    y_path: str,
    *,
    metric: Literal["npv", "roi"] = "npv",
    currency: str = "",
) -> pd.DataFrame:
    """A two-way data table as the heatmap shows it: one row per y value, one column
    per x value. The first column is headed by the y field's title with its unit
    ("Setup (USD)") and holds the y values; the other headers are the x values;
    both in display units (shares in percent). ``z`` is the analysis' metric in
    model units: the NPV (money) or the ROI as a fraction (percent).

    ``attrs`` name the ``metric`` ("NPV" or "ROI") and the titles of ``x`` and
    ``y``; the y column is left raw (its unit is in its header)."""
    import pandas as pd

    y_title = field_title(y_path, currency)
    x_values = [_display(x_path, float(x)) for x in xs]
    frame = pd.DataFrame(z, columns=pd.Index(x_values, dtype=object))
    frame.insert(0, y_title, [_display(y_path, float(y)) for y in ys], allow_duplicates=True)
    return formats(
        frame,
        money=x_values if metric == "npv" else (),
        percent=x_values if metric == "roi" else (),
        raw=[y_title],
        metric=metric.upper(),
        x=field_title(x_path, currency),
        y=y_title,
    )


def risk_adjustment(cases: Mapping[str, Summary]) -> pd.DataFrame:
    """The case with and without the benefit and cost risk factors (TEI-style), from
    :func:`roi_core.variants.risk_adjustment`, and the effect of the risk."""
    import pandas as pd

    rows = {
        label: {
            "PV of benefits": summary.pv_benefits,
            "PV of costs": summary.pv_costs,
            "NPV": summary.npv,
            "ROI": summary.roi,
            "Payback (months)": summary.payback_months,
        }
        for label, summary in cases.items()
    }
    frame = pd.DataFrame(rows, dtype="float64")
    frame["Effect of risk"] = frame["Risk-adjusted"] - frame["Unadjusted"]
    return frame


def translated(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a :func:`risk_adjustment` frame (or of its shown copy) with its row
    and column labels in the language spoken; the frame itself keeps the English
    ones its readers look up (``Risk-adjusted``, ``Payback (months)``)."""
    out = frame.copy()
    out.index = [_(str(label)) for label in frame.index]
    out.columns = [_(str(label)) for label in frame.columns]
    return out


def break_even_curve(
    xs: FloatArray, ys: FloatArray, *, path: str, metric: str, currency: str = ""
) -> pd.DataFrame:
    """The break-even chart's line: the field's values (display units, titled as on
    the chart's axis) and the metric there (NPV as money, ROI as a share, payback
    in months; never paid back reads "never")."""
    import pandas as pd

    from roi_ui.editor import factor
    from roi_ui.frames.base import field_title, formats

    x_title = field_title(path, currency)
    y_title = {"npv": "NPV", "roi": "ROI", "payback_months": _("Payback")}[metric]
    frame = pd.DataFrame({x_title: xs * factor(path), y_title: ys})
    kind = {"npv": "money", "roi": "percent", "payback_months": "months"}[metric]
    return formats(frame, raw=[x_title], **{kind: [y_title]})  # type: ignore[arg-type]
