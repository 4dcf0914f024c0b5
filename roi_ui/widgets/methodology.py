"""The methodology page's components: every formula, checked on the scenario on
screen; what the model leaves out; where each value came from."""

from __future__ import annotations

import streamlit as st

from roi_core import Result, Scenario
from roi_core.methodology import FORMULAS, LEFT_OUT, holds
from roi_ui import state
from roi_ui.frames.dashboard import assumptions

__all__ = [
    "ASSUMPTION_COLUMNS",
    "formulas",
    "left_out",
    "sources",
]


def formulas(s: Scenario, result: Result) -> None:
    """Each formula with its anchor (the KPIs' "Show the math" links land here)."""
    for f in FORMULAS:
        st.subheader(f.title, anchor=f.anchor)
        st.latex(f.latex)
        ok = holds(f, s, result)
        st.caption(f.words + ("  ✓ checked on the scenario on screen." if ok else ""))
        if not ok:
            st.error("This formula does not reproduce the engine's figure for this scenario.")


def left_out() -> None:
    st.subheader("What the model leaves out", anchor="left-out")
    for line in LEFT_OUT:
        st.markdown(f"- {line}")


def sources(s: Scenario) -> None:
    st.subheader("Where the values come from", anchor="sources")
    preset = state.preset()
    if preset is None:
        st.caption(
            "This scenario did not start from a preset: the source column says where "
            "each value came from."
        )
    else:
        st.caption(
            f"Started from the {preset.name} preset: its values keep their sources; "
            "values changed since say so."
        )
    frame = assumptions(s, preset, notes=state.notes())
    st.dataframe(
        frame.drop(columns=["field", "value"]),
        hide_index=True,
        width="stretch",
        column_config=ASSUMPTION_COLUMNS,
    )


#: How the assumptions table's columns are headed on screen: what it is first, then
#: the value and its unit, then where the value came from.
ASSUMPTION_COLUMNS = {
    "label": st.column_config.TextColumn("Input", width="medium"),
    "shown": st.column_config.TextColumn("Value", width="small"),
    "unit": st.column_config.TextColumn("Unit", width="medium"),
    "source": st.column_config.TextColumn("Source", width="large"),
    "confidence": st.column_config.TextColumn("Confidence", width="medium"),
}
