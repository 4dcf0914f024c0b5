"""Bad scenarios are rejected with the field's name; good edge cases are accepted (MODEL.md §1).

Every problem is one line ``"<field path>: <rule>"``; the tests check the path
exactly as roi_core reports it (``levers.save_rate``, ``other_items[1].end_month``,
``uncertainty.levers.retention_lift``) and a phrase of the rule.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from roi_core import (
    NUMERIC_FIELDS,
    Scenario,
    ScenarioError,
    evaluate,
    scenario_from_dict,
    scenario_from_file,
    scenario_from_json,
    scenario_to_json,
    with_values,
)

FLOAT_FIELDS = [path for path, spec in NUMERIC_FIELDS.items() if not spec.is_int]
INT_FIELDS = [path for path, spec in NUMERIC_FIELDS.items() if spec.is_int]
BOUNDED_FIELDS = [path for path, spec in NUMERIC_FIELDS.items() if spec.high is not None]
OPEN_BELOW_ONE = ["business.monthly_churn_rate", "finance.discount_rate", "finance.benefit_risk"]
DEFLECTION = {
    "levers.social_deflection": "levers.self_service_deflection",
    "levers.self_service_deflection": "levers.social_deflection",
}


def bound(x: float) -> str:
    """A bound as the messages write it: ``1``, ``120``, ``1000000000000``, ``0.5``."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def nest(path: str, value: Any) -> dict[str, Any]:
    """``{"levers": {"save_rate": value}}`` from ``"levers.save_rate"``."""
    group, name = path.split(".")
    return {group: {name: value}}


def problems_of(data: Any) -> tuple[str, ...]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    problems = info.value.problems
    assert str(info.value) == "\n".join(problems)
    return problems


def only_problem(data: Any, path: str, phrase: str) -> str:
    """The single problem line of ``data``: it names ``path`` and contains ``phrase``."""
    problems = problems_of(data)
    assert len(problems) == 1, problems
    line = problems[0]
    assert line.startswith(f"{path}: "), line
    assert phrase in line, line
    return line


def item(**changes: Any) -> dict[str, Any]:
    return {"name": "Focus group replaced", "kind": "benefit", "amount": 1000.0, **changes}


def with_bad_second_item(**changes: Any) -> dict[str, Any]:
    """A scenario whose ``other_items[1]`` carries ``changes`` (index 0 stays valid)."""
    return {"other_items": [item(), item(**changes)]}


# --- the registry itself -----------------------------------------------------------------


def test_numeric_fields_cover_the_model_table() -> None:
    # MODEL.md §1 lists 30 numeric fields: 5 business (minus currency: 4), 4 service,
    # 13 levers, 4 costs, 5 finance.
    assert len(NUMERIC_FIELDS) == 30
    assert INT_FIELDS == ["business.customers", "finance.horizon_months", "finance.ramp_months"]
    assert set(OPEN_BELOW_ONE) == {p for p, s in NUMERIC_FIELDS.items() if not s.high_inclusive}


# --- numeric bounds ----------------------------------------------------------------------


