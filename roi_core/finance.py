"""Discounting, present value, ROI and payback (MODEL.md §2, last block).

All functions work on the last axis (months) and broadcast over any leading
axes (draws), so the same code serves one scenario and 100,000 of them.
Undefined figures come back as ``nan`` (ROI with no costs) or ``inf`` (never
pays back) here; :mod:`roi_core.results` turns them into ``None``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from roi_core.drivers import FloatArray, Value

__all__ = ["discount_factors", "payback_months", "present_value", "ratio", "yearly_totals"]


def discount_factors(annual_rate: Value, horizon: int) -> FloatArray:
    """``discount(t) = (1 + rate) ** (-t / 12)`` for ``t = 0..horizon``.

    Monthly compounding of an annual rate, so ``discount(12 * y) = (1 + rate) ** -y``
    and annual figures placed at months 0, 12, 24 … discount exactly as a
    yearly total-economic-impact table does.

    >>> discount_factors(0.10, 12)[[0, 12]].round(6).tolist()
    [1.0, 0.909091]
    """
    months = np.arange(horizon + 1, dtype=np.float64)
    factors: FloatArray = np.power(1.0 + np.asarray(annual_rate, dtype=np.float64), -months / 12.0)
    return factors


def present_value(flows: FloatArray, discount: FloatArray) -> FloatArray:
    """``sum over t of flows(t) * discount(t)`` along the last axis."""
    if discount.ndim == 1:
        pv: FloatArray = flows @ discount
        return pv
    pv_rows: FloatArray = np.einsum("...t,...t->...", flows, discount)
    return pv_rows


def ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """``numerator / denominator``, ``nan`` where the denominator is 0 (ROI, B/C ratio)."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def payback_months(net: FloatArray) -> FloatArray:
    """Months until the cumulative net cash flow first reaches zero.

    ``0`` if ``cumulative_net(0) >= 0``; else for the first month t with
    ``cumulative_net(t) >= 0`` the linear interpolation inside that month,
    ``(t - 1) + (-cumulative_net(t - 1)) / net(t)``; ``inf`` if it never does
    within the horizon.

    >>> payback_months(np.array([-100.0, 30.0, 30.0, 80.0])).item()
    2.5
    """
    net = np.asarray(net, dtype=np.float64)
    cumulative = np.cumsum(net, axis=-1)
    reached = cumulative >= 0.0
    first = np.argmax(reached, axis=-1)
    ever = np.take_along_axis(reached, first[..., None], axis=-1)[..., 0]
    before = np.maximum(first - 1, 0)
    cum_before = np.take_along_axis(cumulative, before[..., None], axis=-1)[..., 0]
    net_at = np.take_along_axis(net, first[..., None], axis=-1)[..., 0]
    # first > 0 means cumulative(first - 1) < 0 <= cumulative(first), so net_at > 0.
    safe_net = np.where(first > 0, net_at, 1.0)
    inside = np.where(first > 0, (first - 1) + (-cum_before) / safe_net, 0.0)
    result: FloatArray = np.where(ever, inside, np.inf)
    return result


def yearly_totals(flows: FloatArray) -> FloatArray:
    """Month 0 ("Initial"), then the sum of each year of months: year y holds
    months ``12 * (y - 1) + 1 .. 12 * y`` (the last year may be shorter).

    >>> yearly_totals(np.arange(15.0)).tolist()  # months 0..14
    [0.0, 78.0, 27.0]
    """
    flows = np.asarray(flows, dtype=np.float64)
    months = flows.shape[-1] - 1
    years = -(-months // 12)
    padded = np.zeros((*flows.shape[:-1], 1 + 12 * years))
    padded[..., : months + 1] = flows
    by_year = padded[..., 1:].reshape(*flows.shape[:-1], years, 12).sum(axis=-1)
    out: FloatArray = np.concatenate([padded[..., :1], by_year], axis=-1)
    return out
