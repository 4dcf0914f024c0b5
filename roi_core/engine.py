"""``evaluate(scenario) -> Result``: the month-by-month engine of MODEL.md §2.

One code path serves a single scenario and a whole batch of them: inputs are
scalars or columns ``(draws, 1)``, months run along the last axis, and numpy
broadcasting does the rest (see :mod:`roi_core.drivers` for the
coefficient-times-basis form of each driver). :func:`evaluate_batch` is what the
analyses (tornado, break-even, Monte Carlo) call: the same driver table, summed
per basis so that 100,000 draws cost a handful of array operations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roi_core.drivers import (
    BASIS_OF,
    DRIVERS,
    HARD_DRIVERS,
    REVENUE_DRIVERS,
    SAVINGS_DRIVERS,
    FloatArray,
    Value,
    cohort_stock,
    deflection_basis,
    inflow_coefficients,
    ramp_factors,
    revenue_coefficients,
    savings_coefficients,
)
from roi_core.errors import AnalysisError
from roi_core.finance import discount_factors, payback_months, present_value, ratio
from roi_core.results import BatchResult, Monthly, Result, Summary, defined
from roi_core.scenario import NUMERIC_FIELDS, OtherItem, Scenario, get_value

__all__ = ["STRUCTURAL_FIELDS", "evaluate", "evaluate_batch", "line_item_flows"]

#: Fields that shape the timeline itself; they cannot vary inside one batch.
STRUCTURAL_FIELDS = ("finance.horizon_months", "finance.ramp_months")


def line_item_flows(items: Sequence[OtherItem], horizon: int) -> tuple[FloatArray, FloatArray]:
    """Benefit and cost line items per month ``0..horizon``, as entered (before risk).

    Occurrences after the horizon are not counted.
    """
    benefit = np.zeros(horizon + 1)
    cost = np.zeros(horizon + 1)
    for item in items:
        target = benefit if item.kind == "benefit" else cost
        months = item.months(horizon)
        if months:
            np.add.at(target, months, item.amount)
    return benefit, cost


@dataclass(frozen=True)
class _Flows:
    """Risk-adjusted monthly benefits per driver (or per basis), costs and discounting."""

    terms: dict[str, FloatArray]
    costs: FloatArray
    discount: FloatArray
    bases: dict[str, FloatArray]
    revenue_coef: dict[str, Value]
    keep: Value


def _inputs(scenario: Scenario, overrides: Mapping[str, FloatArray]) -> dict[str, Value]:
    values: dict[str, Value] = {path: get_value(scenario, path) for path in NUMERIC_FIELDS}
    values.update(overrides)
    return values


def _flows(scenario: Scenario, v: Mapping[str, Value], *, by_driver: bool) -> _Flows:
    horizon = scenario.finance.horizon_months
    ramp = ramp_factors(horizon, scenario.finance.ramp_months)
    other_benefit, other_cost = line_item_flows(scenario.other_items, horizon)
    bases = {
        "ramp": ramp,
        "remaining": deflection_basis(v["levers.root_cause_reduction"], ramp),
        "stock": cohort_stock(
            v["business.monthly_churn_rate"], horizon, scenario.finance.ramp_months
        ),
        "other": other_benefit,
    }
    keep = 1.0 - v["finance.benefit_risk"]
    margin_keep = v["business.gross_margin"] * keep
    revenue_coef = revenue_coefficients(v)
    coef: dict[str, Value] = {d: c * keep for d, c in savings_coefficients(v).items()}
    coef |= {d: c * margin_keep for d, c in revenue_coef.items()}
    coef["other"] = keep

    terms: dict[str, FloatArray]
    if by_driver:
        terms = {d: np.asarray(coef[d] * bases[BASIS_OF[d]], dtype=np.float64) for d in DRIVERS}
    else:
        # The same table summed per basis first: sum_d c_d * b(d) = sum_b (sum c_d) * b.
        per_basis: dict[str, Value] = {}
        for d in DRIVERS:
            per_basis[BASIS_OF[d]] = per_basis.get(BASIS_OF[d], 0.0) + coef[d]
        terms = {b: np.asarray(c * bases[b], dtype=np.float64) for b, c in per_basis.items()}

    first = np.zeros(horizon + 1)
    first[0] = 1.0
    running = v["costs.platform_monthly"] + v["costs.staff_monthly"] + v["costs.other_monthly"]
    costs = (1.0 + v["finance.cost_risk"]) * (
        running * (1.0 - first) + v["costs.setup"] * first + other_cost
    )
    return _Flows(
        terms=terms,
        costs=np.asarray(costs, dtype=np.float64),
        discount=discount_factors(v["finance.discount_rate"], horizon),
        bases=bases,
        revenue_coef=revenue_coef,
        keep=keep,
    )


def _readonly(a: npt.ArrayLike) -> FloatArray:
    out = np.array(a, dtype=np.float64)
    out.flags.writeable = False
    return out


def evaluate(scenario: Scenario) -> Result:
    """Evaluate one scenario month by month (MODEL.md §2) into the §3 result.

    With every default: ``npv = 867,214.11``, ``roi = 0.92711``,
    ``payback_months = 11.712`` (MODEL.md §6).
    """
    v = _inputs(scenario, {})
    f = _flows(scenario, v, by_driver=True)
    benefits = {d: _readonly(f.terms[d]) for d in DRIVERS}
    revenue = {d: _readonly(f.revenue_coef[d] * f.bases[BASIS_OF[d]]) for d in REVENUE_DRIVERS}
    benefit = np.sum([benefits[d] for d in DRIVERS], axis=0)
    hard = np.sum([benefits[d] for d in HARD_DRIVERS], axis=0)
    net = benefit - f.costs
    pv_benefits = float(present_value(benefit, f.discount))
    pv_costs = float(present_value(f.costs, f.discount))
    npv = pv_benefits - pv_costs
    npv_hard = float(present_value(hard, f.discount)) - pv_costs
    ramp = f.bases["ramp"]
    volume = float(v["service.monthly_assisted_contacts"])
    deflect_share = float(v["levers.social_deflection"]) + float(
        v["levers.self_service_deflection"]
    )
    inflow_per_month = sum(float(c) for c in inflow_coefficients(v).values())
    total_benefits = float(benefit.sum())
    total_costs = float(f.costs.sum())

    summary = Summary(
        total_savings=float(sum(benefits[d].sum() for d in SAVINGS_DRIVERS)),
        total_other_benefits=float(benefits["other"].sum()),
        total_revenue_impact=float(sum(revenue[d].sum() for d in REVENUE_DRIVERS)),
        total_benefits=total_benefits,
        total_costs=total_costs,
        net_benefit=total_benefits - total_costs,
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        npv=npv,
        roi=defined(ratio(npv, pv_costs)),
        benefit_cost_ratio=defined(ratio(pv_benefits, pv_costs)),
        payback_months=defined(payback_months(net)),
        npv_hard=npv_hard,
        roi_hard=defined(ratio(npv_hard, pv_costs)),
        contacts_avoided=volume * float(v["levers.root_cause_reduction"]) * float(ramp.sum()),
        contacts_deflected=volume * deflect_share * float(f.bases["remaining"].sum()),
        extra_customers_end=inflow_per_month * float(f.bases["stock"][-1]),
    )
    monthly = Monthly(
        month=np.arange(scenario.finance.horizon_months + 1),
        benefits=benefits,
        revenue=revenue,
        costs=_readonly(f.costs),
        net=_readonly(net),
        cumulative_net=_readonly(np.cumsum(net)),
        discount=_readonly(f.discount),
    )
    return Result(summary=summary, monthly=monthly)


def evaluate_batch(scenario: Scenario, overrides: Mapping[str, npt.ArrayLike]) -> BatchResult:
    """Evaluate many variants of ``scenario`` at once.

    ``overrides`` maps field paths to 1-D arrays of one common length n (row i
    is variant i); fields not named keep the scenario's value. Values are used
    as given: the caller keeps them valid (see ``roi_core.analysis``).
    The timeline fields (:data:`STRUCTURAL_FIELDS`) cannot vary in a batch.
    """
    columns: dict[str, FloatArray] = {}
    lengths = set()
    for path, values in overrides.items():
        if path not in NUMERIC_FIELDS:
            raise AnalysisError(f"{path}: not a numeric field of the scenario")
        if path in STRUCTURAL_FIELDS:
            raise AnalysisError(f"{path}: shapes the timeline and cannot vary in a batch")
        column = np.asarray(values, dtype=np.float64).reshape(-1, 1)
        lengths.add(column.shape[0])
        columns[path] = column
    if len(lengths) > 1:
        raise AnalysisError("overrides: every array must have the same length")
    n = lengths.pop() if lengths else 1

    f = _flows(scenario, _inputs(scenario, columns), by_driver=False)
    benefit = np.zeros((n, scenario.finance.horizon_months + 1))
    for term in f.terms.values():
        benefit += term
    costs = np.broadcast_to(f.costs, benefit.shape)
    discount = f.discount if f.discount.ndim == 1 else np.broadcast_to(f.discount, benefit.shape)
    pv_benefits = present_value(benefit, discount)
    pv_costs = present_value(costs, discount)
    npv = pv_benefits - pv_costs
    return BatchResult(
        npv=npv,
        roi=ratio(npv, pv_costs),
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        payback_months=payback_months(benefit - costs),
    )
