"""Cases derived from one scenario: Conservative / Base / Optimistic, and the
case with and without the risk adjustment (total-economic-impact convention)."""

from __future__ import annotations

from roi_core.analysis import feasible, sensitivity
from roi_core.engine import evaluate
from roi_core.i18n import gettext as _
from roi_core.results import Summary
from roi_core.scenario import Scenario, with_values

__all__ = ["risk_adjustment", "variants"]


def variants(scenario: Scenario) -> list[tuple[str, Scenario]]:
    """Conservative / Base / Optimistic from the uncertainty ranges: every ranged
    field at the end of its range that lowers (raises) the NPV, made valid the way
    the analyses do (clipped; deflection shares scaled to sum to at most 1).

    Without ranges there is only the base case: ``[("Base", scenario)]``. The names
    are in the language spoken (they name the cases on the compare page).
    """
    rows = sensitivity(scenario)
    if not rows:
        return [(_("Base"), scenario)]
    worse: dict[str, list[float]] = {}
    better: dict[str, list[float]] = {}
    for row in rows:
        (_npv_low, low_end), (_npv_high, high_end) = sorted(
            ((row.npv_low, row.low), (row.npv_high, row.high))
        )
        worse[row.field], better[row.field] = [low_end], [high_end]
    made = []
    for columns in (worse, better):
        valid = feasible(scenario, columns)
        made.append(with_values(scenario, {p: float(v[0]) for p, v in valid.items()}))
    return [(_("Conservative"), made[0]), (_("Base"), scenario), (_("Optimistic"), made[1])]


def risk_adjustment(scenario: Scenario) -> dict[str, Summary]:
    """The case without risk factors (``"Unadjusted"``: benefit and cost risk at 0)
    and as given (``"Risk-adjusted"``)."""
    plain = with_values(scenario, {"finance.benefit_risk": 0.0, "finance.cost_risk": 0.0})
    return {"Unadjusted": evaluate(plain).summary, "Risk-adjusted": evaluate(scenario).summary}
