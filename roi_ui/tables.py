"""The numbers behind every chart, as tidy DataFrames (pure: result in, frame out).

Each chart in :mod:`roi_ui.charts` draws exactly the numbers of one of these
frames (checked in ``tests/ui/test_charts.py``), and the page shows and offers
the same frame as CSV, so a chart and its data cannot disagree.

pandas is imported inside the functions: it costs about a quarter of a second
to import, and a first page view (charts and KPIs) needs no table at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from roi_core import NUMERIC_FIELDS, Result, Scenario, evaluate, with_values
from roi_core.analysis import MonteCarlo, TornadoRow
from roi_core.drivers import DRIVERS, HARD_DRIVERS, REVENUE_DRIVERS, FloatArray
from roi_core.scenario import FieldSpec
from roi_ui.formatting import money, percent
from roi_ui.presets import CONFIDENCE_LABELS, Preset
from roi_ui.theme import driver_label

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "assumptions",
    "cumulative_cash",
    "grid",
    "monte_carlo",
    "monthly_flows",
    "revenue_by_driver",
    "risk_adjustment",
    "shown",
    "to_csv",
    "tornado",
    "value_waterfall",
    "waterfall_steps",
    "yearly",
    "yearly_markdown",
]


def waterfall_steps(result: Result) -> list[tuple[str, str, float]]:
    """``(step, measure, value)``: present values from hard savings through revenue
    drivers and costs to NPV; ``measure`` is "relative" or "total" as Plotly's
    waterfall takes it. Drivers worth nothing in this scenario are left out."""
    pv = result.monthly.present_values()
    rows: list[tuple[str, str, float]] = []
    hard = [d for d in HARD_DRIVERS if abs(pv[d]) >= 0.5]
    soft = [d for d in REVENUE_DRIVERS if abs(pv[d]) >= 0.5]
    rows += [(driver_label(d), "relative", pv[d]) for d in hard]
    rows.append(("Hard savings", "total", sum(pv[d] for d in HARD_DRIVERS)))
    rows += [(driver_label(d), "relative", pv[d]) for d in soft]
    rows.append(("All benefits", "total", result.summary.pv_benefits))
    rows.append(("Costs", "relative", -pv["costs"]))
    rows.append(("NPV", "total", result.summary.npv))
    return rows


def value_waterfall(result: Result) -> pd.DataFrame:
    """:func:`waterfall_steps` as a frame: columns ``step``, ``measure``, ``value``."""
    import pandas as pd

    return pd.DataFrame(waterfall_steps(result), columns=["step", "measure", "value"])


def cumulative_cash(result: Result) -> pd.DataFrame:
    """Month, net cash flow and cumulative net cash flow (risk-adjusted, undiscounted)."""
    import pandas as pd

    m = result.monthly
    return pd.DataFrame({"month": m.month, "net": m.net, "cumulative_net": m.cumulative_net})


def monthly_flows(result: Result) -> pd.DataFrame:
    """Risk-adjusted benefits by driver (one column each, by label), total benefits and costs."""
    import pandas as pd

    m = result.monthly
    data: dict[str, object] = {"month": m.month}
    data |= {driver_label(d): m.benefits[d] for d in DRIVERS}
    data["Total benefits"] = m.total_benefits
    data["Costs"] = m.costs
    return pd.DataFrame(data)


def revenue_by_driver(result: Result) -> pd.DataFrame:
    """Revenue impact per month by driver, before margin and risk."""
    import pandas as pd

    m = result.monthly
    data: dict[str, object] = {"month": m.month}
    data |= {driver_label(d): m.revenue[d] for d in REVENUE_DRIVERS}
    return pd.DataFrame(data)


def yearly(result: Result) -> pd.DataFrame:
    """TEI-style table: rows Benefits / Costs / Net; columns Initial, Year 1..n,
    Total, Present value (risk-adjusted)."""
    import pandas as pd

    table = result.yearly()
    return pd.DataFrame(table.rows(), index=list(table.columns)).T


def _shown(spec: FieldSpec, value: float) -> str:
    if spec.unit.startswith("fraction"):
        return percent(value, digits=2)
    if spec.is_int:
        return f"{int(value):,}"
    return f"{value:,.2f}"


def yearly_markdown(result: Result, currency: str) -> str:
    """The TEI table as a Markdown table of exact money (no pandas, light to draw).

    Only our own figures go in; ``$`` is escaped so Markdown does not read math.
    """
    table = result.yearly()
    head = "| | " + " | ".join(table.columns) + " |"
    rule = "|---|" + "---:|" * len(table.columns)
    lines = [head, rule]
    for label, values in table.rows().items():
        cells = " | ".join(money(v, currency).replace("$", "\\$") for v in values)
        lines.append(f"| **{label}** | {cells} |")
    return "\n".join(lines)


def assumptions(scenario: Scenario, preset: Preset | None) -> pd.DataFrame:
    """Every numeric input (``value`` in model units, ``shown`` as people read it)
    with its unit, and where a preset value came from."""
    rows = []
    for path, spec in NUMERIC_FIELDS.items():
        group, name = path.split(".")
        value = getattr(getattr(scenario, group), name)
        source = preset.source(path) if preset else None
        from_preset = preset is not None and getattr(getattr(preset.scenario, group), name) == value
        rows.append(
            {
                "field": path,
                "label": spec.title,
                "value": value,
                "shown": _shown(spec, value),
                "unit": spec.unit,
                "source": source.note if source and from_preset else "set by the user",
                "confidence": CONFIDENCE_LABELS[source.confidence]
                if source and from_preset
                else "",
            }
        )
    import pandas as pd

    return pd.DataFrame(rows)


def to_csv(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """UTF-8 CSV with full precision (shortest round-trip float text), what a
    finance team would re-check."""
    return frame.to_csv(index=index).encode("utf-8")


def tornado(rows: Sequence[TornadoRow]) -> pd.DataFrame:
    """The tornado's rows: field, the range evaluated, NPV at each end, swing."""
    import pandas as pd

    return pd.DataFrame([row.to_dict() for row in rows])


