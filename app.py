"""Social care ROI: the router and frame (`make run`).

Page config, logo, brand CSS and navigation; each page in pages/ is a short
script that reads the session's state (roi_ui.state) and lays out widgets.
"""

from pathlib import Path

import streamlit as st

from roi_core.i18n import gettext as _
from roi_ui import resources, state
from roi_ui.widgets import common

ASSETS = Path(__file__).parent / "assets"

state.frame()  # first: the session, and the language it speaks
st.set_page_config(
    page_title=_("Social care ROI"),
    page_icon=str(ASSETS / "icon.svg"),
    layout="wide",
    initial_sidebar_state="collapsed",
)
st.logo(str(ASSETS / "logo.svg"), icon_image=str(ASSETS / "icon.svg"), size="large")
st.html(f"<style>{resources.read_text('app.css')}</style>")
chrome = not (state.presenting() or state.projecting())

page = st.navigation(
    [
        st.Page(
            "pages/dashboard.py", title=_("Dashboard"), icon=":material/monitoring:", default=True
        ),
        st.Page("pages/risk.py", title=_("Risk and decisions"), icon=":material/query_stats:"),
        st.Page("pages/compare.py", title=_("Compare"), icon=":material/compare_arrows:"),
        st.Page("pages/evidence.py", title=_("Evidence"), icon=":material/science:"),
        st.Page("pages/workshop.py", title=_("Workshop"), icon=":material/groups:"),
        st.Page("pages/methodology.py", title=_("Methodology"), icon=":material/function:"),
        # Calibrate's old address, for links and bookmarks made before it became Evidence.
        st.Page("pages/calibrate.py", title=_("Calibrate (moved)"), visibility="hidden"),
    ],
    # Presenter mode and a room's projector view hide the page chrome, navigation included.
    position="top" if chrome else "hidden",
)
common.page_language()
if chrome:
    common.language_switch()
common.link_notices()  # on whichever page the link opened, presenter mode included
page.run()
