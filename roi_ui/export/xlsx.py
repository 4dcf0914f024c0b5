"""The leave-behind report as a live Excel model (docs/reports.md).

Five sheets: **Summary** (the headline results), **Assumptions** (every numeric
input; each input cell is the defined name ``<group>_<field>``, e.g.
``levers_retention_lift``), **Line items** (the scenario's ``other_items``,
editable, with spare rows), **Monthly cash flow** (months 0..120 always; every
flow is a formula of the inputs, MODEL.md §2 written in Excel, and months past
``finance_horizon_months`` contribute zero) and **Yearly table**. The results are
defined names too: ``npv``, ``roi``, ``payback_months``, ``pv_benefits``,
``pv_costs`` and the rest of :data:`RESULT_NAMES`. Change an input and every
figure follows, in Excel and in LibreOffice.

Every formula is saved with a cached value (the engine's figures; for the helper
columns the same formulas computed with numpy), so a previewer that does not
calculate (mail, a file browser) shows the engine's numbers. The formulas keep to
functions both Excel and LibreOffice compute (SUM, SUMPRODUCT, MIN, INDEX, IF,
AND, OR, MOD, COUNT, ISNUMBER), with no array entry and no dynamic arrays.

User text (scenario name and description, line item names, source notes) is
written as string cells, never as formulas, with control characters removed.

Every text cell is in the language being spoken when the workbook is built (English
or Bahasa Indonesia; numbers keep Excel formats, which Excel shows in the reader's
locale). Sheet names, defined names and the line items' keywords (``benefit``,
``cost``, ``once``, ``month``, ``year``), which the formulas read, stay English.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from roi_core import NUMERIC_FIELDS, Result, Scenario, evaluate
from roi_core.drivers import DRIVERS, HARD_DRIVERS, FloatArray
from roi_core.engine import line_item_flows
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.scenario import FieldSpec, OtherItem
from roi_ui.export.common import DISCLAIMER, as_named, yearly_label
from roi_ui.export.tables import _clean
from roi_ui.frames.dashboard import assumptions
from roi_ui.presets import Preset
from roi_ui.theme import DRIVER_LABELS

__all__ = [
    "MAX_MONTHS",
    "NOT_DEFINED",
    "NO_PAYBACK",
    "RESULT_NAMES",
    "SHEETS",
    "SPARE_ITEM_ROWS",
    "input_name",
    "xlsx_report",
]

#: Rows of the monthly sheet: months 0..MAX_MONTHS always (the longest horizon), so
#: that the horizon itself is an input; months past it contribute zero.
MAX_MONTHS = 120
#: Blank rows below the scenario's line items, for items added in the workbook.
SPARE_ITEM_ROWS = 10
SHEETS = ("Summary", "Assumptions", "Line items", "Monthly cash flow", "Yearly table")
#: What ROI and the benefit/cost ratio show when the PV of costs is 0 (MODEL.md: null);
#: in English (the workbook shows ``_(NOT_DEFINED)``, in the language it is built in).
NOT_DEFINED = N_("n/a")
#: What payback shows when the cumulative net never reaches 0 within the horizon.
NO_PAYBACK = N_("never")

_MONTHLY = "'Monthly cash flow'"
_ITEMS = "'Line items'"
#: First spreadsheet row (1-based) of month 0 on the monthly sheet.
_FIRST = 3
_LAST = _FIRST + MAX_MONTHS


def _col_name(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 -> A, 26 -> AA."""
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def input_name(path: str) -> str:
    """The defined name of a numeric input: ``levers.retention_lift`` ->
    ``levers_retention_lift``."""
    return path.replace(".", "_")


# --- styles ----------------------------------------------------------------------------------

_INPUT: dict[str, Any] = {
    "bg_color": "#FFF2CC",
    "font_color": "#1F3A93",
    "border": 1,
    "border_color": "#BFBFBF",
}
_HEAD: dict[str, Any] = {
    "bold": True,
    "bg_color": "#E0F2F1",
    "text_wrap": True,
    "valign": "top",
    "border": 1,
    "border_color": "#BFBFBF",
}
_CALC: dict[str, Any] = {"font_color": "#404040", "bg_color": "#F2F2F2"}


def _number_formats(currency: str) -> dict[str, str]:
    return {
        "money": f'#,##0 "{currency}";[Red]-#,##0 "{currency}"',
        "money2": f'#,##0.00 "{currency}";[Red]-#,##0.00 "{currency}"',
        "pct": "0.0##%",
        "pct1": "0.0%",
        "int": "#,##0",
        "count": "#,##0.0",
        "num": "General",
        "ratio": "0.00",
        "factor": "0.0000",
        "flag": "0",
        "months": "0.00",
        "text": "@",
    }


class _Styles:
    """XlsxWriter formats, made once per workbook: ``styles("money", "input")``."""

    def __init__(self, workbook: Any, currency: str) -> None:
        self._wb = workbook
        self._numbers = _number_formats(currency)
        self._made: dict[tuple[str, ...], Any] = {}

    def __call__(self, number: str | None = None, *kinds: str, **extra: Any) -> Any:
        key = (number or "", *kinds, *(f"{k}={v}" for k, v in sorted(extra.items())))
        if key not in self._made:
            props: dict[str, Any] = {}
            for kind in kinds:
                props |= {"input": _INPUT, "head": _HEAD, "calc": _CALC}[kind]
            props |= extra
            if number:
                props["num_format"] = self._numbers[number]
            self._made[key] = self._wb.add_format(props)
        return self._made[key]


