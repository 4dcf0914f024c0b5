"""Calibration from a control group (MODEL.md §4, last item): let the data set the levers.

From one row per customer — ``group`` (engaged | control), ``months_observed``
(> 0), ``churned`` (0/1), optionally ``assisted_contacts`` and
``cross_sell_purchases`` over the months observed — estimate per group:

* the monthly churn hazard, ``churned / customer-months`` (the maximum-likelihood
  rate of a constant hazard);
* the retention lift ``1 - h_engaged / h_control`` with a 95 % interval from the
  **delta method on the log hazard ratio**: ``se(log HR) = sqrt(1/d_e + 1/d_c)``
  with ``d`` the churn events (Poisson counts), the interval
  ``1 - HR * exp(±1.96 se)``;
* assisted contacts per customer-month, and the change ``1 - rate_e / rate_c``
  with the same log-ratio interval on the contact counts (Poisson: it ignores
  over-dispersion, so it is narrower than a negative-binomial one would be);
* cross-sell purchases per customer-month, and the uplift ``x_e - x_c`` with a
  normal interval, ``var = X_e / T_e**2 + X_c / T_c**2``.

An estimate that cannot be formed (no customer-months, no events) is ``None``
and a warning says why. Everything is vectorised numpy; a million rows take
milliseconds.

Warnings, notes on a file's rows and a :class:`~roi_core.customer_table.TableError`'s
text are :class:`Message` objects: English strings (as the CLI, the JSON output and
the logs read them) that also say themselves in the session's language
(:func:`say`). The app keeps the results of a file in a cache shared by every
session, so a message is translated where it is shown, never where it is made.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from roi_core import i18n
from roi_core.drivers import FloatArray
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.scenario import Scenario, with_values

__all__ = [
    "CONFIDENCE",
    "GROUPS",
    "Calibration",
    "CustomerTable",
    "GroupStats",
    "Interval",
    "Message",
    "Number",
    "apply_calibration",
    "apply_measured",
    "calibrate",
    "retention_curve",
    "say",
    "synthetic_customers",
]

GROUPS: Final = ("engaged", "control")
Z95: Final = 1.959963984540054
#: The intervals' confidence level, as a sentence names it ("95 % interval").
CONFIDENCE: Final = N_("95 %")
#: Below these a group's estimate is flagged as unstable.
MIN_CUSTOMERS: Final = 30
MIN_EVENTS: Final = 10

BoolArray = npt.NDArray[np.bool_]


class Number:
    """A number in a :class:`Message` (or any sentence): in English as the message
    always wrote it (``grouped``: ``1,500``, else ``1500``; ``signed``: ``+1.2``), in
    another language in its locale (``1.500``, ``+1,2``), with ``digits`` decimals."""

    __slots__ = ("digits", "grouped", "signed", "value")

    def __init__(
        self, value: float, *, digits: int = 0, grouped: bool = True, signed: bool = False
    ) -> None:
        self.value, self.digits, self.grouped, self.signed = value, digits, grouped, signed

    def english(self) -> str:
        sign, group = "+" if self.signed else "", "," if self.grouped else ""
        return f"{self.value:{sign}{group}.{self.digits}f}"

    def local(self) -> str:
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * self.digits if self.digits > 0 else "")
        if self.signed:
            pattern = f"+{pattern};-{pattern}"
        return format_decimal(self.value, format=pattern, locale=i18n.locale())

    def text(self) -> str:
        """The number in the current language."""
        return self.english() if i18n.current() == i18n.DEFAULT else self.local()


class Message(str):
    """A sentence for a person: its value is the English text; :meth:`text` (or
    :func:`say`) gives it in the current language.

    ``template`` is marked for the catalog where the message is made
    (``Message(N_("{name}: not a table"), name=...)``); a placeholder's part is a
    plain string (shown as it is), an ``int`` (``1500`` in English, in the locale's
    digits elsewhere), a :class:`Number`, or a :class:`Message`. ``str()`` of a
    message (and of an exception holding one) is the message itself, so it survives
    ``str(exc)`` and a cache of strings.
    """

    template: str
    parts: Mapping[str, str | int | Number | Message]

    def __new__(cls, template: str, **parts: str | int | Number | Message) -> Message:
        english = template.format(**{k: _english(v) for k, v in parts.items()})
        made = super().__new__(cls, english)
        made.template, made.parts = template, parts
        return made

    def __str__(self) -> str:
        return self

    def text(self) -> str:
        """The message in the current language (plain ``str``)."""
        if i18n.current() == i18n.DEFAULT:
            return str.__str__(self)
        return _(self.template).format(**{k: _local(v) for k, v in self.parts.items()})


def _english(part: str | int | Number | Message) -> str:
    if isinstance(part, Message):
        return str.__str__(part)
    if isinstance(part, Number):
        return part.english()
    return str(part)


def _local(part: str | int | Number | Message) -> str:
    if isinstance(part, Message):
        return part.text()
    if isinstance(part, Number):
        return part.local()
    if isinstance(part, int):
        return Number(part).local()
    return str(part)


def say(text: object) -> str:
    """``text`` as a person reads it in the current language: a :class:`Message`
    translated, anything else as it is."""
    return text.text() if isinstance(text, Message) else str(text)


#: The groups' names in a sentence ("the engaged group").
_GROUP_WORDS: Final = {"engaged": N_("engaged"), "control": N_("control")}


@dataclass(frozen=True)
class CustomerTable:
    """Validated columns, one entry per customer."""

    engaged: BoolArray
    months_observed: FloatArray
    churned: BoolArray
    assisted_contacts: FloatArray | None = None
    cross_sell_purchases: FloatArray | None = None
    revenue: FloatArray | None = None

    def __len__(self) -> int:
        return int(self.engaged.size)


@dataclass(frozen=True)
class GroupStats:
    customers: int
    customer_months: float
    churned: int
    churn_hazard: float | None
    assisted_contacts_per_month: float | None
    cross_sell_per_month: float | None


@dataclass(frozen=True)
class Interval:
    estimate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Calibration:
    """The estimates of MODEL.md §4 with their intervals (names as there)."""

    groups: dict[str, GroupStats]
    retention_lift: Interval
    assisted_contact_change: Interval
    cross_sell_uplift: Interval
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "groups": {g: asdict(s) for g, s in self.groups.items()},
            "retention_lift": asdict(self.retention_lift),
            "assisted_contact_change": asdict(self.assisted_contact_change),
            "cross_sell_uplift": asdict(self.cross_sell_uplift),
            "warnings": list(self.warnings),
        }


def _rate(count: float, exposure: float) -> float | None:
    return count / exposure if exposure > 0 else None


def _one_minus_ratio(
    count_e: float, exposure_e: float, count_c: float, exposure_c: float
) -> Interval:
    """``1 - (count_e/exposure_e) / (count_c/exposure_c)`` with a log-ratio interval."""
    rate_e, rate_c = _rate(count_e, exposure_e), _rate(count_c, exposure_c)
    if rate_e is None or rate_c is None or rate_c == 0:
        return Interval(None, None, None)
    ratio = rate_e / rate_c
    if count_e == 0 or count_c == 0:
        return Interval(1.0 - ratio, None, None)
    se = math.sqrt(1.0 / count_e + 1.0 / count_c)
    return Interval(1.0 - ratio, 1.0 - ratio * math.exp(Z95 * se),
                    1.0 - ratio * math.exp(-Z95 * se))  # fmt: skip


def _difference(count_e: float, exposure_e: float, count_c: float, exposure_c: float) -> Interval:
    rate_e, rate_c = _rate(count_e, exposure_e), _rate(count_c, exposure_c)
    if rate_e is None or rate_c is None:
        return Interval(None, None, None)
    se = math.sqrt(count_e / exposure_e**2 + count_c / exposure_c**2)
    diff = rate_e - rate_c
    return Interval(diff, diff - Z95 * se, diff + Z95 * se)


def calibrate(table: CustomerTable) -> Calibration:
    """Estimate churn, contact and cross-sell effects of engagement (module doc)."""
    warnings: list[str] = []
    groups: dict[str, GroupStats] = {}
    sums: dict[str, dict[str, float]] = {}
    for name in GROUPS:
        mask = table.engaged if name == "engaged" else ~table.engaged
        exposure = float(table.months_observed[mask].sum())
        events = int(table.churned[mask].sum())
        contacts = (
            None if table.assisted_contacts is None
            else float(table.assisted_contacts[mask].sum())
        )  # fmt: skip
        purchases = (
            None if table.cross_sell_purchases is None
            else float(table.cross_sell_purchases[mask].sum())
        )  # fmt: skip
        customers = int(mask.sum())
        sums[name] = {"T": exposure, "d": events, "C": contacts or 0.0, "X": purchases or 0.0}
        groups[name] = GroupStats(
            customers=customers,
            customer_months=exposure,
            churned=events,
            churn_hazard=_rate(events, exposure),
            assisted_contacts_per_month=None if contacts is None else _rate(contacts, exposure),
            cross_sell_per_month=None if purchases is None else _rate(purchases, exposure),
        )
        group = Message(_GROUP_WORDS[name])
        if customers < MIN_CUSTOMERS:
            warnings.append(
                Message(
                    N_(
                        "The {group} group has {customers} customers: estimates need at least "
                        "{least} to be stable."
                    ),
                    group=group,
                    customers=customers,
                    least=MIN_CUSTOMERS,
                )
            )
        if events == 0 and customers > 0:
            warnings.append(
                Message(
                    N_("No {group} customer churned: the retention lift has no interval."),
                    group=group,
                )
            )
        elif 0 < events < MIN_EVENTS:
            warnings.append(
                Message(
                    N_(
                        "Only {events} {group} customers churned: the retention lift's "
                        "interval is wide."
                    ),
                    events=events,
                    group=group,
                )
            )
    e, c = sums["engaged"], sums["control"]
    lift = _one_minus_ratio(e["d"], e["T"], c["d"], c["T"])
    if lift.estimate is None:
        warnings.append(
            Message(
                N_(
                    "The retention lift cannot be estimated: the control group has no churn "
                    "or no customer-months."
                )
            )
        )
    contact = (
        Interval(None, None, None) if table.assisted_contacts is None
        else _one_minus_ratio(e["C"], e["T"], c["C"], c["T"])
    )  # fmt: skip
    cross = (
        Interval(None, None, None) if table.cross_sell_purchases is None
        else _difference(e["X"], e["T"], c["X"], c["T"])
    )  # fmt: skip
    return Calibration(groups, lift, contact, cross, tuple(warnings))


def retention_curve(
    table: CustomerTable, group: Literal["engaged", "control"], horizon: int | None = None
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Share of a group still a customer after each month (a monthly life table):
    ``S(m) = prod_{j<=m} (1 - churned in month j / at risk at the start of month j)``."""
    mask = table.engaged if group == "engaged" else ~table.engaged
    months = table.months_observed[mask]
    churned = table.churned[mask]
    last = math.ceil(months.max()) if months.size else 0
    top = min(last, horizon) if horizon is not None else last
    month_of = np.ceil(months).astype(np.int64)  # month 1 holds (0, 1]
    ended = np.bincount(month_of, minlength=last + 2)
    events = np.bincount(month_of[churned], minlength=last + 2)
    at_risk = months.size - np.concatenate([[0], np.cumsum(ended)[:-1]])
    steps = np.where(at_risk[1 : top + 1] > 0, 1.0 - events[1 : top + 1] / np.maximum(
        at_risk[1 : top + 1], 1), 1.0)  # fmt: skip
    survival = np.concatenate([[1.0], np.cumprod(steps)])
    return np.arange(top + 1), survival


