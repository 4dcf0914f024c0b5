"""Dashboard: move a lever, see what it is worth.

Shape: scenario state -> evaluate -> tables -> figures -> layout. The KPI row,
the controls and the charts form one fragment, so a slider move reruns only
them, not the page frame, the preset bar or the file controls.
"""

from __future__ import annotations

import streamlit as st

from roi_core import evaluate
from roi_core.sanity import check
from roi_ui import charts, presenter_widgets, state, tables, widgets
from roi_ui.share import link

# A deep link opened before the frame ever ran (a fresh server) lands here first.
state.page_start()
if state.presenting():
    presenter_widgets.show()
    st.stop()
head, picker = st.columns([1.4, 1], vertical_alignment="bottom")
head.title("What is social customer service worth?")
head.caption(
    "Risk-adjusted and discounted, month by month: benefits cut by the benefit risk, costs "
    "marked up by the cost risk, every figure traceable to an input on the left."
)
with picker:
    widgets.preset_bar()
for notice in state.notices():
    st.warning(notice, icon=":material/info:")


@st.fragment
def workbench() -> None:
    widgets.rerun_page_if_needed()
    s = state.scenario()
    currency = s.business.currency
    kpis, problems = st.container(), st.container()
    controls_col, main_col = st.columns([1, 2.6], gap="medium")
    with controls_col, st.container(key="controls"):
        edited_items = widgets.controls(currency)
    s = state.collect(edited_items)
    currency = s.business.currency
    state.sync_url(s)
    result = evaluate(s)
    _, base_result = state.baseline()
    with kpis:
        widgets.kpi_row(result, base_result, currency, state.baseline_label())
    with problems:
        widgets.plausibility(check(s, result))
        for problem in state.input_problems():
            st.error(f"Not applied: {problem}. The charts show the last valid scenario.",
                     icon=":material/error:")  # fmt: skip
    with main_col:
        left, right = st.columns(2)
        with left:
            fig = charts.value_waterfall(result, currency)
            widgets.chart_card(fig, lambda: tables.value_waterfall(result), "npv_waterfall")
        with right:
            fig = charts.cumulative_cash(result, currency)
            widgets.chart_card(fig, lambda: tables.cumulative_cash(result), "cumulative_cash")
        # Lazy tabs: only the open one is built and sent on a slider move.
        # The year-by-year table opens first: what a CFO reads, and light to draw.
        names = ["Year by year (TEI)", "Monthly benefits and costs", "Revenue impact",
                 "Assumptions and sources", "Save, load and share", "Present"]  # fmt: skip
        yearly, monthly, revenue, sources, io, present = st.tabs(
            names, key="tabs", on_change="rerun"
        )
        if yearly.open:
            with yearly:
                widgets.yearly_table(result, currency)
        if monthly.open:
            with monthly:
                fig = charts.monthly_flows(result, currency)
                widgets.chart_card(fig, lambda: tables.monthly_flows(result), "monthly_flows")
        if revenue.open:
            with revenue:
                fig = charts.revenue_by_driver(result, currency)
                widgets.chart_card(fig, lambda: tables.revenue_by_driver(result), "revenue")
        if sources.open:
            with sources:
                frame = tables.assumptions(s, state.preset())
                st.dataframe(frame, hide_index=True, width="stretch")
                widgets.csv_download(frame, "assumptions")
        if io.open:
            with io:
                widgets.scenario_io(s, link(st.context.url, s))
                st.divider()
                st.markdown("**Leave-behind report**")
                widgets.report_downloads(s)
                st.divider()
                st.markdown("**Saved scenarios**")
                widgets.saved_scenarios(s)

        if present.open:
            with present:
                presenter_widgets.setup()


workbench()
