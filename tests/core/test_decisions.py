"""Payback goal seek, the two-way data table and the sanity checks."""

from __future__ import annotations

import numpy as np
import pytest

from roi_core import AnalysisError, Scenario, break_even, evaluate, scenario_from_dict, with_values
from roi_core.analysis import MAX_GRID, grid2d
from roi_core.sanity import check


def test_payback_goal_seek_meets_the_target_on_a_monotone_field() -> None:
    s = Scenario()
    result = break_even(s, "levers.retention_lift", target_payback=10)
    assert result.value is not None
    assert result.target == {"metric": "payback_months", "value": 10.0}
    payback = evaluate(with_values(s, {"levers.retention_lift": result.value})).summary
    assert payback.payback_months == pytest.approx(10.0, rel=1e-6)
    assert "monotone" in result.message


def test_payback_goal_seek_names_a_jump_instead_of_inventing_a_value() -> None:
    # With no set-up cost the case "pays back" in month 0 by definition; any cost at
    # all moves it to months later: 6 months is never exactly reached.
    result = break_even(Scenario(), "costs.setup", target_payback=6)
    assert result.value is None
    assert "jumps from 0" in result.message


def test_payback_goal_seek_unreachable() -> None:
    result = break_even(Scenario(), "levers.price_premium", target_payback=0.5)
    assert result.value is None
    assert "No value of levers.price_premium" in result.message


def test_payback_target_is_checked() -> None:
    with pytest.raises(AnalysisError, match="target-payback"):
        break_even(Scenario(), "costs.setup", target_payback=-1)
    with pytest.raises(AnalysisError, match="not both"):
        break_even(Scenario(), "costs.setup", target_payback=5, target_roi=1)


def test_grid_matches_evaluate_cell_by_cell() -> None:
    s = Scenario()
    xs, ys = np.linspace(0, 0.5, 25), np.linspace(0, 0.4, 25)
    npv = grid2d(s, "levers.retention_lift", xs, "levers.social_deflection", ys)
    assert npv.shape == (25, 25)
    for i, j in [(0, 0), (3, 17), (24, 24), (12, 5)]:
        one = with_values(s, {"levers.retention_lift": xs[j], "levers.social_deflection": ys[i]})
        assert npv[i, j] == pytest.approx(evaluate(one).summary.npv, rel=1e-9)
    roi = grid2d(s, "costs.setup", [0, 1e5], "costs.staff_monthly", [0, 1e4], metric="roi")
    assert roi[1, 1] == pytest.approx(
        evaluate(with_values(s, {"costs.setup": 1e5, "costs.staff_monthly": 1e4})).summary.roi
    )


def test_grid_refuses_what_it_cannot_do() -> None:
    s = Scenario()
    with pytest.raises(AnalysisError, match="other than x"):
        grid2d(s, "costs.setup", [1], "costs.setup", [1])
    with pytest.raises(AnalysisError, match="timeline"):
        grid2d(s, "finance.horizon_months", [12], "costs.setup", [1])
    with pytest.raises(AnalysisError, match="at most"):
        grid2d(s, "costs.setup", np.zeros(MAX_GRID), "costs.staff_monthly", [1, 2])


def test_the_default_scenario_raises_no_sanity_finding() -> None:
    assert check(Scenario(), evaluate(Scenario())) == []


@pytest.mark.parametrize(
    ("data", "field", "phrase"),
    [
        ({"service": {"cost_per_social_contact": 9}}, "service.cost_per_social_contact",
         "more than a phone contact"),
        ({"service": {"cost_per_self_service_contact": 7}},
         "service.cost_per_self_service_contact", "more than a phone contact"),
        ({"levers": {"retention_lift": 0.6}}, "levers.retention_lift", "control group"),
        ({"levers": {"social_deflection": 0.3, "self_service_deflection": 0.1}},
         "levers.social_deflection", "published studies"),
        ({"levers": {"price_premium": 0.3}}, "levers.price_premium", "say they would pay"),
        ({"business": {"monthly_churn_rate": 0.1}}, "business.monthly_churn_rate", "Recurly"),
        ({"service": {"cost_per_assisted_contact": 90, "cost_per_social_contact": 2}},
         "service.cost_per_assisted_contact", "far from published"),
        ({"levers": {"social_reach": 0.8}}, "levers.social_reach", "unusually high"),
    ],
)  # fmt: skip
def test_each_sanity_rule_names_its_field_and_reason(
    data: dict[str, dict[str, float]], field: str, phrase: str
) -> None:
    s = scenario_from_dict(data)
    findings = [f for f in check(s, evaluate(s)) if f.field == field]
    assert len(findings) == 1
    assert phrase in findings[0].message
    assert str(findings[0]).startswith(f"{field}: ")


def test_payback_under_a_month_is_flagged() -> None:
    s = scenario_from_dict({"costs": {"setup": 0, "platform_monthly": 0, "staff_monthly": 0,
                                      "other_monthly": 0}})  # fmt: skip
    assert any(f.field == "summary.payback_months" for f in check(s, evaluate(s)))
