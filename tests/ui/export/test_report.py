"""Leave-behind reports, read back and compared with the engine (the Excel model:
test_xlsx_model.py)."""

from __future__ import annotations

import io
import re

import pytest

from roi_core import Scenario, evaluate, monte_carlo, scenario_from_dict
from roi_ui import formatting as fmt
from roi_ui.export import html as html_export
from roi_ui.export import pptx as pptx_export
from roi_ui.presets import load_presets

NASTY = "<script>alert('x')</script> & Co"
CASES = {
    "defaults": Scenario(),
    "telecom": load_presets()["telecom"].scenario,
    "horizon-30-eur": scenario_from_dict(
        {"name": NASTY, "business": {"currency": "EUR"}, "finance": {"horizon_months": 30}}
    ),
}


def test_html_is_standalone_escaped_and_carries_the_figures() -> None:
    s = CASES["horizon-30-eur"]
    r = evaluate(s).summary
    mc = monte_carlo(
        scenario_from_dict(
            {"uncertainty": {"levers": {"retention_lift": {"low": 0.05, "high": 0.2}}}}
        ),
        n=500,
        seed=1,
    )
    doc = html_export.html_report(s, prospect="<b>Acme</b>", monte_carlo=mc).decode()
    assert doc.count("<script>alert") == 0  # the user's text never becomes markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in doc
    assert "Prepared for &lt;b&gt;Acme&lt;/b&gt;" in doc
    assert fmt.money(r.npv, "EUR") in doc
    assert fmt.months(r.payback_months) in doc
    assert doc.count("Plotly.newPlot") == 3  # three charts, plotly.js embedded once:
    assert len(re.findall(r"plotly\.js v\d", doc)) == 1  # it opens offline
    assert "@media print" in doc
    for heading in ("Executive summary", "Total economic impact by year", "Risk",
                    "Assumptions and sources", "Methodology", "Disclaimer"):  # fmt: skip
        assert f"<h2>{heading}" in doc


def test_pptx_has_native_charts_with_the_engines_numbers() -> None:
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    s = CASES["telecom"]
    r = evaluate(s)
    deck = Presentation(io.BytesIO(pptx_export.pptx_report(s, prospect="Acme")))
    slides = list(deck.slides)
    assert len(slides) >= 8  # cover, KPIs, 2 charts, assumptions (paginated), method, limits
    assert "for Acme" in slides[0].placeholders[1].text
    text = " ".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert fmt.money(r.summary.npv, "USD") in text
    charts = [sh.chart for sl in slides for sh in sl.shapes if sh.has_chart]
    assert [c.chart_type for c in charts] == [
        XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
    ]  # fmt: skip
    pv = r.monthly.present_values()
    bars = list(charts[0].plots[0].series[0].values)
    assert bars[-1] == pytest.approx(-pv["costs"])
    assert sum(bars) == pytest.approx(r.summary.npv)
    line = list(charts[1].plots[0].series[0].values)
    assert line == pytest.approx(list(r.monthly.cumulative_net))