@pytest.mark.parametrize("path", NUMERIC_FIELDS)
def test_below_lower_bound_is_rejected(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    value = int(spec.low) - 1 if spec.is_int else spec.low - 0.001
    line = only_problem(nest(path, value), path, "greater than or equal to")
    assert line == f"{path}: Input should be greater than or equal to {spec.low:g}"


@pytest.mark.parametrize("path", NUMERIC_FIELDS)
def test_lower_bound_itself_is_accepted(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    value = int(spec.low) if spec.is_int else spec.low
    group, name = path.split(".")
    assert getattr(getattr(scenario_from_dict(nest(path, value)), group), name) == value


@pytest.mark.parametrize("path", BOUNDED_FIELDS)
def test_above_upper_bound_is_rejected(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    assert spec.high is not None
    if not spec.high_inclusive:
        # Open bounds (``< 1``): the bound itself is already out.
        value: float = spec.high
        rule = f"less than {bound(spec.high)}"
    elif spec.is_int:
        value = int(spec.high) + 1
        rule = f"less than or equal to {bound(spec.high)}"
    else:
        value = spec.high + 0.001
        assert value > spec.high  # still above at 1e12, where a float's step is 1e-4
        rule = f"less than or equal to {bound(spec.high)}"
    line = only_problem(nest(path, value), path, rule)
    assert line == f"{path}: Input should be {rule}"


@pytest.mark.parametrize("path", OPEN_BELOW_ONE)
def test_open_bound_rejects_exactly_one(path: str) -> None:
    only_problem(nest(path, 1.0), path, "Input should be less than 1")
    # ...and accepts the largest float below it.
    group, name = path.split(".")
    below = math.nextafter(1.0, 0.0)
    assert getattr(getattr(scenario_from_dict(nest(path, below)), group), name) == below


@pytest.mark.parametrize("path", BOUNDED_FIELDS)
def test_largest_valid_value_is_accepted(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    value = int(spec.upper) if spec.is_int else spec.upper
    data = nest(path, value)
    if path in DEFLECTION:  # the other share must leave room: the sum may not exceed 1
        data["levers"][DEFLECTION[path].split(".")[1]] = 0.0
    group, name = path.split(".")
    assert getattr(getattr(scenario_from_dict(data), group), name) == value


# --- types -------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("path", NUMERIC_FIELDS)
def test_nan_and_infinity_are_rejected(path: str, bad: float) -> None:
    only_problem(nest(path, bad), path, "finite number")


def test_nan_in_json_text_is_rejected() -> None:
    # Python's json module reads the non-standard NaN / Infinity literals.
    with pytest.raises(ScenarioError) as info:
        scenario_from_json('{"levers": {"save_rate": NaN}, "costs": {"setup": Infinity}}')
    assert sorted(info.value.problems) == [
        "costs.setup: Input should be a finite number",
        "levers.save_rate: Input should be a finite number",
    ]


@pytest.mark.parametrize(
    ("bad", "kind"), [("5", "str"), ("0.1", "str"), (True, "bool"), (False, "bool")]
)
@pytest.mark.parametrize("path", NUMERIC_FIELDS)
def test_text_and_booleans_are_not_numbers(path: str, bad: Any, kind: str) -> None:
    line = only_problem(nest(path, bad), path, "Input should be a number")
    assert line == f"{path}: Input should be a number, not {kind}"


@pytest.mark.parametrize("bad", [None, [1], {"value": 1}], ids=["null", "list", "object"])
@pytest.mark.parametrize("path", ["business.customers", "levers.save_rate", "costs.setup"])
def test_other_non_numbers_are_rejected(path: str, bad: Any) -> None:
    only_problem(nest(path, bad), path, "Input should be a valid")


@pytest.mark.parametrize("path", INT_FIELDS)
def test_fractional_value_for_integer_field_is_rejected(path: str) -> None:
    only_problem(nest(path, 1.5), path, "fractional part")


@pytest.mark.parametrize("path", INT_FIELDS)
def test_whole_float_for_integer_field_is_an_int(path: str) -> None:
    group, name = path.split(".")
    value = getattr(getattr(scenario_from_dict(nest(path, 12.0)), group), name)
    assert value == 12
    assert type(value) is int


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"other_items": [item(), item(amount="5")]}, "other_items[1].amount"),
        ({"other_items": [item(), item(start_month=True)]}, "other_items[1].start_month"),
        ({"other_items": [item(), item(end_month="12")]}, "other_items[1].end_month"),
        (
            {"uncertainty": {"levers": {"save_rate": {"low": "0.1", "high": 0.3}}}},
            "uncertainty.levers.save_rate.low",
        ),
    ],
)
def test_text_and_booleans_are_not_numbers_in_items_and_ranges(
    data: dict[str, Any], path: str
) -> None:
    only_problem(data, path, "Input should be a number, not")


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"name": 5}, "name"),
        ({"description": ["a"]}, "description"),
        ({"business": "big"}, "business"),
        ({"levers": [0.1]}, "levers"),
        ({"other_items": {"name": "x"}}, "other_items"),
        ({"other_items": [item(), "item"]}, "other_items[1]"),
        ({"uncertainty": {"levers": "wide"}}, "uncertainty.levers"),
    ],
)
def test_wrong_shape_is_rejected(data: dict[str, Any], path: str) -> None:
    only_problem(data, path, "Input should be a valid")


