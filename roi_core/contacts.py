"""Contact-centre export -> the service baseline and the measured shift to social care.

Input: one row per contact, ``created_at`` (a date or timestamp) and ``channel``,
optionally ``handle_minutes`` and ``customer_id``. Each channel is put in a class,
``assisted`` (phone, email, chat…), ``social`` (X/Twitter, Facebook, Instagram,
WhatsApp…) or ``self_service`` (FAQ, help centre, IVR, bot…), by
:data:`DEFAULT_CHANNELS` and any overrides the user gives.

Given the launch month of social care (and optionally a loaded agent cost per hour),
:func:`estimate_baseline` returns:

* ``months``: contacts per class per calendar month, from the first month of the
  export to the last (months with no rows at all are listed, flagged and left out of
  every estimate: a gap in an export is missing data, not zero contacts);
* ``baseline.monthly_assisted_contacts``: the mean monthly assisted contacts over the
  months before launch;
* ``baseline.cost_per_assisted_contact``: the mean handle minutes of assisted
  contacts before launch / 60, times the hourly cost; ``cost_per_social_contact`` the
  same over social contacts from launch on (``None`` without either input);
* ``shift``: the relative change in monthly assisted contacts attributable to the
  launch, from a segmented (interrupted time-series) **quasi-Poisson** regression of
  the monthly assisted counts on an intercept, a linear month index and a
  post-launch indicator: ``1 - exp(b_post)`` with the 95 % Wald interval
  ``1 - exp(b_post ± 1.96 se)``, the standard errors scaled by the Pearson
  chi² dispersion (statsmodels' ``GLM(Poisson).fit(scale="X2")``);
* ``social_reach``: distinct customers with a social contact from launch on /
  distinct customers with any contact from launch on (``None`` without
  ``customer_id``);
* warnings: fewer than 6 months before or after launch, months with no rows,
  dispersion above 2, a first or last month only partly covered.

Everything is vectorised numpy: a million contacts are counted in milliseconds; the
regression is on a few dozen monthly counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from roi_core.calibration import Interval, Message, Number, apply_measured
from roi_core.customer_table import (
    EMPTY,
    NOT_A_DATE,
    RawTable,
    RowProblems,
    TableError,
    load,
    match_columns,
    needed_columns,
    numbers,
    shown,
)
from roi_core.drivers import FloatArray
from roi_core.exports import Z95, month_label, parse_times
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.scenario import Scenario

__all__ = [
    "CLASSES",
    "DEFAULT_CHANNELS",
    "MIN_MONTHS",
    "OPTIONAL",
    "REQUIRED",
    "Baseline",
    "BaselineFigures",
    "ChannelClass",
    "ContactExport",
    "LoadedContacts",
    "MonthCounts",
    "QuasiPoissonFit",
    "SyntheticContacts",
    "apply_baseline",
    "channel_class",
    "channel_key",
    "channels_in",
    "estimate_baseline",
    "fit_its",
    "read_contacts",
    "synthetic_contacts",
    "validate_contacts",
]

REQUIRED: Final = ("created_at", "channel")
OPTIONAL: Final = ("handle_minutes", "customer_id")
ChannelClass = Literal["assisted", "social", "self_service"]
CLASSES: Final[tuple[ChannelClass, ...]] = ("assisted", "social", "self_service")
#: Fewer months than this before or after launch: the trend and the shift are shaky.
MIN_MONTHS: Final = 6
#: Above this Pearson dispersion the monthly counts are flagged as noisy.
MAX_DISPERSION: Final = 2.0
#: A first or last month covering less than this share of its days is flagged.
MIN_COVERAGE: Final = 0.9

_A: Final = 0
_S: Final = 1
_H: Final = 2

#: Channel names (as :func:`channel_key` writes them) -> class.
DEFAULT_CHANNELS: Final[Mapping[str, ChannelClass]] = {
    **dict.fromkeys(
        (
            "phone",
            "voice",
            "call",
            "calls",
            "telephone",
            "inbound_call",
            "outbound_call",
            "callback",
            "email",
            "e_mail",
            "mail",
            "letter",
            "chat",
            "live_chat",
            "livechat",
            "web_chat",
            "webchat",
            "sms",
            "text",
            "video",
            "branch",
            "store",
            "in_person",
            "agent",
            "contact_form",
            "web_form",
            "form",
            "ticket",
        ),
        "assisted",
    ),
    **dict.fromkeys(
        (
            "social",
            "twitter",
            "x",
            "x_twitter",
            "twitter_x",
            "facebook",
            "fb",
            "messenger",
            "facebook_messenger",
            "instagram",
            "ig",
            "whatsapp",
            "wa",
            "tiktok",
            "linkedin",
            "youtube",
            "telegram",
            "line",
            "wechat",
            "threads",
            "reddit",
            "bluesky",
            "mastodon",
            "social_media",
            "community",
            "dm",
            "direct_message",
        ),
        "social",
    ),
    **dict.fromkeys(
        (
            "self_service",
            "selfservice",
            "faq",
            "help_centre",
            "help_center",
            "helpcenter",
            "knowledge_base",
            "kb",
            "ivr",
            "bot",
            "chatbot",
            "virtual_agent",
            "app",
            "portal",
            "web",
            "website",
            "self_help",
            "forum",
        ),
        "self_service",
    ),
}


@dataclass(frozen=True)
class ContactExport:
    """Validated columns, one entry per contact.

    Attributes
    ----------
    created_at : numpy.ndarray of datetime64[us]
        When the contact was made (wall-clock time as written).
    channel_class : numpy.ndarray of int8
        0 assisted, 1 social, 2 self-service (the order of :data:`CLASSES`).
    handle_minutes : numpy.ndarray of float, optional
        ``nan`` where not known.
    customer : numpy.ndarray of int64, optional
        A code per distinct customer id, ``-1`` where not known.
    """

    created_at: npt.NDArray[np.datetime64]
    channel_class: npt.NDArray[np.int8]
    handle_minutes: FloatArray | None = None
    customer: npt.NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return int(self.created_at.size)


@dataclass(frozen=True)
class LoadedContacts:
    """A contact export read from a file.

    Attributes
    ----------
    export : ContactExport
        The usable rows.
    rows_read : int
        Rows in the file (the header not counted).
    problems : tuple of str
        One line per kind of bad row (left out, or a cell ignored), with row numbers.
    channels : dict
        Each channel as written in the file (cleaned) -> (rows, its class or
        ``None`` when not mapped).
    """

    export: ContactExport
    rows_read: int
    problems: tuple[str, ...]
    channels: dict[str, tuple[int, ChannelClass | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthCounts:
    """One calendar month of the export."""

    month: str
    assisted: int
    social: int
    self_service: int
    post: bool
    has_rows: bool
    fitted: float | None  # the regression's assisted contacts
    counterfactual: float | None  # the same without the launch


@dataclass(frozen=True)
class BaselineFigures:
    monthly_assisted_contacts: float | None
    cost_per_assisted_contact: float | None
    cost_per_social_contact: float | None
    assisted_handle_minutes: float | None
    social_handle_minutes: float | None


@dataclass(frozen=True)
class QuasiPoissonFit:
    """A Poisson GLM (log link) fitted by IRLS, standard errors scaled by Pearson chi².

    ``params`` and ``bse`` are in the order of the design's columns; ``scale`` is the
    dispersion ``sum((y - mu)**2 / mu) / (n - p)``.
    """

    params: FloatArray
    bse: FloatArray
    scale: float
    fitted: FloatArray
    iterations: int


@dataclass(frozen=True)
class Baseline:
    """What a contact export says (module doc); names as in the JSON output."""

    launch: str
    months: tuple[MonthCounts, ...]
    baseline: BaselineFigures
    shift: Interval
    dispersion: float | None
    social_reach: float | None
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "launch": self.launch,
            "months": [asdict(m) for m in self.months],
            "baseline": asdict(self.baseline),
            "shift": asdict(self.shift),
            "dispersion": self.dispersion,
            "social_reach": self.social_reach,
            "warnings": list(self.warnings),
        }


# --- reading ---------------------------------------------------------------------------


def channel_key(name: object) -> str:
    """``"X (Twitter)"`` -> ``"x_twitter"``: lower case, every run of other characters
    one ``_``; how :data:`DEFAULT_CHANNELS` is keyed."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def channel_class(
    name: object, overrides: Mapping[str, str | None] | None = None
) -> ChannelClass | None:
    """The class of a channel as written in a file: the user's override (by the name as
    written or normalised), else :data:`DEFAULT_CHANNELS`; ``None`` when not known."""
    key = channel_key(name)
    for table in (overrides or {}, DEFAULT_CHANNELS):
        for candidate in (str(name).strip(), key):
            if candidate in table:
                value = table[candidate]
                return value if value in CLASSES else None
    return None


