"""The Evidence page's components: which source, and the two exports (a contact-centre
export and a social-mentions export), each with its file or sample, column mapping,
estimates, chart with its data, and apply / undo into the session's scenario. The
customer table (a control group) is :mod:`roi_ui.widgets.calibrate`.

Everything read from a file (column names, channel names) is shown as plain text or
as options, never as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from roi_core.calibration import CONFIDENCE, Interval, Number, say
from roi_core.contacts import (
    CLASSES,
    Baseline,
    ChannelClass,
    LoadedContacts,
    apply_baseline,
    channel_class,
)
from roi_core.contacts import OPTIONAL as CONTACT_OPTIONAL
from roi_core.contacts import REQUIRED as CONTACT_REQUIRED
from roi_core.customer_table import RawTable, TableError, match_columns
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.mentions import REQUIRED as MENTION_REQUIRED
from roi_core.mentions import Advocacy, apply_advocacy
from roi_ui import cache, state
from roi_ui import formatting as fmt
from roi_ui.figures import evidence as figures
from roi_ui.frames.base import formats
from roi_ui.text import clean_text, escape_markdown, label_markdown
from roi_ui.widgets import common
from roi_ui.widgets.calibrate import (
    apply_and_undo,
    bounds,
    column_mapping,
    file_or_sample,
    interval_text,
    read_upload,
    rows_left_out,
)

__all__ = [
    "CONTACTS_SAMPLE",
    "MENTIONS_SAMPLE",
    "SOURCES",
    "contact_centre",
    "frame_advocacy",
    "frame_months",
    "social_mentions",
    "source",
]

#: The page's three sources of evidence, as the picker names them (in English: the
#: values kept in the session and the link; shown translated).
SOURCES = (N_("Control group"), N_("Contact centre"), N_("Social mentions"))
CONTACTS_SAMPLE = "samples/contacts.csv"
MENTIONS_SAMPLE = "samples/mentions.csv"
#: The sample's launch month (scripts/make_sample_evidence.py).
SAMPLE_LAUNCH = "2025-01"
_LEAVE_OUT = "(leave out)"
_CLASS_LABELS: dict[str, str] = {
    "assisted": N_("Assisted (phone, email, chat)"),
    "social": N_("Social care"),
    "self_service": N_("Self-service"),
    _LEAVE_OUT: N_("Leave out"),
}
#: The most channels the mapping lists (the rest keep their default class).
_MAX_CHANNELS = 40


def source() -> str:
    """Which evidence the page shows, kept in the session (and across pages)."""
    shown = {source: _(source) for source in SOURCES}  # translated now, in this run's language
    choice = st.segmented_control(
        _("Evidence from"),
        SOURCES,
        format_func=shown.__getitem__,
        required=True,
        width="stretch",
        wrap=True,  # on a phone the three stay whole, on two rows
        **state.bind_choice("evidence.source", SOURCES[0], param="default", options=SOURCES),
    )
    return str(choice or SOURCES[0])


def _interval_metric(col: DeltaGenerator, label: str, iv: Interval,
                     help_: str, digits: int = 1) -> None:  # fmt: skip
    col.metric(label, fmt.percent(iv.estimate, digits=digits), help=help_)
    if iv.low is not None and iv.high is not None:
        col.caption(interval_text(iv.low, iv.high, digits=digits))


def _points_metric(col: DeltaGenerator, label: str, iv: Interval, help_: str) -> None:
    """A difference of two shares, in percentage points, with its interval."""

    def points(x: float | None) -> str:
        if x is None:
            return _("n/a")
        return _("{n} pp").format(n=Number(x * 100, digits=1, signed=True).text())

    col.metric(label, points(iv.estimate), help=help_)
    if iv.low is not None and iv.high is not None:
        col.caption(
            _("{level} interval {low} to {high}").format(
                level=_(CONFIDENCE), low=points(iv.low), high=points(iv.high)
            )
        )


# --- contact centre ---------------------------------------------------------------------


def _channels(
    kind: str, file_digest: str, raw: RawTable, filename: str, mapping: dict[str, str | None]
) -> dict[str, str | None]:
    """The class of each channel in the file: the default, adjustable."""
    names = (*CONTACT_REQUIRED, *CONTACT_OPTIONAL)
    column = match_columns(list(raw.frame.columns), mapping, names=names).get("channel")
    if column is None:
        return {}
    listed = cache.channels_of(file_digest, column, raw)[:_MAX_CHANNELS]
    unmapped = [c for c, _rows in listed if channel_class(c) is None]
    options = [*CLASSES, _LEAVE_OUT]
    labels = {c: _(label) for c, label in _CLASS_LABELS.items()}  # in this run's language
    overrides: dict[str, str | None] = {}
    title = (
        _("Channels ({count} not mapped)").format(count=fmt.count(len(unmapped)))
        if unmapped
        else _("Channels")
    )
    with st.expander(title, expanded=bool(unmapped), icon=":material/alt_route:"):
        st.caption(
            _(
                "Which kind of contact each channel is. Assisted contacts are the ones social "
                "care may take over; rows left out are not counted."
            )
        )
        cols = st.columns(3)
        for i, (name, rows) in enumerate(listed):
            if i and i % 3 == 0:  # row by row: on a phone they stack most rows first
                cols = st.columns(3)
            default: ChannelClass | str = channel_class(name) or _LEAVE_OUT
            choice = cols[i % 3].selectbox(
                _("{channel} ({rows} rows)").format(
                    channel=label_markdown(clean_text(name, 40)), rows=fmt.count(rows)
                ),
                options,
                format_func=lambda c: labels[str(c)],
                **state.bind_choice(
                    f"{kind}.channel.{filename}.{name}", default, param="index", options=options
                ),
            )
            overrides[name] = None if choice == _LEAVE_OUT else str(choice)
    return overrides


def _launch(
    kind: str, loaded: LoadedContacts, filename: str, sample: bool
) -> tuple[str, float | None]:
    times = loaded.export.created_at  # the first and last month, without a pass per row
    first, last = times.min().astype("datetime64[M]"), times.max().astype("datetime64[M]")
    labels = [str(first + i) for i in range(int((last - first).astype(int)) + 1)]
    default = SAMPLE_LAUNCH if sample and SAMPLE_LAUNCH in labels else labels[len(labels) // 2]
    left, right = st.columns(2)
    launch = left.selectbox(
        _("Social care launched in"),
        labels,
        help=_(
            "The first month social care answered customers. Months before it are the "
            "baseline; the regression measures the change from it on."
        ),
        **state.bind_choice(f"{kind}.launch.{filename}", default, param="index", options=labels),
    )
    hourly = right.number_input(
        _("Loaded agent cost per hour (optional)"),
        min_value=0.0,
        max_value=10_000.0,
        step=1.0,
        format="%.2f",
        placeholder=_("e.g. {example}").format(example="32.00"),  # typed with a point
        help=_(
            "Salary, benefits, seat and overhead for one agent hour, in the scenario's "
            "currency. With handle minutes it gives the cost per assisted and per social "
            "contact."
        ),
        **state.bind_choice(f"{kind}.hourly_cost", None),
    )
    return str(launch or default), _hourly(hourly)


def _hourly(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def frame_months(result: Baseline) -> pd.DataFrame:
    """The numbers behind the monthly chart."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    after, before = _("after launch"), _("before launch")
    counts = [_("assisted"), _("social"), _("self-service"), _("assisted, fitted"),
              _("assisted without the launch")]  # fmt: skip
    frame = pd.DataFrame(
        {
            _("month"): [m.month for m in result.months],
            _("period"): [after if m.post else before for m in result.months],
            counts[0]: [m.assisted if m.has_rows else None for m in result.months],
            counts[1]: [m.social if m.has_rows else None for m in result.months],
            counts[2]: [m.self_service if m.has_rows else None for m in result.months],
            counts[3]: [rounded(m.fitted) for m in result.months],
            counts[4]: [rounded(m.counterfactual) for m in result.months],
        }
    )
    return formats(frame, count=counts)