# --- closed models -------------------------------------------------------------------------


def test_unknown_top_level_field_is_rejected() -> None:
    only_problem({"bogus": 1}, "bogus", "Extra inputs are not permitted")


@pytest.mark.parametrize(
    "group", ["business", "service", "levers", "costs", "finance", "uncertainty"]
)
def test_unknown_field_inside_a_group_is_rejected(group: str) -> None:
    only_problem({group: {"bogus": 1}}, f"{group}.bogus", "Extra inputs are not permitted")


def test_unknown_field_in_a_line_item_is_rejected() -> None:
    only_problem(
        with_bad_second_item(note="x"), "other_items[1].note", "Extra inputs are not permitted"
    )


def test_unknown_field_in_a_range_is_rejected() -> None:
    data = {"uncertainty": {"levers": {"save_rate": {"low": 0.1, "high": 0.3, "mode": 0.2}}}}
    only_problem(data, "uncertainty.levers.save_rate.mode", "Extra inputs are not permitted")


# --- currency --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["XYZ", "DOLLAR", "", "US", 840])
def test_bad_currency_code_is_rejected(bad: Any) -> None:
    only_problem({"business": {"currency": bad}}, "business.currency", "")


@pytest.mark.parametrize("code", ["USD", "EUR", "JPY", "CHF"])
def test_iso_currency_code_is_accepted(code: str) -> None:
    assert scenario_from_dict({"business": {"currency": code}}).business.currency == code


# --- the deflection sum ----------------------------------------------------------------------


def deflection(social: float, self_service: float) -> dict[str, Any]:
    return {"levers": {"social_deflection": social, "self_service_deflection": self_service}}


@pytest.mark.parametrize(("social", "self_service"), [(0.6, 0.5), (1.0, 0.1), (0.5, 0.5 + 1e-6)])
def test_deflection_shares_above_one_are_rejected(social: float, self_service: float) -> None:
    only_problem(
        deflection(social, self_service),
        "levers.social_deflection",
        "social_deflection + self_service_deflection must be <= 1",
    )


@pytest.mark.parametrize(
    ("social", "self_service"),
    [
        (1.0, 0.0),
        (0.0, 1.0),
        (0.5, 0.5),
        (0.35, 0.65),
        (0.7, 0.3),
        # 1 + 2e-16: a binary rounding error, not a broken rule
        (0.5, 0.5000000000000002),
    ],
)
def test_deflection_shares_summing_to_exactly_one_are_accepted(
    social: float, self_service: float
) -> None:
    levers = scenario_from_dict(deflection(social, self_service)).levers
    assert (levers.social_deflection, levers.self_service_deflection) == (social, self_service)


# --- other_items ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "path", "phrase"),
    [
        ({"name": ""}, "other_items[1].name", "at least 1 character"),
        ({"name": "x" * 81}, "other_items[1].name", "at most 80 characters"),
        ({"kind": "saving"}, "other_items[1].kind", "'benefit' or 'cost'"),
        ({"kind": "Benefit"}, "other_items[1].kind", "'benefit' or 'cost'"),
        ({"amount": -0.01}, "other_items[1].amount", "greater than or equal to 0"),
        ({"amount": math.inf}, "other_items[1].amount", "finite number"),
        ({"every": "week"}, "other_items[1].every", "'once', 'month' or 'year'"),
        ({"every": None}, "other_items[1].every", "'once', 'month' or 'year'"),
        ({"start_month": -1}, "other_items[1].start_month", "greater than or equal to 0"),
        ({"start_month": 121}, "other_items[1].start_month", "less than or equal to 120"),
        ({"start_month": 2.5}, "other_items[1].start_month", "fractional part"),
        ({"start_month": 5, "end_month": 4}, "other_items[1].end_month", "must be >= start_month"),
        ({"end_month": 0}, "other_items[1].end_month", "must be >= start_month"),
        ({"end_month": -1}, "other_items[1].end_month", "greater than or equal to 0"),
    ],
)
def test_bad_line_item_is_rejected(changes: dict[str, Any], path: str, phrase: str) -> None:
    only_problem(with_bad_second_item(**changes), path, phrase)


