"""Workshop: live scenario sessions with a room of teams.

Three views by link: no parameters opens a new room; ``?room=CODE`` is a team's
view; ``?room=CODE&token=…`` is the facilitator's live board.
"""

from __future__ import annotations

import streamlit as st

from roi_ui import state
from roi_ui import workshop_widgets as ww

state.page_start()
st.title("Workshop")
code, token = ww.route()
if not code:
    ww.create_view()
elif token:
    ww.board_view(code, token)
else:
    ww.participant_view(code)
