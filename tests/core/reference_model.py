"""MODEL.md §2-§3 transcribed line by line, with plain loops and no numpy.

Slow (the cohort stocks are an O(H²) double loop) and obvious on purpose: it is
the yardstick the vectorised engine is checked against, so it shares no code
with ``roi_core`` beyond reading the scenario's fields.
"""

from __future__ import annotations

from typing import Any

from roi_core import Scenario


def reference(s: Scenario) -> dict[str, Any]:
    b, sv, lv, co, fi = s.business, s.service, s.levers, s.costs, s.finance
    H, R = fi.horizon_months, fi.ramp_months
    V, cA, cS, cH = (
        sv.monthly_assisted_contacts,
        sv.cost_per_assisted_contact,
        sv.cost_per_social_contact,
        sv.cost_per_self_service_contact,
    )
    N, ARPU, m, c = (
        b.customers,
        b.monthly_revenue_per_customer,
        b.gross_margin,
        b.monthly_churn_rate,
    )
    E = N * lv.social_reach
    keep = 1 - fi.benefit_risk

    def r(t: int) -> float:
        return 1.0 if R == 0 else min(1.0, t / R)

    def items(kind: str, t: int) -> float:
        total = 0.0
        for it in s.other_items:
            if it.kind != kind:
                continue
            end = H if it.end_month is None else it.end_month
            if it.every == "once":
                hit = t == it.start_month
            elif it.every == "month":
                hit = it.start_month <= t <= end
            else:
                hit = it.start_month <= t <= end and (t - it.start_month) % 12 == 0
            if hit:
                total += it.amount
        return total

    inflow = {
        "retention": lambda k: E * c * lv.retention_lift * r(k),
        "saves": lambda k: lv.at_risk_per_month * lv.save_rate * r(k),
        "referrals": lambda k: (
            E
            * lv.advocate_share
            * lv.referrals_per_advocate_year
            / 12
            * lv.referral_conversion
            * r(k)
        ),
    }

    def stock(x: str, t: int) -> float:
        return sum(inflow[x](k) * (1 - c) ** (t - k) for k in range(1, t + 1))

    drivers = ["root_cause", "social_deflection", "self_service", "retention", "saves"]
    drivers += ["referrals", "cross_sell", "price_premium", "other"]
    revenue_drivers = ["retention", "saves", "referrals", "cross_sell", "price_premium"]
    benefits: dict[str, list[float]] = {d: [] for d in drivers}
    revenue: dict[str, list[float]] = {d: [] for d in revenue_drivers}
    costs, avoided_total, deflected_total = [], 0.0, 0.0
    for t in range(H + 1):
        if t == 0:
            for d in drivers[:-1]:
                benefits[d].append(0.0)
            for d in revenue_drivers:
                revenue[d].append(0.0)
            benefits["other"].append(items("benefit", 0) * keep)
            costs.append((co.setup + items("cost", 0)) * (1 + fi.cost_risk))
            continue
        avoided = V * lv.root_cause_reduction * r(t)
        remaining = V - avoided
        avoided_total += avoided
        deflected_total += remaining * (lv.social_deflection + lv.self_service_deflection) * r(t)
        benefits["root_cause"].append(avoided * cA * keep)
        benefits["social_deflection"].append(
            remaining * lv.social_deflection * r(t) * (cA - cS) * keep
        )
        benefits["self_service"].append(
            remaining * lv.self_service_deflection * r(t) * (cA - cH) * keep
        )
        rev = {
            "retention": stock("retention", t) * ARPU,
            "saves": stock("saves", t) * ARPU,
            "referrals": stock("referrals", t) * ARPU,
            "cross_sell": E * lv.cross_sell_rate * r(t) * lv.cross_sell_revenue,
            "price_premium": E * lv.price_premium * r(t) * ARPU,
        }
        for d in revenue_drivers:
            revenue[d].append(rev[d])
            benefits[d].append(rev[d] * m * keep)
        benefits["other"].append(items("benefit", t) * keep)
        running = co.platform_monthly + co.staff_monthly + co.other_monthly
        costs.append((running + items("cost", t)) * (1 + fi.cost_risk))

    benefit = [sum(benefits[d][t] for d in drivers) for t in range(H + 1)]
    hard = [
        sum(benefits[d][t] for d in ("root_cause", "social_deflection", "self_service", "other"))
        for t in range(H + 1)
    ]
    net = [benefit[t] - costs[t] for t in range(H + 1)]
    cumulative, running_total = [], 0.0
    for x in net:
        running_total += x
        cumulative.append(running_total)
    discount = [(1 + fi.discount_rate) ** (-t / 12) for t in range(H + 1)]
    pv_b = sum(x * d for x, d in zip(benefit, discount, strict=True))
    pv_c = sum(x * d for x, d in zip(costs, discount, strict=True))
    npv = pv_b - pv_c
    npv_hard = sum(x * d for x, d in zip(hard, discount, strict=True)) - pv_c
    if cumulative[0] >= 0:
        payback: float | None = 0.0
    else:
        payback = None
        for t in range(1, H + 1):
            if cumulative[t] >= 0:
                payback = (t - 1) + (-cumulative[t - 1]) / net[t]
                break
    return {
        "summary": {
            "total_savings": sum(
                sum(benefits[d]) for d in ("root_cause", "social_deflection", "self_service")
            ),
            "total_other_benefits": sum(benefits["other"]),
            "total_revenue_impact": sum(sum(revenue[d]) for d in revenue_drivers),
            "total_benefits": sum(benefit),
            "total_costs": sum(costs),
            "net_benefit": sum(benefit) - sum(costs),
            "pv_benefits": pv_b,
            "pv_costs": pv_c,
            "npv": npv,
            "roi": None if pv_c == 0 else npv / pv_c,
            "benefit_cost_ratio": None if pv_c == 0 else pv_b / pv_c,
            "payback_months": payback,
            "npv_hard": npv_hard,
            "roi_hard": None if pv_c == 0 else npv_hard / pv_c,
            "contacts_avoided": avoided_total,
            "contacts_deflected": deflected_total,
            "extra_customers_end": sum(stock(x, H) for x in inflow) if H >= 1 else 0.0,
        },
        "monthly": {
            "month": list(range(H + 1)),
            "benefits": benefits,
            "revenue": revenue,
            "costs": costs,
            "net": net,
            "cumulative_net": cumulative,
            "discount": discount,
        },
    }
