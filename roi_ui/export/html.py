"""The leave-behind report as one standalone HTML page: plotly.js embedded once,
so it opens offline, with print CSS so "Print to PDF" gives a clean document on
A4 or Letter.

Every user text (scenario name, description, prospect, line-item names) has its
control characters removed and is then HTML-escaped: it reads as typed, never as
markup.

Printing: the charts are responsive (they fill their column on screen), and a
small script redraws them at the printed column's width when the page enters
print media (a ``matchMedia('print')`` listener: browsers call it when they lay the
page out for printing, and Chromium's ``page.pdf`` does, which the tests use) and
back after it; ``beforeprint`` first narrows them to :data:`PRINT_WIDTH`, for a
browser that fires only that. Tables repeat their header on every page and never
split a row; on a phone they scroll sideways.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

import plotly.graph_objects as go
import plotly.io as pio
from babel.dates import format_date
from plotly.offline import get_plotlyjs

from roi_core import Result, Scenario, evaluate, i18n
from roi_core.analysis import MonteCarlo
from roi_core.i18n import gettext as _
from roi_core.methodology import FORMULAS, LEFT_OUT
from roi_core.scenario import OtherItem
from roi_ui import formatting as fmt
from roi_ui.export.common import DISCLAIMER, as_named, kpis, yearly_label
from roi_ui.export.tables import _clean
from roi_ui.figures import dashboard as figures
from roi_ui.figures.base import figure
from roi_ui.frames.dashboard import assumptions
from roi_ui.presets import Preset
from roi_ui.theme import COST_COLOR, PRIMARY

__all__ = ["PRINT_WIDTH", "html_report"]

#: CSS px a chart is narrowed to before printing when the browser does not say how
#: wide the printed column is: A4 less 1.2 cm margins a side (Letter is wider).
PRINT_WIDTH = 700
#: At most this many number columns in the yearly table with years across (a
#: three-year case); a longer horizon puts the years down, so it fits any page.
_YEARS_ACROSS = 6

Align = Literal["text", "num"]

_CSS = f"""
@page {{ margin: 1cm; }}
body {{ font-family: Inter, "Segoe UI", Helvetica, Arial, sans-serif; color: #0F172A;
       max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }}
