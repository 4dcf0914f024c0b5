"""The nine value drivers of MODEL.md §2, month by month.

Every driver is a *coefficient* times a *basis* over months:

==================  ===============================================  ===========
driver              coefficient (money per month at full ramp)       basis
==================  ===============================================  ===========
root_cause          V * root_cause_reduction * cA                    ``ramp``
social_deflection   V * social_deflection * (cA - cS)                ``remaining``
self_service        V * self_service_deflection * (cA - cH)          ``remaining``
retention           E * c * retention_lift * ARPU                    ``stock``
saves               at_risk_per_month * save_rate * ARPU             ``stock``
referrals           E * advocate_share * referrals/12 * conv * ARPU  ``stock``
cross_sell          E * cross_sell_rate * cross_sell_revenue         ``ramp``
price_premium       E * price_premium * ARPU                         ``ramp``
other               1 (the benefit line items as entered)            ``other``
==================  ===============================================  ===========

with the bases

* ``ramp(t) = r(t)``, the ramp-up share (0 in month 0, where no driver acts);
* ``remaining(t) = r(t) - root_cause_reduction * r(t)**2``, since
  ``remaining(t) * share * r(t) = V * share * (1 - rcr * r(t)) * r(t)``;
* ``stock(t) = sum_{k=1..t} r(k) * (1 - c)**(t - k)``, the customers still
  with the business from one customer a month added at full ramp;
* ``other(t)``, the benefit line items of month t.

The five revenue coefficients are revenue *before* margin and risk; the
benefit is the revenue times ``gross_margin * (1 - benefit_risk)``, a saving
times ``(1 - benefit_risk)``.

Coefficients are scalars, or arrays of shape ``(draws, 1)`` for Monte Carlo and
grids: they broadcast against the ``(months,)`` bases, so one call evaluates
any number of scenarios at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "BASIS_OF",
    "DRIVERS",
    "HARD_DRIVERS",
    "REVENUE_DRIVERS",
    "SAVINGS_DRIVERS",
    "FloatArray",
    "Value",
    "cohort_stock",
    "deflection_basis",
    "inflow_coefficients",
    "ramp_factors",
    "revenue_coefficients",
    "savings_coefficients",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
#: A model input: one number, or a column ``(draws, 1)`` of numbers.
Value: TypeAlias = float | FloatArray

SAVINGS_DRIVERS: Final = ("root_cause", "social_deflection", "self_service")
REVENUE_DRIVERS: Final = ("retention", "saves", "referrals", "cross_sell", "price_premium")
#: The nine benefit drivers, keyed exactly as MODEL.md names them.
DRIVERS: Final = (*SAVINGS_DRIVERS, *REVENUE_DRIVERS, "other")
#: Hard savings: what the case is worth without any revenue attribution.
HARD_DRIVERS: Final = (*SAVINGS_DRIVERS, "other")

BASIS_OF: Final[Mapping[str, str]] = {
    "root_cause": "ramp",
    "social_deflection": "remaining",
    "self_service": "remaining",
    "retention": "stock",
    "saves": "stock",
    "referrals": "stock",
    "cross_sell": "ramp",
    "price_premium": "ramp",
    "other": "other",
}


@lru_cache(maxsize=512)
def ramp_factors(horizon: int, ramp_months: int) -> FloatArray:
    """``r(t)`` for ``t = 0..horizon``: ``min(1, t / ramp_months)``, 1 when there is
    no ramp, and 0 in month 0 (drivers and running costs start in month 1).

    >>> ramp_factors(4, 2).tolist()
    [0.0, 0.5, 1.0, 1.0, 1.0]
    """
    t = np.arange(horizon + 1, dtype=np.float64)
    r = np.ones_like(t) if ramp_months == 0 else np.minimum(1.0, t / ramp_months)
    r[0] = 0.0
    r.flags.writeable = False
    return r


@lru_cache(maxsize=512)
def _ramp_toeplitz(horizon: int, ramp_months: int) -> FloatArray:
    """``T[j, t] = r(t - j)`` (0 where ``t < j``): ``stock = (1 - c)**j @ T``."""
    r = ramp_factors(horizon, ramp_months)
    t = np.arange(horizon + 1)
    lag = t[None, :] - t[:, None]
    out = np.where(lag >= 0, r[np.clip(lag, 0, None)], 0.0)
    out.flags.writeable = False
    return out


def cohort_stock(churn: Value, horizon: int, ramp_months: int) -> FloatArray:
    """Customers still there from an inflow of ``r(k)`` customers in each month k.

    ``stock(t) = sum_{k=1..t} r(k) * (1 - churn) ** (t - k)``, computed as one
    matrix product of the survival curve ``(1 - churn) ** j`` with the
    Toeplitz matrix of the ramp: no Python loop, stable for any churn in
    ``[0, 1)`` (only powers of a number <= 1 are formed). ``churn`` may be a
    column of draws, giving one row per draw.

    >>> cohort_stock(0.5, 3, 0).tolist()  # 1, then 1 + 0.5, then 1 + 0.5 + 0.25
    [0.0, 1.0, 1.5, 1.75]
    """
    churn = np.asarray(churn, dtype=np.float64)
    if churn.ndim == 0 or churn.size == 1:
        lags = np.arange(horizon + 1, dtype=np.float64)
        survival = np.power(1.0 - churn, lags)
        stock: FloatArray = survival @ _ramp_toeplitz(horizon, ramp_months)
        return stock
    # A column of draws: the same sum as the recurrence stock(t) = stock(t-1) * (1 - c)
    # + r(t), one vector step per month over all draws at once (a loop over months,
    # not draws), with months as the contiguous axis of the loop: 4x faster than
    # forming (1 - c)**j for every draw and month, and stable for the same reason
    # (only products of numbers <= 1 with the bounded stock).
    keep = 1.0 - churn.reshape(-1)
    ramp = ramp_factors(horizon, ramp_months)
    rows = np.zeros((horizon + 1, keep.size))
    for t in range(1, horizon + 1):
        np.multiply(rows[t - 1], keep, out=rows[t])
        rows[t] += ramp[t]
    by_draw: FloatArray = rows.T
    return by_draw


def deflection_basis(root_cause_reduction: Value, ramp: FloatArray) -> FloatArray:
    """``r(t) - root_cause_reduction * r(t)**2``: contacts still left to deflect
    after the avoided ones, per contact of today's volume, times the ramp."""
    basis: FloatArray = ramp - root_cause_reduction * (ramp * ramp)
    return basis


