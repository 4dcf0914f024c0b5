"""Methodology: every formula of the model, checked live against the engine.

Each formula comes from roi_core.methodology, where it is tied to a
recomputation that must equal the engine's result (tested on many scenarios);
here it is also checked on the scenario on screen.
"""

from __future__ import annotations

import math

import streamlit as st

from roi_core import evaluate
from roi_core.methodology import FORMULAS, LEFT_OUT
from roi_ui import state, tables

state.page_start()
s = state.scenario()
result = evaluate(s)
scale = max(result.summary.pv_benefits, result.summary.pv_costs, 1.0)

st.title("How the numbers are made")
st.caption(
    "Month by month over the horizon, risk-adjusted and discounted, as in a total-economic-"
    "impact study. Symbols: V assisted contacts a month, c_A / c_S / c_H cost per assisted, "
    "social and self-service contact, rcr root-cause reduction, s shares deflected, E engaged "
    "customers, c monthly churn, m gross margin."
)
for f in FORMULAS:
    st.subheader(f.title, anchor=f.anchor)
    st.latex(f.latex)
    holds = all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * scale) for a, b in f.check(s, result)
    )
    st.caption(f.words + ("  ✓ checked on the scenario on screen." if holds else ""))
    if not holds:
        st.error("This formula does not reproduce the engine's figure for this scenario.")

st.subheader("What the model leaves out", anchor="left-out")
for line in LEFT_OUT:
    st.markdown(f"- {line}")

st.subheader("Where the values come from", anchor="sources")
preset = state.preset()
if preset is None:
    st.caption("This scenario did not start from a preset: every value is the user's.")
else:
    st.caption(f"Started from the {preset.name} preset; changed values are marked.")
st.dataframe(tables.assumptions(s, preset), hide_index=True, width="stretch")
