"""Leave-behind reports, pure builders: scenario in, bytes out.

* :func:`html_report` — one standalone page (plotly.js embedded once, so it
  opens offline), with print CSS so "Print to PDF" gives a clean document.
* :func:`xlsx_report` — Summary, Assumptions, Monthly cash flow, Yearly table;
  the totals, discounting, NPV and ROI are live formulas over the monthly
  cells, so a finance team can audit and change them.
* :func:`pptx_report` — native, editable PowerPoint charts (not pictures).

Every user text (scenario name, prospect) is escaped for HTML; in XLSX and PPTX
it is plain cell or run text. Tests read each file back and compare with
:func:`roi_core.evaluate`.
"""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs

from roi_core import Scenario, evaluate
from roi_core.analysis import MonteCarlo
from roi_core.drivers import DRIVERS, SAVINGS_DRIVERS
from roi_core.methodology import FORMULAS, LEFT_OUT
from roi_ui import charts, tables
from roi_ui import formatting as fmt
from roi_ui.presets import Preset
from roi_ui.theme import PRIMARY, driver_label

__all__ = ["DISCLAIMER", "html_report", "pptx_report", "xlsx_report"]

DISCLAIMER = (
    "This business case is a model, not a forecast. Its figures follow from the "
    "assumptions listed here, risk-adjusted and discounted as stated; revenue effects "
    "are attributed to the program by assumption unless measured against a control "
    "group. Check every assumption against your own data before deciding."
)


def _kpis(s: Scenario) -> list[tuple[str, str]]:
    r, cur = evaluate(s).summary, s.business.currency
    return [
        ("Net present value", fmt.money(r.npv, cur)),
        ("Return on investment", fmt.percent(r.roi)),
        ("ROI on hard savings only", fmt.percent(r.roi_hard)),
        ("Payback", fmt.months(r.payback_months)),
        ("Cost savings (risk-adjusted)", fmt.money(r.total_savings, cur)),
        ("Revenue impact (before margin)", fmt.money(r.total_revenue_impact, cur)),
    ]


# --- HTML -----------------------------------------------------------------------------------

_CSS = f"""
body {{ font-family: Inter, "Segoe UI", Helvetica, Arial, sans-serif; color: #0F172A;
       max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }}
h1 {{ color: {PRIMARY}; margin-bottom: .2rem; }} h2 {{ margin-top: 2.2rem; }}
.kpis {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: .8rem; }}
.kpi {{ border: 1px solid #CBD5E1; border-radius: .6rem; padding: .7rem 1rem; }}
.kpi b {{ display: block; font-size: 1.5rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ border-bottom: 1px solid #E2E8F0; padding: .35rem .5rem; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.muted {{ color: #64748B; font-size: .85rem; }}
@media print {{ body {{ margin: 0; max-width: none; }} .chart, table, .kpis {{
  break-inside: avoid; }} h2 {{ break-before: auto; break-after: avoid; }} }}
"""


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_report(
    s: Scenario,
    *,
    preset: Preset | None = None,
    prospect: str = "",
    monte_carlo: MonteCarlo | None = None,
    when: datetime | None = None,
) -> bytes:
    """A standalone HTML business case (opens offline, prints cleanly)."""
    result, cur = evaluate(s), s.business.currency
    when = when or datetime.now(UTC)
    # Built with full validation (not the hot path) on a white page, not the app's theme.
    figs = [
        charts.figure(spec(result, cur), validate=True).update_layout(template="plotly_white")
        for spec in (charts.spec_value_waterfall, charts.spec_cumulative_cash,
                     charts.spec_monthly_flows)
    ]  # fmt: skip
    chart_html = "".join(
        f'<div class="chart">{pio.to_html(f, full_html=False, include_plotlyjs=False)}</div>'
        for f in figs
    )
    yearly = result.yearly()
    year_rows = [[label, *(fmt.money(v, cur) for v in values)]
                 for label, values in yearly.rows().items()]  # fmt: skip
    assumptions = tables.assumptions(s, preset)
    assumption_rows = [[str(r["label"]), str(r["shown"]), str(r["unit"]), str(r["source"]),
                        str(r["confidence"])] for r in assumptions.to_dict("records")]  # fmt: skip
    kpis = "".join(f'<div class="kpi">{html.escape(k)}<b>{html.escape(v)}</b></div>'
                   for k, v in _kpis(s))  # fmt: skip
    risk = ""
    if monte_carlo is not None:
        mc = monte_carlo
        risk = "<h2>Risk</h2>" + _table(
            ["", "P10", "P50", "P90"],
            [["NPV", *(fmt.money(v, cur) for v in (mc.npv.p10, mc.npv.p50, mc.npv.p90))],
             ["ROI", *(fmt.percent(v) for v in (mc.roi.p10, mc.roi.p50, mc.roi.p90))]],
        ) + (f'<p>Chance that NPV is positive: {fmt.percent(mc.prob_npv_positive)} '
             f'({mc.n:,} draws, seed {mc.seed}).</p>')  # fmt: skip
    method = "".join(f"<li><b>{html.escape(f.title)}</b>: {html.escape(f.words)}</li>"
                     for f in FORMULAS)  # fmt: skip
    left_out = "".join(f"<li>{html.escape(line)}</li>" for line in LEFT_OUT)
    title = html.escape(s.name)
    for_whom = f"<p>Prepared for {html.escape(prospect)}</p>" if prospect.strip() else ""
    doc = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}: social customer care business case</title>