def channels_in(
    raw: RawTable, mapping: Mapping[str, str | None] | None = None
) -> list[tuple[str, int]]:
    """The distinct channels of an export as written (spaces around removed) with their
    rows, most frequent first, for a mapping editor; empty when no column holds the
    channel."""
    columns = match_columns(list(raw.frame.columns), mapping, names=(*REQUIRED, *OPTIONAL))
    if "channel" not in columns:
        return []
    counts = raw.frame[columns["channel"]].astype("string").str.strip().value_counts()
    return [(str(c), int(n)) for c, n in counts.items() if str(c)]


def validate_contacts(
    raw: RawTable,
    filename: str,
    mapping: Mapping[str, str | None] | None = None,
    channels: Mapping[str, str | None] | None = None,
) -> LoadedContacts:
    """The usable contacts of a file read with :func:`~roi_core.customer_table.load`.

    Rows whose date is not a date or whose channel is empty or has no class are left
    out and reported; a handle time that is not a number >= 0 is ignored (the
    contact still counts) and reported.

    Raises
    ------
    TableError
        A needed column is missing, or no row is usable.
    """
    import pandas as pd

    frame = raw.frame
    decimal = "." if raw.dialect is None else raw.dialect.decimal
    columns = needed_columns(raw, filename, mapping, REQUIRED, OPTIONAL)
    rows = RowProblems(len(frame))
    flag = rows.leave_out

    text = frame[columns["created_at"]]
    times = parse_times(text)
    flag(text.isna().to_numpy(dtype=bool), Message(EMPTY, column="created_at"))
    flag(np.isnat(times.values), Message(NOT_A_DATE, column="created_at"))
    if times.note:
        rows.lines.append(Message(N_("Note: {note}"), note=times.note))

    codes, uniques = pd.factorize(frame[columns["channel"]])  # a missing cell: code -1
    uniques = pd.Index([str(u).strip() for u in uniques], dtype=object)
    classes = [channel_class(u, channels) for u in uniques]
    lookup = np.array([-1 if c is None else CLASSES.index(c) for c in classes] + [-1], np.int8)
    klass = lookup[codes]  # code -1 (a missing cell) picks the sentinel at the end
    per_code = np.bincount(codes[codes >= 0], minlength=len(uniques))
    found: dict[str, tuple[int, ChannelClass | None]] = {}
    for u, c, n in zip(uniques, classes, per_code, strict=True):
        label = shown(u)
        before = found.get(label, (0, c))[0]
        found[label] = (before + int(n), c)
    blank = np.array([u == "" for u in uniques] + [True], dtype=bool)
    flag(blank[codes], Message(EMPTY, column="channel"))
    unknown = [shown(u) for u, c in zip(uniques, classes, strict=True) if c is None and str(u)]
    if unknown:
        shown_names: str = ", ".join(repr(u) for u in unknown[:10])
        if len(unknown) > 10:
            shown_names = Message(
                N_("{names} and {more} more"), names=shown_names, more=len(unknown) - 10
            )
        flag(
            klass < 0,
            Message(
                N_("{column} not mapped to a class ({names})"), column="channel", names=shown_names
            ),
        )

    minutes = None
    if "handle_minutes" in columns:
        cells = frame[columns["handle_minutes"]]
        minutes = numbers(cells, decimal)
        rows.keep(
            cells.notna().to_numpy(dtype=bool) & ~(minutes >= 0),
            Message(N_("{column} is not a number >= 0 (time ignored)"), column="handle_minutes"),
        )
        minutes = np.where(minutes >= 0, minutes, np.nan)
    customer = None
    if "customer_id" in columns:
        raw_codes, ids = pd.factorize(frame[columns["customer_id"]])
        # the same id written with spaces around is the same customer; a blank one is none
        canonical, _unused = pd.factorize(pd.Index([str(i).strip() for i in ids], dtype=object))
        kept = np.array([str(i).strip() != "" for i in ids], dtype=bool)
        lookup_id = np.append(np.where(kept, canonical, -1), -1).astype(np.int64)
        customer = lookup_id[raw_codes]
    keep = rows.usable(filename)
    export = ContactExport(
        created_at=times.values[keep],
        channel_class=klass[keep],
        handle_minutes=None if minutes is None else minutes[keep],
        customer=None if customer is None else customer[keep],
    )
    return LoadedContacts(export, len(frame), tuple(rows.lines), found)


