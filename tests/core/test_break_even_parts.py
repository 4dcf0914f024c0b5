"""Break-even answers in parts (outcome, span, reach, jump, crossings, ...) for a UI
that words them for people; the CLI's four names and its message stay as they were."""

from __future__ import annotations

import math
from typing import Any

import pytest

from roi_core import BreakEven, Scenario, break_even, evaluate, scenario_from_dict, with_values
from roi_core.scenario import NUMERIC_FIELDS


def fmt(x: float) -> str:
    """How the message writes a number (analysis._fmt)."""
    return f"{x:,.6g}"


def summary_at(scenario: Scenario, path: str, value: float) -> Any:
    return evaluate(with_values(scenario, {path: value})).summary


def assert_consistent(result: BreakEven) -> None:
    """What every answer holds, whatever its outcome."""
    assert set(result.to_dict()) == {"field", "value", "target", "message"}
    low, high = result.searched
    assert low <= high
    assert (result.value is not None) == (result.outcome == "found")
    assert (result.reach is not None) == (result.outcome == "unreachable")
    assert (result.jump is not None) == (result.outcome == "jump")
    assert (result.at is not None) == (result.outcome == "jump")
    if result.value is not None:
        assert low <= result.value <= high
        assert result.crossings >= 1
    if result.outcome in ("unreachable", "undefined"):
        assert result.crossings == 0
    if result.jump is not None and result.at is not None:
        assert result.jump[0] < result.jump[1]
        assert low <= result.at <= high
    assert result.whole == (result.outcome == "found" and NUMERIC_FIELDS[result.field].is_int)
    assert ("is a whole number" in result.message) == result.whole
    assert (f"crosses the target {result.crossings} times" in result.message) == (
        result.outcome == "found" and result.crossings > 1
    )
    payback = result.target["metric"] == "payback_months"
    assert (result.monotone_payback is not None) == (payback and result.outcome != "undefined")
    if result.outcome == "found" and payback:
        assert ("Payback is monotone" in result.message) == bool(result.monotone_payback)
        assert ("Payback is not monotone" in result.message) == (not result.monotone_payback)


# --- found --------------------------------------------------------------------------------


def test_setup_for_npv_zero_is_found_at_905918() -> None:
    s = Scenario()
    result = break_even(s, "costs.setup")
    assert_consistent(result)
    assert result.outcome == "found"
    assert result.value is not None
    # Setup is up front and undiscounted: npv falls by exactly 1.05 per unit.
    npv_now = evaluate(s).summary.npv
    assert result.value == pytest.approx(80_000 + npv_now / 1.05, rel=1e-9)
    assert math.floor(result.value * 10) / 10 == 905_918.2
    summary = summary_at(s, "costs.setup", result.value)
    assert abs(summary.npv) <= 1e-6 * summary.pv_costs
    # A capped money field is searched as an open-ended one, up to its cap.
    assert result.searched == (0.0, 1e12)
    assert (result.reach, result.jump, result.at) == (None, None, None)
    assert result.crossings == 1
    assert result.whole is False
    assert result.monotone_payback is None
    assert result.message == "npv = 0 at costs.setup = 905,918 (now 80,000)."
    assert result.to_dict() == {
        "field": "costs.setup",
        "value": result.value,
        "target": {"metric": "npv", "value": 0.0},
        "message": result.message,
    }


def test_a_payback_target_on_a_monotone_field_says_so_in_parts() -> None:
    s = Scenario()
    result = break_even(s, "levers.retention_lift", target_payback=10)
    assert_consistent(result)
    assert result.outcome == "found" and result.value is not None
    assert result.searched == (0.0, 1.0)
    assert result.monotone_payback is True
    assert summary_at(s, "levers.retention_lift", result.value).payback_months == pytest.approx(
        10.0, rel=1e-6
    )


def test_a_whole_number_field_is_rounded_to_a_whole_value_meeting_the_target() -> None:
    s = Scenario()
    result = break_even(s, "finance.horizon_months")
    assert_consistent(result)
    assert result.outcome == "found"
    assert result.value == 13.0
    assert result.whole is True
    assert result.searched == (1.0, 120.0)
    assert result.crossings == 1
    assert summary_at(s, "finance.horizon_months", 13).npv >= 0
    assert summary_at(s, "finance.horizon_months", 12).npv < 0
    # A field that is not a whole number is never rounded.
    assert break_even(s, "costs.setup").whole is False


# --- more than one crossing -----------------------------------------------------------------


