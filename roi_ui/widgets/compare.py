"""The comparison page's components: add scenarios (the dashboard's, a preset, a
file, Conservative / Base / Optimistic), the kept list, and the comparison —
each scenario in its own currency; changes only between scenarios of one
currency (amounts are never converted)."""

from __future__ import annotations

import streamlit as st

from roi_core import Result, Scenario, ScenarioError, Summary, evaluate, scenario_from_json
from roi_core.i18n import gettext as _
from roi_core.i18n import ngettext
from roi_core.variants import variants
from roi_ui import formatting as fmt
from roi_ui import state
from roi_ui.figures import compare as figures
from roi_ui.frames import compare as frames
from roi_ui.presets import load_presets, shown_name
from roi_ui.text import clean_text, escape_markdown
from roi_ui.widgets import common

__all__ = ["MAX_COMPARED", "adders", "comparison", "kept_list"]

MAX_COMPARED = 4
_HERE = "compare"


def _added(message: str | None) -> None:
    if message:
        state.flash("warning", message, where=_HERE)


def _add_current() -> None:
    s = state.scenario()
    _added(state.add_compared(shown_name(s.name), s, limit=MAX_COMPARED))


def _add_preset() -> None:
    presets = load_presets()
    chosen = presets.get(str(state.choice("compare.preset") or ""))
    if chosen is not None:
        _added(state.add_compared(_(chosen.name), chosen.scenario, limit=MAX_COMPARED))


def _add_file() -> None:
    upload = state.value("compare.upload")
    if upload is None:
        state.flash("warning", _("Choose a scenario file first."), where=_HERE)
        return
    name = clean_text(upload.name, 80)
    try:
        s = scenario_from_json(upload.getvalue())
    except ScenarioError as exc:
        state.flash("error", _("{name} was not added.").format(name=name), where=_HERE)
        for line in exc.problems:
            state.flash("error", clean_text(line, 300), where=_HERE)
        return
    _added(state.add_compared(name.removesuffix(".json"), s, limit=MAX_COMPARED))


def _add_three() -> None:
    s = state.scenario()
    if not s.uncertainty.items():
        state.flash(
            "warning",
            _("The dashboard's scenario has no ranges yet: add some on the Risk page."),
            where=_HERE,
        )
        return
    state.clear_compared()
    for name, variant in variants(s):
        state.add_compared(name, variant, limit=MAX_COMPARED)


def adders() -> None:
    """The four ways to add a scenario."""
    now, preset, upload, three = st.columns(4, vertical_alignment="bottom")
    now.button(_("Add the dashboard's scenario"), width="stretch", on_click=_add_current)
    presets = load_presets()
    preset.selectbox(
        _("Preset"),
        list(presets),
        format_func=common.format_func(lambda k: _(presets[k].name)),
        **state.bind_choice(
            "compare.preset", next(iter(presets)), param="index", options=list(presets)
        ),
    )
    preset.button(_("Add this preset"), width="stretch", on_click=_add_preset)
    upload.file_uploader(_("Scenario JSON"), type=["json"], key="compare.upload", max_upload_size=1)
    upload.button(_("Add this file"), width="stretch", on_click=_add_file)
    three.button(
        _("Conservative / Base / Optimistic"),
        width="stretch",
        on_click=_add_three,
        help=_("From the uncertainty ranges of the dashboard's scenario."),
    )
    common.messages(_HERE)


def kept_list() -> list[tuple[str, Scenario]]:
    """The kept scenarios, each with a Remove button."""
    kept = state.compared()
    for i, (name, __) in enumerate(kept):
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.text(f"{i + 1}. {name}")  # the user's text, shown as text
        right.button(
            _("Remove"), key=f"compare.remove.{i}", on_click=state.remove_compared, args=(i,)
        )
    return kept


def comparison() -> None:
    """KPIs side by side, the cash flows, results and inputs, one CSV."""
    kept = state.compared()
    results = [(name, evaluate(s)) for name, s in kept]
    currencies = {name: str(s.business.currency) for name, s in kept}
    cols = st.columns(len(kept))
    for col, (name, result) in zip(cols, results, strict=True):
        summary, currency = result.summary, currencies[name]
        with col.container(border=True):
            st.text(f"{name} ({currency})")
            st.metric(_("NPV"), fmt.money_compact(summary.npv, currency))
            st.metric(_("ROI"), fmt.percent(summary.roi))
            st.metric(_("Payback"), fmt.months(summary.payback_months))
    by_currency: dict[str, list[tuple[str, Result]]] = {}
    for name, result in results:
        by_currency.setdefault(currencies[name], []).append((name, result))
    for currency, group in by_currency.items():
        common.chart_card(
            figures.cumulative_overlay(group, currency),
            lambda group=group: frames.cumulative_frame(group),  # type: ignore[misc]
            f"compare_{currency}",
            alt=_("Cumulative net cash flow of {n} scenarios in {currency}: {cases}.").format(
                n=fmt.count(len(group)),
                currency=currency,
                cases="; ".join(
                    _("{name} pays back after {months}").format(
                        name=name, months=fmt.months(r.summary.payback_months)
                    )
                    if r.summary.payback_months is not None
                    else _("{name} does not pay back").format(name=name)
                    for name, r in group
                ),
            ),
            currency=currency,
        )
    first_name, first_currency = kept[0][0], currencies[kept[0][0]]
    summaries: list[tuple[str, Summary, str]] = [
        (name, result.summary, currencies[name]) for name, result in results
    ]
    table = frames.results_frame(summaries)
    changes = frames.changes_frame(summaries)
    st.subheader(_("Results"))
    st.table(frames.labels_shown(frames.results_shown(table, currencies)))
    st.subheader(_("Change against {name}").format(name=escape_markdown(first_name)))
    if len(changes.columns):
        st.table(frames.labels_shown(frames.changes_shown(changes, first_currency)))
    others = [n for n, __ in kept[1:] if currencies[n] != first_currency]
    if others:
        st.info(
            escape_markdown(
                ngettext(
                    "No change against {first} is shown for {others}: it is in another "
                    "currency than {first} ({currency}), and amounts are never converted.",
                    "No change against {first} is shown for {others}: they are in another "
                    "currency than {first} ({currency}), and amounts are never converted.",
                    len(others),
                ).format(first=first_name, others=", ".join(others), currency=first_currency)
            )
        )
    inputs = frames.inputs_frame(kept)
    st.subheader(_("Inputs (differences from the first highlighted)"))
    st.dataframe(frames.highlight(frames.labels_shown(inputs)), width="stretch")
    common.csv_download(
        lambda: frames.export_frame(table, changes, inputs), "comparison", index=True
    )