def read_contacts(
    data: bytes,
    filename: str,
    mapping: Mapping[str, str | None] | None = None,
    channels: Mapping[str, str | None] | None = None,
) -> LoadedContacts:
    """:func:`validate_contacts` on a CSV or XLSX file's bytes."""
    return validate_contacts(load(data, filename), filename, mapping, channels)


# --- the regression --------------------------------------------------------------------


def fit_its(
    counts: FloatArray, design: FloatArray, *, tol: float = 1e-12, max_iter: int = 100
) -> QuasiPoissonFit | None:
    """A quasi-Poisson GLM of ``counts`` on ``design`` (``None`` if it does not converge
    to finite values, or the design is rank-deficient or has no residual freedom).

    Iteratively reweighted least squares on the log link, started like statsmodels
    (``mu = (y + mean(y)) / 2``), until the deviance changes by less than ``tol``
    relatively.
    """
    y = np.asarray(counts, dtype=np.float64)
    x = np.asarray(design, dtype=np.float64)
    n, p = x.shape
    if n <= p or np.linalg.matrix_rank(x) < p or not (y > 0).any():
        return None
    mu = (y + y.mean()) / 2.0
    eta = np.log(mu)
    deviance = math.inf
    beta = np.zeros(p)
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - reported in the fit
        z = eta + (y - mu) / mu
        xw = x * mu[:, None]
        try:
            beta = np.linalg.solve(x.T @ xw, xw.T @ z)
        except np.linalg.LinAlgError:
            return None
        eta = x @ beta
        if not np.isfinite(eta).all() or eta.max() > 700:
            return None
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            unit = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
        new = 2.0 * float(unit.sum())
        if abs(new - deviance) <= tol * (abs(new) + tol):
            break
        deviance = new
    else:
        return None
    scale = float(((y - mu) ** 2 / mu).sum() / (n - p))
    try:
        cov = np.linalg.inv(x.T @ (x * mu[:, None])) * scale
    except np.linalg.LinAlgError:
        return None
    bse = np.sqrt(np.diag(cov))
    if not (np.isfinite(beta).all() and np.isfinite(bse).all()):
        return None
    return QuasiPoissonFit(beta, bse, scale, mu, iteration)


