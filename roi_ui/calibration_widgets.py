"""Controls of the calibration page: the file, the column mapping, apply and undo.

With state.py and widgets.py, the only code touching ``st.session_state``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from roi_core import ScenarioError
from roi_core.calibration import Calibration, apply_calibration
from roi_core.customer_table import OPTIONAL, REQUIRED, TableError, match_columns, read_frame
from roi_ui import state

__all__ = ["SAMPLE", "apply_and_undo", "column_mapping", "source_file"]

SAMPLE = Path(__file__).resolve().parents[1] / "assets" / "samples" / "customers.csv"
_NONE = "(none)"


def source_file() -> tuple[bytes, str] | None:
    """The uploaded customer table, or the sample on request."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    upload = left.file_uploader(
        "Customer table (CSV or XLSX): one row per customer",
        type=["csv", "xlsx"],
        key="cal.upload",
        max_upload_size=50,
        help="Columns: group (engaged or control), months_observed, churned (0/1); optional "
        "assisted_contacts, cross_sell_purchases, revenue. Other names can be mapped below.",
    )
    use_sample = right.toggle(
        "Use the sample",
        key="cal.sample",
        help="2,000 synthetic customers with a true retention lift of 20 %.",
    )
    if upload is not None:
        return upload.getvalue(), upload.name
    if use_sample:
        return SAMPLE.read_bytes(), SAMPLE.name
    return None


def column_mapping(data: bytes, filename: str) -> dict[str, str | None] | None:
    """Which column holds what: matched by name, adjustable; ``None`` if unreadable."""
    try:
        columns = list(read_frame(data, filename).columns)
    except TableError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    found = match_columns(columns)
    options = [_NONE, *columns]
    mapping: dict[str, str | None] = {}
    with st.expander("Columns", expanded=any(n not in found for n in REQUIRED)):
        cols = st.columns(3)
        for i, name in enumerate((*REQUIRED, *OPTIONAL)):
            default = found.get(name, _NONE)
            label = name + (" (required)" if name in REQUIRED else "")
            choice = cols[i % 3].selectbox(label, options, index=options.index(default),
                                           key=f"cal.map.{filename}.{name}")  # fmt: skip
            mapping[name] = None if choice == _NONE else choice
    return mapping


def apply_and_undo(calibration: Calibration, source: str) -> None:
    """One click sets the measured levers in the shared scenario; one click undoes it."""
    left, right = st.columns(2)
    if left.button("Apply to the scenario", type="primary", icon=":material/done_all:",
                   help="Sets retention lift, and where measured the social deflection and "
                   "cross-sell rate; the scenario's description records the source."):  # fmt: skip
        try:
            new, lines = apply_calibration(state.scenario(), calibration, source=source)
        except ScenarioError as exc:
            st.error("Not applied: " + "; ".join(exc.problems))
            return
        if not lines:
            st.warning("Nothing measured could be applied.")
            return
        state.replace_undoably(new, f"calibration from {source}")
        st.rerun()
    what = state.undo_label()
    if what and right.button(f"Undo the {what}", icon=":material/undo:"):
        state.undo()
        st.rerun()