def decommissioned(rate: float) -> Scenario:
    """Benefits that ramp up over a year, a set-up cost and a large cost at the end:
    npv < 0 at a low discount rate (the late cost counts fully), > 0 in between,
    < 0 again at a high rate (the set-up cost dominates)."""
    return scenario_from_dict(
        {
            "finance": {"horizon_months": 120, "ramp_months": 12, "discount_rate": rate},
            "costs": {"setup": 600_000},
            "other_items": [
                {"name": "decommissioning", "kind": "cost", "amount": 1e7, "start_month": 120}
            ],
        }
    )


@pytest.mark.parametrize(("rate", "near"), [(0.1, 0.0796), (0.9, 0.6297)])
def test_two_crossings_the_nearest_to_the_current_value_is_returned(
    rate: float, near: float
) -> None:
    s = decommissioned(rate)
    result = break_even(s, "finance.discount_rate")
    assert_consistent(result)
    assert result.outcome == "found" and result.value is not None
    assert result.crossings == 2
    assert "npv crosses the target 2 times" in result.message
    assert result.value == pytest.approx(near, abs=1e-4)
    summary = summary_at(s, "finance.discount_rate", result.value)
    assert abs(summary.npv) <= 1e-6 * summary.pv_costs
    # The other crossing is farther from the current value.
    other = break_even(decommissioned(0.9 if rate == 0.1 else 0.1), "finance.discount_rate")
    assert other.value is not None
    assert abs(other.value - rate) > abs(result.value - rate)


def test_three_crossings_on_a_whole_number_field() -> None:
    # A large one-off cost in month 60: npv turns positive, negative at 60, positive again.
    s = scenario_from_dict(
        {
            "finance": {"horizon_months": 90},
            "other_items": [{"name": "refit", "kind": "cost", "amount": 5e6, "start_month": 60}],
        }
    )
    result = break_even(s, "finance.horizon_months")
    assert_consistent(result)
    assert result.crossings == 3
    assert result.whole is True
    assert result.value == 82.0
    assert summary_at(s, "finance.horizon_months", 82).npv >= 0
    assert summary_at(s, "finance.horizon_months", 81).npv < 0


def grant_scenario(contacts: float) -> Scenario:
    """A grant in month 1 pays the case back at once while contacts are few; social
    contacts dearer than the phone then delay payback, until the process fixes
    (root cause) outweigh them at large volumes: payback rises, jumps, then falls."""
    return scenario_from_dict(
        {
            "service": {"monthly_assisted_contacts": contacts, "cost_per_social_contact": 16},
            "levers": {
                "root_cause_reduction": 0.5,
                "social_deflection": 0.5,
                "self_service_deflection": 0,
            },
            "other_items": [
                {"name": "grant", "kind": "benefit", "amount": 2e5, "every": "once",
                 "start_month": 1}
            ],
        }
    )  # fmt: skip


def test_payback_that_is_not_monotone_is_said_in_parts() -> None:
    path = "service.monthly_assisted_contacts"
    s = grant_scenario(1.6e6)
    result = break_even(s, path, target_payback=7.6)
    assert_consistent(result)
    assert result.outcome == "found" and result.value is not None
    assert result.monotone_payback is False
    assert result.crossings == 2
    assert "Payback is not monotone" in result.message
    assert summary_at(s, path, result.value).payback_months == pytest.approx(7.6, rel=1e-6)


# --- jump -------------------------------------------------------------------------------------


def test_payback_jumps_from_zero_without_a_setup_cost() -> None:
    s = Scenario()
    result = break_even(s, "costs.setup", target_payback=6)
    assert_consistent(result)
    assert result.outcome == "jump"
    assert result.value is None
    assert result.at == 0.0
    assert result.jump is not None
    assert result.jump[0] == 0.0
    assert summary_at(s, "costs.setup", 0.0).payback_months == 0.0
    # Any set-up cost at all moves payback to months later.
    assert result.jump[1] == pytest.approx(
        summary_at(s, "costs.setup", 1e-6).payback_months, rel=1e-6
    )
    assert result.jump[1] > 6
    assert f"jumps from {fmt(result.jump[0])} to {fmt(result.jump[1])}" in result.message
    assert f"costs.setup = {fmt(result.at)}" in result.message
    assert result.crossings == 1
    assert result.monotone_payback is True


def test_a_jump_inside_the_span_is_located_with_both_sides() -> None:
    path = "service.monthly_assisted_contacts"
    s = grant_scenario(60_000)
    result = break_even(s, path, target_payback=7.6)
    assert_consistent(result)
    assert result.outcome == "jump"
    assert result.at is not None and result.jump is not None
    assert 200_000 < result.at < 400_000
    before = summary_at(s, path, result.at * (1 - 1e-7)).payback_months
    after = summary_at(s, path, result.at * (1 + 1e-7)).payback_months
    assert before == pytest.approx(result.jump[0], rel=1e-3)
    assert after == pytest.approx(result.jump[1], rel=1e-3)
    assert result.jump[0] < 7.6 < result.jump[1]
    assert f"{path} = {fmt(result.at)}" in result.message
    assert result.monotone_payback is False


