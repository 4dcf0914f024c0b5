"""The leave-behind report as one standalone HTML page: plotly.js embedded once,
so it opens offline, with print CSS so "Print to PDF" gives a clean document.

Every user text (scenario name, description, prospect) is HTML-escaped.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

import plotly.io as pio
from plotly.offline import get_plotlyjs

from roi_core import Scenario, evaluate
from roi_core.analysis import MonteCarlo
from roi_core.methodology import FORMULAS, LEFT_OUT
from roi_ui import formatting as fmt
from roi_ui.export.common import DISCLAIMER, kpis
from roi_ui.figures import dashboard as figures
from roi_ui.figures.base import figure
from roi_ui.frames.dashboard import assumptions
from roi_ui.presets import Preset
from roi_ui.theme import PRIMARY

__all__ = ["html_report"]

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
        figure(spec(result, cur), validate=True).update_layout(template="plotly_white")
        for spec in (figures.spec_value_waterfall, figures.spec_cumulative_cash,
                     figures.spec_monthly_flows)
    ]  # fmt: skip
    chart_html = "".join(
        f'<div class="chart">{pio.to_html(f, full_html=False, include_plotlyjs=False)}</div>'
        for f in figs
    )
    yearly = result.yearly()
    year_rows = [[label, *(fmt.money(v, cur) for v in values)]
                 for label, values in yearly.rows().items()]  # fmt: skip
    table = assumptions(s, preset)
    assumption_rows = [[str(r["label"]), str(r["shown"]), str(r["unit"]), str(r["source"]),
                        str(r["confidence"])] for r in table.to_dict("records")]  # fmt: skip
    cards = "".join(f'<div class="kpi">{html.escape(k)}<b>{html.escape(v)}</b></div>'
                    for k, v in kpis(result.summary, cur))  # fmt: skip
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
<h2>Executive summary</h2><div class="kpis">{cards}</div>
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
