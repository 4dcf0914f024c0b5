"""Streamlit components, one module per page (dashboard, risk, compare, calibrate,
workshop, methodology, presenter, saved scenarios) on the shared
:mod:`roi_ui.widgets.common`. Every control is a view of :mod:`roi_ui.state`."""
