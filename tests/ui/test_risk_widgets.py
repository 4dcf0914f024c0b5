"""The ranges editor's logic: display units in, a valid scenario (or named problems) out."""

from __future__ import annotations

import math

import pytest

from roi_core import Scenario
from roi_ui.risk_widgets import RANGEABLE, _plus_minus, ranges_from_rows


def test_rows_become_ranges_in_model_units() -> None:
    rows = [
        {"field": "levers.retention_lift", "low": 5.0, "high": 20.0},  # percent on screen
        {"field": "costs.setup", "low": 50_000.0, "high": 150_000.0},
        {"field": "business.customers", "low": 150_000.5, "high": 250_000.0},
        {"field": "levers.save_rate", "low": None, "high": math.nan},  # no range
    ]
    s, problems = ranges_from_rows(Scenario(), rows)
    assert problems == []
    assert s is not None
    assert [p for p, _ in s.uncertainty.items()] == [
        "business.customers", "levers.retention_lift", "costs.setup",
    ]  # fmt: skip
    lift = s.uncertainty.get("levers.retention_lift")
    assert lift is not None
    assert (lift.low, lift.high) == pytest.approx((0.05, 0.20))
    customers = s.uncertainty.get("business.customers")
    assert customers is not None
    assert customers.low == 150_000.5  # a range is not rounded to whole customers


def test_bad_rows_are_named_and_nothing_is_applied() -> None:
    rows = [
        {"field": "levers.retention_lift", "low": 15.0, "high": 20.0},  # value 10 % outside
        {"field": "costs.setup", "low": 1.0, "high": None},
    ]
    s, problems = ranges_from_rows(Scenario(), rows)
    assert s is None
    assert any(p.startswith("uncertainty.costs.setup: give both") for p in problems)
    assert any(p.startswith("uncertainty.levers.retention_lift: low <= value <= high")
               for p in problems)  # fmt: skip


def test_plus_minus_25_stays_inside_each_levers_valid_range() -> None:
    s = Scenario.model_validate({"levers": {"save_rate": 0.9}})
    ranged = _plus_minus(s, 0.25)
    levers = [p for p in RANGEABLE if p.startswith("levers.")]
    assert [p for p, _ in ranged.uncertainty.items()] == levers
    save = ranged.uncertainty.get("levers.save_rate")
    assert save is not None
    assert (save.low, save.high) == pytest.approx((0.675, 1.0))  # 1.125 capped at 100 %
