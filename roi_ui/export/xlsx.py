"""The leave-behind report as an Excel workbook: Summary, Assumptions, Monthly
cash flow and Yearly table; the totals, discounting, NPV and ROI are live
formulas over the monthly cells, so a finance team can audit and change them.
User text is plain cell text."""

from __future__ import annotations

import io
from typing import Any

from roi_core import Scenario, evaluate
from roi_core.drivers import DRIVERS, SAVINGS_DRIVERS
from roi_ui.export.tables import write_cell
from roi_ui.frames.dashboard import assumptions
from roi_ui.presets import Preset
from roi_ui.theme import driver_label

__all__ = ["xlsx_report"]


def xlsx_report(s: Scenario, *, preset: Preset | None = None) -> bytes:
    """Summary, Assumptions, Monthly cash flow and Yearly table, with live formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    result, cur = evaluate(s), str(s.business.currency)
    money = f'#,##0.00 "{cur}";-#,##0.00 "{cur}"'
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="E0F2F1")
    wb = Workbook()

    # Assumptions: one row per input; the finance rates are referenced by formulas.
    asm = wb.create_sheet("Assumptions")
    asm.append(["Input", "Field", "Value", "Unit", "Source", "Confidence"])
    where: dict[str, str] = {}
    for row in assumptions(s, preset).to_dict("records"):
        asm.append([row["label"], row["field"], row["value"], row["unit"], row["source"],
                    row["confidence"]])  # fmt: skip
        where[str(row["field"])] = f"Assumptions!$C${asm.max_row}"
    for row in asm.iter_rows(min_row=2):  # notes may quote the user (a file name)
        for cell in row:
            write_cell(cell, cell.value)
    for cell in asm[1]:
        cell.font, cell.fill = bold, head_fill

    # Monthly cash flow: drivers as values, everything derived as formulas.
    cash = wb.create_sheet("Monthly cash flow")
    m = result.monthly
    head = ["Month", *(driver_label(d) for d in DRIVERS), "Total benefits", "Costs", "Net",
            "Cumulative net", "Discount factor", "PV of benefits", "PV of costs",
            "Hard benefits"]  # fmt: skip
    cash.append(head)
    n_drivers = len(DRIVERS)
    col = {name: get_column_letter(i + 1) for i, name in enumerate(head)}
    first_driver, last_driver = get_column_letter(2), get_column_letter(1 + n_drivers)
    hard_cols = [get_column_letter(2 + DRIVERS.index(d)) for d in (*SAVINGS_DRIVERS, "other")]
    rate = where["finance.discount_rate"]
    for i, month in enumerate(m.month):
        r = i + 2
        cash.append([
            int(month), *(float(m.benefits[d][i]) for d in DRIVERS),
            f"=SUM({first_driver}{r}:{last_driver}{r})",
            float(m.costs[i]),
            f"={col['Total benefits']}{r}-{col['Costs']}{r}",
            f"={col['Net']}{r}" if i == 0 else f"={col['Cumulative net']}{r - 1}+{col['Net']}{r}",
            f"=(1+{rate})^(-{col['Month']}{r}/12)",
            f"={col['Total benefits']}{r}*{col['Discount factor']}{r}",
            f"={col['Costs']}{r}*{col['Discount factor']}{r}",
            "=" + "+".join(f"{c}{r}" for c in hard_cols),
        ])  # fmt: skip
    last = len(m.month) + 1
    for name in head[1:]:
        if name not in ("Discount factor", "Cumulative net"):
            for r in range(2, last + 1):
                cash[f"{col[name]}{r}"].number_format = money
    for cell in cash[1]:
        cell.font, cell.fill = bold, head_fill

    def total(name: str) -> str:
        return f"SUM('Monthly cash flow'!{col[name]}2:{col[name]}{last})"

    # Summary: the headline figures as formulas over the monthly sheet.
    summ = wb.active
    assert summ is not None
    summ.title = "Summary"
    summ.append([None])
    write_cell(summ["A1"], s.name)  # the user's text: a string cell, never a formula
    summ["A1"].font = Font(bold=True, size=14)
    summ.append(["Currency", cur])
    rows: list[tuple[str, str, str]] = [
        ("PV of benefits", f"={total('PV of benefits')}", money),
        ("PV of costs", f"={total('PV of costs')}", money),
        ("NPV", "=B3-B4", money),
        ("ROI", '=IF(B4=0,"n/a",B5/B4)', "0.0%"),
        ("Benefit / cost ratio", '=IF(B4=0,"n/a",B3/B4)', "0.00"),
        ("PV of hard benefits", "=SUMPRODUCT('Monthly cash flow'!"
         f"{col['Hard benefits']}2:{col['Hard benefits']}{last},'Monthly cash flow'!"
         f"{col['Discount factor']}2:{col['Discount factor']}{last})", money),
        ("NPV, hard savings only", "=B8-B4", money),
        ("ROI, hard savings only", '=IF(B4=0,"n/a",B9/B4)', "0.0%"),
        ("Total benefits (undiscounted)", f"={total('Total benefits')}", money),
        ("Total costs (undiscounted)", f"={total('Costs')}", money),
    ]  # fmt: skip
    for label, formula, number_format in rows:
        summ.append([label, formula])
        summ.cell(row=summ.max_row, column=2).number_format = number_format
    summ.append(["Payback (months)", result.summary.payback_months or "never"])
    summ.append([])
    summ.append(["Figures are formulas over 'Monthly cash flow'; change a cell to see its effect."])
    summ.column_dimensions["A"].width = 34
    summ.column_dimensions["B"].width = 22

    # Yearly table: sums over the monthly sheet's rows for each year.
    year = wb.create_sheet("Yearly table")
    yt = result.yearly()
    year.append(["", *yt.columns])
    horizon = len(m.month) - 1
    for label, name in (("Benefits", "Total benefits"), ("Costs", "Costs"), ("Net", "Net")):
        c = col[name]
        cells: list[Any] = [label, f"='Monthly cash flow'!{c}2"]
        for y in range(1, len(yt.columns) - 2):
            lo, hi = 12 * (y - 1) + 1, min(12 * y, horizon)
            cells.append(f"=SUM('Monthly cash flow'!{c}{lo + 2}:{c}{hi + 2})")
        cells.append(f"=SUM('Monthly cash flow'!{c}2:{c}{last})")
        pv = {"Benefits": "PV of benefits", "Costs": "PV of costs"}.get(label)
        cells.append("=Summary!B5" if pv is None else f"={total(pv)}")
        year.append(cells)
        for cell in year[year.max_row][1:]:
            cell.number_format = money
    for sheet in (year, cash, asm):
        for cell in sheet[1]:
            cell.font = bold
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
