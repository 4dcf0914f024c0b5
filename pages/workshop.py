"""Workshop: live scenario sessions with a room of teams.

Four views, by who this session is in a room (roi_ui.state.workshop(), seeded
from the link): nobody yet opens a new room; the facilitator's secret shows the
board with its controls; the projector's secret shows the board read-only; else
a team's view (join, or come back through the team's link).
"""

import streamlit as st

from roi_core.i18n import gettext as _
from roi_ui import state
from roi_ui.widgets import workshop

state.page_start("workshop")
st.title(_("Workshop"))
who = state.workshop()
if not who.room:
    workshop.create_view()
elif who.token:
    workshop.board_view(who.room, who.token)
elif who.view:
    workshop.projector_view(who.room, who.view)
else:
    workshop.team_view(who.room)
