"""Streamlit components every page shares: a scenario field's control, the KPI
cards, a chart with the data behind it, a CSV download, messages.

Controls are views of :mod:`roi_ui.state`: bound with ``state.bind(path)``, so
their value lives in the session, not in the widget. Bounds, steps, units and
help text come from the scenario's field metadata (``roi_core.NUMERIC_FIELDS``),
so the UI and the validation cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, ParamSpec, TypeVar

import plotly.graph_objects as go
import streamlit as st

from roi_core import NUMERIC_FIELDS, Result, i18n
from roi_core.sanity import Finding
from roi_core.scenario import FieldSpec, get_value
from roi_ui import editor, state
from roi_ui import formatting as fmt
from roi_ui.export.tables import to_csv
from roi_ui.presets import CONFIDENCE_LABELS
from roi_ui.text import escape_markdown

if TYPE_CHECKING:
    import pandas as pd

_ = i18n.gettext
_P = ParamSpec("_P")
_R = TypeVar("_R")

__all__ = [
    "Bounds",
    "bounds",
    "chart_card",
    "csv_download",
    "field_control",
    "field_label",
    "format_func",
    "kpi_row",
    "language_switch",
    "link_notices",
    "messages",
    "page_language",
    "page_language_script",
    "plain_lines",
    "plausibility",
    "spoken",
]

#: Groups whose fields get exact number inputs rather than sliders.
_NUMBER_INPUT_GROUPS = ("business", "service")


def field_label(spec: FieldSpec, currency: str) -> str:
    """The field's title and its unit in words: "Retention lift (%)", "Setup (USD)",
    "Platform (USD per month)"."""
    unit = "%" if spec.unit == "fraction" else fmt.unit_words(spec.unit, currency)
    return f"{spec.title} ({unit})"


def spoken(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """``fn`` run in the language on screen now, whichever thread calls it later: a
    download's bytes built on click (Streamlit builds them on another thread, where
    the session's language is not set), a widget's ``format_func`` (AppTest reads
    options through it on its own thread)."""
    lang = i18n.current()

    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with i18n.language(lang):
            return fn(*args, **kwargs)

    return run


def format_func(translate: Callable[[str], str] = _) -> Callable[[object], str]:
    """A widget's ``format_func`` showing its English option values in the language of
    this run (:func:`spoken`): ``st.pills(..., format_func=common.format_func())``, or
    with a lookup, ``format_func=common.format_func(lambda k: _(names[k]))``. The
    options and the chosen value always read alike."""
    return spoken(lambda value: translate(str(value)))


@dataclass(frozen=True)
class Bounds:
    """A slider's scale in display units."""

    low: float
    high: float
    step: float


def bounds(spec: FieldSpec, value: float) -> Bounds:
    """The slider scale for a field holding ``value``: from the field's minimum to
    its typical maximum (stretched to hold the value), in display units."""
    if spec.is_int:
        return Bounds(spec.low, spec.upper, 1)
    scale = spec.typical_max or (spec.upper if math.isfinite(spec.upper) else 10 * max(value, 1))
    high = editor.display_value(spec, max(scale, value))
    if editor.is_percent(spec):
        step = 0.01 if high <= 5 else 0.1
    else:
        step = 10.0 ** math.floor(math.log10(max(high, 1e-9) / 200.0))
    return Bounds(editor.display_value(spec, spec.low), float(high), step)


def _help(spec: FieldSpec, currency: str) -> str:
    unit = fmt.unit_words(spec.unit, currency)
    low = fmt.number(editor.display_value(spec, spec.low), digits=4)
    if spec.high is None:
        upper = _("no upper limit")
    else:
        shown = fmt.number(editor.display_value(spec, spec.high), digits=4)
        upper = (_("up to {value}") if spec.high_inclusive else _("up to below {value}")).format(
            value=shown
        )
    text = _("{description}  \nAllowed: from {low}, {upper} ({unit}).").format(
        description=spec.description, low=low, upper=upper, unit=unit
    )
    preset = state.preset()
    note = state.notes().get(spec.path)
    if note:
        return text + _("  \n**Set by** {note}.").format(note=escape_markdown(note))
    if preset is None or (source := preset.source(spec.path)) is None:
        return text
    if get_value(preset.scenario, spec.path) == get_value(state.scenario(), spec.path):
        text += _("  \n**Preset source** ({confidence}): {note}").format(
            confidence=_(CONFIDENCE_LABELS[source.confidence]), note=_(source.note)
        )
    return text