def _text(ws: Any, row: int, col: int, value: object, fmt: Any = None) -> None:
    """User or our text as a string cell: never a formula, control characters removed."""
    ws.write_string(row, col, _clean(str(value)), fmt)


def _cached(value: float | str | None, missing: str) -> float | str:
    if value is None:
        return missing
    if isinstance(value, str):
        return value
    return float(value) if math.isfinite(value) else missing


# --- the monthly grid: formulas and the values they compute ------------------------------------


@dataclass(frozen=True)
class _Column:
    """One column of the monthly sheet: MODEL.md §2 written as an Excel formula.

    In ``formula`` (months 1..120) and ``first`` (month 0, when it differs),
    ``{key}`` stands for this row's cell of column ``key`` and ``{prev_key}`` for
    the row above; input names (``levers_save_rate``) are the Assumptions cells."""

    key: str
    group: str
    head: str
    number: str
    formula: str
    first: str = ""


def _driver_columns() -> tuple[_Column, ...]:
    """The nine risk-adjusted benefits, keyed ``benefit_<driver>`` as the engine's drivers."""
    before_risk = {
        "root_cause": "{save_root_cause}",
        "social_deflection": "{save_social_deflection}",
        "self_service": "{save_self_service}",
        "other": "{items_benefit}",
    }
    group = N_("Benefits, risk-adjusted")
    return tuple(
        _Column(
            f"benefit_{d}",
            group,
            DRIVER_LABELS[d],
            "money",
            f"={before_risk.get(d, f'{{revenue_{d}}}*business_gross_margin')}"
            "*(1-finance_benefit_risk)",
        )
        for d in DRIVERS
    )


_E = "business_customers*levers_social_reach"  # engaged customers, held constant
_STOCK = "=({prev_stock_%s}*(1-business_monthly_churn_rate)+{inflow_%s})*{in_horizon}"
_OCCURS = (
    "--({month}>=items_first),--({month}<=items_last),--(MOD({month}-items_first,items_step)=0)"
)
# Column groups and heads are English here, translated where written (``_(head)``).
_CONTACTS, _SAVINGS = N_("Contacts"), N_("Savings before risk")
_COHORTS, _REVENUE = N_("Extra customers"), N_("Revenue before margin and risk")
_ITEMS_GROUP, _CASH = N_("Line items as entered"), N_("Cash flow")
_DISCOUNTING, _HARD = N_("Discounting"), N_("Hard savings")

