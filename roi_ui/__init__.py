"""roi_ui: the Streamlit side of the app, in layers (STYLE.md, docs/architecture.md).

* :mod:`roi_ui.state` — the ONE owner of ``st.session_state`` and ``st.query_params``;
* :mod:`roi_ui.cache` — what is kept between runs (analyses, the store);
* :mod:`roi_ui.widgets` — Streamlit components, one module per page;
* :mod:`roi_ui.figures` — Plotly only, pure: results in, figures out;
* :mod:`roi_ui.frames` — pandas tables behind figures and downloads, pure;
* :mod:`roi_ui.export` — HTML, XLSX, PPTX and table files: bytes out;
* pure helpers: :mod:`~roi_ui.formatting`, :mod:`~roi_ui.text`, :mod:`~roi_ui.share`,
  :mod:`~roi_ui.presets`, :mod:`~roi_ui.theme`, :mod:`~roi_ui.editor`,
  :mod:`~roi_ui.logo`, :mod:`~roi_ui.resources`.
"""
