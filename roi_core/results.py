"""What :func:`roi_core.engine.evaluate` returns, with the names of MODEL.md §3.

Numbers are plain floats; an undefined figure (ROI with no costs, a payback that
never happens) is ``None`` here and ``null`` in JSON, never NaN or infinity.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from roi_core.drivers import HARD_DRIVERS, REVENUE_DRIVERS, FloatArray
from roi_core.finance import present_value, yearly_totals

__all__ = [
    "BatchResult",
    "BridgeStep",
    "Monthly",
    "Result",
    "Summary",
    "YearlyTable",
    "defined",
    "npv_bridge",
]


def defined(x: npt.ArrayLike) -> float | None:
    """``x`` (a number or a one-element array) as a float, or ``None`` when it is
    NaN or infinite."""
    value = float(np.asarray(x, dtype=np.float64))
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Summary:
    """Totals over the horizon (undiscounted unless the name says pv/npv)."""

    total_savings: float
    total_other_benefits: float
    total_revenue_impact: float
    total_benefits: float
    total_costs: float
    net_benefit: float
    pv_benefits: float
    pv_costs: float
    npv: float
    roi: float | None
    benefit_cost_ratio: float | None
    payback_months: float | None
    npv_hard: float
    roi_hard: float | None
    contacts_avoided: float
    contacts_deflected: float
    extra_customers_end: float


@dataclass(frozen=True)
class Monthly:
    """Month-by-month flows for months ``0..horizon`` (read-only arrays)."""

    month: npt.NDArray[np.int64]
    benefits: Mapping[str, FloatArray]
    revenue: Mapping[str, FloatArray]
    costs: FloatArray
    net: FloatArray
    cumulative_net: FloatArray
    discount: FloatArray

    @property
    def total_benefits(self) -> FloatArray:
        """``benefit(t)``: the nine risk-adjusted drivers added up."""
        total: FloatArray = np.sum(list(self.benefits.values()), axis=0)
        return total

    def present_values(self) -> dict[str, float]:
        """Present value of each driver's risk-adjusted benefits, and of the costs
        (key ``"costs"``): the parts that add up to the NPV."""
        pv = {d: float(present_value(b, self.discount)) for d, b in self.benefits.items()}
        pv["costs"] = float(present_value(self.costs, self.discount))
        return pv

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.tolist(),
            "benefits": {k: v.tolist() for k, v in self.benefits.items()},
            "revenue": {k: v.tolist() for k, v in self.revenue.items()},
            "costs": self.costs.tolist(),
            "net": self.net.tolist(),
            "cumulative_net": self.cumulative_net.tolist(),
            "discount": self.discount.tolist(),
        }


@dataclass(frozen=True)
class YearlyTable:
    """A total-economic-impact style table: Initial (month 0), Year 1..n, Total,
    Present value; risk-adjusted benefits, costs and their difference."""

    columns: tuple[str, ...]
    benefits: tuple[float, ...]
    costs: tuple[float, ...]
    net: tuple[float, ...]

    def rows(self) -> dict[str, tuple[float, ...]]:
        return {"Benefits": self.benefits, "Costs": self.costs, "Net": self.net}


@dataclass(frozen=True)
class Result:
    """The evaluated scenario: ``result.summary.npv``, ``result.monthly.benefits["saves"]``."""

    summary: Summary
    monthly: Monthly

    def yearly(self) -> YearlyTable:
        """The monthly flows summed per year, with totals and present values."""
        m = self.monthly
        benefit, costs = m.total_benefits, m.costs

        def row(flows: FloatArray) -> tuple[float, ...]:
            years = yearly_totals(flows)
            pv = float(present_value(flows, m.discount))
            return (*(float(x) for x in years), float(flows.sum()), pv)

        n_years = len(yearly_totals(costs)) - 1
        columns = (
            "Initial",
            *(f"Year {y}" for y in range(1, n_years + 1)),
            "Total",
            "Present value",
        )
        return YearlyTable(columns, row(benefit), row(costs), row(benefit - costs))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data with exactly the names of MODEL.md §3."""
        return {"summary": asdict(self.summary), "monthly": self.monthly.to_dict()}

    def to_json(self, *, indent: int | None = 2) -> str:
        """JSON text; refuses (rather than writes) NaN or infinity."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)


@dataclass(frozen=True)
class BatchResult:
    """Headline figures for many scenarios at once, one entry per row (draw).

    Here undefined values stay numeric for vector work: ``roi`` is ``nan`` where
    ``pv_costs == 0`` and ``payback_months`` is ``inf`` where it never pays back.
    """

    npv: FloatArray
    roi: FloatArray
    pv_benefits: FloatArray
    pv_costs: FloatArray
    payback_months: FloatArray


@dataclass(frozen=True)
class BridgeStep:
    """One bar of the NPV bridge: a driver (``key`` as in MODEL.md) or a subtotal
    (``"hard_savings"``, ``"all_benefits"``, ``"npv"``) or ``"costs"``; ``total``
    is True for subtotals (drawn from zero), False for steps (drawn from the last
    level)."""

    key: str
    total: bool
    value: float


def npv_bridge(result: Result, *, smallest: float = 0.5) -> list[BridgeStep]:
    """Present values from the hard savings through the revenue drivers and the
    costs to the NPV: each hard-savings driver, their subtotal, each revenue
    driver, all benefits, costs (negative), NPV. Drivers worth less than
    ``smallest`` in this scenario are left out; subtotals always stay."""
    pv = result.monthly.present_values()
    steps = [BridgeStep(d, False, pv[d]) for d in HARD_DRIVERS if abs(pv[d]) >= smallest]
    steps.append(BridgeStep("hard_savings", True, sum(pv[d] for d in HARD_DRIVERS)))
    steps += [BridgeStep(d, False, pv[d]) for d in REVENUE_DRIVERS if abs(pv[d]) >= smallest]
    steps.append(BridgeStep("all_benefits", True, result.summary.pv_benefits))
    steps.append(BridgeStep("costs", False, -pv["costs"]))
    steps.append(BridgeStep("npv", True, result.summary.npv))
    return steps