# fmt: off
_GRID: tuple[_Column, ...] = (
    _Column("month", "", N_("Month"), "flag", ""),
    _Column("in_horizon", "", N_("In horizon (1 = yes)"), "flag",
            "=IF({month}<=finance_horizon_months,1,0)"),
    _Column("ramp", "", N_("Ramp r(t)"), "factor",
            "=IF(finance_ramp_months=0,1,MIN(1,{month}/finance_ramp_months))*{in_horizon}",
            first="=0"),
    _Column("avoided", _CONTACTS, N_("Avoided"), "int",
            "=service_monthly_assisted_contacts*levers_root_cause_reduction*{ramp}"),
    _Column("remaining", _CONTACTS, N_("Remaining"), "int",
            "=(service_monthly_assisted_contacts-{avoided})*{in_horizon}"),
    _Column("deflected", _CONTACTS, N_("Deflected (social + self-service)"), "int",
            "={remaining}*(levers_social_deflection+levers_self_service_deflection)*{ramp}"),
    _Column("save_root_cause", _SAVINGS, DRIVER_LABELS["root_cause"], "money",
            "={avoided}*service_cost_per_assisted_contact"),
    _Column("save_social_deflection", _SAVINGS, DRIVER_LABELS["social_deflection"], "money",
            "={remaining}*levers_social_deflection*{ramp}"
            "*(service_cost_per_assisted_contact-service_cost_per_social_contact)"),
    _Column("save_self_service", _SAVINGS, DRIVER_LABELS["self_service"], "money",
            "={remaining}*levers_self_service_deflection*{ramp}"
            "*(service_cost_per_assisted_contact-service_cost_per_self_service_contact)"),
    _Column("inflow_retention", _COHORTS, N_("Retention: inflow"), "count",
            f"={_E}*business_monthly_churn_rate*levers_retention_lift*{{ramp}}"),
    _Column("stock_retention", _COHORTS, N_("Retention: stock"), "count",
            _STOCK % ("retention", "retention"), first="={inflow_retention}"),
    _Column("inflow_saves", _COHORTS, N_("Saves: inflow"), "count",
            "=levers_at_risk_per_month*levers_save_rate*{ramp}"),
    _Column("stock_saves", _COHORTS, N_("Saves: stock"), "count",
            _STOCK % ("saves", "saves"), first="={inflow_saves}"),
    _Column("inflow_referrals", _COHORTS, N_("Referrals: inflow"), "count",
            f"={_E}*levers_advocate_share*levers_referrals_per_advocate_year/12"
            "*levers_referral_conversion*{ramp}"),
    _Column("stock_referrals", _COHORTS, N_("Referrals: stock"), "count",
            _STOCK % ("referrals", "referrals"), first="={inflow_referrals}"),
    _Column("revenue_retention", _REVENUE, DRIVER_LABELS["retention"], "money",
            "={stock_retention}*business_monthly_revenue_per_customer"),
    _Column("revenue_saves", _REVENUE, DRIVER_LABELS["saves"], "money",
            "={stock_saves}*business_monthly_revenue_per_customer"),
    _Column("revenue_referrals", _REVENUE, DRIVER_LABELS["referrals"], "money",
            "={stock_referrals}*business_monthly_revenue_per_customer"),
    _Column("revenue_cross_sell", _REVENUE, DRIVER_LABELS["cross_sell"], "money",
            f"={_E}*levers_cross_sell_rate*{{ramp}}*levers_cross_sell_revenue"),
    _Column("revenue_price_premium", _REVENUE, DRIVER_LABELS["price_premium"], "money",
            f"={_E}*levers_price_premium*{{ramp}}*business_monthly_revenue_per_customer"),
    _Column("items_benefit", _ITEMS_GROUP, N_("Benefit items"), "money",
            f"=SUMPRODUCT(items_benefit,{_OCCURS})*{{in_horizon}}"),
    _Column("items_cost", _ITEMS_GROUP, N_("Cost items"), "money",
            f"=SUMPRODUCT(items_cost,{_OCCURS})*{{in_horizon}}"),
    *_driver_columns(),
    _Column("benefits", _CASH, N_("Total benefits"), "money",
            "=SUM({benefit_root_cause}:{benefit_other})"),
    _Column("costs", _CASH, N_("Costs (risk-adjusted)"), "money",
            "=(costs_platform_monthly+costs_staff_monthly+costs_other_monthly+{items_cost})"
            "*(1+finance_cost_risk)*{in_horizon}",
            first="=(costs_setup+{items_cost})*(1+finance_cost_risk)"),
    _Column("net", _CASH, N_("Net"), "money", "={benefits}-{costs}"),
    _Column("cumulative_net", _CASH, N_("Cumulative net"), "money",
            "={prev_cumulative_net}+{net}", first="={net}"),
    _Column("discount", _DISCOUNTING, N_("Discount factor"), "factor",
            "=(1+finance_discount_rate)^(-{month}/12)"),
    _Column("pv_benefits", _DISCOUNTING, N_("PV of benefits"), "money", "={benefits}*{discount}"),
    _Column("pv_costs", _DISCOUNTING, N_("PV of costs"), "money", "={costs}*{discount}"),
    _Column("hard", _HARD, N_("Hard benefits (savings + line items)"), "money",
            "={benefit_root_cause}+{benefit_social_deflection}+{benefit_self_service}"
            "+{benefit_other}"),
    _Column("pv_hard", _HARD, N_("PV of hard benefits"), "money", "={hard}*{discount}"),
    _Column("payback", N_("Payback"), N_("Payback crossing (month)"), "months",
            '=IF(AND({in_horizon}=1,{cumulative_net}>=0,{prev_cumulative_net}<0),'
            '({month}-1)-{prev_cumulative_net}/{net},"")',
            first='=IF({cumulative_net}>=0,0,"")'),
)
# fmt: on
#: Column letter of each grid column.
_COL = {c.key: _col_name(i) for i, c in enumerate(_GRID)}

Cached = FloatArray | list[float | str]


def _pad(values: FloatArray) -> FloatArray:
    out = np.zeros(MAX_MONTHS + 1)
    out[: len(values)] = values
    return out