<style>{_CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{title}</h1>{for_whom}
<p class="muted">Social customer care business case, {s.finance.horizon_months} months,
{fmt.percent(s.finance.discount_rate, digits=0)} discount rate, generated
{when:%d %B %Y}.</p>
<h2>Executive summary</h2><div class="kpis">{kpis}</div>
<p>{html.escape(s.description)}</p>
<h2>Where the value comes from</h2>{chart_html}
<h2>Total economic impact by year (risk-adjusted)</h2>
{_table(["", *yearly.columns], year_rows)}
{risk}
<h2>Assumptions and sources</h2>
{_table(["Input", "Value", "Unit", "Source", "Confidence"], assumption_rows)}
<h2>Methodology</h2><ul>{method}</ul><p>Not counted:</p><ul>{left_out}</ul>
<h2>Disclaimer</h2><p class="muted">{html.escape(DISCLAIMER)}</p>
</body></html>"""
    return doc.encode("utf-8")


# --- XLSX -----------------------------------------------------------------------------------


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
    for row in tables.assumptions(s, preset).to_dict("records"):
        asm.append([row["label"], row["field"], row["value"], row["unit"], row["source"],
                    row["confidence"]])  # fmt: skip
        where[str(row["field"])] = f"Assumptions!$C${asm.max_row}"
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
    summ.append([s.name])
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


# --- PPTX -----------------------------------------------------------------------------------


def pptx_report(s: Scenario, *, preset: Preset | None = None, prospect: str = "") -> bytes:
    """Title, KPIs, benefits by driver, cumulative cash flow, assumptions (native charts)."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    result, cur = evaluate(s), s.business.currency
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank, title_only = deck.slide_layouts[6], deck.slide_layouts[5]

    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = s.name  # type: ignore[union-attr]
    subtitle = "Social customer care business case"
    if prospect.strip():
        subtitle += f" for {prospect.strip()}"
    cover.placeholders[1].text = subtitle  # type: ignore[attr-defined]

    kpi = deck.slides.add_slide(title_only)
    kpi.shapes.title.text = "The case in numbers"  # type: ignore[union-attr]
    for i, (label, value) in enumerate(_kpis(s)):
        box = kpi.shapes.add_textbox(Inches(0.6 + 4.2 * (i % 3)), Inches(1.8 + 2.3 * (i // 3)),
                                     Inches(4.0), Inches(2.0))  # fmt: skip
        frame = box.text_frame
        frame.text = label
        run = frame.add_paragraph().add_run()
        run.text = value
        run.font.size, run.font.bold = Pt(28), True

    pv = result.monthly.present_values()
    data = CategoryChartData()
    drivers = [d for d in DRIVERS if abs(pv[d]) >= 0.5]
    data.categories = [driver_label(d) for d in drivers] + ["Costs"]
    data.add_series(f"Present value ({cur})", [pv[d] for d in drivers] + [-pv["costs"]])
    slide = deck.slides.add_slide(title_only)
    slide.shapes.title.text = "Benefits by driver, and costs (present values)"  # type: ignore[union-attr]
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.5),
                                   Inches(12), Inches(5.5), data).chart  # fmt: skip
    chart.has_legend = False

    cum = CategoryChartData()
    cum.categories = [int(t) for t in result.monthly.month]
    cum.add_series("Cumulative net cash flow", [float(x) for x in result.monthly.cumulative_net])
    slide = deck.slides.add_slide(title_only)
    slide.shapes.title.text = (  # type: ignore[union-attr]
        f"Cumulative net cash flow: payback {fmt.months(result.summary.payback_months)}"
    )
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(0.6), Inches(1.5), Inches(12),
                                   Inches(5.5), cum).chart  # fmt: skip
    chart.has_legend, chart.legend.position = True, XL_LEGEND_POSITION.BOTTOM  # type: ignore[union-attr]

    slide = deck.slides.add_slide(blank)
    rows = tables.assumptions(s, preset).to_dict("records")
    shape = slide.shapes.add_table(len(rows) + 1, 3, Inches(0.4), Inches(0.3), Inches(12.5),
                                   Inches(6.9))  # fmt: skip
    grid = shape.table
    for j, h in enumerate(("Assumption", "Value", "Source")):
        grid.cell(0, j).text = h
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate((row["label"], row["shown"], row["source"])):
            cell = grid.cell(i, j)
            cell.text = str(value)
            for p in cell.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(8)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