def savings_coefficients(v: Mapping[str, Value]) -> dict[str, Value]:
    """Monthly savings at full ramp, before risk, for the three savings drivers.

    A channel dearer than the phone (``cS > cA``) gives a negative saving, by design.
    """
    volume = v["service.monthly_assisted_contacts"]
    c_assisted = v["service.cost_per_assisted_contact"]
    return {
        "root_cause": volume * v["levers.root_cause_reduction"] * c_assisted,
        "social_deflection": volume
        * v["levers.social_deflection"]
        * (c_assisted - v["service.cost_per_social_contact"]),
        "self_service": volume
        * v["levers.self_service_deflection"]
        * (c_assisted - v["service.cost_per_self_service_contact"]),
    }


def inflow_coefficients(v: Mapping[str, Value]) -> dict[str, Value]:
    """Customers added per month at full ramp by the three customer drivers:
    churners prevented, would-be cancellers kept, new customers from advocates."""
    engaged = v["business.customers"] * v["levers.social_reach"]
    return {
        "retention": engaged * v["business.monthly_churn_rate"] * v["levers.retention_lift"],
        "saves": v["levers.at_risk_per_month"] * v["levers.save_rate"],
        "referrals": engaged
        * v["levers.advocate_share"]
        * (v["levers.referrals_per_advocate_year"] / 12.0)
        * v["levers.referral_conversion"],
    }


def revenue_coefficients(v: Mapping[str, Value]) -> dict[str, Value]:
    """Monthly revenue at full ramp (per unit of basis), before margin and risk,
    for the five revenue drivers."""
    arpu = v["business.monthly_revenue_per_customer"]
    engaged = v["business.customers"] * v["levers.social_reach"]
    inflow = inflow_coefficients(v)
    return {
        "retention": inflow["retention"] * arpu,
        "saves": inflow["saves"] * arpu,
        "referrals": inflow["referrals"] * arpu,
        "cross_sell": engaged * v["levers.cross_sell_rate"] * v["levers.cross_sell_revenue"],
        "price_premium": engaged * v["levers.price_premium"] * arpu,
    }
