"""The team's toy floor app, copied from the shared tools (``toyapp/app.py``) so the
repository measures against it without the shared folder: ``make bench`` runs it beside
this app in the same run and reports this app's figures as ratios to it.

One slider -> one metric + one Plotly line chart whose data depends on the slider.
The metric value and the chart title both embed the slider value, so the harness
can wait for the exact text "<v>%" / "Growth at <v>%" after each input.
Behaviour and defaults are the shared copy's (its optional run-counter diagnostic is
left out: in this repository only roi_ui/state.py touches session state); only the
formatting follows this repo's ruff settings.

Env knobs (all optional):
  TOYAPP_POINTS=61       number of chart points
  TOYAPP_HEAVY_MS=0      simulate a slow, slider-independent section (sleep) elsewhere on the page
  TOYAPP_FRAGMENT=0      1 = put slider+metric+chart in an st.fragment (slider reruns
                         only the fragment)
"""

import os
import time

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="toy what-if", layout="wide")

POINTS = int(os.environ.get("TOYAPP_POINTS", "61"))
HEAVY_MS = int(os.environ.get("TOYAPP_HEAVY_MS", "0"))
USE_FRAGMENT = os.environ.get("TOYAPP_FRAGMENT", "0") == "1"


def scenario() -> None:
    rate = st.slider("Growth rate (%)", min_value=0, max_value=100, value=10, step=1, key="rate")
    months = np.arange(POINTS)
    value = 1000.0 * (1.0 + rate / 100.0 / 12.0) ** months
    gain = value[-1] - value[0]
    st.metric("Scenario rate", f"{rate}%", delta=f"{gain:,.0f} gain")
    fig = go.Figure(go.Scatter(x=months, y=value, mode="lines", name="value"))
    fig.update_layout(
        title=f"Growth at {rate}%", height=360, margin={"l": 40, "r": 20, "t": 50, "b": 40}
    )
    st.plotly_chart(fig, key="growth_chart")


if USE_FRAGMENT:
    st.fragment(scenario)()
else:
    scenario()

if HEAVY_MS:
    time.sleep(HEAVY_MS / 1000.0)  # stands in for a slow, slider-independent section
    st.caption(f"heavy section done ({HEAVY_MS} ms)")
