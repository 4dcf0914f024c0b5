"""The model's formulas as people read them, each tied to a check against the engine.

Every :class:`Formula` carries its LaTeX, a plain explanation, the result names
it defines, and ``check``: a recomputation *from the formula as written* (plain
Python, one month at a time) that must equal what :func:`roi_core.evaluate`
returns. The methodology page shows the formulas; ``tests/core/test_methodology.py``
runs every check on many scenarios, so the page cannot drift from the code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from roi_core.i18n import N_
from roi_core.i18n import gettext as _
from roi_core.results import Result
from roi_core.scenario import Scenario

__all__ = ["FORMULAS", "LEFT_OUT", "Formula", "holds", "latex"]

Check = Callable[[Scenario, Result], list[tuple[float, float]]]


@dataclass(frozen=True)
class Formula:
    """One step of the model: anchor (for links), title, LaTeX, words, check.

    ``title`` and ``words`` are in English, marked for the catalog: show them through
    ``gettext``, and the LaTeX through :func:`latex` (its ``\\text{}`` words translated)."""

    anchor: str
    title: str
    latex: str
    words: str
    check: Check


def _r(s: Scenario, t: int) -> float:
    ramp = s.finance.ramp_months
    return 0.0 if t == 0 else (1.0 if ramp == 0 else min(1.0, t / ramp))


def _months(s: Scenario) -> list[int]:
    h = s.finance.horizon_months
    return sorted({1, min(2, h), (h + 1) // 2, h})


def _keep(s: Scenario) -> float:
    return 1.0 - s.finance.benefit_risk


def _check_ramp(s: Scenario, r: Result) -> list[tuple[float, float]]:
    # root_cause(t) / (V * rcr * cA * keep) is r(t) wherever the driver is not zero.
    v, lv, sv = s.service.monthly_assisted_contacts, s.levers, s.service
    unit = v * lv.root_cause_reduction * sv.cost_per_assisted_contact * _keep(s)
    return [(r.monthly.benefits["root_cause"][t], unit * _r(s, t)) for t in _months(s)]


def _check_contacts(s: Scenario, r: Result) -> list[tuple[float, float]]:
    v, lv, sv, keep = s.service.monthly_assisted_contacts, s.levers, s.service, _keep(s)
    out = []
    for t in _months(s):
        avoided = v * lv.root_cause_reduction * _r(s, t)
        remaining = v - avoided
        social = remaining * lv.social_deflection * _r(s, t)
        self_service = remaining * lv.self_service_deflection * _r(s, t)
        c_a = sv.cost_per_assisted_contact
        out += [
            (r.monthly.benefits["social_deflection"][t],
             social * (c_a - sv.cost_per_social_contact) * keep),
            (r.monthly.benefits["self_service"][t],
             self_service * (c_a - sv.cost_per_self_service_contact) * keep),
        ]  # fmt: skip
    return out


def _inflows(s: Scenario) -> dict[str, float]:
    b, lv = s.business, s.levers
    engaged = b.customers * lv.social_reach
    return {
        "retention": engaged * b.monthly_churn_rate * lv.retention_lift,
        "saves": lv.at_risk_per_month * lv.save_rate,
        "referrals": engaged
        * lv.advocate_share
        * lv.referrals_per_advocate_year
        / 12
        * lv.referral_conversion,
    }


def _check_customers(s: Scenario, r: Result) -> list[tuple[float, float]]:
    c, arpu = s.business.monthly_churn_rate, s.business.monthly_revenue_per_customer
    out = []
    for driver, inflow in _inflows(s).items():
        for t in _months(s):
            stock = sum(inflow * _r(s, k) * (1 - c) ** (t - k) for k in range(1, t + 1))
            out.append((r.monthly.revenue[driver][t], stock * arpu))
    return out


def _check_other_revenue(s: Scenario, r: Result) -> list[tuple[float, float]]:
    b, lv = s.business, s.levers
    engaged = b.customers * lv.social_reach
    out = []
    for t in _months(s):
        out += [
            (r.monthly.revenue["cross_sell"][t],
             engaged * lv.cross_sell_rate * _r(s, t) * lv.cross_sell_revenue),
            (r.monthly.revenue["price_premium"][t],
             engaged * lv.price_premium * _r(s, t) * b.monthly_revenue_per_customer),
        ]  # fmt: skip
    return out


def _check_margin(s: Scenario, r: Result) -> list[tuple[float, float]]:
    m, keep = s.business.gross_margin, _keep(s)
    return [
        (r.monthly.benefits[d][t], r.monthly.revenue[d][t] * m * keep)
        for d in r.monthly.revenue
        for t in _months(s)
    ]


def _check_costs(s: Scenario, r: Result) -> list[tuple[float, float]]:
    co, mark_up = s.costs, 1 + s.finance.cost_risk

    def items(t: int) -> float:
        return sum(i.amount for i in s.other_items if i.kind == "cost"
                   and t in i.months(s.finance.horizon_months))  # fmt: skip

    out = [(r.monthly.costs[0], (co.setup + items(0)) * mark_up)]
    running = co.platform_monthly + co.staff_monthly + co.other_monthly
    out += [(r.monthly.costs[t], (running + items(t)) * mark_up) for t in _months(s)]
    return out


def _pv(flows: list[float], s: Scenario) -> float:
    rate = s.finance.discount_rate
    return float(sum(x * (1 + rate) ** (-t / 12) for t, x in enumerate(flows)))


def _check_npv(s: Scenario, r: Result) -> list[tuple[float, float]]:
    m = r.monthly
    benefits = [float(sum(m.benefits[d][t] for d in m.benefits)) for t in m.month]
    costs = [float(x) for x in m.costs]
    pv_b, pv_c = _pv(benefits, s), _pv(costs, s)
    out = [(r.summary.pv_benefits, pv_b), (r.summary.pv_costs, pv_c), (r.summary.npv, pv_b - pv_c)]
    if pv_c > 0 and r.summary.roi is not None and r.summary.benefit_cost_ratio is not None:
        out += [(r.summary.roi, (pv_b - pv_c) / pv_c), (r.summary.benefit_cost_ratio, pv_b / pv_c)]
    return out


def _check_hard(s: Scenario, r: Result) -> list[tuple[float, float]]:
    m = r.monthly
    hard = ("root_cause", "social_deflection", "self_service", "other")
    flows = [float(sum(m.benefits[d][t] for d in hard)) for t in m.month]
    return [(r.summary.npv_hard, _pv(flows, s) - r.summary.pv_costs)]


def _check_payback(s: Scenario, r: Result) -> list[tuple[float, float]]:
    net = [float(x) for x in r.monthly.net]
    cumulative, total = [], 0.0
    for x in net:
        total += x
        cumulative.append(total)
    expected: float | None = None
    if cumulative[0] >= 0:
        expected = 0.0
    else:
        for t in range(1, len(net)):
            if cumulative[t] >= 0:
                expected = (t - 1) + (-cumulative[t - 1]) / net[t]
                break
    got = r.summary.payback_months
    if got is None or expected is None:
        return [(float(got is None), float(expected is None))]
    return [(got, expected)]


FORMULAS: tuple[Formula, ...] = (
    Formula("ramp", N_("Ramp-up"),
            r"r(t) = \min\left(1, \frac{t}{\text{ramp\_months}}\right),\ t \ge 1;\quad r(0) = 0",
            N_("Every lever reaches its full effect gradually; nothing happens in month 0 but "
            "the set-up cost and line items placed there."), _check_ramp),
    Formula("savings", N_("Contact savings"),
            r"\begin{aligned}\text{avoided}(t) &= V \cdot \text{rcr} \cdot r(t) \\"
            r"\text{remaining}(t) &= V - \text{avoided}(t) \\"
            r"\text{root\_cause}(t) &= \text{avoided}(t) \cdot c_A \\"
            r"\text{social}(t) &= \text{remaining}(t) \cdot s_{soc} \cdot r(t) \cdot (c_A - c_S) \\"
            r"\text{self\_service}(t) &= \text{remaining}(t) \cdot s_{self} \cdot r(t)"
            r" \cdot (c_A - c_H)\end{aligned}",
            N_("Contacts that stop happening save a phone contact each; contacts moved to social "
            "or self-service save the difference in cost (negative if the channel is dearer)."),
            _check_contacts),
    Formula("customers", N_("Customers kept and won"),
            r"\begin{gathered}\text{stock}_X(t) = \sum_{k=1}^{t} \text{inflow}_X(k)\,(1-c)^{t-k}"
            r"\\ \text{revenue}_X(t) = \text{stock}_X(t) \cdot \text{ARPU}\end{gathered}",
            N_("Churners prevented (E·c·lift), at-risk customers saved and customers referred "
            "by advocates are added each month and then churn like anyone else."),
            _check_customers),
    Formula("revenue", N_("Cross-sell and price premium"),
            r"\text{cross\_sell}(t) = E \cdot x \cdot r(t) \cdot R_x,\quad"
            r"\text{premium}(t) = E \cdot p \cdot r(t) \cdot \text{ARPU}",
            N_("Engaged customers (E = customers times reach) buy add-ons and may pay a premium."),
            _check_other_revenue),
    Formula("benefits", N_("From revenue to benefit"),
            r"\text{benefit}_X(t) = \text{revenue}_X(t) \cdot m \cdot (1 - \text{benefit\_risk})",
            N_("Only the gross margin on extra revenue counts, and every benefit is cut by the "
            "benefit risk; savings are cut by the risk too."), _check_margin),
    Formula("costs", N_("Costs"),
            r"\begin{gathered}\text{cost}(0) = (\text{setup} + \text{items}_0)(1+\text{cost\_risk})"
            r"\\ \text{cost}(t) = (\text{platform} + \text{staff} + \text{other} + \text{items}_t)"
            r"\,(1+\text{cost\_risk})\end{gathered}",
            N_("Set-up is paid up front; running costs every month; all marked up by the cost "
            "risk."), _check_costs),
    Formula("npv", N_("Present value, NPV and ROI"),
            r"\begin{gathered}\text{PV} = \sum_{t=0}^{H} x(t)\,(1+\rho)^{-t/12},\quad"
            r"\text{NPV} = \text{PV}_B - \text{PV}_C \\ \text{ROI} = \frac{\text{NPV}}"
            r"{\text{PV}_C},\quad \text{B/C} = \frac{\text{PV}_B}{\text{PV}_C}\end{gathered}",
            N_("Monthly flows are discounted at the annual discount rate; ROI is undefined "
               "when there are no costs."), _check_npv),
    Formula("hard", N_("Hard savings only"),
            r"\text{NPV}_{hard} = \text{PV}(\text{root\_cause} + \text{social} + "
            r"\text{self\_service} + \text{other}) - \text{PV}_C",
            N_("The same case without any revenue attribution: shown beside the full ROI, "
            "never blended into it."), _check_hard),
    Formula("payback", N_("Payback"),
            r"\text{payback} = (t-1) + \frac{-\text{cum}(t-1)}{\text{net}(t)}"
            r"\ \text{for the first } t \text{ with } \text{cum}(t) \ge 0",
            N_("Months until the cumulative net cash flow turns positive, interpolated within "
            "the month; 0 when month 0 is not negative; none if it never turns positive."),
            _check_payback),
)  # fmt: skip

#: What the model deliberately does not count (the methodology page says so).
LEFT_OUT: tuple[str, ...] = (
    N_(
        "Attribution: a retention or revenue lift is assumed to be caused by the program; "
        "measure it against a control group before relying on it."
    ),
    N_(
        "Flexibility value: options the program opens (new channels, faster launches) are not "
        "priced, unlike in a full total-economic-impact study."
    ),
    N_("Acquisition beyond referrals: customers won by marketing reach are not counted."),
    N_(
        "Growth and seasonality: customer counts and contact volumes are held constant; churned "
        "customers are assumed to be replaced."
    ),
    N_("Taxes, depreciation and financing: the case is pre-tax cash flow."),
)


#: Words inside the formulas' LaTeX, as format templates (braces doubled, so that
#: a translation keeps its LaTeX braces and has no placeholder).
_LATEX_WORDS: tuple[str, ...] = (N_(r"\text{{for the first }} t \text{{ with }}"),)


def latex(formula: Formula) -> str:
    """The formula's LaTeX with its words in the language being spoken."""
    out = formula.latex
    for words in _LATEX_WORDS:
        out = out.replace(words.format(), _(words).format())
    return out


def holds(formula: Formula, scenario: Scenario, result: Result) -> bool:
    """Whether ``formula``, recomputed as written, gives the engine's figures for
    this scenario (to 1e-9 relative, and 1e-9 of the case's size absolute)."""
    scale = max(result.summary.pv_benefits, result.summary.pv_costs, 1.0)
    return all(
        math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * scale)
        for a, b in formula.check(scenario, result)
    )
