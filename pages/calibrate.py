"""Calibrate: measure engaged customers against a control group; let the data set the levers.

Shape: file -> column mapping -> validated table (cached) -> estimates -> layout.
"""

from __future__ import annotations

import streamlit as st

from roi_core.calibration import calibrate, retention_curve
from roi_core.customer_table import TableError
from roi_ui import calibration_charts, compute, state
from roi_ui import calibration_widgets as cw
from roi_ui import formatting as fmt

state.page_start()
st.title("Calibrate from a control group")
st.caption(
    "Compare the customers engaged with social care against the rest, and use what you "
    "measure instead of what you assume."
)
source = cw.source_file()
if source is None:
    st.info("Upload a customer table, or switch on the sample.")
    st.stop()
data, filename = source
mapping = cw.column_mapping(data, filename)
if mapping is None:
    st.stop()
try:
    loaded = compute.cached_customer_table(data, filename, tuple(sorted(mapping.items())))
except TableError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()
if loaded.problems:
    with st.expander(f"{sum(int(p.split()[0]) for p in loaded.problems):,} of "
                     f"{loaded.rows_read:,} rows left out", icon=":material/warning:"):  # fmt: skip
        for line in loaded.problems:
            st.text(line)

result = calibrate(loaded.table)
cols = st.columns(2)
for col, (group, g) in zip(cols, result.groups.items(), strict=True):
    with col.container(border=True):
        st.markdown(f"**{group.capitalize()} customers**")
        a, b, c = st.columns(3)
        a.metric("Customers", fmt.number(g.customers))
        b.metric("Churned", fmt.number(g.churned))
        c.metric("Monthly churn", fmt.percent(g.churn_hazard, digits=2))

lift, contact = result.retention_lift, result.assisted_contact_change
a, b, c = st.columns(3)
a.metric(
    "Retention lift",
    fmt.percent(lift.estimate),
    help=f"95 % interval {fmt.percent(lift.low)} to {fmt.percent(lift.high)}",
)
b.metric(
    "Fewer assisted contacts",
    fmt.percent(contact.estimate),
    help=f"95 % interval {fmt.percent(contact.low)} to {fmt.percent(contact.high)}",
)
c.metric("Extra cross-sell a month", fmt.percent(result.cross_sell_uplift.estimate, digits=3))
for col, iv, digits in ((a, lift, 1), (b, contact, 1), (c, result.cross_sell_uplift, 3)):
    col.caption(f"95 % interval {fmt.percent(iv.low, digits=digits)} to "
                f"{fmt.percent(iv.high, digits=digits)}")  # fmt: skip
for warning in result.warnings:
    st.warning(warning)

left, right = st.columns([3, 2])
curves = {
    "engaged": retention_curve(loaded.table, "engaged"),
    "control": retention_curve(loaded.table, "control"),
}
left.plotly_chart(calibration_charts.retention(curves), key="chart.retention")
right.plotly_chart(calibration_charts.estimates(result), key="chart.estimates")
cw.apply_and_undo(result, filename)
