"""Streamlit-side helpers shared by the pages (STYLE.md: app/pages -> roi_ui -> roi_core).

Pure (no session state): charts.py, risk_charts.py, calibration_charts.py,
tables.py, formatting.py, share.py, presets.py, theme.py, compare.py,
workshop.py, presenter.py, report.py; store.py is also free of Streamlit.
Touching ``st.session_state``: state.py, and the controls of each page —
widgets.py (dashboard), risk_widgets.py, calibration_widgets.py,
workshop_widgets.py, presenter_widgets.py. compute.py holds the cached
resources (Monte Carlo, tornado, customer tables, the store).
"""