def contact_centre() -> None:
    """The contact-centre export: baseline, shift and reach; apply and undo."""
    kind = "contacts"
    got = file_or_sample(
        kind,
        _("Contact-centre export (CSV or XLSX): one row per contact"),
        _(
            "Columns: created_at (date or timestamp), channel; optional handle_minutes, "
            "customer_id. Other names can be mapped below."
        ),
        _(
            "{contacts} synthetic contacts over two years, social care launched in January "
            "2025, with a true shift of {shift} % away from assisted channels."
        ).format(contacts=fmt.count(19_155), shift=fmt.number(15)),
        CONTACTS_SAMPLE,
    )
    if got is None:
        st.info(
            _(
                "Upload a contact-centre export, or switch on the sample: it measures the "
                "assisted volume before social care, what it cost, and how much moved away."
            )
        )
        return
    data, filename = got
    read = read_upload(data, filename)
    if read is None:
        return
    file_digest, raw = read
    mapping = column_mapping(
        raw, filename, kind=kind, required=CONTACT_REQUIRED, optional=CONTACT_OPTIONAL, per_row=4
    )
    channels = _channels(kind, file_digest, raw, filename, mapping)
    key = (file_digest, filename, tuple(sorted(mapping.items())), tuple(sorted(channels.items())))
    try:
        loaded = cache.contacts(*key, raw)
    except TableError as exc:
        st.error(escape_markdown(say(str(exc))), icon=":material/error:")
        return
    rows_left_out(loaded.problems, loaded.rows_read)
    launch, hourly = _launch(kind, loaded, filename, filename == "contacts.csv")
    result = cache.baseline_of(*key, launch, hourly, loaded)
    currency = state.scenario().business.currency
    b = result.baseline
    cols = st.columns(4)
    cols[0].metric(
        _("Assisted contacts a month"),
        fmt.count(b.monthly_assisted_contacts),
        help=_("The mean over the months before the launch with any rows."),
    )
    missing = (
        _("Enter the hourly cost above to see it.")
        if hourly is None
        else _("Needs a handle_minutes column.")
    )
    cols[1].metric(
        _("Cost per assisted contact"),
        fmt.money(b.cost_per_assisted_contact, currency),
        help=_(
            "Mean handle minutes of assisted contacts before the launch / 60, times the hourly "
            "cost (needs both)."
        ),
    )
    cols[2].metric(
        _("Cost per social contact"),
        fmt.money(b.cost_per_social_contact, currency),
        help=_(
            "Mean handle minutes of social contacts from the launch on / 60, times the hourly "
            "cost (needs both)."
        ),
    )
    cols[3].metric(
        _("Social reach"),
        fmt.percent(result.social_reach),
        help=_(
            "Customers with a social contact from the launch on, among the customers with "
            "any contact then (needs customer_id)."
        ),
    )
    if b.cost_per_assisted_contact is None:
        cols[1].caption(missing)
    if b.cost_per_social_contact is None:
        cols[2].caption(missing)
    if result.social_reach is None:
        cols[3].caption(_("Needs a customer_id column."))
    left, right = st.columns(2)
    _interval_metric(
        left,
        _("Fewer assisted contacts after the launch"),
        result.shift,
        _(
            "1 - exp(b) for the post-launch step b of a quasi-Poisson interrupted time-series "
            "regression of monthly assisted contacts (intercept, month trend, step)."
        ),
    )
    right.metric(
        _("Month-to-month noise (dispersion)"),
        _("n/a")
        if result.dispersion is None
        else Number(result.dispersion, digits=2, grouped=False).text(),
        help=_(
            "How much more the monthly counts vary than pure chance would make them "
            "(Pearson chi² / degrees of freedom; 1 is pure chance). The interval allows for "
            "it; above 2 look for outlier months or a second change."
        ),
    )
    for warning in result.warnings:
        st.warning(say(warning), icon=":material/warning:")
    shift = result.shift
    common.chart_card(
        figures.monthly(result),
        lambda: frame_months(result),
        "contacts_monthly",
        alt=_(
            "Contacts by month and class, launch {launch}: assisted contacts fell {shift} "
            "against the fitted trend ({level} interval {low} to {high})."
        ).format(
            level=_(CONFIDENCE),
            launch=result.launch,
            shift=fmt.percent(shift.estimate),
            low=fmt.percent(shift.low),
            high=fmt.percent(shift.high),
        ),
    )
    apply_and_undo(
        apply_baseline,
        # measured again when clicked, with the cost per hour the box holds by then
        lambda: cache.baseline_of(
            *key, launch, _hourly(state.choice(f"{kind}.hourly_cost")), loaded
        ),
        clean_text(filename, 80),
        where="contacts",
        kind=N_("baseline"),
        help=_(
            "Sets the monthly assisted contacts, the costs per contact (where known), the "
            "social deflection (from the shift) and the social reach (where known); the "
            "scenario's description records the source."
        ),
        key="contacts",
    )