@pytest.mark.parametrize("missing", ["name", "kind", "amount"])
def test_line_item_required_fields(missing: str) -> None:
    bad = item()
    del bad[missing]
    only_problem({"other_items": [item(), bad]}, f"other_items[1].{missing}", "Field required")


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "x"},
        {"name": "x" * 80},
        {"kind": "cost", "amount": 0.0},
        {"every": "month", "start_month": 0, "end_month": 0},
        {"every": "year", "start_month": 120, "end_month": 120},
        {"every": "month", "start_month": 3, "end_month": None},
        # end_month beyond the horizon is fine: later occurrences are simply not counted.
        {"every": "month", "start_month": 1, "end_month": 500},
    ],
)
def test_valid_line_item_is_accepted(changes: dict[str, Any]) -> None:
    scenario = scenario_from_dict(with_bad_second_item(**changes))
    for key, value in changes.items():
        assert getattr(scenario.other_items[1], key) == value


def test_line_item_defaults() -> None:
    only = scenario_from_dict({"other_items": [item()]}).other_items[0]
    assert (only.every, only.start_month, only.end_month) == ("once", 1, None)


# --- uncertainty ------------------------------------------------------------------------------


def ranges(group: str, name: str, low: Any, high: Any) -> dict[str, Any]:
    return {"uncertainty": {group: {name: {"low": low, "high": high}}}}


def test_range_on_unknown_field_is_rejected() -> None:
    only_problem(
        ranges("levers", "loyalty", 0.0, 1.0),
        "uncertainty.levers.loyalty",
        "not a numeric field of levers",
    )


def test_range_on_non_numeric_field_is_rejected() -> None:
    only_problem(
        ranges("business", "currency", 0.0, 1.0),
        "uncertainty.business.currency",
        "not a numeric field of business",
    )


def test_range_with_low_above_high_is_rejected() -> None:
    only_problem(
        ranges("levers", "retention_lift", 0.3, 0.05),
        "uncertainty.levers.retention_lift.low",
        "must be <= high",
    )


RANGEABLE = [path for path, spec in NUMERIC_FIELDS.items() if spec.rangeable]


