"""The calibration page's components: the file (or the sample), the column
mapping, the estimates, and apply / undo into the session's scenario.

The uploaded table's column names are the user's text: shown as options and
plain text, never Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError
from roi_core.calibration import (
    CONFIDENCE,
    Calibration,
    apply_calibration,
    calibrate,
    retention_curve,
    say,
)
from roi_core.customer_table import OPTIONAL, REQUIRED, RawTable, TableError, match_columns
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.scenario import get_value
from roi_ui import cache, resources, state
from roi_ui import formatting as fmt
from roi_ui.figures import calibration as figures
from roi_ui.frames.base import formats
from roi_ui.text import clean_text, escape_markdown
from roi_ui.widgets import common

__all__ = [
    "SAMPLE",
    "apply_and_undo",
    "apply_measured",
    "bounds",
    "column_mapping",
    "estimates",
    "file_or_sample",
    "frame_estimates",
    "frame_retention",
    "interval_text",
    "read_upload",
    "rows_left_out",
    "source_file",
]

SAMPLE = "samples/customers.csv"
_NONE = "(none)"
_HERE = "calibrate"
#: A group's customers, as a card's title says them.
_GROUP_TITLES = {"engaged": N_("Engaged customers"), "control": N_("Control customers")}


def file_or_sample(
    kind: str, label: str, help_: str, sample_help: str, sample: str
) -> tuple[bytes, str] | None:
    """An uploader (``label``) beside a "Use the sample" switch kept in the session:
    the uploaded file, else the sample (``sample``, a path in the app's data) when
    switched on, as ``(contents, name)``."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    upload = left.file_uploader(
        label, type=["csv", "xlsx"], key=f"{kind}.upload", max_upload_size=50, help=help_
    )
    use_sample = right.toggle(
        _("Use the sample"), help=sample_help, **state.bind_choice(f"{kind}.sample", False)
    )
    if upload is not None:
        return upload.getvalue(), upload.name
    if use_sample:
        return resources.read_bytes(sample), sample.rsplit("/", 1)[-1]
    return None


def source_file() -> tuple[bytes, str] | None:
    """The uploaded customer table, or the sample on request."""
    return file_or_sample(
        _HERE,
        _("Customer table (CSV or XLSX): one row per customer"),
        _(
            "Columns: group (engaged or control), months_observed, churned (0/1); optional "
            "assisted_contacts, cross_sell_purchases, revenue. Other names can be mapped below."
        ),
        _("{customers} synthetic customers with a true retention lift of {lift} %.").format(
            customers=fmt.count(2_000), lift=fmt.number(20)
        ),
        SAMPLE,
    )


def read_upload(data: bytes, filename: str) -> tuple[str, RawTable] | None:
    """The file read once (cached by content), with a progress bar while a new one is
    read; ``None`` after saying why it is not a table."""
    name = escape_markdown(clean_text(filename, 60))  # the progress text is Markdown
    bar = st.empty()

    def progress(read: int, expected: int | None) -> None:
        if expected:
            bar.progress(
                min(1.0, read / expected),
                text=_("Reading {name}: {read} of about {expected} rows").format(
                    name=name, read=fmt.count(read), expected=fmt.count(expected)
                ),
            )
        else:
            bar.progress(0.0, text=_("Reading {name}…").format(name=name))

    file_digest, raw = cache.raw_table(data, filename, progress=progress)
    bar.empty()
    if isinstance(raw, str):
        st.error(escape_markdown(say(raw)), icon=":material/error:")
        return None
    return file_digest, raw


def column_mapping(
    raw: RawTable,
    filename: str,
    *,
    kind: str = _HERE,
    required: Sequence[str] = REQUIRED,
    optional: Sequence[str] = OPTIONAL,
    per_row: int = 3,
) -> dict[str, str | None]:
    """Which column holds what: matched by name, adjustable (kept in the session per
    ``kind`` and file); open while a required one is not found."""
    columns = [str(c) for c in raw.frame.columns]
    names = (*required, *optional)
    found = match_columns(columns, names=names)
    options = [_NONE, *columns]
    none = _("(none)")  # translated now, in this run's language
    mapping: dict[str, str | None] = {}
    with st.expander(_("Columns"), expanded=any(n not in found for n in required)):
        cols = st.columns(per_row)
        for i, name in enumerate(names):
            label = _("{column} (required)").format(column=name) if name in required else name
            choice = cols[i % per_row].selectbox(
                label,
                options,
                format_func=lambda c: none if c == _NONE else clean_text(str(c), 60),
                **state.bind_choice(
                    f"{kind}.map.{filename}.{name}",
                    found.get(name, _NONE),
                    param="index",
                    options=options,
                ),
            )
            mapping[name] = None if choice in (_NONE, None) or choice not in columns else choice
    return mapping