def _grid_values(s: Scenario, r: Result) -> dict[str, Cached]:
    """The value of every grid cell: the engine's monthly arrays where it has them
    (padded with the zeros past the horizon), the grid's own formulas in numpy for
    the helper columns."""
    b, sv, lv, m = s.business, s.service, s.levers, r.monthly
    horizon = len(m.month) - 1
    month = np.arange(MAX_MONTHS + 1, dtype=np.float64)
    inh = (month <= horizon).astype(np.float64)
    ramp_months = s.finance.ramp_months
    ramp = np.ones_like(month) if ramp_months == 0 else np.minimum(1.0, month / ramp_months)
    ramp = ramp * inh
    ramp[0] = 0.0
    volume, engaged = sv.monthly_assisted_contacts, b.customers * lv.social_reach
    avoided = volume * lv.root_cause_reduction * ramp
    remaining = (volume - avoided) * inh
    v: dict[str, Cached] = {"month": month, "in_horizon": inh, "ramp": ramp,
                            "avoided": avoided, "remaining": remaining}  # fmt: skip
    v["deflected"] = remaining * (lv.social_deflection + lv.self_service_deflection) * ramp
    v["save_root_cause"] = avoided * sv.cost_per_assisted_contact
    for d, share, cost in (
        ("social_deflection", lv.social_deflection, sv.cost_per_social_contact),
        ("self_service", lv.self_service_deflection, sv.cost_per_self_service_contact),
    ):
        v[f"save_{d}"] = remaining * share * ramp * (sv.cost_per_assisted_contact - cost)
    inflow = {
        "retention": engaged * b.monthly_churn_rate * lv.retention_lift * ramp,
        "saves": lv.at_risk_per_month * lv.save_rate * ramp,
        "referrals": engaged * lv.advocate_share * lv.referrals_per_advocate_year / 12.0
        * lv.referral_conversion * ramp,
    }  # fmt: skip
    for k, flow in inflow.items():
        stock = np.zeros_like(flow)
        for t in range(MAX_MONTHS + 1):
            carried = stock[t - 1] * (1.0 - b.monthly_churn_rate) if t else 0.0
            stock[t] = (carried + flow[t]) * inh[t]
        v[f"inflow_{k}"], v[f"stock_{k}"] = flow, stock
    v |= {f"revenue_{d}": _pad(m.revenue[d]) for d in m.revenue}
    items = line_item_flows(s.other_items, horizon)
    v["items_benefit"], v["items_cost"] = _pad(items[0]), _pad(items[1])
    v |= {f"benefit_{d}": _pad(m.benefits[d]) for d in DRIVERS}
    net, cumulative = _pad(m.net), _pad(m.cumulative_net)
    cumulative[horizon + 1 :] = cumulative[horizon]
    discount = np.power(1.0 + s.finance.discount_rate, -month / 12.0)
    discount[: horizon + 1] = m.discount
    benefits, costs = _pad(m.total_benefits), _pad(m.costs)
    hard = _pad(np.sum([m.benefits[d] for d in HARD_DRIVERS], axis=0))
    v |= {"benefits": benefits, "costs": costs, "net": net, "cumulative_net": cumulative,
          "discount": discount, "pv_benefits": benefits * discount, "pv_costs": costs * discount,
          "hard": hard, "pv_hard": hard * discount}  # fmt: skip
    crossing: list[float | str] = [0.0 if cumulative[0] >= 0 else ""]
    for t in range(1, MAX_MONTHS + 1):
        crosses = inh[t] == 1 and cumulative[t] >= 0 > cumulative[t - 1]
        crossing.append(float((t - 1) - cumulative[t - 1] / net[t]) if crosses else "")
    v["payback"] = crossing
    return v


def _write_monthly(wb: Any, st: _Styles, s: Scenario, r: Result) -> None:
    ws = wb.add_worksheet("Monthly cash flow")
    values = _grid_values(s, r)
    head = st(None, "head")
    start = 0  # group banners over row 1, column heads in row 2
    for i in range(1, len(_GRID) + 1):
        if i == len(_GRID) or _GRID[i].group != _GRID[start].group:
            if _GRID[start].group and i - 1 > start:
                ws.merge_range(0, start, 0, i - 1, _(_GRID[start].group), head)
            elif _GRID[start].group:
                _text(ws, 0, start, _(_GRID[start].group), head)
            start = i
    for i, c in enumerate(_GRID):
        _text(ws, 1, i, _(c.head), head)
        ws.set_column(i, i, 8 if c.key in ("month", "in_horizon", "ramp") else 13)
    ws.set_row(1, 45)
    for t in range(MAX_MONTHS + 1):
        row = _FIRST + t
        at = {c.key: f"{_COL[c.key]}{row}" for c in _GRID}
        at |= {f"prev_{c.key}": f"{_COL[c.key]}{row - 1}" for c in _GRID}
        ws.write_number(row - 1, 0, t, st("flag"))
        for i, c in enumerate(_GRID[1:], start=1):
            value = values[c.key][t]
            formula = (c.first if t == 0 and c.first else c.formula).format_map(at)
            cached = value if isinstance(value, str) else float(value)
            ws.write_formula(row - 1, i, formula, st(c.number), cached)
    grey = wb.add_format({"font_color": "#A6A6A6"})  # months past the horizon
    where = {"type": "formula", "criteria": f"=${_COL['in_horizon']}{_FIRST}=0", "format": grey}
    ws.conditional_format(_FIRST - 1, 0, _LAST - 1, len(_GRID) - 1, where)
    ws.freeze_panes(2, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0, 1)
    ws.repeat_columns(0, 0)
    ws.fit_to_pages(4, 0)


def _monthly_range(first: str, last: str | None = None) -> str:
    return f"={_MONTHLY}!${_COL[first]}${_FIRST}:${_COL[last or first]}${_LAST}"


# --- the input sheets -------------------------------------------------------------------------

_GROUP_TITLES = {
    "business": N_("Business"),
    "service": N_("Service"),
    "levers": N_("Levers"),
    "costs": N_("Costs"),
    "finance": N_("Finance"),
}


#: Characters of a source note on one line of its column (width 62).
_SOURCE_CHARS = 80


def _number_of(spec: FieldSpec) -> str:
    if spec.unit.startswith("fraction"):
        return "pct"
    if spec.is_int:
        return "int"
    return "money2" if spec.unit.startswith("money") else "num"


