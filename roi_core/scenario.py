"""The scenario: every input of the model (MODEL.md §1), as frozen pydantic models.

Constraints are declared once, on the fields; the dashboard builds its sliders,
bounds and help text from the same metadata through :data:`NUMERIC_FIELDS`, so
the UI and the validation cannot drift apart.

Rates are fractions (0.10 means 10 %), money is in the scenario's currency and
``monthly_*`` means per month.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import annotated_types
from pydantic import BaseModel, BeforeValidator, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError
from pydantic_extra_types.currency_code import ISO4217

from roi_core.errors import ScenarioError, plain_number, printable, problems_from
from roi_core.i18n import N_, gettext
from roi_core.i18n import gettext as _

__all__ = [
    "MAX_AT_RISK_PER_MONTH",
    "MAX_CONTACTS_PER_MONTH",
    "MAX_CUSTOMERS",
    "MAX_DESCRIPTION_CHARS",
    "MAX_END_MONTH",
    "MAX_MONEY",
    "MAX_NAME_CHARS",
    "MAX_REFERRALS_PER_ADVOCATE_YEAR",
    "NUMERIC_FIELDS",
    "RANGEABLE_GROUPS",
    "SUM_TOLERANCE",
    "Business",
    "Costs",
    "FieldSpec",
    "Finance",
    "Levers",
    "OtherItem",
    "Range",
    "Scenario",
    "Service",
    "Uncertainty",
    "get_value",
    "scenario_from_dict",
    "scenario_from_file",
    "scenario_from_json",
    "scenario_to_json",
    "with_values",
]

#: Slack allowed on ``social_deflection + self_service_deflection <= 1`` so that
#: two decimals which add up to exactly 1 on paper (0.35 + 0.65) are not
#: rejected for a binary rounding error of 1e-16.
SUM_TOLERANCE = 1e-9

# Upper bounds MODEL.md leaves open. Each is declared once, on its fields (``le=``), so
# NUMERIC_FIELDS reports it and the UI's limits follow; docs/model-notes.md ("Upper
# bounds and text rules") gives the reasons. Every bound is far beyond any real company
# and small enough that every figure of the model stays a finite float a screen can show.

#: Any money amount, per contact, per purchase, per customer-month or in total: 10^12.
MAX_MONEY = 1_000_000_000_000
#: Customers: more than there are people on Earth.
MAX_CUSTOMERS = 10_000_000_000
#: Assisted contacts per month: more than one for every person on Earth.
MAX_CONTACTS_PER_MONTH = 10_000_000_000
#: Customers signalling cancellation per month.
MAX_AT_RISK_PER_MONTH = 1_000_000_000
#: Recommendations one advocate makes per year (about 27 a day).
MAX_REFERRALS_PER_ADVOCATE_YEAR = 10_000
#: Last month of a line item: ten times the longest horizon (null already means "to the end").
MAX_END_MONTH = 1_200
#: Characters in a scenario's or a line item's name.
MAX_NAME_CHARS = 80
#: Characters in a scenario's description.
MAX_DESCRIPTION_CHARS = 2_000


def _only_numbers(value: Any) -> Any:
    """Refuse text and booleans where a number belongs (pydantic's lax mode would
    read ``"5"`` as 5 and ``true`` as 1); a JSON number is the only number."""
    if isinstance(value, str | bool | bytes):
        raise PydanticCustomError(
            "number_type",
            _("Input should be a number, not {kind}"),
            {"kind": type(value).__name__},
        )
    return value


def _only_float_numbers(value: Any) -> Any:
    """As :func:`_only_numbers`; a whole number beyond every float (``10**400``) is an
    infinity, refused as such, as the JSON literal ``1e400`` is; ``-0.0`` is 0 (never
    shown as "-0")."""
    value = _only_numbers(value)
    if isinstance(value, int) and not -sys.float_info.max <= value <= sys.float_info.max:
        return math.inf if value > 0 else -math.inf
    if isinstance(value, float) and value == 0.0:
        return 0.0
    return value


def _only_integers(value: Any) -> Any:
    """As :func:`_only_numbers`; a whole float (``1e25``, ``200000.0``) is read as the
    integer it is, so that its size is judged against the field's bounds."""
    value = _only_numbers(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Number = Annotated[float, BeforeValidator(_only_float_numbers)]
Integer = Annotated[int, BeforeValidator(_only_integers)]

#: What XML 1.0 (and so the xlsx and pptx exports) cannot hold: C0 control
#: characters other than tab, line feed and carriage return, and U+FFFE / U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain_text(value: Any) -> Any:
    """Refuse a string that cannot be written out as UTF-8 or XML: an unpaired
    surrogate (JSON ``"\\ud800"``), a control character other than tab and line
    breaks, U+FFFE or U+FFFF. Anything that is not a string is left to pydantic."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "text_surrogate", _("must be valid text (contains an unpaired surrogate)")
        ) from None
    if (found := _NOT_TEXT.search(value)) is not None:
        char = ord(found.group())
        message = (
            _("must be plain text (contains a non-character, U+{code})")
            if char > 0xFFFD
            else _("must be plain text (contains a control character, U+{code})")
        )
        raise PydanticCustomError("text_control", message, {"code": f"{char:04X}"})
    return value


Text = Annotated[str, BeforeValidator(_plain_text)]


def _field(
    default: float,
    title: str,
    description: str,
    unit: str,
    *,
    ge: float = 0.0,
    le: float | None = None,
    lt: float | None = None,
    integer: bool = False,
    typical_max: float | None = None,
) -> Any:
    """A numeric field with its bounds, label and unit in one place.

    ``typical_max`` is not a rule: it is where a slider for the field ends by
    default (a value beyond it stretches the slider), so that a 0.1 % lever is
    not lost on a 0..100 % scale.
    """
    hints: dict[str, Any] = {"unit": unit}
    if typical_max is not None:
        hints["typical_max"] = typical_max
    extra: dict[str, Any] = {"json_schema_extra": hints}
    if not integer:
        extra["allow_inf_nan"] = False
    return Field(default, ge=ge, le=le, lt=lt, title=title, description=description, **extra)


def _fraction(
    default: float,
    title: str,
    description: str,
    *,
    below_one: bool = False,
    typical_max: float | None = None,
) -> Any:
    if below_one:
        return _field(default, title, description, "fraction", lt=1.0, typical_max=typical_max)
    return _field(default, title, description, "fraction", le=1.0, typical_max=typical_max)


def _cross_field(problems: list[tuple[tuple[str | int, ...], str]]) -> PydanticCustomError:
    """One pydantic error carrying several ``(relative path, message)`` problems;
    :func:`roi_core.errors.problems_from` turns each into its own line."""
    text = printable("; ".join(f"{'.'.join(map(str, rel))}: {msg}" for rel, msg in problems))
    return PydanticCustomError("cross_field", text, {"problems": problems})


class _Closed(BaseModel, frozen=True, extra="forbid"):
    """Frozen, closed: unknown fields are errors, instances never change."""


class Business(_Closed, frozen=True, extra="forbid"):
    """The company today, before the program."""

    customers: Integer = _field(
        200_000,
        N_("Customers"),
        N_("Active customers today (count)."),
        "customers",
        le=MAX_CUSTOMERS,
        integer=True,
    )
    monthly_revenue_per_customer: Number = _field(
        50.0,
        N_("Revenue per customer"),
        N_("Average revenue per customer per month (ARPU)."),
        "money/month",
        le=MAX_MONEY,
    )
    gross_margin: Number = _fraction(
        0.60,
        N_("Gross margin"),
        N_("Share of revenue kept after direct costs; applied to revenue drivers."),
    )
    monthly_churn_rate: Number = _fraction(
        0.015,
        N_("Monthly churn"),
        N_("Share of customers lost each month (0 to below 100 %)."),
        below_one=True,
    )
    currency: ISO4217 = Field(
        ISO4217("USD"),
        title="Currency",
        description="ISO 4217 code of every money figure, e.g. USD, EUR.",
    )


class Service(_Closed, frozen=True, extra="forbid"):
    """The contact centre today."""

    monthly_assisted_contacts: Number = _field(
        60_000,
        N_("Assisted contacts"),
        N_("Phone / agent contacts per month today."),
        "contacts/month",
        le=MAX_CONTACTS_PER_MONTH,
    )
    cost_per_assisted_contact: Number = _field(
        6.00,
        N_("Cost per assisted contact"),
        N_("Fully loaded cost of one phone / agent contact."),
        "money/contact",
        le=MAX_MONEY,
    )
    cost_per_social_contact: Number = _field(
        2.50,
        N_("Cost per social contact"),
        N_("Fully loaded cost of one social contact, incl. agent time."),
        "money/contact",
        le=MAX_MONEY,
    )
    cost_per_self_service_contact: Number = _field(
        0.50,
        N_("Cost per self-service contact"),
        N_("Cost of one contact solved by self-help."),
        "money/contact",
        le=MAX_MONEY,
    )


class Levers(_Closed, frozen=True, extra="forbid"):
    """What the program changes. Each lever ramps up over ``finance.ramp_months``."""

    root_cause_reduction: Number = _fraction(
        0.01,
        N_("Root-cause reduction"),
        N_("Share of contacts that stop happening (process fixes found on social)."),
        typical_max=0.2,
    )
    social_deflection: Number = _fraction(
        0.08,
        N_("Social deflection"),
        N_("Share of remaining contacts served on social instead."),
        typical_max=0.5,
    )
    self_service_deflection: Number = _fraction(
        0.05,
        N_("Self-service deflection"),
        N_("Share of remaining contacts solved by self-help."),
        typical_max=0.5,
    )
    social_reach: Number = _fraction(
        0.10,
        N_("Social reach"),
        N_("Share of customers engaged with social care / community."),
        typical_max=0.5,
    )
    retention_lift: Number = _fraction(
        0.10,
        N_("Retention lift"),
        N_("Relative cut in the churn of engaged customers."),
        typical_max=0.5,
    )
    at_risk_per_month: Number = _field(
        150,
        N_("At-risk customers"),
        N_("Customers signalling cancellation on social each month."),
        "customers/month",
        le=MAX_AT_RISK_PER_MONTH,
        typical_max=2_000,
    )
    save_rate: Number = _fraction(
        0.20, N_("Save rate"), N_("Share of at-risk customers kept."), typical_max=0.8
    )
    cross_sell_rate: Number = _fraction(
        0.001,
        N_("Cross-sell rate"),
        N_("Share of engaged customers buying an add-on each month."),
        typical_max=0.02,
    )
    cross_sell_revenue: Number = _field(
        40.0,
        N_("Cross-sell revenue"),
        N_("Revenue per add-on purchase."),
        "money/purchase",
        le=MAX_MONEY,
        typical_max=500,
    )
    advocate_share: Number = _fraction(
        0.05,
        N_("Advocate share"),
        N_("Share of engaged customers who actively recommend."),
        typical_max=0.3,
    )
    referrals_per_advocate_year: Number = _field(
        2.0,
        N_("Referrals per advocate"),
        N_("Recommendations one advocate makes per year."),
        "referrals/year",
        le=MAX_REFERRALS_PER_ADVOCATE_YEAR,
        typical_max=10,
    )
    referral_conversion: Number = _fraction(
        0.10,
        N_("Referral conversion"),
        N_("Share of referrals that become customers."),
        typical_max=0.5,
    )
    price_premium: Number = _fraction(
        0.0,
        N_("Price premium"),
        N_("Extra revenue share that engaged customers pay."),
        typical_max=0.1,
    )

    @model_validator(mode="after")
    def _deflection_at_most_everything(self) -> Self:
        total = self.social_deflection + self.self_service_deflection
        if total > 1.0 + SUM_TOLERANCE:
            raise _cross_field(
                [
                    (
                        ("social_deflection",),
                        _(
                            "social_deflection + self_service_deflection must be <= 1 "
                            "({social} + {self_service} = {total})"
                        ).format(
                            social=plain_number(self.social_deflection),
                            self_service=plain_number(self.self_service_deflection),
                            total=plain_number(total),
                        ),
                    )
                ]
            )
        return self


class Costs(_Closed, frozen=True, extra="forbid"):
    """What the program costs, before the cost risk mark-up."""

    setup: Number = _field(
        80_000,
        N_("Setup"),
        N_("One-time cost, booked in month 0."),
        "money",
        le=MAX_MONEY,
        typical_max=1_000_000,
    )
    platform_monthly: Number = _field(
        6_000,
        N_("Platform"),
        N_("Software and tools per month."),
        "money/month",
        le=MAX_MONEY,
        typical_max=100_000,
    )
    staff_monthly: Number = _field(
        18_000,
        N_("Staff"),
        N_("Team per month not already in the cost per social contact."),
        "money/month",
        le=MAX_MONEY,
        typical_max=200_000,
    )
    other_monthly: Number = _field(
        2_000,
        N_("Other running costs"),
        N_("Other costs per month."),
        "money/month",
        le=MAX_MONEY,
        typical_max=50_000,
    )


class Finance(_Closed, frozen=True, extra="forbid"):
    """How the cash flows are judged."""

    horizon_months: Integer = _field(
        36,
        N_("Horizon"),
        N_("Months the case covers (1 to 120)."),
        "months",
        ge=1,
        le=120,
        integer=True,
    )
    ramp_months: Integer = _field(
        6,
        N_("Ramp-up"),
        N_("Months until every lever has its full effect (0 = at once)."),
        "months",
        le=36,
        integer=True,
    )
    discount_rate: Number = _field(
        0.10,
        N_("Discount rate"),
        N_("Annual rate used to discount monthly cash flows."),
        "fraction/year",
        lt=1.0,
        typical_max=0.3,
    )
    benefit_risk: Number = _field(
        0.10,
        N_("Benefit risk"),
        N_("Haircut applied to every benefit."),
        "fraction",
        lt=1.0,
        typical_max=0.5,
    )
    cost_risk: Number = _field(
        0.05,
        N_("Cost risk"),
        N_("Mark-up applied to every cost."),
        "fraction",
        le=1.0,
        typical_max=0.5,
    )


class OtherItem(_Closed, frozen=True, extra="forbid"):
    """A line item outside the drivers: a one-off project, a licence, a focus group replaced."""

    name: Text = Field(
        min_length=1, max_length=MAX_NAME_CHARS, description="What the item is (1-80 characters)."
    )
    kind: Literal["benefit", "cost"] = Field(description="benefit or cost.")
    amount: Number = Field(
        ge=0.0, le=MAX_MONEY, allow_inf_nan=False, description="Money per occurrence."
    )
    every: Literal["once", "month", "year"] = Field(
        "once", description="once at start_month, every month, or every twelfth month."
    )
    start_month: Integer = Field(
        1, ge=0, le=120, description="First month it occurs (0 = up front)."
    )
    end_month: Integer | None = Field(
        None, ge=0, le=MAX_END_MONTH, description="Last month it may occur; null = the horizon."
    )

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Self:
        if self.end_month is not None and self.end_month < self.start_month:
            raise _cross_field(
                [
                    (
                        ("end_month",),
                        _("must be >= start_month ({end} < {start})").format(
                            end=plain_number(self.end_month), start=plain_number(self.start_month)
                        ),
                    )
                ]
            )
        return self

    def months(self, horizon: int) -> list[int]:
        """The months ``0..horizon`` in which this item occurs."""
        last = min(horizon, self.end_month if self.end_month is not None else horizon)
        if self.every == "once":
            return [self.start_month] if self.start_month <= horizon else []
        step = 1 if self.every == "month" else 12
        return list(range(self.start_month, last + 1, step))


class Range(_Closed, frozen=True, extra="forbid"):
    """An uncertainty range; the field's own value is the most likely value."""

    low: Number = Field(allow_inf_nan=False, description="Lowest plausible value.")
    high: Number = Field(allow_inf_nan=False, description="Highest plausible value.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            low, high = plain_number(self.low), plain_number(self.high)
            raise _cross_field(
                [(("low",), _("must be <= high ({low} > {high})").format(low=low, high=high))]
            )
        return self


def _number(x: float) -> str:
    """A bound as people write it: ``0``, ``1``, ``1000000000000``, ``0.5``."""
    return str(int(x)) if x.is_integer() else plain_number(x)


def _outside(spec: FieldSpec, rng: Range) -> list[tuple[str, str]]:
    """``(end, rule)`` for each end of ``rng`` beyond the field's valid range."""
    out: list[tuple[str, str]] = []
    if rng.low < spec.low:
        rule = _("must be >= {minimum} (the field's minimum)")
        out.append(("low", rule.format(minimum=_number(spec.low))))
    if spec.high is not None and spec.high_inclusive and rng.high > spec.high:
        rule = _("must be <= {maximum} (the field's maximum)")
        out.append(("high", rule.format(maximum=_number(spec.high))))
    elif spec.high is not None and not spec.high_inclusive and rng.high >= spec.high:
        rule = _("must be < {limit} (the field's limit)")
        out.append(("high", rule.format(limit=_number(spec.high))))
    return out


#: Groups whose numeric fields may carry an uncertainty range.
RANGEABLE_GROUPS: tuple[str, ...] = ("business", "service", "levers", "costs")

_GROUP_MODELS: dict[str, type[_Closed]] = {
    "business": Business,
    "service": Service,
    "levers": Levers,
    "costs": Costs,
    "finance": Finance,
}


class Uncertainty(_Closed, frozen=True, extra="forbid"):
    """Ranges per group: ``{"levers": {"retention_lift": {"low": .., "high": ..}}}``."""

    business: dict[str, Range] = Field(default_factory=dict)
    service: dict[str, Range] = Field(default_factory=dict)
    levers: dict[str, Range] = Field(default_factory=dict)
    costs: dict[str, Range] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _numeric_fields_within_their_bounds(self) -> Self:
        """A range names a numeric field and stays inside that field's own bounds."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for group in RANGEABLE_GROUPS:
            ranges: dict[str, Range] = getattr(self, group)
            for name, rng in ranges.items():
                spec = NUMERIC_FIELDS.get(f"{group}.{name}")
                if spec is None:
                    rule = _("not a numeric field of {group}").format(group=group)
                    problems.append(((group, name), rule))
                    continue
                problems += [((group, name, end), rule) for end, rule in _outside(spec, rng)]
        if problems:
            raise _cross_field(problems)
        return self

    def items(self) -> list[tuple[str, Range]]:
        """``(path, range)`` pairs in a fixed order (group order, then field order)."""
        return [(path, self.get(path)) for path in NUMERIC_FIELDS if self.get(path) is not None]  # type: ignore[misc]

    def get(self, path: str) -> Range | None:
        group, _sep, name = path.partition(".")
        ranges: dict[str, Range] = getattr(self, group, {}) if group in RANGEABLE_GROUPS else {}
        return ranges.get(name)


class Scenario(_Closed, frozen=True, extra="forbid"):
    """One what-if case: all inputs of the model. Every part is optional."""

    name: Text = Field(
        "Untitled scenario",
        max_length=MAX_NAME_CHARS,
        description="A name for people (at most 80 characters).",
    )
    description: Text = Field(
        "",
        max_length=MAX_DESCRIPTION_CHARS,
        description="Free text: what this case assumes (at most 2,000 characters).",
    )
    business: Business = Field(default_factory=Business)
    service: Service = Field(default_factory=Service)
    levers: Levers = Field(default_factory=Levers)
    costs: Costs = Field(default_factory=Costs)
    finance: Finance = Field(default_factory=Finance)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    other_items: tuple[OtherItem, ...] = Field(
        default=(), description="Line items outside the drivers (a JSON array)."
    )

    @model_validator(mode="after")
    def _value_inside_its_range(self) -> Self:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for path, rng in self.uncertainty.items():
            value = get_value(self, path)
            if not rng.low <= value <= rng.high:
                group, name = path.split(".")
                problems.append(
                    (
                        ("uncertainty", group, name),
                        _(
                            "low <= value <= high must hold (low {low}, value {value}, high {high})"
                        ).format(
                            low=plain_number(rng.low),
                            value=plain_number(value),
                            high=plain_number(rng.high),
                        ),
                    )
                )
        if problems:
            raise _cross_field(problems)
        return self


# --- numeric field registry ----------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """What the UI and the analyses need to know about one numeric field."""

    path: str
    group: str
    name: str
    #: The title and description as written (English); :attr:`title` and
    #: :attr:`description` are in the language being spoken (roi_core.i18n).
    title_en: str
    description_en: str
    unit: str
    typical_max: float | None
    is_int: bool
    default: float
    low: float
    high: float | None
    high_inclusive: bool

    @property
    def title(self) -> str:
        """The field's title in the current language: "Retention lift"."""
        return gettext(self.title_en)

    @property
    def description(self) -> str:
        """What the field means, in the current language."""
        return gettext(self.description_en)

    @property
    def rangeable(self) -> bool:
        """True when the field may carry an uncertainty range."""
        return self.group in RANGEABLE_GROUPS

    @property
    def upper(self) -> float:
        """The largest value allowed (``inf`` when unbounded; just below an open bound)."""
        if self.high is None:
            return math.inf
        return self.high if self.high_inclusive else math.nextafter(self.high, -math.inf)


def _numeric_names(model: type[BaseModel]) -> list[str]:
    return [n for n, f in model.model_fields.items() if f.annotation in (float, int)]


def _spec(group: str, name: str, info: FieldInfo) -> FieldSpec:
    low, high, inclusive = 0.0, None, True
    for m in info.metadata:
        if isinstance(m, annotated_types.Ge):
            low = float(m.ge)  # type: ignore[arg-type]
        elif isinstance(m, annotated_types.Le):
            high, inclusive = float(m.le), True  # type: ignore[arg-type]
        elif isinstance(m, annotated_types.Lt):
            high, inclusive = float(m.lt), False  # type: ignore[arg-type]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return FieldSpec(
        path=f"{group}.{name}",
        group=group,
        name=name,
        title_en=info.title or name,
        description_en=info.description or "",
        unit=str(extra.get("unit", "")),
        typical_max=float(typical)
        if isinstance(typical := extra.get("typical_max"), int | float)
        else None,
        is_int=info.annotation is int,
        default=float(info.default),
        low=low,
        high=high,
        high_inclusive=inclusive,
    )


#: Every numeric field of the scenario, keyed by path (``"levers.save_rate"``),
#: in the order MODEL.md lists them.
NUMERIC_FIELDS: dict[str, FieldSpec] = {
    f"{group}.{name}": _spec(group, name, model.model_fields[name])
    for group, model in _GROUP_MODELS.items()
    for name in _numeric_names(model)
}


def get_value(scenario: Scenario, path: str) -> float:
    """The value of a numeric field given by path, e.g. ``"levers.save_rate"``."""
    group, _sep, name = path.partition(".")
    if path not in NUMERIC_FIELDS:
        raise KeyError(path)
    return float(getattr(getattr(scenario, group), name))


def with_values(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """A copy of ``scenario`` with some numeric fields changed, validated again.

    Integer fields take the value as given when it is a whole number.
    Raises :class:`ScenarioError` when the result breaks a rule.
    """
    data = scenario.model_dump()
    for path, value in values.items():
        if path not in NUMERIC_FIELDS:
            raise ScenarioError(
                [_("{path}: not a numeric field of the scenario").format(path=path)]
            )
        group, name = path.split(".")
        data[group][name] = _whole(value) if NUMERIC_FIELDS[path].is_int else value
    return scenario_from_dict(data)


def _whole(value: float) -> Any:
    """``12.0`` as 12 for an integer field; anything else as given, for validation to judge
    (a fraction, an infinity, an int too large for a float)."""
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else value


# --- loading and saving --------------------------------------------------------------------


def scenario_from_dict(data: Any) -> Scenario:
    """Validate a parsed JSON object. Raises :class:`ScenarioError`, and nothing else."""
    if not isinstance(data, dict):
        raise ScenarioError(
            [_("scenario: must be a JSON object, not {kind}").format(kind=type(data).__name__)]
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc)) from None
    except RecursionError:
        raise ScenarioError([_("scenario: not a scenario (JSON nested too deeply)")]) from None


def scenario_from_json(text: str | bytes) -> Scenario:
    """Parse and validate scenario JSON text. Raises :class:`ScenarioError`, and nothing else.

    Text that is not JSON at all is reported as such, with line and column.
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError([_("scenario: not valid JSON ({reason})").format(reason=exc)]) from None
    except RecursionError:
        raise ScenarioError([_("scenario: not a scenario (JSON nested too deeply)")]) from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        limit = sys.get_int_max_str_digits()
        raise ScenarioError(
            [_("scenario: a number has more than {limit} digits").format(limit=plain_number(limit))]
        ) from None
    return scenario_from_dict(data)


def scenario_from_file(path: str | Path) -> Scenario:
    """Read a scenario JSON file. Raises :class:`ScenarioError` (also for unreadable files)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError(
            [_("scenario: cannot read {path} ({reason})").format(path=path, reason=exc.strerror)]
        ) from None
    return scenario_from_json(raw)


def scenario_to_json(scenario: Scenario, *, indent: int | None = 2) -> str:
    """Scenario JSON that :func:`scenario_from_json` loads back equal."""
    return scenario.model_dump_json(indent=indent)
