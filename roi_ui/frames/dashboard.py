"""The numbers behind the dashboard's charts, as tidy DataFrames (pure: result in,
frame out).

Each figure of :mod:`roi_ui.figures.dashboard` draws exactly the numbers of one
of these frames (checked in ``tests/ui/figures/test_dashboard.py``), and the
page shows and offers the same frame as CSV, so a chart and its data cannot
disagree. Columns carry the chart's own words (its bar labels, legend names and
axis titles), and each frame's ``attrs`` say how its numbers read
(:mod:`roi_ui.frames.base`): the CSV keeps the raw numbers,
:func:`roi_ui.frames.base.displayed` formats a copy for the page.

pandas is imported inside the functions: it costs about a quarter of a second
to import, and a first page view (charts and KPIs) needs no table at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from roi_core import NUMERIC_FIELDS, Result, Scenario
from roi_core.drivers import DRIVERS, REVENUE_DRIVERS
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.results import npv_bridge
from roi_core.scenario import FieldSpec, get_value
from roi_ui.export.common import yearly_label
from roi_ui.formatting import count, money, money_compact, number, percent, unit_words
from roi_ui.frames.base import formats
from roi_ui.presets import CONFIDENCE_LABELS, Preset
from roi_ui.theme import driver_label, step_label

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CUMULATIVE",
    "MONTH",
    "assumptions",
    "cumulative_cash",
    "monthly_flows",
    "revenue_by_driver",
    "value_waterfall",
    "yearly",
    "yearly_markdown",
]

#: The month column of every monthly frame (the charts' x axis title), in English:
#: a frame's column is it in the language spoken, ``_(MONTH)``.
MONTH = N_("Month")
#: The cumulative cash chart's line, by the name its legend and hover give it (in
#: English, as :data:`MONTH`).
CUMULATIVE = N_("Cumulative net cash flow")
#: A waterfall bar's kind: a step from the last level, or a subtotal drawn from zero.
_STEP, _SUBTOTAL = N_("step"), N_("subtotal")


def value_waterfall(result: Result) -> pd.DataFrame:
    """The NPV bridge as drawn, one row a bar: ``Step`` (the bar's label),
    ``Kind`` and ``Present value`` (money).

    ``Kind`` is "step" for a bar drawn from the last level (a driver, the costs)
    and "subtotal" for one drawn from zero in the net colour (hard savings, all
    benefits, the NPV): adding up the column without it would count every
    subtotal twice."""
    import pandas as pd

    rows = [
        (step_label(s.key), _(_SUBTOTAL) if s.total else _(_STEP), s.value)
        for s in npv_bridge(result)
    ]
    value = _("Present value")
    frame = pd.DataFrame(rows, columns=[_("Step"), _("Kind"), value])
    return formats(frame, money=[value])


def cumulative_cash(result: Result) -> pd.DataFrame:
    """``Month``, ``Net cash flow`` and ``Cumulative net cash flow`` (money,
    risk-adjusted, undiscounted). ``Month`` (0 is the set-up month) is left raw."""
    import pandas as pd

    m = result.monthly
    month, net, cumulative = _(MONTH), _("Net cash flow"), _(CUMULATIVE)
    frame = pd.DataFrame({month: m.month, net: m.net, cumulative: m.cumulative_net})
    return formats(frame, money=[net, cumulative], raw=[month])


def monthly_flows(result: Result) -> pd.DataFrame:
    """``Month`` (raw), then the risk-adjusted benefits of every driver (one column
    each, by its legend label, drawn or not), ``Total benefits`` and ``Costs``
    (all money)."""
    import pandas as pd

    m = result.monthly
    data: dict[str, object] = {_(MONTH): m.month}
    data |= {driver_label(d): m.benefits[d] for d in DRIVERS}
    data[_("Total benefits")] = m.total_benefits
    data[_("Costs")] = m.costs
    frame = pd.DataFrame(data)
    return formats(frame, money=list(data)[1:], raw=[_(MONTH)])


def revenue_by_driver(result: Result) -> pd.DataFrame:
    """``Month`` (raw), then the revenue impact of every revenue driver by its
    legend label (money), before margin and risk."""
    import pandas as pd

    m = result.monthly
    data: dict[str, object] = {_(MONTH): m.month}
    data |= {driver_label(d): m.revenue[d] for d in REVENUE_DRIVERS}
    frame = pd.DataFrame(data)
    return formats(frame, money=list(data)[1:], raw=[_(MONTH)])


def yearly(result: Result) -> pd.DataFrame:
    """TEI-style table: rows Benefits / Costs / Net; columns Initial, Year 1..n,
    Total, Present value (risk-adjusted; all money)."""
    import pandas as pd

    table = result.yearly()
    rows = {yearly_label(label): values for label, values in table.rows().items()}
    frame = pd.DataFrame(rows, index=[yearly_label(c) for c in table.columns]).T
    return formats(frame, money=list(frame.columns))


def _shown(spec: FieldSpec, value: float) -> str:
    """A value as its control shows it: shares in percent, counts whole, the rest
    with up to two decimals (the unit, in words, goes in its own column)."""
    if spec.unit.startswith("fraction"):
        return percent(value, digits=2)
    if spec.is_int:
        return count(value)
    return number(value, digits=2)


def yearly_markdown(result: Result, currency: str, *, narrow: bool = False) -> str:
    """The TEI table as a Markdown table of exact money (no pandas, light to draw);
    ``narrow``: for a phone, one line per period (Benefits, Costs, Net across) in
    compact money, so it fits the screen without a sideways-scrolling box.

    Only our own figures go in; ``$`` is escaped so Markdown does not read math.
    """
    table = result.yearly()
    rows = {yearly_label(label): values for label, values in table.rows().items()}
    columns = [yearly_label(c) for c in table.columns]
    if narrow:
        lines = ["| | " + " | ".join(rows) + " |", "|---|" + "---:|" * len(rows)]
        for i, period in enumerate(columns):
            cells = " | ".join(_md_money(money_compact(v[i], currency)) for v in rows.values())
            lines.append(f"| **{period}** | {cells} |")
        return "\n".join(lines)
    head = "| | " + " | ".join(columns) + " |"
    rule = "|---|" + "---:|" * len(columns)
    lines = [head, rule]
    for label, values in rows.items():
        cells = " | ".join(_md_money(money(v, currency)) for v in values)
        lines.append(f"| **{label}** | {cells} |")
    return "\n".join(lines)


def _md_money(text: str) -> str:
    return text.replace("$", "\\$")


def assumptions(
    scenario: Scenario,
    preset: Preset | None,
    *,
    currency: str | None = None,
    notes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every numeric input as people read it — ``label`` (its title), ``shown``
    (the value in display units), ``unit`` (in words), ``source`` and
    ``confidence`` — then ``field`` (its path) and ``value`` (model units).

    The source is the preset's note while the value is still the preset's; a note
    of ``notes`` (``{path: where it came from}``, e.g. a calibration) where there
    is one; else "set by the user" (or "the model's default")."""
    cur = currency or str(scenario.business.currency)
    default = Scenario()
    rows = []
    for path, spec in NUMERIC_FIELDS.items():
        value = get_value(scenario, path)
        source = preset.source(path) if preset else None
        from_preset = preset is not None and get_value(preset.scenario, path) == value
        note = (notes or {}).get(path)
        if note:
            where, confidence = note, ""
        elif source is not None and from_preset:
            where, confidence = _(source.note), _(CONFIDENCE_LABELS[source.confidence])
        elif preset is None and value == get_value(default, path):
            where, confidence = _("the model's default"), ""
        else:
            where, confidence = _("set by the user"), ""
        rows.append(
            {
                "label": spec.title,
                "shown": _shown(spec, value),
                "unit": unit_words(spec.unit, cur),
                "source": where,
                "confidence": confidence,
                "field": path,
                "value": value,
            }
        )
    import pandas as pd

    return pd.DataFrame(rows)
