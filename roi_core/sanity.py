"""Sanity checks: valid inputs that are nonetheless implausible, each with its reason.

Validation (:mod:`roi_core.scenario`) refuses what cannot be; these checks flag
what can be but rarely is, against the published figures in the team's
BENCHMARKS.md, so a business case is not built on a typo or wishful thinking.
They never change a result.
"""

from __future__ import annotations

from dataclasses import dataclass

from roi_core.errors import plain_number
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


def check(scenario: Scenario, result: Result | None = None) -> list[Finding]:
    """Findings for ``scenario`` (and its ``result``, for payback), in field order."""
    s, out = scenario, []
    sv, lv = s.service, s.levers
    for field, cost, channel in (
        ("service.cost_per_social_contact", sv.cost_per_social_contact, "social"),
        ("service.cost_per_self_service_contact", sv.cost_per_self_service_contact, "self-service"),
    ):
        if cost > sv.cost_per_assisted_contact:
            out.append(Finding(field, (
                f"a {channel} contact costs more than a phone contact ({plain_number(cost)} > "
                f"{plain_number(sv.cost_per_assisted_contact)}), so moving contacts there loses "
                "money"
            )))  # fmt: skip
    low, high = ASSISTED_COST_USD
    if s.business.currency in _USD_LIKE and not (
        low / 3 <= sv.cost_per_assisted_contact <= high * 4
    ):
        out.append(Finding("service.cost_per_assisted_contact", (
            f"{plain_number(sv.cost_per_assisted_contact)} is far from published costs of an "
            f"assisted contact ({low:.2f}-{high:.2f} USD: ContactBabel, Gartner)"
        )))  # fmt: skip
    if lv.social_deflection + lv.self_service_deflection > 2 * MAX_PUBLISHED_DEFLECTION:
        out.append(Finding("levers.social_deflection", (
            f"social + self-service deflection of "
            f"{(lv.social_deflection + lv.self_service_deflection):.0%} is well above what "
            f"published studies report (about {MAX_PUBLISHED_DEFLECTION:.0%} in a chatbot TEI)"
        )))  # fmt: skip
    if lv.retention_lift > 0.5:
        out.append(Finding("levers.retention_lift", (
            f"cutting engaged customers' churn by {lv.retention_lift:.0%} is more than half; "
            "measure it against a control group before presenting it"
        )))  # fmt: skip
    if lv.price_premium > STATED_PRICE_PREMIUM:
        out.append(Finding("levers.price_premium", (
            f"a {lv.price_premium:.0%} premium exceeds the {STATED_PRICE_PREMIUM:.0%} that "
            "social-service users say they would pay (Amex Service Barometer 2012)"
        )))  # fmt: skip
    if s.business.monthly_churn_rate > B2C_MONTHLY_CHURN:
        out.append(Finding("business.monthly_churn_rate", (
            f"{s.business.monthly_churn_rate:.1%} a month is above the B2C subscription "
            f"benchmark of {B2C_MONTHLY_CHURN:.2%} (Recurly)"
        )))  # fmt: skip
    if lv.social_reach > 0.5:
        out.append(Finding("levers.social_reach", (
            f"{lv.social_reach:.0%} of all customers engaged with social care is unusually high"
        )))  # fmt: skip
    if result is not None:
        payback = result.summary.payback_months
        if payback is not None and payback < 1:
            out.append(Finding("summary.payback_months", (
                "the case pays back within its first month: check the set-up and running costs"
            )))  # fmt: skip
    return out
