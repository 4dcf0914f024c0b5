"""Hypothesis strategies for valid scenarios (shared by the property tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from roi_core import Scenario, scenario_from_dict

#: What a name or description may hold: any character except unpaired surrogates,
#: C0 controls other than tab / line feed / carriage return, U+FFFE and U+FFFF.
NOT_TEXT = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
text_chars = st.characters(exclude_categories=("Cs",), exclude_characters=NOT_TEXT)

fraction = st.floats(0.0, 1.0, allow_nan=False)
# No subnormal amounts (5e-324): scaling one by 0.5 rounds it to 0, which turns a
# defined ROI into an undefined one and says nothing about the model.
money = st.floats(0.0, 1e6, allow_nan=False, allow_subnormal=False)
small_money = st.floats(0.0, 100.0, allow_nan=False, allow_subnormal=False)


@st.composite
def other_items(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(0, 130 if draw(st.booleans()) else 40))
    start = min(start, 120)
    end = draw(st.none() | st.integers(start, start + 60))
    return {
        "name": draw(st.text(text_chars, min_size=1, max_size=80)),
        "kind": draw(st.sampled_from(["benefit", "cost"])),
        "amount": draw(money),
        "every": draw(st.sampled_from(["once", "month", "year"])),
        "start_month": start,
        "end_month": end,
    }


@st.composite
def scenario_dicts(
    draw: st.DrawFn, *, max_horizon: int = 120, items: bool = True
) -> dict[str, Any]:
    social = draw(fraction)
    self_service = draw(st.floats(0.0, 1.0 - social, allow_nan=False))
    return {
        "business": {
            "customers": draw(st.integers(0, 10_000_000)),
            "monthly_revenue_per_customer": draw(small_money),
            "gross_margin": draw(fraction),
            "monthly_churn_rate": draw(st.floats(0.0, 0.99, allow_nan=False)),
        },
        "service": {
            "monthly_assisted_contacts": draw(money),
            "cost_per_assisted_contact": draw(small_money),
            "cost_per_social_contact": draw(small_money),
            "cost_per_self_service_contact": draw(small_money),
        },
        "levers": {
            "root_cause_reduction": draw(fraction),
            "social_deflection": social,
            "self_service_deflection": self_service,
            "social_reach": draw(fraction),
            "retention_lift": draw(fraction),
            "at_risk_per_month": draw(st.floats(0.0, 10_000.0, allow_nan=False)),
            "save_rate": draw(fraction),
            "cross_sell_rate": draw(fraction),
            "cross_sell_revenue": draw(small_money),
            "advocate_share": draw(fraction),
            "referrals_per_advocate_year": draw(st.floats(0.0, 20.0, allow_nan=False)),
            "referral_conversion": draw(fraction),
            "price_premium": draw(fraction),
        },
        "costs": {
            "setup": draw(money),
            "platform_monthly": draw(money),
            "staff_monthly": draw(money),
            "other_monthly": draw(money),
        },
        "finance": {
            "horizon_months": draw(st.integers(1, max_horizon)),
            "ramp_months": draw(st.integers(0, 36)),
            "discount_rate": draw(st.floats(0.0, 0.99, allow_nan=False)),
            "benefit_risk": draw(st.floats(0.0, 0.99, allow_nan=False)),
            "cost_risk": draw(fraction),
        },
        "other_items": draw(st.lists(other_items(), max_size=4)) if items else [],
    }


def scenarios(*, max_horizon: int = 120, items: bool = True) -> st.SearchStrategy[Scenario]:
    return scenario_dicts(max_horizon=max_horizon, items=items).map(scenario_from_dict)
