"""The methodology page's components: every formula, checked on the scenario on
screen; what the model leaves out; where each value came from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig, ColumnWidth

from roi_core import Result, Scenario
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.methodology import FORMULAS, LEFT_OUT, holds, latex
from roi_ui import state
from roi_ui.frames.dashboard import assumptions

__all__ = [
    "ASSUMPTION_COLUMNS",
    "assumption_columns",
    "formulas",
    "left_out",
    "sources",
]


def formulas(s: Scenario, result: Result) -> None:
    """Each formula with its anchor (the KPIs' "Show the math" links land here)."""
    for f in FORMULAS:
        st.subheader(_(f.title), anchor=f.anchor)
        st.latex(latex(f))
        ok = holds(f, s, result)
        words = _(f.words)
        st.caption(words + "  " + _("✓ checked on the scenario on screen.") if ok else words)
        if not ok:
            st.error(_("This formula does not reproduce the engine's figure for this scenario."))


def left_out() -> None:
    st.subheader(_("What the model leaves out"), anchor="left-out")
    for line in LEFT_OUT:
        st.markdown(f"- {_(line)}")


def sources(s: Scenario) -> None:
    st.subheader(_("Where the values come from"), anchor="sources")
    preset = state.preset()
    if preset is None:
        st.caption(
            _(
                "This scenario did not start from a preset: the source column says where "
                "each value came from."
            )
        )
    else:
        st.caption(
            _(
                "Started from the {preset} preset: its values keep their sources; "
                "values changed since say so."
            ).format(preset=_(preset.name))
        )
    frame = assumptions(s, preset, notes=state.notes())
    st.dataframe(
        frame.drop(columns=["field", "value"]),
        hide_index=True,
        width="stretch",
        column_config=assumption_columns(),
    )


#: How the assumptions table's columns are headed on screen: what it is first, then
#: the value and its unit, then where the value came from (translated where shown).
_ASSUMPTION_HEADERS: dict[str, tuple[str, ColumnWidth]] = {
    "label": (N_("Input"), "medium"),
    "shown": (N_("Value"), "small"),
    "unit": (N_("Unit"), "medium"),
    "source": (N_("Source"), "large"),
    "confidence": (N_("Confidence"), "medium"),
}


def assumption_columns() -> dict[str, ColumnConfig]:
    """The assumptions table's ``column_config``, headed in the language being spoken."""
    return {
        key: st.column_config.TextColumn(_(header), width=width)
        for key, (header, width) in _ASSUMPTION_HEADERS.items()
    }


class _AssumptionColumns(Mapping[str, ColumnConfig]):
    """:func:`assumption_columns` as a constant: each read is in the language being
    spoken at that moment (the dashboard passes it as ``column_config``)."""

    def __getitem__(self, key: str) -> ColumnConfig:
        return assumption_columns()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_ASSUMPTION_HEADERS)

    def __len__(self) -> int:
        return len(_ASSUMPTION_HEADERS)


ASSUMPTION_COLUMNS: Mapping[str, ColumnConfig] = _AssumptionColumns()