def monte_carlo(mc: MonteCarlo) -> pd.DataFrame:
    """Mean and percentiles of NPV, ROI and payback over the draws."""
    import pandas as pd

    data = mc.to_dict()
    frame = pd.DataFrame({k: data[k] for k in ("npv", "roi", "payback_months")}).T
    frame["draws"], frame["seed"] = mc.n, mc.seed
    return frame


def grid(xs: FloatArray, ys: FloatArray, z: FloatArray, x_path: str, y_path: str) -> pd.DataFrame:
    """A two-way data table: one row per y value, one column per x value."""
    import pandas as pd

    frame = pd.DataFrame(z, index=pd.Index(ys, name=y_path), columns=pd.Index(xs, name=x_path))
    return frame.reset_index()


def risk_adjustment(scenario: Scenario) -> pd.DataFrame:
    """The case with and without the benefit and cost risk factors (TEI-style)."""
    import pandas as pd

    plain = with_values(scenario, {"finance.benefit_risk": 0.0, "finance.cost_risk": 0.0})
    rows = {}
    for label, s in (("Unadjusted", plain), ("Risk-adjusted", scenario)):
        summary = evaluate(s).summary
        rows[label] = {
            "PV of benefits": summary.pv_benefits,
            "PV of costs": summary.pv_costs,
            "NPV": summary.npv,
            "ROI": summary.roi,
            "Payback (months)": summary.payback_months,
        }
    frame = pd.DataFrame(rows)
    frame["Effect of risk"] = frame["Risk-adjusted"] - frame["Unadjusted"]
    return frame


def shown(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy for display: ROI rows as percent, payback as months, the rest as money."""

    def cell(row: str, value: float | None) -> str:
        if "ROI" in row:
            return percent(value)
        if row.startswith("Payback"):
            return "never" if value is None or value != value else f"{value:,.1f} months"
        return money(value, currency)

    return frame.apply(lambda col: [cell(str(r), v) for r, v in col.items()])