# --- social mentions --------------------------------------------------------------------


def frame_advocacy(result: Advocacy) -> pd.DataFrame:
    """The numbers behind the advocacy chart (shares, not %)."""
    rows = [
        (_("Answered authors who later posted a positive mention"),
         result.positive_share_replied, result.authors_replied),
        (_("Never-answered authors who later posted a positive mention"),
         result.positive_share_not_replied, result.authors - result.authors_replied),
        (_("Difference, answered minus never answered"), result.difference, None),
        (_("Reply rate (posts answered)"), result.reply_rate, result.posts),
    ]  # fmt: skip
    (estimate, low, high), out_of = bounds(), _("out of")
    frame = pd.DataFrame(
        {
            _("measure"): [r[0] for r in rows],
            estimate: [r[1].estimate for r in rows],
            low: [r[1].low for r in rows],
            high: [r[1].high for r in rows],
            out_of: [r[2] for r in rows],
        }
    )
    return formats(frame, percent=[estimate, low, high], count=[out_of])


def social_mentions() -> None:
    """The social-mentions export: advocate share and the reply comparison; apply, undo."""
    kind = "mentions"
    got = file_or_sample(
        kind,
        _("Social-mentions export (CSV or XLSX): one row per public post about the brand"),
        _(
            "Columns: created_at, author_id, brand_replied (0/1), sentiment (a number in "
            "[-1, 1], or positive / neutral / negative). Other names can be mapped below."
        ),
        _(
            "{posts} synthetic posts by {authors} authors: {answered} of the authors the "
            "brand answered later posted a positive mention, against {others} of the others."
        ).format(
            posts=fmt.count(3_026),
            authors=fmt.count(1_500),
            answered=_("{n} %").format(n=fmt.number(12)),
            others=_("{n} %").format(n=fmt.number(5)),
        ),
        MENTIONS_SAMPLE,
    )
    if got is None:
        st.info(
            _(
                "Upload a social-mentions export, or switch on the sample: it measures how many "
                "customers the brand answers later speak well of it."
            )
        )
        return
    data, filename = got
    read = read_upload(data, filename)
    if read is None:
        return
    file_digest, raw = read
    mapping = column_mapping(
        raw, filename, kind=kind, required=MENTION_REQUIRED, optional=(), per_row=4
    )
    try:
        loaded, result = cache.advocacy_of(file_digest, filename,
                                           tuple(sorted(mapping.items())), raw)  # fmt: skip
    except TableError as exc:
        st.error(escape_markdown(say(str(exc))), icon=":material/error:")
        return
    rows_left_out(loaded.problems, loaded.rows_read)
    cols = st.columns(4)
    cols[0].metric(_("Posts"), fmt.count(result.posts))
    cols[1].metric(_("Authors"), fmt.count(result.authors))
    cols[2].metric(_("Authors answered"), fmt.count(result.authors_replied))
    _interval_metric(
        cols[3], _("Reply rate"), result.reply_rate, _("Share of posts the brand replied to.")
    )
    left, right = st.columns(2)
    _interval_metric(
        left,
        _("Advocate share"),
        result.advocate_share,
        _(
            "Among authors the brand answered, the share who posted a positive mention after "
            "their first answered post (Wilson interval)."
        ),
    )
    _points_metric(
        right,
        _("Difference from authors never answered"),
        result.difference,
        _(
            "Advocate share minus the share of never-answered authors who posted a positive "
            "mention after their first post (Newcombe interval). Observational: the brand may "
            "answer different people."
        ),
    )
    for warning in result.warnings:
        st.warning(say(warning), icon=":material/warning:")
    share = result.advocate_share
    common.chart_card(
        figures.advocacy(result),
        lambda: frame_advocacy(result),
        "advocacy",
        alt=_(
            "Advocacy from {authors} authors: advocate share {share} ({level} interval {low} "
            "to {high})."
        ).format(
            level=_(CONFIDENCE),
            authors=fmt.count(result.authors),
            share=fmt.percent(share.estimate),
            low=fmt.percent(share.low),
            high=fmt.percent(share.high),
        ),
    )
    apply_and_undo(
        apply_advocacy,
        result,
        clean_text(filename, 80),
        where="mentions",
        kind=N_("advocacy"),
        help=_("Sets the advocate share; the scenario's description records the source."),
        key="mentions",
    )
