"""Workshop: live scenario sessions with a room of teams.

Three views, by who this session is in a room (roi_ui.state.workshop(), seeded
from the link): nobody yet opens a new room; a room without the facilitator's
secret is a team's view; with it, the facilitator's live board.
"""

import streamlit as st

from roi_ui import state
from roi_ui.widgets import workshop

state.page_start("workshop")
st.title("Workshop")
who = state.workshop()
if not who.room:
    workshop.create_view()
elif who.token:
    workshop.board_view(who.room, who.token)
else:
    workshop.participant_view(who.room)