# --- the estimate ----------------------------------------------------------------------


def _mean(values: FloatArray) -> float | None:
    known = values[~np.isnan(values)]
    return float(known.mean()) if known.size else None


def estimate_baseline(
    export: ContactExport, launch: np.datetime64 | str, hourly_cost: float | None = None
) -> Baseline:
    """The baseline, the measured shift and the social reach (module doc)."""
    from roi_core.exports import parse_launch

    launch_month = parse_launch(launch) if isinstance(launch, str) else launch
    launch_month = launch_month.astype("datetime64[M]")
    warnings: list[str] = []
    if hourly_cost is not None and not (math.isfinite(hourly_cost) and hourly_cost >= 0):
        raise TableError(f"hourly_cost: must be a number >= 0, not {hourly_cost!r}")
    month = export.created_at.astype("datetime64[M]")
    first, last = month.min(), month.max()
    span = int((last - first).astype(np.int64)) + 1
    index = (month - first).astype(np.int64)
    counts = np.zeros((3, span), dtype=np.int64)
    for k in range(3):
        counts[k] = np.bincount(index[export.channel_class == k], minlength=span)
    total = counts.sum(axis=0)
    has_rows = total > 0
    labels = [month_label(first + np.timedelta64(i, "M")) for i in range(span)]
    post = (first + np.arange(span).astype("timedelta64[M]")) >= launch_month
    empty = [labels[i] for i in np.flatnonzero(~has_rows)]
    if empty:
        listed: str = ", ".join(empty[:12])
        if len(empty) > 12:
            listed = Message(N_("{names} and {more} more"), names=listed, more=len(empty) - 12)
        warnings.append(
            Message(
                N_(
                    "{count} months have no rows at all ({months}): treated as missing, not as "
                    "zero contacts."
                ),
                count=len(empty),
                months=listed,
            )
        )
    _coverage_warnings(export.created_at, warnings)
    before = has_rows & ~post
    after = has_rows & post
    if before.sum() < MIN_MONTHS:
        warnings.append(
            Message(
                N_(
                    "Only {count} months with contacts before the launch ({launch}): at least "
                    "{least} are needed for a trend to be trusted."
                ),
                count=int(before.sum()),
                launch=month_label(launch_month),
                least=MIN_MONTHS,
            )
        )
    if after.sum() < MIN_MONTHS:
        warnings.append(
            Message(
                N_(
                    "Only {count} months with contacts from the launch on: at least {least} "
                    "are needed to see the shift."
                ),
                count=int(after.sum()),
                least=MIN_MONTHS,
            )
        )

    assisted = counts[_A].astype(np.float64)
    monthly = float(assisted[before].mean()) if before.any() else None
    minutes = export.handle_minutes
    row_post = month >= launch_month
    a_minutes = s_minutes = None
    if minutes is not None:
        a_minutes = _mean(minutes[(export.channel_class == _A) & ~row_post])
        s_minutes = _mean(minutes[(export.channel_class == _S) & row_post])
    cost_a = cost_s = None
    if hourly_cost is not None:
        cost_a = None if a_minutes is None else a_minutes / 60.0 * hourly_cost
        cost_s = None if s_minutes is None else s_minutes / 60.0 * hourly_cost
    figures = BaselineFigures(monthly, cost_a, cost_s, a_minutes, s_minutes)

    shift = Interval(None, None, None)
    dispersion = None
    fitted = counterfactual = np.full(span, np.nan)
    if before.any() and after.any():
        t = np.arange(span, dtype=np.float64)
        design = np.column_stack([np.ones(span), t, post.astype(np.float64)])
        fit = fit_its(assisted[has_rows], design[has_rows])
        if fit is None:
            warnings.append(
                Message(
                    N_(
                        "The shift cannot be estimated: the regression of monthly assisted "
                        "contacts did not converge (too few months, or no assisted contacts on "
                        "one side)."
                    )
                )
            )
        else:
            b, se = float(fit.params[2]), float(fit.bse[2])
            shift = Interval(1.0 - math.exp(b), 1.0 - math.exp(b + Z95 * se),
                             1.0 - math.exp(b - Z95 * se))  # fmt: skip
            dispersion = fit.scale
            fitted = np.exp(design @ fit.params)
            counterfactual = np.exp(design[:, :2] @ fit.params[:2])
            if fit.scale > MAX_DISPERSION:
                warnings.append(
                    Message(
                        N_(
                            "The monthly assisted counts vary {times} times more than a Poisson "
                            "count would: the interval allows for it, but look for outlier "
                            "months, seasonality or a second change in the period."
                        ),
                        times=Number(fit.scale, digits=1, grouped=False),
                    )
                )
    else:
        side = (
            N_(
                "The launch month {launch} leaves no months with contacts before it (the export "
                "runs {first} to {last}): the shift cannot be estimated."
            )
            if not before.any()
            else N_(
                "The launch month {launch} leaves no months with contacts from it on (the "
                "export runs {first} to {last}): the shift cannot be estimated."
            )
        )
        warnings.append(
            Message(side, launch=month_label(launch_month), first=labels[0], last=labels[-1])
        )

    reach = None
    if export.customer is not None:
        known = (export.customer >= 0) & row_post
        anyone = np.unique(export.customer[known])
        social = np.unique(export.customer[known & (export.channel_class == _S)])
        reach = social.size / anyone.size if anyone.size else None

    months = tuple(
        MonthCounts(
            month=labels[i],
            assisted=int(counts[_A, i]),
            social=int(counts[_S, i]),
            self_service=int(counts[_H, i]),
            post=bool(post[i]),
            has_rows=bool(has_rows[i]),
            fitted=None if np.isnan(fitted[i]) or not has_rows[i] else float(fitted[i]),
            counterfactual=None if np.isnan(counterfactual[i]) else float(counterfactual[i]),
        )
        for i in range(span)
    )
    return Baseline(month_label(launch_month), months, figures, shift, dispersion, reach,
                    tuple(warnings))  # fmt: skip