def apply_calibration(
    scenario: Scenario, calibration: Calibration, *, source: str
) -> tuple[Scenario, list[str]]:
    """The scenario with the measured levers set, and one line per field changed.

    ``retention_lift`` takes the estimate (clipped to 0..1); where measured,
    ``social_deflection`` takes the relative cut in assisted contacts (the share of
    phone contacts engaged customers no longer make; clipped so the two deflection
    shares stay <= 1) and ``cross_sell_rate`` the cross-sell uplift per
    customer-month (clipped at 0). The description records where they came from.
    """
    values: dict[str, float] = {}
    lift = calibration.retention_lift.estimate
    if lift is not None:
        values["levers.retention_lift"] = min(max(lift, 0.0), 1.0)
    change = calibration.assisted_contact_change.estimate
    if change is not None:
        room = 1.0 - scenario.levers.self_service_deflection
        values["levers.social_deflection"] = min(max(change, 0.0), room)
    uplift = calibration.cross_sell_uplift.estimate
    if uplift is not None:
        values["levers.cross_sell_rate"] = min(max(uplift, 0.0), 1.0)
    return apply_measured(
        scenario, values, what=_("Calibrated from a control group"), source=source
    )


def apply_measured(
    scenario: Scenario, values: dict[str, float], *, what: str, source: str
) -> tuple[Scenario, list[str]]:
    """The scenario with ``values`` set and a line in its description saying where they
    came from (``what``, ``source``); one line per field changed (none: unchanged).

    Raises :class:`~roi_core.errors.ScenarioError` when the result breaks a rule.
    """
    if not values:
        return scenario, []
    changed = with_values(scenario, values)
    lines = [
        _("{path} = {value} (measured from {source})").format(
            path=path, value=f"{value:.4g}", source=source
        )
        for path, value in values.items()
    ]
    note = f"{what}: " + "; ".join(lines) + "."
    description = f"{scenario.description}\n{note}".strip()
    data = changed.model_dump()
    data["description"] = description
    return Scenario.model_validate(data), lines


