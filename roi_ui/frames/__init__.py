"""pandas tables behind the figures and the CSV downloads, pure: results in,
frames out; never Streamlit, never Plotly. One module per page on
:mod:`roi_ui.frames.base`."""
