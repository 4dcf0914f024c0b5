"""Methodology: every formula of the model, checked live against the engine.

Each formula comes from roi_core.methodology, where it is tied to a
recomputation that must equal the engine's result (tested on many scenarios);
here it is also checked on the scenario on screen.
"""

import streamlit as st

from roi_core import evaluate
from roi_core.i18n import gettext as _
from roi_ui import state
from roi_ui.widgets import methodology

state.page_start()
s = state.scenario()
st.title(_("How the numbers are made"))
st.caption(
    _(
        "Month by month over the horizon, risk-adjusted and discounted, as in a total-economic-"
        "impact study. Symbols: V assisted contacts a month, c_A / c_S / c_H cost per assisted, "
        "social and self-service contact, rcr root-cause reduction, s shares deflected, E "
        "engaged customers, c monthly churn, m gross margin."
    )
)
methodology.formulas(s, evaluate(s))
methodology.left_out()
methodology.sources(s)