def rows_left_out(problems: Sequence[str], rows_read: int) -> None:
    """What the reader said of the file's rows, out of the way in an expander that says
    how many were left out."""
    if not problems:
        return
    left_out = sum(int(p.split()[0]) for p in problems if "left out" in p)
    label = (
        _("{left_out} of {rows} rows left out").format(
            left_out=fmt.count(left_out), rows=fmt.count(rows_read)
        )
        if left_out
        else _("Notes on the file's rows")
    )
    with st.expander(label, icon=":material/warning:"):
        common.plain_lines([say(p) for p in problems])


def bounds() -> tuple[str, str, str]:
    """The column names of an estimate and its interval in a table behind a chart."""
    level = _(CONFIDENCE)
    return (
        _("estimate"),
        _("{level} low").format(level=level),
        _("{level} high").format(level=level),
    )


def interval_text(low: float | None, high: float | None, *, digits: int = 1) -> str:
    """``95 % interval 12.0% to 18.3%``: an estimate's interval, under its metric."""
    return _("{level} interval {low} to {high}").format(
        level=_(CONFIDENCE),
        low=fmt.percent(low, digits=digits),
        high=fmt.percent(high, digits=digits),
    )


def apply_measured(
    fn: Callable[..., tuple[Scenario, list[str]]],
    result: object,
    source: str,
    where: str,
    kind: str,
) -> None:
    """``fn(scenario, result, source=...)`` into the session's scenario (undoable, as
    "the ``kind`` from ``source``"), and a message at ``where`` saying what changed
    (or why nothing did).

    ``result`` may be a callable that measures again: a button's arguments are those
    of the run that drew it, so an input typed and not yet sent when the button is
    clicked (a number box still focused) would otherwise be missed.
    """
    if callable(result):
        result = result()
    try:
        new, lines = fn(state.scenario(), result, source=source)
    except ScenarioError as exc:
        state.flash(
            "error",
            _("Not applied: {problems}").format(problems="; ".join(exc.problems)),
            where=where,
        )
        return
    if not lines:
        state.flash("warning", _("Nothing measured could be applied."), where=where)
        return
    changed = [line.split(" = ", 1)[0] for line in lines]
    what = _("{kind} from {source}").format(kind=_(kind), source=source)
    state.replace_scenario(
        new,
        what=what,
        notes=dict.fromkeys(changed, _("measured: {what}").format(what=what)),
    )
    currency = new.business.currency
    said = "; ".join(_said(path, get_value(new, path), currency) for path in changed)
    state.flash(
        "success", _("Applied from {source}: {said}.").format(source=source, said=said), where=where
    )


def _said(path: str, value: float, currency: str) -> str:
    """``"Social deflection 19.4%"``: a field as a person reads it, with its value."""
    spec = NUMERIC_FIELDS[path]
    if spec.unit == "fraction":
        shown = fmt.percent(value, digits=2 if value < 0.01 else 1)
    elif spec.unit.startswith("money"):
        shown = fmt.money(value, currency)
    else:
        shown = f"{fmt.count(value)} {fmt.unit_words(spec.unit, currency)}"
    return f"{spec.title} {shown}"  # the same order in Indonesian: "Pelanggan 1.500"


def apply_and_undo(
    fn: Callable[..., tuple[Scenario, list[str]]],
    result: object,
    source: str,
    *,
    where: str,
    kind: str,
    help: str,
    key: str,
) -> None:
    """The "Apply to the scenario" button and, once something was applied, "Undo".
    ``kind`` names what is applied, marked for the catalog (``N_("calibration")``)."""
    left, right, _spare = st.columns([1, 1, 2], vertical_alignment="center")
    left.button(
        _("Apply to the scenario"),
        type="primary",
        icon=":material/done_all:",
        on_click=apply_measured,
        args=(fn, result, source, where, kind),
        help=help,
        key=f"{key}.apply",
    )
    what = state.undo_label()
    if what:
        right.button(escape_markdown(_("Undo the {what}").format(what=what)),
                     icon=":material/undo:", on_click=state.undo, key=f"{key}.undo")  # fmt: skip
    common.messages(where)


