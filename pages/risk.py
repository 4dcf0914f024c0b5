"""Risk and decisions: "and if we're wrong?" on the scenario the dashboard edits.

Shape: state -> one lazy tab at a time (only the open one computes), each drawn
by roi_ui.widgets.risk.
"""

import streamlit as st

from roi_ui import state
from roi_ui.widgets import common, risk

state.page_start()
s = state.scenario()
st.title("Risk and decisions")
st.caption(f"On the scenario the dashboard shows: {len(s.uncertainty.items())} uncertainty ranges.")
common.messages()
names = ["Ranges", "Tornado", "Monte Carlo", "Break-even", "Two-way table", "Risk adjustment"]
tabs = st.tabs(names, **state.bind_choice("risk.tab", names[0], param="default"))
ranges, tornado, monte, even, twoway, adjust = tabs
if ranges.open:
    with ranges:
        risk.ranges_tab(s)
if tornado.open:
    with tornado:
        risk.tornado_tab(s)
if monte.open:
    with monte:
        risk.monte_carlo_tab(s)
if even.open:
    with even:
        risk.break_even_tab(s)
if twoway.open:
    with twoway:
        risk.two_way_tab(s)
if adjust.open:
    with adjust:
        risk.risk_adjustment_tab(s)
