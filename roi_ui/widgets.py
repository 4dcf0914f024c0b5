"""The dashboard's controls, KPI cards and chart cards (and the shared pieces
other pages reuse: :func:`field_control`, :func:`kpi_row`, :func:`chart_card`).
Every bound, step and help text comes from the scenario's field metadata
(``roi_core.NUMERIC_FIELDS``) through :func:`field_control`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import streamlit as st

from roi_core import NUMERIC_FIELDS, Result, Scenario, ScenarioError, scenario_from_json
from roi_core.sanity import Finding
from roi_core.scenario import FieldSpec
from roi_ui import formatting as fmt
from roi_ui import state, tables
from roi_ui.presets import CONFIDENCE_LABELS, load_presets

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONTROL_GROUPS",
    "chart_card",
    "controls",
    "csv_download",
    "field_control",
    "kpi_row",
    "plausibility",
    "preset_bar",
    "report_downloads",
    "rerun_page_if_needed",
    "saved_scenarios",
    "scenario_io",
    "yearly_table",
]

#: The controls, grouped the way the model is. The first group stays open.
CONTROL_GROUPS: dict[str, list[str]] = {
    "Levers": [
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
    "Lever details": [
        "levers.at_risk_per_month",
        "levers.cross_sell_revenue",
        "levers.referrals_per_advocate_year",
        "levers.referral_conversion",
    ],
    "Program costs": [
        "costs.setup",
        "costs.platform_monthly",
        "costs.staff_monthly",
        "costs.other_monthly",
    ],
    "Business": [
        "business.customers",
        "business.monthly_revenue_per_customer",
        "business.gross_margin",
        "business.monthly_churn_rate",
    ],
    "Service operations": [
        "service.monthly_assisted_contacts",
        "service.cost_per_assisted_contact",
        "service.cost_per_social_contact",
        "service.cost_per_self_service_contact",
    ],
    "Finance": [
        "finance.horizon_months",
        "finance.ramp_months",
        "finance.discount_rate",
        "finance.benefit_risk",
        "finance.cost_risk",
    ],
}
_NUMBER_INPUT_GROUPS = ("business", "service")
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


def _unit_label(spec: FieldSpec, currency: str) -> str:
    return {
        "fraction": "%",
        "fraction/year": "% a year",
        "money": currency,
        "money/month": f"{currency}/month",
        "money/contact": f"{currency} per contact",
        "money/purchase": f"{currency} per purchase",
    }.get(spec.unit, spec.unit)


def _help(spec: FieldSpec, currency: str) -> str:
    upper = (
        "no upper limit"
        if spec.high is None
        else (
            f"up to {'below ' if not spec.high_inclusive else ''}"
            f"{state.display_value(spec, spec.high):g}"
        )
    )
    text = f"{spec.description}  \nAllowed: from {state.display_value(spec, spec.low):g}, {upper}"
    text += f" ({_unit_label(spec, currency)})."
    preset = state.preset()
    source = preset.source(spec.path) if preset else None
    if source is not None:
        text += f"  \n**Preset source** ({CONFIDENCE_LABELS[source.confidence]}): {source.note}"
    return text


def field_control(path: str, currency: str) -> None:
    """The one helper that draws a field: a slider for levers, costs and finance,
    an exact number input for business and service baselines."""
    spec = NUMERIC_FIELDS[path]
    key = state.ensure_widget(path)
    label = f"{spec.title} ({_unit_label(spec, currency)})"
    help_text = _help(spec, currency)
    percent = state.is_percent(spec)
    if spec.group in _NUMBER_INPUT_GROUPS:
        upper = None if spec.high is None else state.display_value(spec, spec.upper)
        if spec.is_int:
            st.number_input(
                label, min_value=int(spec.low), step=1000, format="%d", key=key, help=help_text
            )
        else:
            st.number_input(
                label,
                min_value=float(state.display_value(spec, spec.low)),
                max_value=None if upper is None else float(upper),
                step=1.0 if percent else 0.1,
                format="%.2f",
                key=key,
                help=help_text,
            )
        return
    b = state.bounds(path)
    if spec.is_int:
        st.slider(label, int(b.low), int(b.high), step=1, key=key, help=help_text)
        return
    if percent:
        digits = 2 if b.step < 0.1 else 1
        number_format = f"%.{digits}f%%"
    else:
        number_format = (
            f"{fmt.currency_symbol(currency)}%d"
            if spec.unit.startswith("money")
            else ("%.2f" if b.step < 1 else "%d")
        )
    st.slider(
        label,
        float(b.low),
        float(b.high),
        step=float(b.step),
        format=number_format,
        key=key,
        help=help_text,
    )


def _line_items_editor() -> pd.DataFrame:
    st.caption(
        "What the drivers do not cover: a one-off integration (a cost in month 0), a licence "
        "(every month), a focus group the community replaces (a benefit every year)."
    )
    edited: pd.DataFrame = st.data_editor(
        state.items_frame(),
        key=state.items_key(),
        num_rows="dynamic",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Name", max_chars=80, required=True),
            "kind": st.column_config.SelectboxColumn(
                "Kind", options=["benefit", "cost"], required=True
            ),
            "amount": st.column_config.NumberColumn(
                "Amount", min_value=0.0, format="%.2f", required=True
            ),
            "every": st.column_config.SelectboxColumn(
                "Every", options=["once", "month", "year"], default="once"
            ),
            "start_month": st.column_config.NumberColumn(
                "Start month", min_value=0, max_value=120, step=1, default=1
            ),
            "end_month": st.column_config.NumberColumn(
                "End month", min_value=0, step=1, help="Empty = to the end of the horizon"
            ),
        },
    )
    return edited


def controls(currency: str) -> pd.DataFrame | None:
    """Every input, grouped as the model is. The first group is always drawn; the
    others are lazy expanders, built only while open (their values live in the
    scenario meanwhile). Returns the line-item editor's table while it is open."""
    for i, (group, paths) in enumerate(CONTROL_GROUPS.items()):
        if i == 0:
            with st.container(border=True):
                st.markdown(f"**{group}**")
                for path in paths:
                    field_control(path, currency)
            continue
        with st.expander(group, key=f"group.{group}", on_change="rerun") as box:
            if not box.open:
                continue
            if group == "Business":
                key = state.ensure_widget("business.currency")
                current = str(st.session_state[key])
                st.selectbox(
                    "Currency",
                    CURRENCIES if current in CURRENCIES else [*CURRENCIES, current],
                    key=state.widget_key("business.currency"),
                    help="ISO 4217 code of every money figure.",
                )
            for path in paths:
                field_control(path, currency)
    with st.expander("Other line items", key="group.items", on_change="rerun") as box:
        if box.open:
            return _line_items_editor()
    state.reset_items_editor()
    return None