def synthetic_customers(
    *,
    engaged: int = 2_000,
    control: int = 8_000,
    control_hazard: float = 0.02,
    true_lift: float = 0.15,
    max_months: float = 24.0,
    contacts_per_month: float = 0.30,
    contact_change: float = 0.20,
    cross_sell_control: float = 0.002,
    cross_sell_uplift: float = 0.001,
    seed: int = 0,
) -> CustomerTable:
    """A realistic customer table with known effects (for samples and coverage tests).

    Customers join uniformly over ``max_months`` (their observation window), churn
    at a constant monthly hazard (the engaged group's cut by ``true_lift``), and
    make Poisson numbers of assisted contacts and cross-sell purchases.
    """
    rng = np.random.default_rng(seed)
    n = engaged + control
    is_engaged = np.zeros(n, dtype=bool)
    is_engaged[:engaged] = True
    hazard = np.where(is_engaged, control_hazard * (1 - true_lift), control_hazard)
    window = rng.uniform(1.0, max_months, n)
    time_to_churn = rng.exponential(1.0 / hazard)
    churned = time_to_churn < window
    months = np.where(churned, time_to_churn, window)
    months = np.maximum(months, 1.0 / 30)  # at least a day
    contact_rate = np.where(is_engaged, contacts_per_month * (1 - contact_change),
                            contacts_per_month)  # fmt: skip
    cross_rate = np.where(is_engaged, cross_sell_control + cross_sell_uplift, cross_sell_control)
    return CustomerTable(
        engaged=is_engaged,
        months_observed=months,
        churned=churned,
        assisted_contacts=rng.poisson(contact_rate * months).astype(np.float64),
        cross_sell_purchases=rng.poisson(cross_rate * months).astype(np.float64),
    )