def field_control(path: str, currency: str) -> None:
    """The one helper that draws a scenario field: a slider for levers, costs and
    finance, an exact number input for the business and service baselines."""
    spec = NUMERIC_FIELDS[path]
    label = field_label(spec, currency)
    help_text = _help(spec, currency)
    binding = state.bind(path)
    if spec.group in _NUMBER_INPUT_GROUPS:
        upper = None if spec.high is None else editor.display_value(spec, spec.upper)
        if spec.is_int:
            st.number_input(
                label,
                min_value=int(spec.low),
                max_value=None if upper is None else int(upper),
                step=1000,
                format="%d",
                help=help_text,
                **binding,
            )
        else:
            st.number_input(
                label,
                min_value=float(editor.display_value(spec, spec.low)),
                max_value=None if upper is None else float(upper),
                step=1.0 if editor.is_percent(spec) else 0.1,
                format="%.2f",
                help=help_text,
                **binding,
            )
        return
    b = bounds(spec, get_value(state.scenario(), path))
    if spec.is_int:
        st.slider(label, int(b.low), int(b.high), step=1, help=help_text, **binding)
        return
    if editor.is_percent(spec):
        number_format = f"%.{2 if b.step < 0.1 else 1}f%%"
    elif spec.unit.startswith("money"):
        number_format = fmt.currency_prefix(currency).replace("%", "%%") + "%d"
    else:
        number_format = "%.2f" if b.step < 1 else "%d"
    st.slider(
        label,
        float(b.low),
        float(b.high),
        step=float(b.step),
        format=number_format,
        help=help_text,
        **binding,
    )


# --- KPIs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Card:
    label: str
    value: str
    delta: str | None
    color: str
    basis: str
    help: str
    anchor: str


def _cards(result: Result, base: Result, currency: str) -> list[_Card]:
    s, b = result.summary, base.summary
    years = s_years = result.monthly.month[-1] / 12

    def money_delta(now: float, then: float) -> str | None:
        return fmt.signed_money_compact(now - then, currency) or None

    horizon = (
        _("{n} yrs").format(n=fmt.number(s_years, digits=5))
        if years >= 1
        else _("{n} months").format(n=fmt.count(int(result.monthly.month[-1])))
    )
    payback_delta = (
        fmt.signed_months(s.payback_months - b.payback_months) or None
        if s.payback_months is not None and b.payback_months is not None
        else None
    )
    return [
        _Card(
            _("NPV"),
            fmt.money_compact(s.npv, currency),
            money_delta(s.npv, b.npv),
            "normal",
            _("discounted, {horizon}").format(horizon=horizon),
            _("Net present value of risk-adjusted benefits minus costs over the horizon."),
            "npv",
        ),
        _Card(
            _("ROI"),
            fmt.percent(s.roi),
            fmt.percent_points(s.roi, b.roi) or None,
            "normal",
            _("NPV / PV of costs"),
            _("NPV divided by the present value of costs, every driver counted."),
            "npv",
        ),
        _Card(
            _("Hard-savings ROI"),
            fmt.percent(s.roi_hard),
            fmt.percent_points(s.roi_hard, b.roi_hard) or None,
            "normal",
            _("no revenue drivers"),
            _(
                "The same case without any revenue driver: contact-cost savings and line items "
                "only. Revenue attribution is never blended in silently."
            ),
            "hard",
        ),
        _Card(
            _("Payback"),
            fmt.months(s.payback_months),
            payback_delta,
            "inverse",
            _("cumulative cash ≥ 0"),
            _(
                "Months until the cumulative net cash flow turns positive (undiscounted, "
                "risk-adjusted)."
            ),
            "payback",
        ),
        _Card(
            _("Cost savings"),
            fmt.money_compact(s.total_savings, currency),
            money_delta(s.total_savings, b.total_savings),
            "normal",
            _("undiscounted, {horizon}").format(horizon=horizon),
            _(
                "Contact-centre savings over the horizon: root-cause fixes, social and "
                "self-service deflection; risk-adjusted, not discounted."
            ),
            "savings",
        ),
        _Card(
            _("Revenue impact"),
            fmt.money_compact(s.total_revenue_impact, currency),
            money_delta(s.total_revenue_impact, b.total_revenue_impact),
            "normal",
            _("before margin"),
            _(
                "Extra revenue over the horizon from retention, saves, referrals, cross-sell and "
                "price premium, BEFORE margin and risk (the NPV counts only the margin on it)."
            ),
            "customers",
        ),
    ]


