"""Dashboard: move a lever, see what it is worth.

Shape: state -> (presenter mode, or) head + the workbench fragment (KPIs,
controls, charts, tabs). Everything is drawn by roi_ui.widgets.dashboard.
"""

import streamlit as st

from roi_ui import state
from roi_ui.widgets import dashboard, presenter

state.page_start()
if state.presenting():
    presenter.show()
    st.stop()
dashboard.header()
dashboard.workbench()
