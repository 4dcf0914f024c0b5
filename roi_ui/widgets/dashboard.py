"""The dashboard's components: the preset bar, the controls, the KPI row and the
chart cards in one fragment, and the views below them (yearly table, monthly flows,
revenue, assumptions, save/load/share, present), one at a time.

A slider move reruns only the fragment; its callback has already put the value
into the session (:mod:`roi_ui.state`) before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from roi_core import Result, Scenario, ScenarioError, evaluate, scenario_from_json
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.sanity import check
from roi_ui import formatting as fmt
from roi_ui import state
from roi_ui.figures import dashboard as figures
from roi_ui.frames import dashboard as frames
from roi_ui.presets import load_presets
from roi_ui.text import clean_text, escape_markdown
from roi_ui.widgets import common, presenter

__all__ = [
    "CONTROL_GROUPS",
    "CURRENCIES",
    "LINE_ITEMS",
    "MORE_INPUTS",
    "VIEWS",
    "controls",
    "header",
    "workbench",
]

#: The controls, grouped the way the model is. The first group stays open.
CONTROL_GROUPS: dict[str, list[str]] = {
    N_("Levers"): [
        "levers.retention_lift",
        "levers.social_deflection",
        "levers.self_service_deflection",
        "levers.root_cause_reduction",
        "levers.social_reach",
        "levers.save_rate",
        "levers.cross_sell_rate",
        "levers.advocate_share",
        "levers.price_premium",
    ],
    N_("Lever details"): [
        "levers.at_risk_per_month",
        "levers.cross_sell_revenue",
        "levers.referrals_per_advocate_year",
        "levers.referral_conversion",
    ],
    N_("Program costs"): [
        "costs.setup",
        "costs.platform_monthly",
        "costs.staff_monthly",
        "costs.other_monthly",
    ],
    N_("Business"): [
        "business.customers",
        "business.monthly_revenue_per_customer",
        "business.gross_margin",
        "business.monthly_churn_rate",
    ],
    N_("Service operations"): [
        "service.monthly_assisted_contacts",
        "service.cost_per_assisted_contact",
        "service.cost_per_social_contact",
        "service.cost_per_self_service_contact",
    ],
    N_("Finance"): [
        "finance.horizon_months",
        "finance.ramp_months",
        "finance.discount_rate",
        "finance.benefit_risk",
        "finance.cost_risk",
    ],
}
LINE_ITEMS = N_("Other line items")
#: The groups under "More inputs": all but the levers, then the line items.
MORE_INPUTS = [*list(CONTROL_GROUPS)[1:], LINE_ITEMS]
CURRENCIES = [
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "INR",
    "IDR",
    "BRL",
    "AUD",
    "CAD",
    "CHF",
    "SEK",
    "SGD",
    "ZAR",
    "MXN",
    "CNY",
]
#: The views below the charts, in the order of the segmented control.
VIEWS = [
    N_("Year by year (TEI)"),
    N_("Monthly benefits and costs"),
    N_("Revenue impact"),
    N_("Assumptions and sources"),
    N_("Save, load and share"),
    N_("Present"),
]


# --- the page head -----------------------------------------------------------------------


def header() -> None:
    """Title, preset picker and reset."""
    head, picker = st.columns([1.4, 1], vertical_alignment="bottom")
    head.title(_("What is social customer service worth?"))
    head.caption(
        _(
            "Risk-adjusted and discounted, month by month: benefits cut by the benefit risk, "
            "costs marked up by the cost risk, every figure traceable to an input on the left."
        )
    )
    with picker:
        _preset_bar()


def _preset_bar() -> None:
    presets = load_presets()
    names = {"defaults": N_("Model defaults")} | {k: p.name for k, p in presets.items()}
    left, right = st.columns([2.2, 1], vertical_alignment="bottom")
    left.selectbox(
        _("Start from an industry preset"),
        list(names),
        format_func=common.format_func(lambda k: _(names[k])),
        placeholder=_("Your own scenario"),
        **state.bind_preset(list(names)),
    )
    right.button(
        _("Reset"),
        on_click=state.reset,
        icon=":material/restart_alt:",
        width="stretch",
        help=_("Put every control back to the preset, file or link this session started from."),
    )
    st.caption(
        escape_markdown(
            _("KPI changes compare with {baseline}.").format(
                baseline=clean_text(state.baseline_label(), 120)
            )
        )
    )


# --- controls ----------------------------------------------------------------------------


def controls(currency: str) -> None:
    """Every input, grouped as the model is. The levers are always drawn; the other
    groups open from one row of chips ("More inputs", any number at once) and are
    built only while open (their values live in the session meanwhile).

    Chips, not an expander per group: six expanders are six blocks the browser
    redraws on every slider move, before the KPIs change (``bench/bench_ui.py``)."""
    (first, first_paths), *rest = CONTROL_GROUPS.items()
    with st.container(border=True):
        st.markdown(f"**{_(first)}**")
        for path in first_paths:
            common.field_control(path, currency)
    opened = st.pills(
        _("More inputs"),
        MORE_INPUTS,
        selection_mode="multi",
        format_func=common.format_func(),
        help=_(
            "Open any group of inputs; click it again to close it. Closed groups keep their values."
        ),
        **state.bind_choice("groups", [], param="default"),
    )
    for group, paths in rest:
        if group not in opened:
            continue
        with st.container(border=True, key=f"group-{group.lower().replace(' ', '-')}"):
            st.markdown(f"**{_(group)}**")
            if group == "Business":
                _currency_picker()
            for path in paths:
                common.field_control(path, currency)
    if LINE_ITEMS in opened:
        with st.container(border=True, key="group-line-items"):
            st.markdown(f"**{_(LINE_ITEMS)}**")
            _line_items_editor()


def _currency_picker() -> None:
    current = str(state.scenario().business.currency)
    options = CURRENCIES if current in CURRENCIES else [*CURRENCIES, current]
    st.selectbox(
        _("Currency"),
        options,
        help=_("ISO 4217 code of every money figure."),
        **state.bind("business.currency", options=options),
    )
    st.caption(_("Changing the currency relabels every amount; amounts are not converted."))


#: A line item's kind and repetition: the values stored (English), and how they read.
_ITEM_KINDS = {"benefit": N_("benefit"), "cost": N_("cost")}
_ITEM_EVERY = {"once": N_("once"), "month": N_("every month"), "year": N_("every year")}


def _line_items_editor() -> None:
    import pandas as pd  # only once the editor is opened: keeps pandas off the first paint

    st.caption(
        _(
            "What the drivers do not cover: a one-off integration (a cost in month 0), a "
            "licence (every month), a focus group the community replaces (a benefit every "
            "year)."
        )
    )
    rows, binding = state.items_editor()
    frame = pd.DataFrame(
        rows, columns=["name", "kind", "amount", "every", "start_month", "end_month"]
    ).astype(
        {
            "name": "string",
            "kind": "string",
            "amount": "float64",
            "every": "string",
            "start_month": "Int64",
            "end_month": "Int64",
        }
    )
    st.data_editor(
        frame,
        num_rows="dynamic",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn(_("Name"), max_chars=80, required=True),
            "kind": st.column_config.SelectboxColumn(
                _("Kind"),
                options=list(_ITEM_KINDS),
                format_func=lambda v: _(_ITEM_KINDS.get(str(v), str(v))),
                required=True,
            ),
            "amount": st.column_config.NumberColumn(
                _("Amount"), min_value=0.0, format="%.2f", required=True
            ),
            "every": st.column_config.SelectboxColumn(
                _("Every"),
                options=list(_ITEM_EVERY),
                format_func=lambda v: _(_ITEM_EVERY.get(str(v), str(v))),
                default="once",
            ),
            "start_month": st.column_config.NumberColumn(
                _("Start month"), min_value=0, max_value=120, step=1, default=1
            ),
            "end_month": st.column_config.NumberColumn(
                _("End month"), min_value=0, step=1, help=_("Empty = to the end of the horizon")
            ),
        },
        **binding,
    )


# --- the workbench: KPIs, controls, charts -------------------------------------------------


@st.fragment
def workbench() -> None:
    """KPIs, problems, controls and charts: one fragment, so a slider move reruns
    only this part of the page."""
    state.fragment_start()
    s = state.scenario()
    currency = str(s.business.currency)
    result = evaluate(s)
    common.messages()
    common.kpi_row(result, state.baseline()[1], currency)
    # Always there, even empty: a notice appearing inside it leaves the controls where
    # they were in the page's tree, so the browser keeps the slider (and its keyboard
    # focus) instead of building it anew.
    with st.container(key="problems"):
        _problems(s, result)
    controls_col, main_col = st.columns([1, 2.6], gap="medium")
    with controls_col, st.container(key="controls"):
        controls(currency)
    with main_col:
        left, right = st.columns(2)
        with left:
            common.chart_card(
                figures.value_waterfall(result, currency),
                lambda: frames.value_waterfall(result),
                "npv_waterfall",
                alt=figures.alt_value_waterfall(result, currency),
                currency=currency,
            )
        with right:
            common.chart_card(
                figures.cumulative_cash(result, currency),
                lambda: frames.cumulative_cash(result),
                "cumulative_cash",
                alt=figures.alt_cumulative_cash(result, currency),
                currency=currency,
            )
        _views(s, result, currency)
    state.fragment_end()


def _problems(s: Scenario, result: Result) -> None:
    common.plausibility(check(s, result))
    for problem in state.problems():
        st.error(
            _("Not applied: the charts show the last valid scenario."), icon=":material/error:"
        )
        st.text(problem)
    for stretch in state.stretches():
        _stretch_notice(stretch.path, stretch.declared, stretch.stretched, str(s.business.currency))


def _stretch_notice(
    path: str, declared: tuple[float, float], now: tuple[float, float], currency: str
) -> None:
    from roi_core import NUMERIC_FIELDS

    spec = NUMERIC_FIELDS[path]

    def shown(x: float) -> str:
        if spec.unit.startswith("fraction"):
            return fmt.percent(x)
        if spec.unit.startswith("money"):
            return fmt.money_compact(x, currency)
        return fmt.number(x, digits=2)

    text, buttons = st.columns([5, 2], vertical_alignment="center")
    text.warning(
        _(
            "{field} is outside its uncertainty range ({low} to {high}): while it is, the "
            "range used by the tornado and Monte Carlo is {now_low} to {now_high}."
        ).format(
            field=spec.title,
            low=shown(declared[0]),
            high=shown(declared[1]),
            now_low=shown(now[0]),
            now_high=shown(now[1]),
        ),
        icon=":material/expand:",
    )
    a, b = buttons.columns(2)
    a.button(
        _("Undo the move"),
        key=f"stretch.undo.{path}",
        on_click=state.undo_stretch,
        args=(path,),
        width="stretch",
    )
    b.button(
        _("Keep the wider range"),
        key=f"stretch.keep.{path}",
        on_click=state.keep_stretch,
        args=(path,),
        width="stretch",
    )


def _views(s: Scenario, result: Result, currency: str) -> None:
    """The detail below the charts, one view at a time, picked in a segmented control
    (a labelled radio group for assistive technology). Only the view shown is built
    and sent on a slider move; the year-by-year table comes first: what a CFO reads,
    and light to draw.

    Not ``st.tabs``: its tab bar re-measures itself on every rerun of the fragment,
    which held each slider move's KPI update back by 10-20 ms in the browser
    (``bench/bench_ui.py``); a segmented control costs next to nothing."""
    view = st.segmented_control(
        _("Detail"),
        VIEWS,
        format_func=common.format_func(),
        required=True,
        label_visibility="collapsed",
        width="stretch",
        wrap=True,  # on a phone every view stays in sight, on two or three rows
        **state.bind_choice("dashboard.tab", VIEWS[0], param="default", options=VIEWS),
    )
    with st.container(key="dashboard-view"):
        if view == "Monthly benefits and costs":
            common.chart_card(
                figures.monthly_flows(result, currency),
                lambda: frames.monthly_flows(result),
                "monthly_flows",
                alt=figures.alt_monthly_flows(result, currency),
                currency=currency,
            )
        elif view == "Revenue impact":
            common.chart_card(
                figures.revenue_by_driver(result, currency),
                lambda: frames.revenue_by_driver(result),
                "revenue",
                alt=figures.alt_revenue_by_driver(result, currency),
                currency=currency,
            )
        elif view == "Assumptions and sources":
            _assumptions(s, currency)
        elif view == "Save, load and share":
            _scenario_io(s)
            st.divider()
            st.markdown("**" + _("Leave-behind report") + "**")
            _report_downloads()
            st.divider()
            st.markdown("**" + _("Saved scenarios") + "**")
            _saved_scenarios()
        elif view == "Present":
            presenter.setup()
        else:
            st.caption(_("Risk-adjusted; Initial is month 0; Present value at the discount rate."))
            # One table for a wide screen, one for a phone; app.css shows one of them.
            with st.container(key="yearly-wide"):
                st.markdown(frames.yearly_markdown(result, currency))
            with st.container(key="yearly-narrow"):
                st.markdown(frames.yearly_markdown(result, currency, narrow=True))
            common.csv_download(lambda: frames.yearly(result), "yearly_table", index=True)


def _assumptions(s: Scenario, currency: str) -> None:
    preset = state.preset()
    if preset is not None:
        st.caption(
            _(
                "Started from the {preset} preset: its values keep their sources; values you "
                "changed say so."
            ).format(preset=_(preset.name))
        )
    from roi_ui.widgets.methodology import ASSUMPTION_COLUMNS

    frame = frames.assumptions(s, preset, currency=currency, notes=state.notes())
    st.dataframe(
        frame.drop(columns=["field", "value"]),
        hide_index=True,
        width="stretch",
        column_config=ASSUMPTION_COLUMNS,
    )
    common.csv_download(frame, "assumptions")


# --- save, load and share ----------------------------------------------------------------


def _on_upload() -> None:
    uploaded = state.value("io.upload")
    if uploaded is None:
        return
    name = clean_text(uploaded.name, 80)
    try:
        s = scenario_from_json(uploaded.getvalue())
    except ScenarioError as exc:
        state.flash(
            "error", _("{name} was not loaded; your scenario is unchanged.").format(name=name)
        )
        for line in exc.problems:
            state.flash("error", clean_text(line, 300))
        return
    state.load(s, N_("the file {name}"), origin="file", label_args={"name": name})
    state.request_app_rerun()  # the page head (preset picker, baseline) changes too


def _scenario_io(s: Scenario) -> None:
    st.text_input(
        _("Scenario name"),
        max_chars=80,
        help=_("Shown on downloads and in the share link."),
        **state.bind("name"),
    )
    st.download_button(
        _("Download scenario (JSON)"),
        data=s.model_dump_json(indent=2),
        file_name="scenario.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="io.download",
    )
    st.file_uploader(
        _("Load a scenario (JSON)"),
        type=["json"],
        key="io.upload",
        on_change=_on_upload,
        max_upload_size=1,
        help=_(
            "A file saved from here or written by hand (MODEL.md). It is checked before it "
            "replaces anything; on error your current scenario stays."
        ),
    )
    st.caption(_("Share link (the address bar always holds it too):"))
    st.code(state.link(), language=None, wrap_lines=True)


def _report_downloads() -> None:
    """The leave-behind report as HTML, XLSX or PPTX, built when clicked, for the
    prospect typed in "Prepared for" (read from the session at click time)."""
    from roi_ui.export.html import html_report
    from roi_ui.export.pptx import pptx_report
    from roi_ui.export.xlsx import xlsx_report

    st.text_input(_("Prepared for (optional)"), max_chars=80, **state.bind_presenter("prospect"))
    s, preset, who = state.scenario(), state.preset(), state.prospect_reader()
    builds: list[tuple[str, str, str, Callable[[], bytes]]] = [
        (_("HTML (opens offline, prints to PDF)"), "html", "text/html",
         common.spoken(lambda: html_report(s, preset=preset, prospect=who()))),
        (_("Excel workbook (live formulas)"), "xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         common.spoken(lambda: xlsx_report(s, preset=preset, prospect=who()))),
        (_("PowerPoint (editable charts)"), "pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         common.spoken(lambda: pptx_report(s, preset=preset, prospect=who()))),
    ]  # fmt: skip
    for col, (label, ext, mime, build) in zip(st.columns(3), builds, strict=True):
        col.download_button(
            label,
            data=build,
            file_name=f"business-case.{ext}",
            mime=mime,
            on_click="ignore",
            key=f"report.{ext}",
            width="stretch",
            icon=":material/description:",
        )


def _saved_scenarios() -> None:
    from roi_ui.widgets import saved

    saved.panel()