def _rule(spec: FieldSpec, cell: str) -> tuple[str, str]:
    """A data-validation formula for an input cell and its message (the bounds are
    whole numbers, written without separators: the same in every language)."""
    parts = [f"ISNUMBER({cell})", f"{cell}>={spec.low:g}"]
    if spec.high is None:
        words = (
            _("{field}: a whole number at least {low}.")
            if spec.is_int
            else _("{field}: at least {low}.")
        )
    else:
        parts.append(f"{cell}{'<=' if spec.high_inclusive else '<'}{spec.high:.15g}")
        if spec.high_inclusive:
            words = (
                _("{field}: a whole number from {low} to {high}.")
                if spec.is_int
                else _("{field}: from {low} to {high}.")
            )
        else:
            words = (
                _("{field}: a whole number from {low} to below {high}.")
                if spec.is_int
                else _("{field}: from {low} to below {high}.")
            )
    if spec.is_int:
        parts.append(f"INT({cell})={cell}")
    high = "" if spec.high is None else f"{spec.high:.15g}"
    message = words.format(field=spec.title, low=f"{spec.low:g}", high=high)
    return f"=AND({','.join(parts)})", message


def _write_assumptions(wb: Any, st: _Styles, s: Scenario, preset: Preset | None) -> None:
    ws = wb.add_worksheet("Assumptions")
    _text(ws, 0, 0, _("Assumptions"), st(None, bold=True, font_size=14))
    _text(
        ws,
        1,
        0,
        _(
            "Yellow cells are the inputs: change one and every figure of the workbook "
            "follows. Each input cell is a defined name <group>_<field> (column F)."
        ),
    )
    head = [_("Input"), _("Value"), _("Unit"), _("Source"), _("Confidence"),
            _("Defined name"), _("Field")]  # fmt: skip
    for col, text in enumerate(head):
        _text(ws, 3, col, text, st(None, "head"))
    rows = assumptions(s, preset).to_dict("records")
    row, group = 4, ""
    cells: dict[str, str] = {}
    for rec in rows:
        path = str(rec["field"])
        spec = NUMERIC_FIELDS[path]
        if spec.group != group:
            group = spec.group
            _text(ws, row, 0, _(_GROUP_TITLES[group]), st(None, bold=True, bottom=1))
            row += 1
        name = input_name(path)
        value = rec["value"]
        top, grey = st(None, valign="top"), st(None, valign="top", font_color="#595959")
        _text(ws, row, 0, rec["label"], top)
        number = int(value) if spec.is_int else float(value)
        ws.write_number(row, 1, number, st(_number_of(spec), "input", valign="top"))
        _text(ws, row, 2, rec["unit"], top)
        source = _clean(str(rec["source"]))
        _text(ws, row, 3, source, st(None, text_wrap=True, valign="top"))
        if len(source) > _SOURCE_CHARS:  # LibreOffice does not grow a wrapped row by itself
            ws.set_row(row, 15 * math.ceil(len(source) / _SOURCE_CHARS))
        _text(ws, row, 4, rec["confidence"], top)
        _text(ws, row, 5, name, grey)
        _text(ws, row, 6, path, grey)
        wb.define_name(name, f"=Assumptions!$B${row + 1}")
        cells[path] = f"B{row + 1}"
        row += 1
    for path, cell in cells.items():
        spec = NUMERIC_FIELDS[path]
        formula, message = _rule(spec, cell)
        if path in ("levers.social_deflection", "levers.self_service_deflection"):
            pair = f"{cells['levers.social_deflection']}+{cells['levers.self_service_deflection']}"
            formula = formula[:-1] + f",{pair}<=1)"
            message += " " + _("Social + self-service deflection must be at most 100 %.")
        ws.data_validation(
            cell,
            {
                "validate": "custom",
                "value": formula,
                "error_title": _("Outside the model's range"),
                "error_message": message[:255],
            },
        )
    for col, width in enumerate((28, 14, 20, 62, 16, 36, 36)):
        ws.set_column(col, col, width)
    ws.freeze_panes(4, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(3, 3)
    ws.print_area(0, 0, row - 1, 5)  # the field path repeats the defined name: screen only
    ws.fit_to_pages(1, 0)


#: The Line items headers, in English (written as ``_(head)``).
_ITEM_HEAD = (
    N_("Name"),
    N_("Kind"),
    N_("Amount"),
    N_("Every"),
    N_("Start month"),
    N_("End month"),
    N_("Benefit per occurrence"),
    N_("Cost per occurrence"),
    N_("First month"),
    N_("Last month"),
    N_("Step (months)"),
)
_ITEM_NAMES = {
    6: "items_benefit",
    7: "items_cost",
    8: "items_first",
    9: "items_last",
    10: "items_step",
}


def _item_helpers(item: OtherItem | None, horizon: int) -> list[float]:
    """The worked-out columns of a line item row (a spare row: ``None``)."""
    if item is None:
        return [0.0, 0.0, 1.0, 1.0, 1.0]
    repeats = item.every in ("month", "year")
    last = (
        (item.end_month if item.end_month is not None else horizon) if repeats else item.start_month
    )
    return [
        item.amount if item.kind == "benefit" else 0.0,
        item.amount if item.kind == "cost" else 0.0,
        float(item.start_month),
        float(last),
        12.0 if item.every == "year" else 1.0,
    ]


def _write_items(wb: Any, st: _Styles, s: Scenario) -> None:
    ws = wb.add_worksheet("Line items")
    _text(ws, 0, 0, _("Line items"), st(None, bold=True, font_size=14))
    note = st(None, text_wrap=True, valign="top")
    ws.merge_range(1, 0, 1, len(_ITEM_HEAD) - 1, "", note)
    _text(
        ws,
        1,
        0,
        # i18n: benefit, cost, once, month and year are values the formulas read: keep them.
        _(
            "Benefits and costs outside the drivers, before risk. Kind: benefit or "
            "cost; Every: once (at the start month), month or year (every 12th month from the "
            "start); a blank end month means the horizon; a blank start month means 1. Fill a "
            "spare row, or insert rows inside the table, to add an item."
        ),
        note,
    )
    ws.set_row(1, 45)
    for col, text in enumerate(_ITEM_HEAD):
        _text(ws, 3, col, _(text), st(None, "head"))
    top = 4
    n = len(s.other_items) + SPARE_ITEM_ROWS
    horizon = s.finance.horizon_months
    inp = {"text": st("text", "input"), "money": st("money2", "input"), "int": st("int", "input")}
    for i in range(n):
        row, r = top + i, top + i + 1
        item = s.other_items[i] if i < len(s.other_items) else None
        if item is None:
            for col, kind in enumerate(("text", "text", "money", "text", "int", "int")):
                ws.write_blank(row, col, None, inp[kind])
        else:
            _text(ws, row, 0, item.name, inp["text"])
            _text(ws, row, 1, item.kind, inp["text"])
            ws.write_number(row, 2, item.amount, inp["money"])
            _text(ws, row, 3, item.every, inp["text"])
            ws.write_number(row, 4, item.start_month, inp["int"])
            if item.end_month is None:
                ws.write_blank(row, 5, None, inp["int"])
            else:
                ws.write_number(row, 5, item.end_month, inp["int"])
        formulas = (
            f'=IF(AND(B{r}="benefit",ISNUMBER(C{r})),C{r},0)',
            f'=IF(AND(B{r}="cost",ISNUMBER(C{r})),C{r},0)',
            f"=IF(ISNUMBER(E{r}),E{r},1)",
            f'=IF(OR(D{r}="month",D{r}="year"),IF(ISNUMBER(F{r}),F{r},finance_horizon_months),'
            f"I{r})",
            f'=IF(D{r}="year",12,1)',
        )
        helpers = _item_helpers(item, horizon)
        for col, (formula, value) in enumerate(zip(formulas, helpers, strict=True), start=6):
            ws.write_formula(row, col, formula, st("money2" if col < 8 else "int", "calc"), value)
    last = top + n
    for col, name in _ITEM_NAMES.items():
        letter = _col_name(col)
        wb.define_name(name, f"={_ITEMS}!${letter}${top + 1}:${letter}${last}")
    rows = (top, 0, last - 1, 0)
    ws.data_validation(rows[0], 1, rows[2], 1, {"validate": "list", "source": ["benefit", "cost"]})
    ws.data_validation(
        rows[0], 3, rows[2], 3, {"validate": "list", "source": ["once", "month", "year"]}
    )
    ws.data_validation(
        rows[0], 2, rows[2], 2, {"validate": "decimal", "criteria": ">=", "value": 0}
    )
    ws.data_validation(
        rows[0],
        4,
        rows[2],
        4,
        {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": MAX_MONTHS},
    )
    ws.data_validation(
        rows[0], 5, rows[2], 5, {"validate": "integer", "criteria": ">=", "value": 0}
    )
    for col, width in enumerate((34, 10, 16, 9, 9, 9, 14, 14, 9, 9, 9)):
        ws.set_column(col, col, width)
    ws.set_row(3, 30)
    ws.freeze_panes(4, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


# --- results ----------------------------------------------------------------------------------

#: The results as defined names (MODEL.md §3 names), each a cell on Summary.
RESULT_NAMES = (
    "npv",
    "roi",
    "payback_months",
    "pv_benefits",
    "pv_costs",
    "benefit_cost_ratio",
    "npv_hard",
    "roi_hard",
    "total_benefits",
    "total_costs",
    "net_benefit",
    "total_savings",
    "total_other_benefits",
    "total_revenue_impact",
    "contacts_avoided",
    "contacts_deflected",
    "extra_customers_end",
)


def _write_summary(
    wb: Any, st: _Styles, s: Scenario, r: Result, preset: Preset | None, prospect: str
) -> None:
    ws = wb.add_worksheet("Summary")
    cur = str(s.business.currency)
    # What a formula shows for a missing figure, in the language of the workbook's text
    # (a string in a formula: a double quote would be doubled).
    not_defined, no_payback = (_(NOT_DEFINED).replace('"', '""'), _(NO_PAYBACK).replace('"', '""'))
    names = {
        "monthly_pv_benefits": _monthly_range("pv_benefits"),
        "monthly_pv_costs": _monthly_range("pv_costs"),
        "monthly_pv_hard": _monthly_range("pv_hard"),
        "monthly_benefits": _monthly_range("benefits"),
        "monthly_costs": _monthly_range("costs"),
        "monthly_savings": _monthly_range("benefit_root_cause", "benefit_self_service"),
        "monthly_other": _monthly_range("benefit_other"),
        "monthly_revenue": _monthly_range("revenue_retention", "revenue_price_premium"),
        "monthly_avoided": _monthly_range("avoided"),
        "monthly_deflected": _monthly_range("deflected"),
        "monthly_payback": _monthly_range("payback"),
        **{
            f"monthly_stock_{k}": _monthly_range(f"stock_{k}")
            for k in ("retention", "saves", "referrals")
        },
    }
    for name, ref in names.items():
        wb.define_name(name, ref)
    sm = r.summary
    stock_end = "+".join(
        f"INDEX(monthly_stock_{k},finance_horizon_months+1)"
        for k in ("retention", "saves", "referrals")
    )
    rows: list[tuple[str, str, str, float | str | None, str]] = [
        (_("Net present value (NPV)"), "npv", "=pv_benefits-pv_costs", sm.npv, "money2"),
        (
            _("Return on investment (ROI)"),
            "roi",
            f'=IF(pv_costs=0,"{not_defined}",npv/pv_costs)',
            sm.roi,
            "pct1",
        ),
        (
            _("Payback (months)"),
            "payback_months",
            f'=IF(COUNT(monthly_payback)=0,"{no_payback}",MIN(monthly_payback))',
            sm.payback_months,
            "months",
        ),
        (_("PV of benefits"), "pv_benefits", "=SUM(monthly_pv_benefits)", sm.pv_benefits, "money2"),
        (_("PV of costs"), "pv_costs", "=SUM(monthly_pv_costs)", sm.pv_costs, "money2"),
        (
            _("Benefit / cost ratio"),
            "benefit_cost_ratio",
            f'=IF(pv_costs=0,"{not_defined}",pv_benefits/pv_costs)',
            sm.benefit_cost_ratio,
            "ratio",
        ),
        (
            _("NPV, hard savings only"),
            "npv_hard",
            "=SUM(monthly_pv_hard)-pv_costs",
            sm.npv_hard,
            "money2",
        ),
        (
            _("ROI, hard savings only"),
            "roi_hard",
            f'=IF(pv_costs=0,"{not_defined}",npv_hard/pv_costs)',
            sm.roi_hard,
            "pct1",
        ),
        (
            _("Total benefits (undiscounted)"),
            "total_benefits",
            "=SUM(monthly_benefits)",
            sm.total_benefits,
            "money2",
        ),
        (
            _("Total costs (undiscounted)"),
            "total_costs",
            "=SUM(monthly_costs)",
            sm.total_costs,
            "money2",
        ),
        (
            _("Net benefit (undiscounted)"),
            "net_benefit",
            "=total_benefits-total_costs",
            sm.net_benefit,
            "money2",
        ),
        (
            _("Cost savings (risk-adjusted)"),
            "total_savings",
            "=SUM(monthly_savings)",
            sm.total_savings,
            "money2",
        ),
        (
            _("Other line items (risk-adjusted)"),
            "total_other_benefits",
            "=SUM(monthly_other)",
            sm.total_other_benefits,
            "money2",
        ),
        (
            _("Revenue impact (before margin and risk)"),
            "total_revenue_impact",
            "=SUM(monthly_revenue)",
            sm.total_revenue_impact,
            "money2",
        ),
        (
            _("Contacts avoided"),
            "contacts_avoided",
            "=SUM(monthly_avoided)",
            sm.contacts_avoided,
            "int",
        ),
        (
            _("Contacts deflected"),
            "contacts_deflected",
            "=SUM(monthly_deflected)",
            sm.contacts_deflected,
            "int",
        ),
        (
            _("Extra customers at the horizon"),
            "extra_customers_end",
            f"={stock_end}",
            sm.extra_customers_end,
            "count",
        ),
    ]
    assert tuple(name for _label, name, *_rest in rows) == RESULT_NAMES
    _text(ws, 0, 0, s.name, st(None, bold=True, font_size=14))
    row = 1
    if s.description:
        ws.merge_range(row, 0, row, 2, "", st(None, text_wrap=True, valign="top"))
        _text(ws, row, 0, s.description, st(None, text_wrap=True, valign="top"))
        lines = sum(1 + len(part) // 95 for part in _clean(s.description).splitlines() or [""])
        ws.set_row(row, 15 * min(lines, 26))
        row += 1
    if _clean(prospect).strip():
        _text(ws, row, 0, _("Prepared for"))
        _text(ws, row, 1, prospect.strip())
        row += 1
    if preset is not None:
        _text(ws, row, 0, _("Starting point"))
        _text(ws, row, 1, _("{preset} preset").format(preset=preset.name))
        row += 1
    _text(ws, row, 0, _("Currency"))
    _text(ws, row, 1, cur)
    row += 1
    _text(
        ws,
        row,
        0,
        # i18n: Assumptions and Line items are the names of the workbook's sheets: keep them.
        _(
            "Inputs live on Assumptions and Line items (yellow cells); everything "
            "else is a formula of them."
        ),
        st(None, italic=True),
    )
    row += 2
    for col, text in enumerate((_("Figure"), _("Value"), _("Defined name"))):
        _text(ws, row, col, text, st(None, "head"))
    row += 1
    missing = {
        "roi": _(NOT_DEFINED),
        "benefit_cost_ratio": _(NOT_DEFINED),
        "roi_hard": _(NOT_DEFINED),
        "payback_months": _(NO_PAYBACK),
    }
    for label, name, formula, value, number in rows:
        bold = name in ("npv", "roi", "payback_months")
        _text(ws, row, 0, label, st(None, bold=bold))
        style = st(number, bold=bold, align="right")
        ws.write_formula(row, 1, formula, style, _cached(value, missing.get(name, "")))
        _text(ws, row, 2, name, st(None, font_color="#595959"))
        wb.define_name(name, f"=Summary!$B${row + 1}")
        row += 1
    row += 1
    notes = (
        _(
            'ROI and the benefit / cost ratio show "{not_defined}" when the PV of costs is 0; '
            'payback shows "{never}" when the cumulative net does not reach 0 within the '
            "horizon."
        ).format(not_defined=_(NOT_DEFINED), never=_(NO_PAYBACK)),
        _(DISCLAIMER),
    )
    for note in notes:
        ws.merge_range(row, 0, row, 2, "", st(None, text_wrap=True, valign="top"))
        _text(ws, row, 0, note, st(None, text_wrap=True, valign="top", font_color="#595959"))
        ws.set_row(row, 15 * (1 + len(note) // 95))
        row += 1
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 24)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()


def _write_yearly(wb: Any, st: _Styles, r: Result) -> None:
    ws = wb.add_worksheet("Yearly table")
    table = r.yearly()
    n_years = len(table.columns) - 3
    years = MAX_MONTHS // 12
    title = _("Total economic impact by year (risk-adjusted)")
    _text(ws, 0, 0, title, st(None, bold=True, font_size=14))
    _text(ws, 1, 0, _("Year y holds months 12(y-1)+1 to 12y; years past the horizon stay empty."))
    head = 3
    _text(ws, head, 0, "", st(None, "head"))
    _text(ws, head, 1, yearly_label("Initial"), st(None, "head"))
    for y in range(1, years + 1):
        year = yearly_label(f"Year {y}")
        quoted = year.replace('"', '""')  # a string in a formula
        ws.write_formula(
            head,
            1 + y,
            f'=IF({12 * (y - 1)}>=finance_horizon_months,"","{quoted}")',
            st(None, "head"),
            year if y <= n_years else "",
        )
    _text(ws, head, years + 2, yearly_label("Total"), st(None, "head"))
    _text(ws, head, years + 3, yearly_label("Present value"), st(None, "head"))
    lines = (
        (yearly_label("Benefits"), "benefits", table.benefits, "pv_benefits"),
        (yearly_label("Costs"), "costs", table.costs, "pv_costs"),
        (yearly_label("Net"), "net", table.net, "npv"),
    )
    money = st("money")
    for i, (label, key, values, pv_name) in enumerate(lines):
        row, c = head + 1 + i, _COL[key]
        _text(ws, row, 0, label, st(None, bold=True))
        ws.write_formula(row, 1, f"={_MONTHLY}!{c}{_FIRST}", money, values[0])
        for y in range(1, years + 1):
            lo, hi = _FIRST + 12 * (y - 1) + 1, _FIRST + 12 * y
            ws.write_formula(
                row,
                1 + y,
                f'=IF({12 * (y - 1)}>=finance_horizon_months,"",SUM({_MONTHLY}!{c}{lo}:{c}{hi}))',
                money,
                values[y] if y <= n_years else "",
            )
        ws.write_formula(
            row, years + 2, f"=SUM({_MONTHLY}!{c}{_FIRST}:{c}{_LAST})", money, values[-2]
        )
        ws.write_formula(row, years + 3, f"={pv_name}", money, values[-1])
    ws.set_column(0, 0, 12)
    ws.set_column(1, years + 3, 13)
    ws.freeze_panes(head + 1, 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def xlsx_report(
    s: Scenario,
    *,
    preset: Preset | None = None,
    prospect: str = "",
) -> bytes:
    """The scenario as a live Excel model: Summary, Assumptions, Line items, Monthly
    cash flow and Yearly table (module docstring; docs/reports.md). ``preset`` names
    the sources of the values still equal to it; ``prospect`` is who it is prepared
    for (a text cell on Summary). Its text is in the language being spoken; sheet
    names and defined names, which the formulas use, never change."""
    import xlsxwriter

    s = as_named(s, preset)
    result = evaluate(s)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties(
        {
            "title": _clean(s.name),
            "comments": _(
                "Live ROI model: change the yellow input cells and every figure recalculates."
            ),
        }
    )
    st = _Styles(wb, str(s.business.currency))
    _write_summary(wb, st, s, result, preset, prospect)
    _write_assumptions(wb, st, s, preset)
    _write_items(wb, st, s)
    _write_monthly(wb, st, s, result)
    _write_yearly(wb, st, result)
    wb.close()
    return buffer.getvalue()