# --- KPIs ---------------------------------------------------------------------------------


#: Where each KPI's formula is explained, in card order (anchors on the methodology page).
_MATH = ("npv", "npv", "hard", "payback", "savings", "customers")


def _pp(now: float | None, then: float | None) -> str | None:
    if now is None or then is None or abs(now - then) < 0.0005:
        return None
    return f"{(now - then) * 100:+.1f} pp"


def kpi_row(
    result: Result, base: Result, currency: str, base_label: str, *, per_row: int = 6
) -> None:
    """NPV, ROI, hard-savings ROI, payback, cost savings, revenue impact; deltas
    against the starting point. ``per_row`` cards to a row (3 for presenting)."""
    s, b = result.summary, base.summary
    since = f"Change since {base_label}."

    def money_delta(now: float, then: float) -> str | None:
        return fmt.signed_money_compact(now - then, currency) if abs(now - then) >= 0.5 else None

    payback_delta = None
    if s.payback_months is not None and b.payback_months is not None:
        diff = s.payback_months - b.payback_months
        payback_delta = f"{diff:+.1f} months" if abs(diff) >= 0.05 else None
    cards = [
        (
            "NPV",
            fmt.money_compact(s.npv, currency),
            money_delta(s.npv, b.npv),
            "normal",
            "Net present value of risk-adjusted benefits minus costs over the horizon. " + since,
        ),
        (
            "ROI",
            fmt.percent(s.roi),
            _pp(s.roi, b.roi),
            "normal",
            "NPV / present value of costs, with every driver. " + since,
        ),
        (
            "Hard-savings ROI",
            fmt.percent(s.roi_hard),
            _pp(s.roi_hard, b.roi_hard),
            "normal",
            "The same case without any revenue driver: contact-cost savings and line items only. "
            "Revenue attribution is never blended in silently. " + since,
        ),
        (
            "Payback",
            fmt.months(s.payback_months),
            payback_delta,
            "inverse",
            "Months until the cumulative net cash flow turns positive. " + since,
        ),
        (
            "Cost savings",
            fmt.money_compact(s.total_savings, currency),
            money_delta(s.total_savings, b.total_savings),
            "normal",
            "Contact-centre savings over the horizon: root-cause fixes, social and self-service "
            "deflection; risk-adjusted, not discounted. " + since,
        ),
        (
            "Revenue impact",
            fmt.money_compact(s.total_revenue_impact, currency),
            money_delta(s.total_revenue_impact, b.total_revenue_impact),
            "normal",
            "Extra revenue over the horizon from retention, saves, referrals, cross-sell and price "
            "premium, BEFORE margin and risk (the NPV counts only the margin on it). " + since,
        ),
    ]
    anchors = dict(zip([c[0] for c in cards], _MATH, strict=True))
    columns = [c for _ in range(0, len(cards), per_row) for c in st.columns(per_row)]
    for column, (label, value, delta, color, help_text) in zip(columns, cards, strict=False):
        help_text += f"  \n[Show the math](/methodology#{anchors[label]})"
        column.metric(label, value, delta, delta_color=color, help=help_text, border=True)  # type: ignore[arg-type]


