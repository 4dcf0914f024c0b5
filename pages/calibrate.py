"""Calibrate: measure engaged customers against a control group; let the data set
the levers.

Shape: file -> column mapping -> validated table (cached) -> estimates -> apply,
all drawn by roi_ui.widgets.calibrate.
"""

import streamlit as st

from roi_ui import state
from roi_ui.widgets import calibrate

state.page_start()
st.title("Calibrate from a control group")
st.caption(
    "Compare the customers engaged with social care against the rest, and use what you "
    "measure instead of what you assume."
)
source = calibrate.source_file()
if source is None:
    st.info("Upload a customer table, or switch on the sample.")
else:
    calibrate.estimates(*source)
