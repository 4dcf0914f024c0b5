"""Sanity checks: valid inputs that are nonetheless implausible, each with its reason.

Validation (:mod:`roi_core.scenario`) refuses what cannot be; these checks flag
what can be but rarely is, against the published figures in the team's
BENCHMARKS.md, so a business case is not built on a typo or wishful thinking.
They never change a result.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_percent

from roi_core import i18n
from roi_core.errors import plain_number
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.results import Result
from roi_core.scenario import Scenario

__all__ = ["Finding", "check"]

#: Benchmarks quoted by the checks (BENCHMARKS.md).
ASSISTED_COST_USD = (5.25, 8.01)  # ContactBabel inbound call; Gartner assisted contact
MAX_PUBLISHED_DEFLECTION = 0.16  # chatbot TEI (Forrester, Astute Bot)
STATED_PRICE_PREMIUM = 0.21  # what social-service users SAY they would pay (Amex 2012)
B2C_MONTHLY_CHURN = 0.0677  # Recurly B2C benchmark
_USD_LIKE = {"USD", "EUR", "GBP", "CAD", "AUD", "CHF", "SGD", "NZD"}


@dataclass(frozen=True)
class Finding:
    """One implausible input: the field and a plain sentence saying why."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _percent(x: float, digits: int) -> str:
    """A share as a percentage with ``digits`` decimals, in the language's separators."""
    if i18n.current() == i18n.DEFAULT:
        return f"{x:.{digits}%}"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(x, format=pattern, locale=i18n.locale())


def check(scenario: Scenario, result: Result | None = None) -> list[Finding]:
    """Findings for ``scenario`` (and its ``result``, for payback), in field order,
    each message in the language being spoken."""
    s, out = scenario, []
    sv, lv = s.service, s.levers
    dearer = {
        "social": N_(
            "a social contact costs more than a phone contact ({cost} > {phone}), so moving "
            "contacts there loses money"
        ),
        "self-service": N_(
            "a self-service contact costs more than a phone contact ({cost} > {phone}), so "
            "moving contacts there loses money"
        ),
    }
    for field, cost, channel in (
        ("service.cost_per_social_contact", sv.cost_per_social_contact, "social"),
        ("service.cost_per_self_service_contact", sv.cost_per_self_service_contact, "self-service"),
    ):
        if cost > sv.cost_per_assisted_contact:
            out.append(Finding(field, _(dearer[channel]).format(
                cost=plain_number(cost), phone=plain_number(sv.cost_per_assisted_contact)
            )))  # fmt: skip
    low, high = ASSISTED_COST_USD
    if s.business.currency in _USD_LIKE and not (
        low / 3 <= sv.cost_per_assisted_contact <= high * 4
    ):
        out.append(Finding("service.cost_per_assisted_contact", _(
            "{cost} is far from published costs of an assisted contact ({low}-{high} USD: "
            "ContactBabel, Gartner)"
        ).format(
            cost=plain_number(sv.cost_per_assisted_contact),
            low=plain_number(low),
            high=plain_number(high),
        )))  # fmt: skip
    if lv.social_deflection + lv.self_service_deflection > 2 * MAX_PUBLISHED_DEFLECTION:
        out.append(Finding("levers.social_deflection", _(
            "social + self-service deflection of {total} is well above what published studies "
            "report (about {published} in a chatbot TEI)"
        ).format(
            total=_percent(lv.social_deflection + lv.self_service_deflection, 0),
            published=_percent(MAX_PUBLISHED_DEFLECTION, 0),
        )))  # fmt: skip
    if lv.retention_lift > 0.5:
        out.append(Finding("levers.retention_lift", _(
            "cutting engaged customers' churn by {lift} is more than half; measure it against "
            "a control group before presenting it"
        ).format(lift=_percent(lv.retention_lift, 0))))  # fmt: skip
    if lv.price_premium > STATED_PRICE_PREMIUM:
        out.append(Finding("levers.price_premium", _(
            "a {premium} premium exceeds the {stated} that social-service users say they would "
            "pay (Amex Service Barometer 2012)"
        ).format(
            premium=_percent(lv.price_premium, 0), stated=_percent(STATED_PRICE_PREMIUM, 0)
        )))  # fmt: skip
    if s.business.monthly_churn_rate > B2C_MONTHLY_CHURN:
        out.append(Finding("business.monthly_churn_rate", _(
            "{churn} a month is above the B2C subscription benchmark of {benchmark} (Recurly)"
        ).format(
            churn=_percent(s.business.monthly_churn_rate, 1),
            benchmark=_percent(B2C_MONTHLY_CHURN, 2),
        )))  # fmt: skip
    if lv.social_reach > 0.5:
        out.append(Finding("levers.social_reach", _(
            "{reach} of all customers engaged with social care is unusually high"
        ).format(reach=_percent(lv.social_reach, 0))))  # fmt: skip
    if result is not None:
        payback = result.summary.payback_months
        if payback is not None and payback < 1:
            out.append(Finding("summary.payback_months", _(
                "the case pays back within its first month: check the set-up and running costs"
            )))  # fmt: skip
    return out