# --- unreachable --------------------------------------------------------------------------------


def test_unreachable_npv_gives_the_span_the_metric_stays_in() -> None:
    s = Scenario()
    path = "levers.price_premium"
    result = break_even(s, path)
    assert_consistent(result)
    assert result.outcome == "unreachable"
    assert result.searched == (0.0, 1.0)
    assert result.reach is not None
    low, high = result.reach
    assert low is not None and high is not None
    # A price premium only adds benefit: the ends of the span are the extremes.
    assert low == pytest.approx(summary_at(s, path, 0.0).npv, rel=1e-12)
    assert high == pytest.approx(summary_at(s, path, 1.0).npv, rel=1e-12)
    assert f"npv stays between {fmt(low)} and {fmt(high)}" in result.message
    assert (result.jump, result.at, result.crossings, result.whole) == (None, None, 0, False)


def test_unreachable_payback_leaves_never_as_none() -> None:
    s = Scenario()
    result = break_even(s, "costs.staff_monthly", target_payback=0.5)
    assert_consistent(result)
    assert result.outcome == "unreachable"
    assert result.reach is not None
    best, worst = result.reach
    assert worst is None  # at a high enough staff cost the case never pays back
    assert best == pytest.approx(summary_at(s, "costs.staff_monthly", 0.0).payback_months)
    assert best is not None
    assert f"payback ranges from {fmt(best)} months to never" in result.message
    assert result.monotone_payback is True
    # A horizon shorter than the payback never pays back either.
    horizon = break_even(s, "finance.horizon_months", target_payback=10)
    assert horizon.outcome == "unreachable" and horizon.reach is not None
    assert horizon.reach[0] == pytest.approx(evaluate(s).summary.payback_months)
    assert horizon.reach[1] is None


def test_payback_reached_nowhere_says_never_instead_of_a_number() -> None:
    s = scenario_from_dict({"costs": {"staff_monthly": 500_000}})
    result = break_even(s, "levers.retention_lift", target_payback=5)
    assert_consistent(result)
    assert result.outcome == "unreachable"
    assert result.reach == (None, None)
    assert "never pays back within the horizon" in result.message
    assert "1e+09" not in result.message
    assert summary_at(s, "levers.retention_lift", 1.0).payback_months is None


# --- undefined ----------------------------------------------------------------------------------


def test_roi_without_any_cost_is_undefined_everywhere() -> None:
    s = scenario_from_dict(
        {"costs": {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}}
    )
    result = break_even(s, "levers.retention_lift", target_roi=1.0)
    assert_consistent(result)
    assert result.outcome == "undefined"
    assert result.searched == (0.0, 1.0)
    assert result.crossings == 0
    assert result.monotone_payback is None
    assert result.message == "roi is undefined everywhere in [0, 1]."
    assert evaluate(s).summary.roi is None


# --- every field --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [{}, {"target_roi": 2.0}, {"target_payback": 10.0}],
                         ids=["npv", "roi", "payback"])  # fmt: skip
def test_the_parts_agree_with_the_message_and_the_model_for_every_field(
    target: dict[str, float],
) -> None:
    s = Scenario()
    metric = {"target_roi": "roi", "target_payback": "payback_months"}.get(
        next(iter(target), ""), "npv"
    )
    goal = next(iter(target.values()), 0.0)
    for path in NUMERIC_FIELDS:
        result = break_even(s, path, **target)
        assert_consistent(result)
        assert result.target == {"metric": metric, "value": goal}
        if result.outcome == "found":
            assert result.value is not None
            assert f"{path} = {fmt(result.value)}" in result.message
            got = getattr(summary_at(s, path, result.value), metric)
            if result.whole:  # the nearest whole value at which the target is met
                assert got <= goal if metric == "payback_months" else got >= goal, path
            elif metric == "npv":
                assert abs(got) <= 1e-6 * summary_at(s, path, result.value).pv_costs, path
            else:
                assert got == pytest.approx(goal, rel=1e-6), path
        elif result.outcome == "unreachable":
            assert result.message.startswith(f"No value of {path} in [")
            assert f"[{fmt(result.searched[0])}, {fmt(result.searched[1])}]" in result.message


def test_older_constructor_calls_still_work() -> None:
    legacy = BreakEven("costs.setup", None, {"metric": "npv", "value": 0.0}, "text")
    assert legacy.to_dict() == {
        "field": "costs.setup",
        "value": None,
        "target": {"metric": "npv", "value": 0.0},
        "message": "text",
    }
    assert legacy.crossings == 0 and legacy.reach is None and legacy.monotone_payback is None
