"""Streamlit-side helpers shared by the pages (STYLE.md: app/pages -> roi_ui -> roi_core).

charts.py, tables.py, formatting.py, share.py, presets.py and theme.py are pure;
state.py and widgets.py are the only modules that touch st.session_state.
"""