def _coverage_warnings(times: npt.NDArray[np.datetime64], warnings: list[str]) -> None:
    """Flag a first or last month the export covers only in part (it biases the count)."""
    days = times.astype("datetime64[D]")
    first_day, last_day = days.min(), days.max()
    start = first_day.astype("datetime64[M]")
    end = last_day.astype("datetime64[M]")
    in_first = (start + np.timedelta64(1, "M")).astype("datetime64[D]") - start.astype(
        "datetime64[D]"
    )
    covered_first = (start + np.timedelta64(1, "M")).astype("datetime64[D]") - first_day
    in_last = (end + np.timedelta64(1, "M")).astype("datetime64[D]") - end.astype("datetime64[D]")
    covered_last = last_day - end.astype("datetime64[D]") + np.timedelta64(1, "D")
    partial: list[Message] = []
    if covered_first / in_first < MIN_COVERAGE:
        partial.append(
            Message(
                N_("the first month ({month}) starts on {day}"),
                month=month_label(start),
                day=str(first_day),
            )
        )
    if end != start and covered_last / in_last < MIN_COVERAGE:
        partial.append(
            Message(
                N_("the last month ({month}) ends on {day}"),
                month=month_label(end),
                day=str(last_day),
            )
        )
    if partial:
        parts = (
            partial[0]
            if len(partial) == 1
            else Message(N_("{first} and {then}"), first=partial[0], then=partial[1])
        )
        warnings.append(
            Message(
                N_(
                    "The export covers part of a month: {parts}; its count is lower than a "
                    "whole month's. Cut the export to whole months."
                ),
                parts=parts,
            )
        )


