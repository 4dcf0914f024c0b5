"""Presenter mode: set it up (prospect, logo, accent, the 60-second case), show it.

With state.py and widgets.py, the only code touching ``st.session_state``. The
prospect's name is the user's text: shown as escaped Markdown, never as HTML.
"""

from __future__ import annotations

import re

import streamlit as st

from roi_core import NUMERIC_FIELDS
from roi_core.scenario import get_value
from roi_ui import state
from roi_ui.presenter import QUICK_FIELDS, LogoError, check_logo, quick_case
from roi_ui.presets import load_presets

__all__ = ["escape_markdown", "header", "setup", "show", "style"]

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def escape_markdown(text: str) -> str:
    """Every Markdown control character backslash-escaped: shown as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])", r"\\\1", text)


def style() -> None:
    """Presenter CSS: large KPIs in the accent colour, no page chrome. Only our own
    CSS is injected; the accent is checked to be a #RRGGBB colour first."""
    accent = state.presenter().accent
    accent = accent if _HEX.match(accent) else "#0F766E"
    st.html(
        "<style>"
        f'[data-testid="stMetricValue"] {{ font-size: 3rem; color: {accent}; }}'
        '[data-testid="stMetricLabel"] p { font-size: 1.15rem; }'
        'header[data-testid="stHeader"] { display: none; }'
        "</style>"
    )


def header() -> None:
    """Logo and prospect, and the way out."""
    p = state.presenter()
    left, right = st.columns([5, 1], vertical_alignment="center")
    with left:
        if p.logo:
            st.image(p.logo, width=160)
        if p.prospect:
            st.markdown(f"## {escape_markdown(p.prospect)}")
    if right.button("Exit presenter mode", icon=":material/close_fullscreen:"):
        state.stop_presenting()
        st.rerun(scope="app")


def setup() -> None:
    """Prospect, logo, accent and the business case in 60 seconds."""
    p = state.presenter()
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    prospect = left.text_input("Prospect", value=p.prospect, max_chars=80, key="pm.prospect")
    upload = mid.file_uploader(
        "Prospect's logo (PNG or JPEG, up to 1 MB)",
        type=["png", "jpg", "jpeg"],
        key="pm.logo",
        max_upload_size=1,
    )
    accent = right.color_picker("Accent", value=p.accent, key="pm.accent")
    logo = p.logo
    if upload is not None:
        try:
            logo = check_logo(upload.getvalue())
        except LogoError as exc:
            st.error(str(exc))
    state.set_presenter(state.Presenter(prospect.strip(), logo, accent))
    if st.button("Start presenting", type="primary", icon=":material/slideshow:"):
        state.start_presenting()
        st.rerun(scope="app")
    with st.expander("Business case in 60 seconds", expanded=False):
        presets = load_presets()
        choice = st.selectbox(
            "Industry", list(presets), key="pm.industry", format_func=lambda k: presets[k].name
        )
        base = presets[choice].scenario
        cols = st.columns(len(QUICK_FIELDS))
        numbers = {}
        for col, path in zip(cols, QUICK_FIELDS, strict=True):
            spec = NUMERIC_FIELDS[path]
            numbers[path] = col.number_input(
                spec.title,
                min_value=0.0,
                value=float(get_value(base, path)),
                key=f"pm.{choice}.{path}",
            )
        st.button(
            "Build the case and present",
            icon=":material/bolt:",
            on_click=_quick,
            args=(choice, prospect.strip()),
        )


def _quick(choice: str, prospect: str) -> None:
    """Button callback (before any widget is drawn, so the controls can be reset)."""
    presets = load_presets()
    base = presets[choice].scenario
    numbers = {path: float(st.session_state[f"pm.{choice}.{path}"]) for path in QUICK_FIELDS}
    numbers["business.customers"] = int(numbers["business.customers"])
    case = quick_case(base, numbers, prospect)
    state.load(
        case,
        f"the {presets[choice].name} preset with {prospect or 'your'} numbers",
        preset_id=choice,
    )
    state.start_presenting()


def show() -> None:
    """The dashboard as a prospect sees it: big KPIs and the two main charts."""
    from roi_core import evaluate
    from roi_ui import charts, widgets

    style()
    header()
    s = state.scenario()
    currency = s.business.currency
    result = evaluate(s)
    widgets.kpi_row(result, state.baseline()[1], currency, state.baseline_label(), per_row=3)
    left, right = st.columns(2)
    left.plotly_chart(charts.value_waterfall(result, currency), key="present.waterfall")
    right.plotly_chart(charts.cumulative_cash(result, currency), key="present.cash")
