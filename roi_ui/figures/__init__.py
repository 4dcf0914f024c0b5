"""Plotly figures, pure: ``f(results) -> go.Figure``; never Streamlit, never the engine.

One module per page (dashboard, risk, compare, calibration, workshop) on the
shared :mod:`roi_ui.figures.base`.
"""