def apply_baseline(
    scenario: Scenario, baseline: Baseline, *, source: str
) -> tuple[Scenario, list[str]]:
    """The scenario with what the export measured set, and one line per field changed.

    ``service.monthly_assisted_contacts`` takes the pre-launch mean; the two costs per
    contact where known; ``levers.social_deflection`` the shift (clipped to 0 and so
    that the two deflection shares stay <= 1); ``levers.social_reach`` the reach
    (clipped to 0..1).
    """
    values: dict[str, float] = {}
    figures = baseline.baseline
    if figures.monthly_assisted_contacts is not None:
        values["service.monthly_assisted_contacts"] = round(figures.monthly_assisted_contacts, 1)
    if figures.cost_per_assisted_contact is not None:
        values["service.cost_per_assisted_contact"] = round(figures.cost_per_assisted_contact, 4)
    if figures.cost_per_social_contact is not None:
        values["service.cost_per_social_contact"] = round(figures.cost_per_social_contact, 4)
    if baseline.shift.estimate is not None:
        room = 1.0 - scenario.levers.self_service_deflection
        values["levers.social_deflection"] = min(max(baseline.shift.estimate, 0.0), room)
    if baseline.social_reach is not None:
        values["levers.social_reach"] = min(max(baseline.social_reach, 0.0), 1.0)
    return apply_measured(
        scenario, values, what=_("Measured from a contact-centre export"), source=source
    )


# --- synthetic exports -----------------------------------------------------------------

_NAMES: Final[dict[int, tuple[tuple[str, ...], tuple[float, ...]]]] = {
    _A: (("Phone", "Email", "Live chat"), (0.6, 0.25, 0.15)),
    _S: (("X (Twitter)", "Facebook", "Instagram", "WhatsApp"), (0.25, 0.2, 0.15, 0.4)),
    _H: (("FAQ", "Help centre", "IVR"), (0.5, 0.3, 0.2)),
}