h1 {{ color: {PRIMARY}; margin-bottom: .2rem; overflow-wrap: anywhere; }}
h2 {{ margin-top: 2.2rem; }}
.kpis {{ display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .8rem; }}
.kpi {{ border: 1px solid #CBD5E1; border-radius: .6rem; padding: .7rem 1rem; }}
.kpi b {{ display: block; font-size: 1.5rem; overflow-wrap: anywhere; }}
.chart {{ margin: 1rem 0; }}
.table {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ border-bottom: 1px solid #E2E8F0; padding: .35rem .5rem; vertical-align: top; }}
.text {{ text-align: left; overflow-wrap: break-word; }}
.num {{ text-align: right; white-space: nowrap; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
.muted {{ color: #64748B; font-size: .85rem; }}
.description {{ white-space: pre-line; overflow-wrap: anywhere; }}
@media print {{
  body {{ margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }}
  h2 {{ margin-top: 1.4rem; break-after: avoid; }}
  .kpis {{ gap: .5rem; break-inside: avoid; }}
  .kpi {{ padding: .45rem .7rem; }}
  .kpi b {{ font-size: 1.2rem; }}
  .chart {{ break-inside: avoid; margin: .6rem 0; }}
  .table {{ overflow: visible; }}
  table {{ font-size: 8.5pt; }}
}}
"""

# Plotly.relayout draws synchronously, so the redraw is in the printed page.
_PRINT_SCRIPT = f"""
(function () {{
  var charts = function () {{
    return Array.prototype.slice.call(document.querySelectorAll('.js-plotly-plot'));
  }};
  var fit = function (most) {{
    charts().forEach(function (gd) {{
      var column = Math.floor(gd.parentElement.getBoundingClientRect().width);
      Plotly.relayout(gd, {{width: Math.max(200, Math.min(column, most || column))}});
    }});
  }};
  var restore = function () {{
    charts().forEach(function (gd) {{ Plotly.relayout(gd, {{width: null, autosize: true}}); }});
  }};
  var print = window.matchMedia('print');
  var onChange = function (e) {{ if (e.matches) {{ fit(); }} else {{ restore(); }} }};
  if (print.addEventListener) {{ print.addEventListener('change', onChange); }}
  else {{ print.addListener(onChange); }}
  window.addEventListener('beforeprint', function () {{ fit({PRINT_WIDTH}); }});
  window.addEventListener('afterprint', restore);
}})();
"""


def _text(value: object) -> str:
    """Text as it may go into the page: control characters removed, then escaped."""
    return html.escape(_clean(str(value)))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[Align]) -> str:
    """A table whose columns are aligned by kind: text left, numbers right."""
    head = "".join(f'<th class="{a}">{_text(h)}</th>' for h, a in zip(header, align, strict=True))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{a}">{_text(c)}</td>' for c, a in zip(row, align, strict=True))
        + "</tr>"
        for row in rows
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table">{table}</div>'  # scrolls sideways on a phone


def _monthly_flows(result: Result, currency: str) -> go.Figure:
    """The dashboard's monthly chart, with the month-0 cost labelled: a printed page
    has no hover, and the set-up spike is the figure a reader looks for."""
    fig = figure(figures.spec_monthly_flows(result, currency), validate=True)
    up_front = float(result.monthly.costs[0])
    if up_front > 0:
        fig.add_annotation(
            x=0, y=up_front, xref="x", yref="y", xanchor="left", yanchor="middle", xshift=6,
            text=_("Up-front cost {amount}").format(amount=fmt.money_compact(up_front, currency)),
            showarrow=False,
            font={"size": 11, "color": COST_COLOR}, bgcolor="rgba(255,255,255,0.8)",
        )  # fmt: skip
    return fig


def _charts(result: Result, currency: str) -> str:
    figs = [
        figure(figures.spec_value_waterfall(result, currency), validate=True),
        figure(figures.spec_cumulative_cash(result, currency), validate=True),
        _monthly_flows(result, currency),
    ]
    # On a white page, not the app's theme; no fixed width: the column sets it.
    config = {"responsive": True, "displaylogo": False}
    return "".join(
        '<div class="chart">'
        + pio.to_html(
            f.update_layout(template="plotly_white", autosize=True),
            full_html=False,
            include_plotlyjs=False,
            config=config,
        )
        + "</div>"
        for f in figs
    )


def _aligned(numbers: int) -> list[Align]:
    """A label column, then ``numbers`` number columns."""
    number: Align = "num"
    return ["text", *([number] * numbers)]


def _yearly(result: Result, currency: str) -> str:
    yearly = result.yearly()
    rows = yearly.rows()
    columns = [yearly_label(c) for c in yearly.columns]
    if len(columns) <= _YEARS_ACROSS:
        cells = [
            [yearly_label(label), *(fmt.money(v, currency) for v in values)]
            for label, values in rows.items()
        ]
        return _table(["", *columns], cells, _aligned(len(columns)))
    down = [
        [column, *(fmt.money(values[i], currency) for values in rows.values())]
        for i, column in enumerate(columns)
    ]
    return _table(["", *(yearly_label(r) for r in rows)], down, _aligned(len(rows)))


def _item_rows(items: Sequence[OtherItem], horizon: int, currency: str) -> list[list[str]]:
    """Line items as rows of the assumptions table: name, amount, how often, when."""
    rows = []
    for item in items:
        end = min(horizon, item.end_month if item.end_month is not None else horizon)
        if item.every == "once":
            unit = _("{currency}, once in month {start}")
        elif item.every == "year":
            unit = _("{currency} per year, months {start} to {end}")
        else:
            unit = _("{currency} per month, months {start} to {end}")
        unit = unit.format(currency=currency, start=item.start_month, end=end)
        if item.kind == "cost":
            source = _("line item (cost), set by the user")
        else:
            source = _("line item (benefit), set by the user")
        rows.append([item.name, fmt.number(item.amount, digits=2), unit, source, ""])
    return rows


def _risk(mc: MonteCarlo | None, currency: str) -> str:
    if mc is None:
        return ""
    table = _table(
        ["", "P10", "P50", "P90"],
        [["NPV", *(fmt.money(v, currency) for v in (mc.npv.p10, mc.npv.p50, mc.npv.p90))],
         ["ROI", *(fmt.percent(v) for v in (mc.roi.p10, mc.roi.p50, mc.roi.p90))]],
        ["text", "num", "num", "num"],
    )  # fmt: skip
    chance = _("Chance that NPV is positive: {chance} ({n} draws, seed {seed}).").format(
        chance=fmt.percent(mc.prob_npv_positive), n=fmt.count(mc.n), seed=mc.seed
    )
    heading = _text(_("Risk"))
    return f"<h2>{heading}</h2>{table}<p>{_text(chance)}</p>"


def html_report(
    s: Scenario,
    *,
    preset: Preset | None = None,
    prospect: str = "",
    monte_carlo: MonteCarlo | None = None,
    when: datetime | None = None,
) -> bytes:
    """A standalone HTML business case (opens offline, prints cleanly on A4 and Letter),
    in the language being spoken."""
    s = as_named(s, preset)
    result, cur = evaluate(s), s.business.currency
    when = when or datetime.now(UTC)
    table = assumptions(s, preset)
    assumption_rows = [[str(r["label"]), str(r["shown"]), str(r["unit"]), str(r["source"]),
                        str(r["confidence"])] for r in table.to_dict("records")]  # fmt: skip
    assumption_rows += _item_rows(s.other_items, s.finance.horizon_months, cur)
    cards = "".join(f'<div class="kpi">{_text(k)}<b>{_text(v)}</b></div>'
                    for k, v in kpis(result.summary, cur))  # fmt: skip
    method = "".join(f"<li><b>{_text(_(f.title))}</b>: {_text(_(f.words))}</li>" for f in FORMULAS)
    left_out = "".join(f"<li>{_text(_(line))}</li>" for line in LEFT_OUT)
    title = _text(s.name)
    whom = _clean(prospect).strip()
    prepared = _text(_("Prepared for {prospect}").format(prospect=whom))
    for_whom = f"<p>{prepared}</p>" if whom else ""
    description = _text(s.description)
    about = f'<p class="description">{description}</p>' if description.strip() else ""
    head_title = _text(_("{name}: social customer care business case").format(name=s.name))
    basis = _text(
        # i18n: the line under the title; its line breaks are only white space in HTML.
        _(
            "Social customer care business case, {months} months,\n"
            "{rate} discount rate, generated\n{date}."
        ).format(
            months=s.finance.horizon_months,
            rate=fmt.percent(s.finance.discount_rate, digits=0),
            date=format_date(when, "dd MMMM y", locale=i18n.locale()),
        )
    )
    assumptions_table = _table(
        [_("Input"), _("Value"), _("Unit"), _("Source"), _("Confidence")],
        assumption_rows,
        ["text", "num", "text", "text", "text"],
    )
    disclaimer = _text(_(DISCLAIMER))
    h2 = {
        key: _text(text)
        for key, text in (
            ("summary", _("Executive summary")),
            ("value", _("Where the value comes from")),
            ("yearly", _("Total economic impact by year (risk-adjusted)")),
            ("assumptions", _("Assumptions and sources")),
            ("method", _("Methodology")),
            ("left_out", _("Not counted:")),
            ("disclaimer", _("Disclaimer")),
        )
    }
    doc = f"""<!doctype html><html lang="{i18n.current()}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{head_title}</title>
<style>{_CSS}</style><script>{get_plotlyjs()}</script></head><body>
<h1>{title}</h1>{for_whom}
<p class="muted">{basis}</p>
<h2>{h2["summary"]}</h2><div class="kpis">{cards}</div>
{about}
<h2>{h2["value"]}</h2>{_charts(result, cur)}
<h2>{h2["yearly"]}</h2>
{_yearly(result, cur)}
{_risk(monte_carlo, cur)}
<h2>{h2["assumptions"]}</h2>
{assumptions_table}
<h2>{h2["method"]}</h2><ul>{method}</ul><p>{h2["left_out"]}</p><ul>{left_out}</ul>
<h2>{h2["disclaimer"]}</h2><p class="muted">{disclaimer}</p>
<script>{_PRINT_SCRIPT}</script>
</body></html>"""
    return doc.encode("utf-8")
