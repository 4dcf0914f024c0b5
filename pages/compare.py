"""Compare scenarios: up to four side by side, inputs and results, one chart per
currency.

Shape: state's kept scenarios -> roi_ui.widgets.compare.
"""

import streamlit as st

from roi_core.i18n import gettext as _
from roi_ui import state
from roi_ui.widgets import compare

state.page_start()
st.title(_("Compare scenarios"))
st.caption(
    _("Keep up to {n} scenarios; changes are against the first one.").format(n=compare.MAX_COMPARED)
)
compare.adders()
kept = compare.kept_list()
if len(kept) < 2:
    st.info(_("Add at least two scenarios to compare them."))
else:
    compare.comparison()
