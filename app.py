"""Social customer-service ROI: the app's entry point (`make run`).

For now one page: the default scenario evaluated by roi_core, its headline KPIs.
The live what-if dashboard replaces it.
"""

import streamlit as st

from roi_core import Scenario, evaluate

st.set_page_config(page_title="Social care ROI", layout="wide")
st.title("What is social customer service worth?")

scenario = Scenario()
summary = evaluate(scenario).summary
currency = scenario.business.currency

st.caption(
    f"{scenario.name}: {scenario.finance.horizon_months} months, "
    f"{scenario.finance.discount_rate:.0%} discount rate, risk-adjusted."
)
cols = st.columns(5)
cols[0].metric("NPV", f"{summary.npv:,.0f} {currency}")
cols[1].metric("ROI", "n/a" if summary.roi is None else f"{summary.roi:.0%}")
cols[2].metric(
    "Payback",
    "never" if summary.payback_months is None else f"{summary.payback_months:.1f} months",
)
cols[3].metric("Cost savings", f"{summary.total_savings:,.0f} {currency}")
cols[4].metric("Revenue impact (before margin)", f"{summary.total_revenue_impact:,.0f} {currency}")
st.caption(
    "Hard-savings ROI (revenue drivers left out): "
    + ("n/a" if summary.roi_hard is None else f"{summary.roi_hard:.0%}")
)
