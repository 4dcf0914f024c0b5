"""The editors' logic: a data editor's delta replayed on rows; ranges and line items
from rows (display units in, a valid scenario or named problems out)."""

from __future__ import annotations

import math

import pytest

from roi_core import Scenario
from roi_ui.editor import apply_edits, items_from_rows, items_rows, ranges_from_rows, ranges_rows


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


def test_rows_of_a_scenario_round_trip_through_the_ranges_editor() -> None:
    s = Scenario.model_validate(
        {"uncertainty": {"levers": {"retention_lift": {"low": 0.05, "high": 0.2}}}}
    )
    rows = ranges_rows(s)
    lift = next(r for r in rows if r["field"] == "levers.retention_lift")
    assert (lift["low"], lift["value"], lift["high"]) == (5.0, 10.0, 20.0)  # percent on screen
    again, problems = ranges_from_rows(s, rows)
    assert problems == []
    assert again == s


def test_a_range_past_the_fields_bounds_is_named() -> None:
    rows = [{"field": "costs.setup", "low": -10.0, "high": 90_000.0}]
    s, problems = ranges_from_rows(Scenario(), rows)
    assert s is None
    assert any(p.startswith("uncertainty.costs.setup") for p in problems)


def test_text_in_a_range_cell_is_named_not_raised() -> None:
    rows = [{"field": "costs.setup", "low": "abc", "high": 90_000.0}]
    s, problems = ranges_from_rows(Scenario(), rows)
    assert s is None
    assert problems == ["uncertainty.costs.setup: low and high must be numbers"]


def test_a_data_editor_delta_is_replayed_as_streamlit_applies_it() -> None:
    rows = [{"a": 1}, {"a": 2}, {"a": 3}]
    edits = {
        "edited_rows": {0: {"a": 10}, "2": {"a": 30}},  # keys may come as ints or text
        "deleted_rows": [1],
        "added_rows": [{"a": 4}],
    }
    assert apply_edits(rows, edits) == [{"a": 10}, {"a": 30}, {"a": 4}]
    assert rows == [{"a": 1}, {"a": 2}, {"a": 3}]  # the starting rows are not changed
    assert apply_edits(rows, None) == rows


def test_line_items_from_editor_rows() -> None:
    s = Scenario.model_validate(
        {"other_items": [{"name": "Licence", "kind": "cost", "amount": 100.0, "every": "month"}]}
    )
    rows = items_rows(s)
    assert rows[0]["name"] == "Licence" and rows[0]["end_month"] is None
    added = apply_edits(rows, {"added_rows": [{"name": "Focus group", "kind": "benefit",
                                               "amount": 5000.0, "start_month": 12.0}],
                               "edited_rows": {}, "deleted_rows": []})  # fmt: skip
    items = items_from_rows([*added, {"name": None, "kind": None}])  # an empty row is dropped
    assert items == [
        {"name": "Licence", "kind": "cost", "amount": 100.0, "every": "month", "start_month": 1},
        {"name": "Focus group", "kind": "benefit", "amount": 5000.0, "start_month": 12},
    ]
    assert items_from_rows([{"name": "x", "kind": None, "amount": float("nan")}]) == [
        {"name": "x", "kind": None, "amount": None}
    ]
