"""The formulas the methodology page shows hold for what the engine computes."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from scenario_strategies import scenarios

from roi_core import Result, Scenario, evaluate
from roi_core.methodology import FORMULAS, LEFT_OUT
from roi_ui.presets import load_presets


def _assert_formulas_hold(s: Scenario) -> None:
    result = evaluate(s)
    scale = max(result.summary.pv_benefits, result.summary.pv_costs, 1.0)
    for formula in FORMULAS:
        for got, expected in formula.check(s, result):
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9 * scale), (
                formula.anchor, got, expected,
            )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_horizon=48))
def test_every_formula_matches_the_engine(s: Scenario) -> None:
    _assert_formulas_hold(s)


@pytest.mark.parametrize("preset", sorted(load_presets()))
def test_every_formula_matches_the_engine_on_the_presets(preset: str) -> None:
    _assert_formulas_hold(load_presets()[preset].scenario)


def test_a_wrong_engine_would_be_caught() -> None:
    """The checks are not vacuous: a result from other inputs, or a tampered
    summary, fails them."""
    s = Scenario()

    def failing(result: Result) -> set[str]:
        return {
            f.anchor for f in FORMULAS
            if any(not math.isclose(a, b, rel_tol=1e-9) for a, b in f.check(s, result))
        }  # fmt: skip

    assert failing(evaluate(s)) == set()
    other = evaluate(Scenario.model_validate({"levers": {"retention_lift": 0.3}}))
    assert "customers" in failing(other)
    good = evaluate(s)
    for name, anchor in (("npv", "npv"), ("npv_hard", "hard"), ("payback_months", "payback")):
        summary = replace(good.summary, **{name: getattr(good.summary, name) + 1.0})
        assert anchor in failing(replace(good, summary=summary)), name


def test_anchors_unique_and_omissions_stated() -> None:
    anchors = [f.anchor for f in FORMULAS]
    assert len(anchors) == len(set(anchors))
    assert any("Attribution" in line for line in LEFT_OUT)
    assert any("Flexibility" in line for line in LEFT_OUT)
    assert any("Acquisition" in line for line in LEFT_OUT)
