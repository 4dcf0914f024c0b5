"""Presenter mode: set it up (prospect, logo, accent, the 60-second case), show it.

The prospect's name is the user's text: shown as escaped Markdown, never as
HTML. The settings live in the session (:class:`roi_ui.state.Presenter`); one
click presents, in the same session, with the name and logo.
"""

from __future__ import annotations

import streamlit as st

from roi_core import NUMERIC_FIELDS, Result, ScenarioError, evaluate
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.quick_case import QUICK_FIELDS, SCALED_FIELDS, quick_case
from roi_core.scenario import get_value
from roi_ui import state
from roi_ui.figures import dashboard as figures
from roi_ui.figures.base import for_screen
from roi_ui.logo import LogoError, check_logo
from roi_ui.presets import load_presets, shown_name
from roi_ui.text import escape_markdown
from roi_ui.widgets import common

__all__ = ["setup", "show"]

_HERE = "presenter"


def _style(accent: str) -> None:
    """Presenter CSS: large KPIs in the accent colour (checked #RRGGBB by the
    session), no page chrome, room above the logo. Only our own CSS."""
    st.html(
        "<style>"
        f'[data-testid="stMetricValue"] {{ font-size: 3rem; color: {accent}; }}'
        '[data-testid="stMetricLabel"] p { font-size: 1.15rem; }'
        'header[data-testid="stHeader"] { display: none; }'
        '[data-testid="stMainBlockContainer"] { padding-top: 2rem; }'
        "</style>"
    )


def _header() -> None:
    """Logo and prospect, the case's name, and the way out."""
    p = state.presenter()
    s = state.scenario()
    left, right = st.columns([5, 1], vertical_alignment="center")
    with left:
        if p.logo:
            st.image(p.logo, width=160)
        if p.prospect:
            st.markdown(f"# {escape_markdown(p.prospect)}")
        title = shown_name(s.name)
        if p.prospect and title.startswith(p.prospect):  # "Acme: social care…" under "Acme"
            title = title[len(p.prospect) :].lstrip(" :-\u2013") or title
        st.markdown(f"### {escape_markdown(title[:1].upper() + title[1:])}")
    right.button(
        _("Exit presenter mode"),
        icon=":material/close_fullscreen:",
        on_click=state.set_presenting,
        args=(False,),
    )


def show() -> None:
    """The dashboard as a prospect sees it: big KPIs, the two main charts sized for a
    screen share."""
    _style(state.presenter().accent)
    _header()
    s = state.scenario()
    currency = str(s.business.currency)
    result: Result = evaluate(s)
    common.kpi_row(result, state.baseline()[1], currency, per_row=3, explain=False, changes=False)
    left, right = st.columns(2)
    left.plotly_chart(
        for_screen(figures.value_waterfall(result, currency)),
        key="present.waterfall",
        width="stretch",
        alt=figures.alt_value_waterfall(result, currency),
    )
    right.plotly_chart(
        for_screen(figures.cumulative_cash(result, currency)),
        key="present.cash",
        width="stretch",
        alt=figures.alt_cumulative_cash(result, currency),
    )


# --- set-up --------------------------------------------------------------------------------


def _on_logo() -> None:
    upload = state.value("presenter.logo")
    if upload is None:
        state.set_logo(None)
        return
    try:
        state.set_logo(check_logo(upload.getvalue()))
    except LogoError as exc:
        state.flash("error", str(exc), where=_HERE)


def setup() -> None:
    """Prospect, logo, accent; start presenting; the business case in 60 seconds."""
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    left.text_input(_("Prospect"), max_chars=80, **state.bind_presenter("prospect"))
    mid.file_uploader(
        _("Prospect's logo (PNG or JPEG, up to 1 MB)"),
        type=["png", "jpg", "jpeg"],
        key="presenter.logo",
        max_upload_size=1,
        on_change=_on_logo,
    )
    right.color_picker(_("Accent"), **state.bind_presenter("accent"))
    common.messages(_HERE)
    st.button(
        _("Start presenting"),
        type="primary",
        icon=":material/slideshow:",
        on_click=state.set_presenting,
        args=(True,),
    )
    with st.expander(
        _("Business case in 60 seconds"), **state.bind_choice("quick.open", False, param="expanded")
    ):
        presets = load_presets()
        choice = st.selectbox(
            _("Industry"),
            list(presets),
            format_func=common.format_func(lambda k: _(presets[k].name)),
            **state.bind_choice(
                "quick.industry", next(iter(presets)), param="index", options=list(presets)
            ),
        )
        base = presets[choice].scenario
        for col, path in zip(st.columns(len(QUICK_FIELDS)), QUICK_FIELDS, strict=True):
            spec = NUMERIC_FIELDS[path]
            col.number_input(
                spec.title,
                min_value=0.0,
                max_value=float(spec.upper),
                **state.bind_choice(f"quick.{choice}.{path}", float(get_value(base, path))),
            )
        st.caption(
            _(
                "The case keeps the preset's levers, costs and sources; customers at risk and "
                "the team's cost scale with the prospect's size."
            )
        )
        st.button(_("Build the case and present"), icon=":material/bolt:", on_click=_quick)


def _quick() -> None:
    """Button callback: reads the fields as they are at the click."""
    presets = load_presets()
    choice = str(state.choice("quick.industry") or next(iter(presets)))
    preset = presets[choice]
    numbers = {
        path: float(state.choice(f"quick.{choice}.{path}", get_value(preset.scenario, path)))
        for path in QUICK_FIELDS
    }
    numbers["business.customers"] = int(numbers["business.customers"])
    prospect = state.presenter().prospect
    try:
        case = quick_case(preset.scenario, numbers, prospect=prospect, preset_name=_(preset.name))
    except ScenarioError as exc:
        state.flash(
            "error",
            _("The case was not built: {problems}").format(problems="; ".join(exc.problems)),
            where=_HERE,
        )
        return
    notes = dict.fromkeys(QUICK_FIELDS, _("the prospect's own number (60-second case)"))
    notes |= {
        p: _("the preset's value scaled with {field} (60-second case)").format(
            field=NUMERIC_FIELDS[f].title.lower()
        )
        for p, f in SCALED_FIELDS.items()
    }
    label = (
        N_("the {preset} preset with {prospect}'s numbers")
        if prospect
        else N_("the {preset} preset with the prospect's numbers")
    )
    state.load(
        case,
        label,
        label_args={"preset": preset.name, "prospect": prospect},
        origin="quick",
        preset_id=choice,
        notes=notes,
    )
    state.set_presenting(True)