def kpi_row(
    result: Result,
    base: Result,
    currency: str,
    *,
    per_row: Literal[3, 6] = 6,
    explain: bool = True,
    changes: bool = True,
) -> None:
    """NPV, ROI, hard-savings ROI, payback, cost savings, revenue impact, each with
    its basis on the card ("discounted, 3 yrs") and, with ``changes``, its change
    since the starting point. ``explain`` adds help with a "Show the math" link.
    Presenting, both are off: a prospect sees the figures and their basis only."""
    since = escape_markdown(_("Change since {baseline}.").format(baseline=state.baseline_label()))
    cards = _cards(result, base, currency)
    # One wrapping row, not st.columns: a row of columns is 1 + per_row blocks that
    # the browser redraws on every slider move, before the KPIs change; app.css
    # gives the cards equal widths, ``per_row`` to a line, two to a line on a phone.
    row = st.container(horizontal=True, gap="small", key=f"kpis-{per_row}")
    for card in cards:
        help_text = None
        if explain:
            math_link = state.link(page="methodology", anchor=card.anchor)
            help_text = f"{card.help} {since}  \n" + _("[Show the math]({link})").format(
                link=math_link
            )
        if not changes:
            row.metric(card.label, card.value, card.basis, delta_color="off",
                          delta_arrow="off", help=help_text, border=True)  # fmt: skip
            continue
        # The change line is always there ("no change" until something moves) and the
        # basis always under it, so the cards never jump when a first change appears.
        changed = card.delta is not None
        row.metric(
            card.label,
            card.value,
            card.delta if changed else _("no change"),
            delta_color=card.color if changed else "off",  # type: ignore[arg-type]
            delta_arrow="auto" if changed else "off",
            delta_description=card.basis,
            help=help_text,
            border=True,
        )


def plausibility(findings: Sequence[Finding]) -> None:
    """Sanity findings, out of the way: a closed expander that says how many."""
    if not findings:
        return
    n = len(findings)
    label = i18n.ngettext("{n} input to double-check", "{n} inputs to double-check", n).format(
        n=fmt.count(n)
    )
    with st.expander(label, icon=":material/warning:", key="plausibility"):
        for finding in findings:
            st.text(str(finding))


def plain_lines(lines: Sequence[str]) -> None:
    """Lines that may quote the user's text (a file, a link), shown as plain text."""
    for line in lines:
        st.text(line)


def language_switch() -> None:
    """English or Bahasa Indonesia, at the top right of every page; the choice is
    kept in the link (``lang=id``). Each language is named in itself, and the label
    is in both, so a person who reads only one finds it."""
    with st.container(horizontal=True, horizontal_alignment="right", key="language"):
        st.segmented_control(
            "Language · Bahasa",
            list(i18n.LANGUAGES),
            format_func=i18n.LANGUAGES.__getitem__,
            required=True,
            label_visibility="collapsed",
            **state.bind_language(),
        )


def page_language() -> None:
    """The page's ``<html lang>`` follows the language shown (WCAG 3.1.1), so a screen
    reader reads Indonesian as Indonesian."""
    st.html(page_language_script(i18n.current()), unsafe_allow_javascript=True)


def page_language_script(lang: i18n.Language) -> str:
    """The fixed script :func:`page_language` runs: a language code, no text of anyone's."""
    return f"<script>document.documentElement.lang = {lang!r};</script>"


def link_notices() -> None:
    """What opening the link said (bad or misspelt parameters, a stretched range), on
    whichever page the link opened, until dismissed."""
    notices = state.notices()
    if not notices:
        return
    text, button = st.columns([6, 1], vertical_alignment="center")
    text.warning(_("Some of the link was not used; the rest loaded."), icon=":material/info:")
    button.button(_("Dismiss"), key="notices.dismiss", on_click=state.dismiss_notices)
    plain_lines(notices)


def messages(where: str = "") -> None:
    """The session's one-shot messages for this place (from callbacks), as alerts
    whose text is shown as typed (escaped Markdown)."""
    show = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}
    for kind, text in state.take_flash(where):
        show[kind](escape_markdown(text))


# --- charts ---------------------------------------------------------------------------------


def csv_download(
    data: pd.DataFrame | Callable[[], pd.DataFrame], key: str, *, index: bool = False
) -> None:
    """A CSV download of exactly this frame, full precision; no rerun on click.
    Given a callable, the frame is built only when the button is pressed."""
    if callable(data):
        build = data
        payload: bytes | Callable[[], bytes] = spoken(lambda: to_csv(build(), index=index))
    else:
        payload = to_csv(data, index=index)
    st.download_button(
        _("Download CSV"),
        data=payload,
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv.{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart_card(
    fig: go.Figure,
    data: Callable[[], pd.DataFrame],
    key: str,
    *,
    alt: str,
    currency: str = "USD",
    index: bool = False,
) -> None:
    """A chart with the table behind it: under the chart's own column names and in
    its formats (money in ``currency``, shares in %), and as a CSV at full precision.
    ``alt``: the chart in one sentence, what a screen reader reads for it (WCAG 1.1.1).

    ``data`` builds the table; it runs only while the expander is open (a lazy
    expander), so a slider move redraws the chart without shipping its table too.
    """
    from roi_ui.frames.base import displayed

    st.plotly_chart(
        fig, key=f"chart.{key}", width="stretch", config={"displaylogo": False}, alt=alt
    )
    with st.expander(_("Data behind this chart"), key=f"data.{key}", on_change="rerun") as box:
        if box.open:
            frame = data()
            st.dataframe(displayed(frame, currency), hide_index=not index, width="stretch")
            csv_download(frame, key, index=index)