def plausibility(findings: Sequence[Finding]) -> None:
    """Sanity findings, out of the way: a closed expander that says how many."""
    if not findings:
        return
    label = f"{len(findings)} input{'s' if len(findings) > 1 else ''} to double-check"
    with st.expander(label, icon=":material/warning:", key="plausibility"):
        for finding in findings:
            st.text(str(finding))


# --- charts ---------------------------------------------------------------------------------


def csv_download(
    data: pd.DataFrame | Callable[[], pd.DataFrame], key: str, *, index: bool = False
) -> None:
    """A CSV download of exactly this frame, full precision; no rerun on click.
    Given a callable, the frame is built only when the button is pressed."""
    if callable(data):
        build = data
        payload: bytes | Callable[[], bytes] = lambda: tables.to_csv(build(), index=index)  # noqa: E731
    else:
        payload = tables.to_csv(data, index=index)
    st.download_button(
        "Download CSV",
        data=payload,
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv.{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart_card(
    fig: go.Figure, data: Callable[[], pd.DataFrame], key: str, *, index: bool = False
) -> None:
    """A chart with the table behind it, viewable and downloadable as CSV.

    ``data`` builds the table; it runs only while the expander is open (a lazy
    expander), so a slider move redraws the chart without shipping its table too.
    """
    st.plotly_chart(fig, key=f"chart.{key}", width="stretch", config={"displaylogo": False})
    with st.expander("Data behind this chart", key=f"data.{key}", on_change="rerun") as box:
        if box.open:
            frame = data()
            st.dataframe(frame, hide_index=not index, width="stretch")
            csv_download(frame, key, index=index)


def yearly_table(result: Result, currency: str) -> None:
    """The TEI-style yearly table, exact money, with its CSV (built on click)."""
    st.caption("Risk-adjusted; Initial is month 0; Present value at the discount rate.")
    st.markdown(tables.yearly_markdown(result, currency))
    csv_download(lambda: tables.yearly(result), "yearly_table", index=True)


# --- presets, files, links ---------------------------------------------------------------------


def _on_preset() -> None:
    choice = st.session_state["w.preset"]
    if choice == "defaults":
        state.load(Scenario(), "the model's defaults")
        return
    preset = load_presets()[choice]
    state.load(preset.scenario, f"the {preset.name} preset", preset_id=preset.id)


def _on_reset() -> None:
    base, _ = state.baseline()
    state.load(base, state.baseline_label(), preset_id=st.session_state.get(state.PRESET))


def preset_bar() -> None:
    """Industry preset picker and "reset to the starting point"."""
    presets = load_presets()
    options = ["defaults", *presets]
    names = {"defaults": "Model defaults"} | {k: p.name for k, p in presets.items()}
    if "w.preset" not in st.session_state:  # back from another page: show the session's preset
        st.session_state["w.preset"] = st.session_state.get(state.PRESET) or "defaults"
    left, right = st.columns([2.2, 1], vertical_alignment="bottom")
    left.selectbox(
        "Start from an industry preset",
        options,
        format_func=names.__getitem__,
        key="w.preset",
        on_change=_on_preset,
    )
    right.button(
        "Reset",
        on_click=_on_reset,
        help="Put every control back to the preset, file or link this session started from.",
        icon=":material/restart_alt:",
        width="stretch",
    )
    st.caption(f"KPI changes compare with {state.baseline_label()}.")


_UPLOAD_PROBLEMS = "roi.upload_problems"
_FULL_RERUN = "roi.full_rerun"


def _on_upload() -> None:
    uploaded = st.session_state.get("w.upload")
    if uploaded is None:
        return
    try:
        s = scenario_from_json(uploaded.getvalue())
    except ScenarioError as exc:
        st.session_state[_UPLOAD_PROBLEMS] = [
            f"{uploaded.name} was not loaded; your scenario is unchanged.",
            *exc.problems,
        ]
        return
    st.session_state[_UPLOAD_PROBLEMS] = []
    state.load(s, f"the file {uploaded.name}")
    # The page frame (preset picker, notices) lies outside the fragment: redraw it all.
    st.session_state[_FULL_RERUN] = True


def rerun_page_if_needed() -> None:
    """Call inside the fragment: a load from within it (an upload) redraws the page."""
    if st.session_state.pop(_FULL_RERUN, False):
        st.rerun(scope="app")


def _on_load_saved(scenario_id: int, name: str) -> None:
    from roi_ui import compute
    from roi_ui.store import StoreError

    try:
        loaded = compute.store().load_scenario(scenario_id)
    except StoreError as exc:
        st.session_state[_UPLOAD_PROBLEMS] = [str(exc)]
        return
    state.load(loaded, f"the saved scenario {name!r}")
    st.session_state[_FULL_RERUN] = True


def saved_scenarios(s: Scenario) -> None:
    """Save the scenario by name (with who and when); load, rename or delete saved ones.
    The store (and SQLAlchemy) is imported only when this tab opens."""
    from roi_ui import compute
    from roi_ui.store import StoreError

    store = compute.store()
    left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    owner = left.text_input(
        "Your name",
        key="w.owner",
        max_chars=60,
        help="Saved with the scenario, so a team knows whose it is.",
    )
    name = mid.text_input("Save as", value=s.name, key="w.save_as", max_chars=80)
    if right.button("Save", icon=":material/save:", width="stretch"):
        try:
            store.save_scenario(name, s, owner)
            st.toast("Saved.", icon=":material/check:")
        except StoreError as exc:
            st.error(str(exc))
    for saved in store.list_scenarios()[:50]:
        row = st.columns([4, 1, 1, 1], vertical_alignment="center")
        who = f" by {saved.owner}" if saved.owner else ""
        when = f"{saved.updated_at:%Y-%m-%d %H:%M} UTC"
        row[0].text(f"{saved.name}{who}, {when}")  # the user's text, as text
        row[1].button("Load", key=f"saved.load.{saved.id}", on_click=_on_load_saved,
                      args=(saved.id, saved.name), width="stretch")  # fmt: skip
        with row[2].popover("Rename", width="stretch"):
            new = st.text_input("New name", value=saved.name, key=f"saved.name.{saved.id}",
                                max_chars=80)  # fmt: skip
            if st.button("Rename", key=f"saved.rename.{saved.id}"):
                try:
                    store.rename_scenario(saved.id, new)
                    st.rerun()
                except StoreError as exc:
                    st.error(str(exc))
        if row[3].button("Delete", key=f"saved.delete.{saved.id}", width="stretch"):
            store.delete_scenario(saved.id)
            st.rerun()


def report_downloads(s: Scenario) -> None:
    """The leave-behind report as HTML, XLSX or PPTX, built only when clicked."""
    from roi_ui import report

    prospect = st.text_input("Prepared for (optional)", key="w.prospect", max_chars=80)
    preset = state.preset()
    stem = "business-case"
    cols = st.columns(3)
    builds = (
        ("HTML (opens offline, prints to PDF)", "html", "text/html",
         lambda: report.html_report(s, preset=preset, prospect=prospect)),
        ("Excel workbook (live formulas)", "xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         lambda: report.xlsx_report(s, preset=preset)),
        ("PowerPoint (editable charts)", "pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         lambda: report.pptx_report(s, preset=preset, prospect=prospect)),
    )  # fmt: skip
    for col, (label, ext, mime, build) in zip(cols, builds, strict=True):
        col.download_button(label, data=build, file_name=f"{stem}.{ext}", mime=mime,
                            on_click="ignore", key=f"report.{ext}", width="stretch",
                            icon=":material/description:")  # fmt: skip


def scenario_io(s: Scenario, share_url: str) -> None:
    """Download the scenario as JSON, load one, and the share link."""
    st.text_input(
        "Scenario name",
        key=state.ensure_widget("name"),
        max_chars=80,
        help="Shown on downloads and in the share link.",
    )
    st.download_button(
        "Download scenario (JSON)",
        data=s.model_dump_json(indent=2),
        file_name="scenario.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="w.download_scenario",
    )
    st.file_uploader(
        "Load a scenario (JSON)",
        type=["json"],
        key="w.upload",
        on_change=_on_upload,
        max_upload_size=1,
        help="A file saved from here or written by hand (MODEL.md). It is checked before it "
        "replaces anything; on error your current scenario stays.",
    )
    problems = st.session_state.get(_UPLOAD_PROBLEMS, [])
    if problems:
        st.error(problems[0], icon=":material/error:")
        for line in problems[1:]:
            st.text(line)  # from the user's file: plain text, never markdown or HTML
    st.caption("Share link (the address bar always holds it too):")
    st.code(share_url, language=None, wrap_lines=True)
