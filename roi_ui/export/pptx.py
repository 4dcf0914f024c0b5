"""The leave-behind report as a PowerPoint deck with native, editable charts (not
pictures): cover, KPIs, benefits by driver, cumulative cash flow, assumptions.
User text is plain run text."""

from __future__ import annotations

import io

from roi_core import Scenario, evaluate
from roi_core.drivers import DRIVERS
from roi_ui import formatting as fmt
from roi_ui.export.common import kpis
from roi_ui.frames.dashboard import assumptions
from roi_ui.presets import Preset
from roi_ui.theme import driver_label

__all__ = ["pptx_report"]


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
    cover.shapes.title.text = s.name
    subtitle = "Social customer care business case"
    if prospect.strip():
        subtitle += f" for {prospect.strip()}"
    cover.placeholders[1].text = subtitle

    kpi = deck.slides.add_slide(title_only)
    kpi.shapes.title.text = "The case in numbers"
    for i, (label, value) in enumerate(kpis(result.summary, cur)):
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
    slide.shapes.title.text = "Benefits by driver, and costs (present values)"
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.5),
                                   Inches(12), Inches(5.5), data).chart  # fmt: skip
    chart.has_legend = False

    cum = CategoryChartData()
    cum.categories = [int(t) for t in result.monthly.month]
    cum.add_series("Cumulative net cash flow", [float(x) for x in result.monthly.cumulative_net])
    slide = deck.slides.add_slide(title_only)
    slide.shapes.title.text = (
        f"Cumulative net cash flow: payback {fmt.months(result.summary.payback_months)}"
    )
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(0.6), Inches(1.5), Inches(12),
                                   Inches(5.5), cum).chart  # fmt: skip
    chart.has_legend, chart.legend.position = True, XL_LEGEND_POSITION.BOTTOM

    slide = deck.slides.add_slide(blank)
    rows = assumptions(s, preset).to_dict("records")
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