def frame_retention(
    curves: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]],
) -> pd.DataFrame:
    """The numbers behind the retention chart: share retained by month, per group."""
    months = max((c[0] for c in curves.values()), key=len)
    month = _("month")
    columns: dict[str, object] = {month: months}
    for group, (m, share) in curves.items():
        full = np.full(months.size, np.nan)
        full[: m.size] = share
        columns[_("{group}, share retained").format(group=_(group))] = full
    shares = [c for c in columns if c != month]
    return formats(pd.DataFrame(columns), percent=shares, raw=[month])


def frame_estimates(result: Calibration) -> pd.DataFrame:
    """The numbers behind the measured-effects chart (shares, not %)."""
    rows = (
        (_("Retention lift"), result.retention_lift),
        (_("Fewer assisted contacts"), result.assisted_contact_change),
        (_("Extra cross-sell purchases per customer-month"), result.cross_sell_uplift),
    )
    estimate, low, high = bounds()
    frame = pd.DataFrame(
        {
            _("measure"): [r[0] for r in rows],
            estimate: [r[1].estimate for r in rows],
            low: [r[1].low for r in rows],
            high: [r[1].high for r in rows],
        }
    )
    return formats(frame, percent=[estimate, low, high])


def estimates(data: bytes, filename: str) -> None:
    """Groups, estimates with intervals, retention curves; apply and undo."""
    read = read_upload(data, filename)
    if read is None:
        return
    file_digest, raw = read
    mapping = column_mapping(raw, filename)
    try:
        loaded = cache.customer_table(file_digest, filename, tuple(sorted(mapping.items())), raw)
    except TableError as exc:
        st.error(escape_markdown(say(str(exc))), icon=":material/error:")
        return
    rows_left_out(loaded.problems, loaded.rows_read)
    result = calibrate(loaded.table)
    for col, (group, g) in zip(st.columns(2), result.groups.items(), strict=True):
        with col.container(border=True):
            st.markdown(f"**{_(_GROUP_TITLES[group])}**")
            a, b, c = st.columns(3)
            a.metric(_("Customers"), fmt.count(g.customers))
            b.metric(_("Churned"), fmt.count(g.churned))
            c.metric(
                _("Monthly churn"),
                fmt.percent(g.churn_hazard, digits=2),
                help=_(
                    "Churned / customer-months: customers observed for different lengths "
                    "of time count by the months they were observed."
                ),
            )
    shown = (
        (_("Retention lift"), result.retention_lift, 1,
         _("1 - engaged churn / control churn; the interval from the log hazard ratio.")),
        (_("Fewer assisted contacts"), result.assisted_contact_change, 1,
         _("1 - engaged contacts / control contacts, per customer-month.")),
        (_("Extra cross-sell a month"), result.cross_sell_uplift, 3,
         _("Engaged minus control cross-sell purchases per customer-month.")),
    )  # fmt: skip
    for col, (label, iv, digits, help_) in zip(st.columns(3), shown, strict=True):
        col.metric(label, fmt.percent(iv.estimate, digits=digits), help=help_)
        col.caption(interval_text(iv.low, iv.high, digits=digits))
    for warning in result.warnings:
        st.warning(say(warning))
    curves = {g: retention_curve(loaded.table, g) for g in ("engaged", "control")}
    left, right = st.columns([3, 2])
    (months_e, kept_e), (months_c, kept_c) = curves["engaged"], curves["control"]
    retention_alt = (
        _(
            "Share still a customer: engaged {engaged} after {engaged_months} months, "
            "control {control} after {control_months} months."
        ).format(
            engaged=fmt.percent(float(kept_e[-1])),
            engaged_months=fmt.count(int(months_e[-1])),
            control=fmt.percent(float(kept_c[-1])),
            control_months=fmt.count(int(months_c[-1])),
        )
        if len(kept_e) and len(kept_c)
        else _("Share still a customer by month: no months observed.")
    )
    lift = result.retention_lift
    estimates_alt = _(
        "The estimates with their {level} intervals: retention lift {estimate} ({low} to {high})."
    ).format(
        level=_(CONFIDENCE),
        estimate=fmt.percent(lift.estimate),
        low=fmt.percent(lift.low),
        high=fmt.percent(lift.high),
    )
    with left:
        common.chart_card(
            figures.retention(curves),
            lambda: frame_retention(curves),
            "retention",
            alt=retention_alt,
        )
    with right:
        common.chart_card(
            figures.estimates(result),
            lambda: frame_estimates(result),
            "estimates",
            alt=estimates_alt,
        )
    apply_and_undo(
        apply_calibration,
        result,
        clean_text(filename, 80),
        where=_HERE,
        kind=N_("calibration"),
        help=_(
            "Sets retention lift, and where measured the social deflection and "
            "cross-sell rate; the scenario's description records the source."
        ),
        key="calibrate",
    )
