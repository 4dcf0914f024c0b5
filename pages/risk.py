"""Risk and decisions: "and if we're wrong?" on the scenario the dashboard edits.

Shape: state -> one lazy tab at a time (only the open one computes), each drawn
by roi_ui.widgets.risk.
"""

import streamlit as st

from roi_core import i18n
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_ui import formatting as fmt
from roi_ui import state
from roi_ui.widgets import common, risk

state.page_start()
s = state.scenario()
st.title(_("Risk and decisions"))
st.caption(
    _("On the scenario the dashboard shows: {count} uncertainty ranges.").format(
        count=fmt.count(len(s.uncertainty.items()))
    )
)
common.messages()
names = [
    N_("Ranges"),
    N_("Tornado"),
    N_("Monte Carlo"),
    N_("Break-even"),
    N_("Two-way table"),
    N_("Risk adjustment"),
]
labels = [_(name) for name in names]


def _said_in_any_language(name: str) -> set[str]:
    """A tab's label in every language: the tab kept is its label, perhaps in the
    language spoken before a switch; it opens the same tab in this one."""
    said = set()
    for code in i18n.LANGUAGES:
        with i18n.language(code):
            said.add(_(name))
    return said


kept = state.choice("risk.tab", names[0])
opened = next((i for i, name in enumerate(names) if kept in _said_in_any_language(name)), 0)
tabs = st.tabs(
    labels, **state.bind_choice("risk.tab", labels[opened], param="default", options=labels)
)
ranges, tornado, monte, even, twoway, adjust = tabs
if ranges.open:
    with ranges:
        risk.ranges_tab(s)
if tornado.open:
    with tornado:
        risk.tornado_tab(s)
if monte.open:
    with monte:
        risk.monte_carlo_tab(s)
if even.open:
    with even:
        risk.break_even_tab(s)
if twoway.open:
    with twoway:
        risk.two_way_tab(s)
if adjust.open:
    with adjust:
        risk.risk_adjustment_tab(s)