@dataclass(frozen=True)
class SyntheticContacts:
    """A simulated export with known effects: the columns as a file would have them and
    the same contacts validated."""

    created_at: npt.NDArray[np.datetime64]
    channel: npt.NDArray[np.str_]
    handle_minutes: FloatArray
    customer_id: npt.NDArray[np.int64]
    export: ContactExport
    launch: str
    true_shift: float


def synthetic_contacts(
    *,
    start: str = "2024-01",
    months_before: int = 12,
    months_after: int = 12,
    assisted_per_month: float = 2_000.0,
    trend: float = 0.004,
    true_shift: float = 0.15,
    social_share_of_shift: float = 0.8,
    social_before: float = 0.02,
    self_service_per_month: float = 600.0,
    noise: float = 0.02,
    customers: int = 20_000,
    social_users: float = 0.3,
    assisted_minutes: float = 7.0,
    social_minutes: float = 4.5,
    seed: int = 0,
) -> SyntheticContacts:
    """A contact export with a known shift (for samples and coverage tests).

    Monthly assisted contacts follow ``assisted_per_month * exp(trend * t)``, times
    ``1 - true_shift`` from the launch on, times a gamma noise of coefficient of
    variation ``noise`` (so the counts are over-dispersed, as real ones are). Social
    contacts are ``social_before`` of the assisted volume before launch and then
    take ``social_share_of_shift`` of the contacts that left the phone; self-service is
    flat. Each contact gets a time within its month, a channel name, a handle time
    (gamma, means ``assisted_minutes`` and ``social_minutes``) and a customer; social
    contacts come from the first ``social_users`` share of the customers.
    """
    rng = np.random.default_rng(seed)
    span = months_before + months_after
    t = np.arange(span, dtype=np.float64)
    post = t >= months_before
    level = assisted_per_month * np.exp(trend * t)
    shape = 1.0 / noise**2 if noise > 0 else math.inf

    def noisy(mean: FloatArray) -> npt.NDArray[np.int64]:
        factor = rng.gamma(shape, 1.0 / shape, mean.size) if noise > 0 else 1.0
        return rng.poisson(mean * factor)

    n = np.zeros((3, span), dtype=np.int64)
    n[_A] = noisy(level * np.where(post, 1.0 - true_shift, 1.0))
    n[_S] = noisy(level * np.where(post, true_shift * social_share_of_shift, social_before))
    n[_H] = noisy(np.full(span, self_service_per_month))
    first = np.datetime64(start, "M")
    month_starts = (first + np.arange(span + 1).astype("timedelta64[M]")).astype("datetime64[s]")
    seconds = (month_starts[1:] - month_starts[:-1]).astype(np.int64)
    klass = np.concatenate([np.repeat(np.int8(k), n[k].sum()) for k in range(3)])
    month_of = np.concatenate([np.repeat(np.arange(span), n[k]) for k in range(3)])
    offset = (rng.random(klass.size) * seconds[month_of]).astype(np.int64)
    created = month_starts[month_of] + offset.astype("timedelta64[s]")
    order = np.argsort(created, kind="stable")
    klass, created = klass[order], created[order].astype("datetime64[us]")
    channel = np.empty(klass.size, dtype=object)
    for k, (names, weights) in _NAMES.items():
        mask = klass == k
        channel[mask] = rng.choice(np.array(names, dtype=object), mask.sum(), p=weights)
    mean_minutes = np.select([klass == _A, klass == _S], [assisted_minutes, social_minutes], 2.0)
    minutes = np.round(rng.gamma(2.0, mean_minutes / 2.0), 1)
    social_pool = max(1, int(customers * social_users))
    customer = np.where(
        klass == _S,
        rng.integers(0, social_pool, klass.size),
        rng.integers(0, customers, klass.size),
    ).astype(np.int64)
    export = ContactExport(created, klass, minutes, customer)
    return SyntheticContacts(
        created_at=created,
        channel=channel.astype(str),
        handle_minutes=minutes,
        customer_id=customer,
        export=export,
        launch=month_label(first + np.timedelta64(months_before, "M")),
        true_shift=true_shift,
    )
