"""What every leave-behind report shares: the headline figures and the disclaimer."""

from __future__ import annotations

from roi_core import Summary
from roi_ui import formatting as fmt

__all__ = ["DISCLAIMER", "kpis"]

DISCLAIMER = (
    "This business case is a model, not a forecast. Its figures follow from the "
    "assumptions listed here, risk-adjusted and discounted as stated; revenue effects "
    "are attributed to the program by assumption unless measured against a control "
    "group. Check every assumption against your own data before deciding."
)


def kpis(summary: Summary, currency: str) -> list[tuple[str, str]]:
    """The six headline figures, labelled, in exact money."""
    r, cur = summary, currency
    return [
        ("Net present value", fmt.money(r.npv, cur)),
        ("Return on investment", fmt.percent(r.roi)),
        ("ROI on hard savings only", fmt.percent(r.roi_hard)),
        ("Payback", fmt.months(r.payback_months)),
        ("Cost savings (risk-adjusted)", fmt.money(r.total_savings, cur)),
        ("Revenue impact (before margin)", fmt.money(r.total_revenue_impact, cur)),
    ]