@pytest.mark.parametrize("path", RANGEABLE)
def test_range_below_the_fields_minimum_is_rejected(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    group, name = path.split(".")
    line = only_problem(
        ranges(group, name, spec.low - 0.5, spec.default), f"uncertainty.{path}.low", ""
    )
    assert line == f"uncertainty.{path}.low: must be >= {bound(spec.low)} (the field's minimum)"


@pytest.mark.parametrize("path", RANGEABLE)
def test_range_above_the_fields_maximum_is_rejected(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    assert spec.high is not None  # every rangeable field has an upper bound
    group, name = path.split(".")
    data = ranges(
        group, name, spec.default, spec.high if not spec.high_inclusive else spec.high * 2
    )
    line = only_problem(data, f"uncertainty.{path}.high", "")
    if spec.high_inclusive:
        assert line == (
            f"uncertainty.{path}.high: must be <= {bound(spec.high)} (the field's maximum)"
        )
    else:
        assert line == f"uncertainty.{path}.high: must be < {bound(spec.high)} (the field's limit)"


@pytest.mark.parametrize("path", RANGEABLE)
def test_range_spanning_the_whole_valid_range_is_accepted(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    group, name = path.split(".")
    rng = scenario_from_dict(ranges(group, name, spec.low, spec.upper)).uncertainty.get(path)
    assert rng is not None
    assert (rng.low, rng.high) == (spec.low, spec.upper)


def test_range_past_both_bounds_gives_two_lines() -> None:
    # The examples of the task: both ends named, each on its own line.
    assert problems_of(ranges("levers", "save_rate", -0.1, 1.2)) == (
        "uncertainty.levers.save_rate.low: must be >= 0 (the field's minimum)",
        "uncertainty.levers.save_rate.high: must be <= 1 (the field's maximum)",
    )
    assert problems_of(ranges("costs", "setup", -1, 100_000)) == (
        "uncertainty.costs.setup.low: must be >= 0 (the field's minimum)",
    )


@pytest.mark.parametrize(("low", "high"), [(0.15, 0.3), (0.0, 0.05)], ids=["below", "above"])
def test_value_outside_its_range_is_rejected(low: float, high: float) -> None:
    # retention_lift is 0.10 by default.
    only_problem(
        ranges("levers", "retention_lift", low, high),
        "uncertainty.levers.retention_lift",
        "low <= value <= high must hold",
    )


def test_value_outside_its_range_uses_the_scenario_value() -> None:
    data = ranges("levers", "retention_lift", 0.15, 0.3)
    data["levers"] = {"retention_lift": 0.2}
    assert scenario_from_dict(data).uncertainty.get("levers.retention_lift") is not None
    data["levers"] = {"retention_lift": 0.4}
    only_problem(data, "uncertainty.levers.retention_lift", "value 0.4")


@pytest.mark.parametrize("group", ["finance", "other_items", "name"])
def test_range_on_non_rangeable_group_is_rejected(group: str) -> None:
    data = {"uncertainty": {group: {"discount_rate": {"low": 0.05, "high": 0.15}}}}
    only_problem(data, f"uncertainty.{group}", "Extra inputs are not permitted")


@pytest.mark.parametrize(
    ("rng", "path", "phrase"),
    [
        ({"low": 0.1}, "uncertainty.levers.save_rate.high", "Field required"),
        ({"high": 0.3}, "uncertainty.levers.save_rate.low", "Field required"),
        ({"low": math.nan, "high": 0.3}, "uncertainty.levers.save_rate.low", "finite number"),
        ({"low": 0.1, "high": math.inf}, "uncertainty.levers.save_rate.high", "finite number"),
    ],
)
def test_incomplete_or_non_finite_range_is_rejected(
    rng: dict[str, Any], path: str, phrase: str
) -> None:
    only_problem({"uncertainty": {"levers": {"save_rate": rng}}}, path, phrase)


@pytest.mark.parametrize(
    ("path", "low", "high"),
    [
        ("levers.retention_lift", 0.1, 0.1),  # zero width, equal to the value
        ("levers.retention_lift", 0.1, 0.3),  # value at low
        ("levers.retention_lift", 0.0, 0.1),  # value at high
        ("business.customers", 150_000, 250_000),
        ("service.cost_per_assisted_contact", 4.5, 8.0),
        ("costs.setup", 60_000, 120_000),
    ],
)
def test_valid_range_is_accepted(path: str, low: float, high: float) -> None:
    group, name = path.split(".")
    rng = scenario_from_dict(ranges(group, name, low, high)).uncertainty.get(path)
    assert rng is not None
    assert (rng.low, rng.high) == (low, high)


# --- not an object, not JSON --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [("[1, 2]", "list"), ("42", "int"), ('"scenario"', "str"), ("null", "NoneType")],
)
def test_top_level_json_that_is_not_an_object_is_rejected(text: str, kind: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_json(text)
    assert info.value.problems == (f"scenario: must be a JSON object, not {kind}",)
    # The same rule holds for already-parsed data.
    assert problems_of(json.loads(text)) == info.value.problems


@pytest.mark.parametrize(
    "text",
    ["", "not json", "{'single': 'quotes'}", '{"levers": {', b"\xff\xfe\x00{", "{} {}"],
    ids=["empty", "word", "quotes", "truncated", "bad-bytes", "trailing"],
)
def test_text_that_is_not_json_says_so(text: str | bytes) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_json(text)
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("scenario: not valid JSON")


def test_deeply_nested_json_is_a_scenario_error() -> None:
    depth = 5_000  # past Python's recursion limit while parsing
    with pytest.raises(ScenarioError) as info:
        scenario_from_json('{"name": ' + "[" * depth + "]" * depth + "}")
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("scenario: ")


# --- several problems -------------------------------------------------------------------------


def test_several_problems_give_several_lines() -> None:
    data = {
        "bogus": True,
        "business": {"customers": -1, "currency": "XYZ"},
        "levers": {"save_rate": 1.5, "retention_lift": "high"},
        "finance": {"horizon_months": 121, "discount_rate": 1.0},
        "other_items": [item(), item(kind="gift", start_month=10, end_month=2)],
        "uncertainty": {"costs": {"staff": {"low": 0, "high": 1}}},
    }
    problems = problems_of(data)
    paths = sorted(line.split(": ", 1)[0] for line in problems)
    assert paths == sorted(
        [
            "bogus",
            "business.customers",
            "business.currency",
            "levers.save_rate",
            "levers.retention_lift",
            "finance.horizon_months",
            "finance.discount_rate",
            "other_items[1].kind",
            "uncertainty.costs.staff",
        ]
    )


def test_several_cross_field_problems_give_several_lines() -> None:
    data = {
        "levers": {"save_rate": 0.5, "retention_lift": 0.5},
        "uncertainty": {
            "levers": {
                "save_rate": {"low": 0.0, "high": 0.3},
                "retention_lift": {"low": 0.0, "high": 0.2},
            },
        },
    }
    assert sorted(line.split(": ", 1)[0] for line in problems_of(data)) == [
        "uncertainty.levers.retention_lift",
        "uncertainty.levers.save_rate",
    ]


def test_several_unknown_range_fields_give_several_lines() -> None:
    data = {
        "uncertainty": {
            "levers": {"a": {"low": 0, "high": 1}},
            "costs": {"b": {"low": 0, "high": 1}},
        }
    }
    assert sorted(problems_of(data)) == [
        "uncertainty.costs.b: not a numeric field of costs",
        "uncertainty.levers.a: not a numeric field of levers",
    ]


# --- valid edge cases -------------------------------------------------------------------------


def test_empty_object_takes_every_default() -> None:
    scenario = scenario_from_dict({})
    assert scenario == Scenario()
    assert scenario.name == "Untitled scenario"
    assert scenario.business.currency == "USD"
    assert scenario.other_items == ()
    assert scenario.uncertainty.items() == []
    for path, spec in NUMERIC_FIELDS.items():
        group, name = path.split(".")
        assert getattr(getattr(scenario, group), name) == spec.default, path


@pytest.mark.parametrize("horizon", [1, 120])
def test_shortest_and_longest_horizon_are_accepted(horizon: int) -> None:
    scenario = scenario_from_dict({"finance": {"horizon_months": horizon}})
    assert scenario.finance.horizon_months == horizon
    assert evaluate(scenario).monthly.month.tolist() == list(range(horizon + 1))


def test_zero_churn_is_accepted() -> None:
    scenario = scenario_from_dict({"business": {"monthly_churn_rate": 0}})
    assert scenario.business.monthly_churn_rate == 0.0
    assert math.isfinite(evaluate(scenario).summary.npv)


def test_a_short_horizon_never_invalidates_line_items() -> None:
    data = {
        "finance": {"horizon_months": 1},
        "other_items": [item(every="year", start_month=24, end_month=60)],
    }
    assert scenario_from_dict(data).other_items[0].start_month == 24


def full_scenario() -> dict[str, Any]:
    return {
        "name": "Telco, cautious case",
        "description": "Ranges from the pilot.",
        "business": {"customers": 1_000_000, "currency": "EUR", "monthly_churn_rate": 0.02},
        "service": {"monthly_assisted_contacts": 250_000.5},
        "levers": {"social_deflection": 0.35, "self_service_deflection": 0.65, "save_rate": 0.25},
        "costs": {"setup": 120_000},
        "finance": {"horizon_months": 60, "ramp_months": 0, "discount_rate": 0.08},
        "uncertainty": {
            "levers": {"save_rate": {"low": 0.1, "high": 0.4}},
            "business": {"customers": {"low": 900_000, "high": 1_100_000}},
            "costs": {"setup": {"low": 100_000, "high": 200_000}},
        },
        "other_items": [
            item(name="Integration project", kind="cost", amount=50_000, start_month=0),
            item(name="Licence", kind="cost", amount=12_000, every="year", start_month=1),
            item(every="month", start_month=3, end_month=24),
        ],
    }


def test_round_trip_through_json_is_equal() -> None:
    scenario = scenario_from_dict(full_scenario())
    text = scenario_to_json(scenario)
    again = scenario_from_json(text)
    assert again == scenario
    assert scenario_to_json(again) == text
    assert scenario_from_json(scenario_to_json(scenario, indent=None)) == scenario
    assert scenario_from_json(text.encode()) == scenario
    assert [p for p, _ in again.uncertainty.items()] == [
        "business.customers",
        "levers.save_rate",
        "costs.setup",
    ]
    assert evaluate(again).summary == evaluate(scenario).summary


def test_scenario_from_dict_keeps_what_it_was_given() -> None:
    scenario = scenario_from_dict(full_scenario())
    assert scenario.business.customers == 1_000_000
    assert scenario.business.currency == "EUR"
    assert scenario.levers.save_rate == 0.25
    assert scenario.levers.retention_lift == 0.10  # not given: default
    assert [i.name for i in scenario.other_items] == [
        "Integration project",
        "Licence",
        "Focus group replaced",
    ]


def test_scenario_from_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(full_scenario()), encoding="utf-8")
    assert scenario_from_file(path) == scenario_from_dict(full_scenario())
    assert scenario_from_file(str(path)) == scenario_from_dict(full_scenario())


def test_scenario_from_file_reports_problems_by_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"levers": {"save_rate": 2}}', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        scenario_from_file(path)
    assert info.value.problems == ("levers.save_rate: Input should be less than or equal to 1",)


def test_scenario_from_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_file(tmp_path / "nowhere.json")
    assert len(info.value.problems) == 1
    assert info.value.problems[0].startswith("scenario: cannot read")
    assert "nowhere.json" in info.value.problems[0]


def test_with_values_validates_again() -> None:
    scenario = Scenario()
    assert with_values(scenario, {"levers.save_rate": 0.5}).levers.save_rate == 0.5
    assert with_values(scenario, {"finance.horizon_months": 12.0}).finance.horizon_months == 12
    with pytest.raises(ScenarioError) as info:
        with_values(scenario, {"levers.save_rate": 1.5})
    assert info.value.problems == ("levers.save_rate: Input should be less than or equal to 1",)
    with pytest.raises(ScenarioError) as info:
        with_values(scenario, {"levers.loyalty": 0.5})
    assert info.value.problems[0].startswith("levers.loyalty: ")


# --- frozen -----------------------------------------------------------------------------------


def test_models_are_frozen() -> None:
    scenario = scenario_from_dict(full_scenario())
    with pytest.raises(ValidationError, match="frozen"):
        scenario.name = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.levers = scenario.levers  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.levers.save_rate = 0.9  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.finance.horizon_months = 12  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        scenario.other_items[0].amount = 1.0  # type: ignore[misc]
    rng = scenario.uncertainty.get("levers.save_rate")
    assert rng is not None
    with pytest.raises(ValidationError, match="frozen"):
        rng.low = 0.0  # type: ignore[misc]
    assert scenario == scenario_from_dict(full_scenario())


def test_line_items_cannot_be_changed_in_place() -> None:
    scenario = scenario_from_dict(
        {"other_items": [{"name": "licence", "kind": "cost", "amount": 10}]}
    )
    with pytest.raises(AttributeError):
        scenario.other_items.append(scenario.other_items[0])  # type: ignore[attr-defined]


def test_deflection_sum_message_shows_the_real_total() -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(
            {"levers": {"social_deflection": 0.5, "self_service_deflection": 0.500001}}
        )
    assert "= 1.000001" in info.value.problems[0]
