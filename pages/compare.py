"""Compare scenarios: up to four side by side, inputs and results, one chart per
currency.

Shape: state's kept scenarios -> roi_ui.widgets.compare.
"""

import streamlit as st

from roi_ui import state
from roi_ui.widgets import compare

state.page_start()
st.title("Compare scenarios")
st.caption(f"Keep up to {compare.MAX_COMPARED} scenarios; changes are against the first one.")
compare.adders()
kept = compare.kept_list()
if len(kept) < 2:
    st.info("Add at least two scenarios to compare them.")
else:
    compare.comparison()
