"""Risk and decisions: "and if we're wrong?" on the scenario the dashboard edits.

Shape: scenario state -> analyses (cached per scenario) -> figures -> layout.
Each tab is lazy: only the open one computes.
"""

from __future__ import annotations

import streamlit as st

from roi_core import break_even, evaluate, with_values
from roi_core.analysis import grid2d
from roi_ui import compute, risk_charts, state, tables, widgets
from roi_ui import formatting as fmt
from roi_ui import risk_widgets as rw

# A deep link opened before the frame ever ran (a fresh server) lands here first.
state.page_start()
s = state.scenario()
state.sync_url(s)  # this page's address is a share link too
currency = s.business.currency
result = evaluate(s)
st.title("Risk and decisions")
st.caption(f"On the scenario the dashboard shows: {len(s.uncertainty.items())} uncertainty ranges.")
names = ["Ranges", "Tornado", "Monte Carlo", "Break-even", "Two-way table", "Risk adjustment"]
ranges, tornado, monte, even, twoway, adjust = st.tabs(names, key="risk.tabs", on_change="rerun")

if ranges.open:
    with ranges:
        st.caption("A low and a high for any input you are unsure of; today's value is the most "
                   "likely one. Shares in %. Saved with the scenario (JSON and link).")  # fmt: skip
        rw.ranges_editor(s)

if tornado.open:
    with tornado:
        rows = compute.cached_tornado(s.model_dump_json())
        if not rows:
            st.info("Give some inputs a range (first tab) to see what moves the NPV most.")
        else:
            fig = risk_charts.tornado(rows, result.summary.npv, currency)
            widgets.chart_card(fig, lambda: tables.tornado(rows), "tornado")

if monte.open:
    with monte:
        left, right = st.columns([2, 1])
        n = left.select_slider("Draws", [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000],
                               value=10_000, key="risk.draws")  # fmt: skip
        seed = int(right.number_input("Seed", min_value=0, value=42, step=1, key="risk.seed",
                                      help="The same seed gives the same numbers."))  # fmt: skip
        with st.spinner(f"Drawing {n:,} scenarios…"):
            mc = compute.cached_monte_carlo(s.model_dump_json(), n, seed)
        if not mc.fields:
            st.info("No input has a range yet: every draw equals the scenario. Add ranges first.")
        cols = st.columns(4)
        cols[0].metric("Chance NPV > 0", fmt.percent(mc.prob_npv_positive, digits=1))
        cols[1].metric("NPV P10 / P90", f"{fmt.money_compact(mc.npv.p10, currency)} / "
                       f"{fmt.money_compact(mc.npv.p90, currency)}")  # fmt: skip
        cols[2].metric("ROI P50", fmt.percent(mc.roi.p50))
        cols[3].metric("Pays back within the horizon",
                       fmt.percent(mc.payback_months.share_paid_back, digits=1))  # fmt: skip
        st.caption(f"{mc.n:,} draws, seed {mc.seed}; triangular (low, today's value, high).")
        left, right = st.columns(2)
        with left:
            which = st.segmented_control("Distribution of", ["NPV", "ROI"], default="NPV",
                                         key="risk.mc.which") or "NPV"  # fmt: skip
            fig = (risk_charts.monte_carlo_npv(mc, currency) if which == "NPV"
                   else risk_charts.monte_carlo_roi(mc))  # fmt: skip
            widgets.chart_card(fig, lambda: tables.monte_carlo(mc), "monte_carlo")
        with right:
            st.plotly_chart(risk_charts.monte_carlo_payback(mc), key="chart.mc_payback")

if even.open:
    with even:
        path = rw.field_picker("Input to solve for", "risk.be.field", default="costs.setup")
        kind = st.radio("Target", ["NPV = 0", "ROI =", "Payback ="], horizontal=True,
                        key="risk.be.kind")  # fmt: skip
        goal = 0.0
        if kind == "ROI =":
            goal = st.number_input("ROI (%)", value=100.0, key="risk.be.roi") / 100
        elif kind == "Payback =":
            goal = st.number_input("Payback (months)", 0.0, 120.0, 12.0, key="risk.be.pb")
        metric = {"NPV = 0": "npv", "ROI =": "roi", "Payback =": "payback_months"}[kind]
        answer = break_even(
            s, path,
            target_roi=goal if metric == "roi" else None,
            target_payback=goal if metric == "payback_months" else None,
        )  # fmt: skip
        (st.success if answer.value is not None else st.warning)(answer.message)
        if path not in rw.NON_TIMELINE:
            low, high = rw.span_inputs(s, path, "risk.be.span", include=answer.value)
            fig = risk_charts.break_even_curve(
                s, path, metric, goal, answer.value, (low, high), scale=rw.factor(path)
            )
            st.plotly_chart(fig, key="chart.break_even")
        if answer.value is not None and st.button("Use this value in the scenario"):
            state.replace(with_values(s, {path: answer.value}))
            st.rerun()

if twoway.open:
    with twoway:
        left, right = st.columns(2)
        with left:
            x = rw.field_picker("Across (x)", "risk.g.x", exclude=rw.NON_TIMELINE,
                                default="levers.retention_lift")  # fmt: skip
            x_low, x_high = rw.span_inputs(s, x, "risk.g.xs")
        with right:
            y = rw.field_picker("Down (y)", "risk.g.y", exclude=(*rw.NON_TIMELINE, x),
                                default="levers.social_deflection")  # fmt: skip
            y_low, y_high = rw.span_inputs(s, y, "risk.g.ys")
        metric = st.radio("Show", ["NPV", "ROI"], horizontal=True, key="risk.g.metric")
        xs, ys = rw.grid_axis(x_low, x_high), rw.grid_axis(y_low, y_high)
        z = grid2d(s, x, xs, y, ys, metric="npv" if metric == "NPV" else "roi")
        if metric == "ROI":
            z = z * 100  # percent, like every ROI on screen
        shown = rw.shown_axes(s, x, xs, y, ys)  # percent for shares, as the inputs above
        fig = risk_charts.figure(risk_charts.spec_heatmap(
            shown.xs, shown.ys, z, x_title=shown.x_title, y_title=shown.y_title,
            metric_title=metric if metric == "NPV" else "ROI (%)", current=shown.current,
        ))  # fmt: skip
        widgets.chart_card(fig, lambda: tables.grid(xs, ys, z, x, y), "two_way_table")

if adjust.open:
    with adjust:
        st.caption("The total-economic-impact convention: benefits cut by the benefit risk, costs "
                   "marked up by the cost risk. Here is what that does to this case.")  # fmt: skip
        frame = tables.risk_adjustment(s)
        st.table(tables.shown(frame, currency))
        widgets.csv_download(frame, "risk_adjustment", index=True)
