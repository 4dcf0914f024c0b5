"""Compare scenarios: up to four side by side, inputs and results, one chart.

Shape: the session's kept scenarios -> comparison frames -> tables and a chart.
"""

from __future__ import annotations

import streamlit as st

from roi_core import ScenarioError, evaluate, scenario_from_json
from roi_ui import compare, state, tables, widgets
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

state.page_start()
s = state.scenario()
kept = state.compared()
st.title("Compare scenarios")
st.caption(f"Keep up to {compare.MAX_COMPARED} scenarios; changes are against the first one.")

add_now, add_preset, add_file, add_three = st.columns(4, vertical_alignment="bottom")
message: str | None = None
if add_now.button("Add the dashboard's scenario", width="stretch"):
    message = state.add_compared(s.name, s)
presets = load_presets()
choice = add_preset.selectbox("Preset", list(presets), format_func=lambda k: presets[k].name)
if add_preset.button("Add this preset", width="stretch"):
    message = state.add_compared(presets[choice].name, presets[choice].scenario)
upload = add_file.file_uploader("Scenario JSON", type=["json"], key="cmp.upload",
                                max_upload_size=1)  # fmt: skip
if upload is not None and add_file.button("Add this file", width="stretch"):
    try:
        message = state.add_compared(upload.name.removesuffix(".json"),
                                     scenario_from_json(upload.getvalue()))  # fmt: skip
    except ScenarioError as exc:
        st.error(f"{upload.name} was not added.", icon=":material/error:")
        for line in exc.problems:
            st.text(line)
if add_three.button("Conservative / Base / Optimistic", width="stretch",
                    help="From the uncertainty ranges of the dashboard's scenario."):  # fmt: skip
    if not s.uncertainty.items():
        message = "The dashboard's scenario has no ranges yet: add some on the Risk page."
    else:
        kept.clear()
        for name, variant in compare.variants(s):
            state.add_compared(name, variant)
if message:
    st.warning(message)

for i, (name, _) in enumerate(kept):
    left, right = st.columns([6, 1], vertical_alignment="center")
    left.text(f"{i + 1}. {name}")  # the user's text, shown as text
    if right.button("Remove", key=f"cmp.remove.{i}"):
        state.remove_compared(i)
        st.rerun()
if len(kept) < 2:
    st.info("Add at least two scenarios to compare them.")
    st.stop()

currency = kept[0][1].business.currency
cols = st.columns(len(kept))
for col, (name, scenario) in zip(cols, kept, strict=True):
    summary = evaluate(scenario).summary
    with col.container(border=True):
        st.text(name)
        st.metric("NPV", fmt.money_compact(summary.npv, scenario.business.currency))
        st.metric("ROI", fmt.percent(summary.roi))
        st.metric("Payback", fmt.months(summary.payback_months))

st.plotly_chart(compare.cumulative_overlay(kept, currency), key="chart.compare")
results = compare.results_frame(kept)
st.subheader("Results")
st.table(tables.shown(results, currency))
inputs = compare.inputs_frame(kept)
st.subheader("Inputs (differences from the first highlighted)")
differs = inputs.ne(inputs.iloc[:, 0], axis=0)
st.dataframe(compare.highlight(inputs, differs), width="stretch")
widgets.csv_download(lambda: compare.export_frame(results, inputs), "comparison", index=True)
