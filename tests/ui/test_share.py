"""roi_ui.share: a scenario in a URL. The round trip is exact; decoding is
forgiving, one parameter at a time, and never raises."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_strategies import scenarios

from roi_core import NUMERIC_FIELDS, Scenario, scenario_from_dict
from roi_ui.presets import load_presets
from roi_ui.share import SCENARIO_PARAMS, decode, encode, link

BASE = "https://roi.example.org/dashboard"

TRICKY_NAMES = [
    "A & B = C #1",
    'Say "hi", it\'s <b>bold</b>',
    "Über café \u2013 東京 🚀",
    "  leading and trailing spaces  ",
    "100% + plus/slash?query",
    "line\nbreak\ttab",
]

names = st.sampled_from(TRICKY_NAMES) | st.text(min_size=1, max_size=60)
currencies = st.sampled_from(["USD", "EUR", "GBP", "JPY", "IDR", "INR", "BRL", "AUD"])
RANGEABLE = [path for path, spec in NUMERIC_FIELDS.items() if spec.rangeable]


@st.composite
def shared_scenarios(draw: st.DrawFn) -> Scenario:
    """A valid scenario with a tricky name, a description, a currency and ranges."""
    data = draw(scenarios()).model_dump(mode="json")
    data["name"] = draw(names)
    data["description"] = draw(st.sampled_from(["", *TRICKY_NAMES]) | st.text(max_size=80))
    data["business"]["currency"] = draw(currencies)
    uncertainty: dict[str, dict[str, dict[str, float]]] = {}
    for path in draw(st.lists(st.sampled_from(RANGEABLE), max_size=5, unique=True)):
        group, name = path.split(".")
        value = float(data[group][name])
        low = value * draw(st.floats(0.0, 1.0))
        high = value + draw(st.floats(0.0, 1e4))
        uncertainty.setdefault(group, {})[name] = {"low": low, "high": high}
    data["uncertainty"] = uncertainty
    return scenario_from_dict(data)


def _via_url(scenario: Scenario, base: str = BASE) -> dict[str, list[str]]:
    return parse_qs(urlparse(link(base, scenario)).query)


def _with(data: dict[str, Any]) -> Scenario:
    return scenario_from_dict(data)


# --- round trip --------------------------------------------------------------------------


def test_defaults_encode_to_nothing() -> None:
    assert encode(Scenario()) == {}
    assert link(BASE, Scenario()) == BASE
    assert decode({}) == (Scenario(), [])


def test_encode_lists_only_what_differs_in_model_units() -> None:
    scenario = _with(
        {
            "name": "Pilot",
            "business": {"currency": "EUR", "customers": 250_000},
            "levers": {"save_rate": 0.25},
            "finance": {"horizon_months": 48},
        }
    )
    assert encode(scenario) == {
        "name": "Pilot",
        "business.currency": "EUR",
        "business.customers": "250000",
        "levers.save_rate": "0.25",
        "finance.horizon_months": "48",
    }


def test_encode_line_items_and_ranges_as_compact_json() -> None:
    scenario = _with(
        {
            "levers": {"save_rate": 0.25},
            "uncertainty": {"levers": {"save_rate": {"low": 0.1, "high": 0.4}}},
            "other_items": [{"name": "Café", "kind": "cost", "amount": 1500.5, "every": "year"}],
        }
    )
    params = encode(scenario)
    assert json.loads(params["items"]) == [
        {"name": "Café", "kind": "cost", "amount": 1500.5, "every": "year"}
    ]
    assert "Café" in params["items"]  # compact, not \u-escaped
    assert json.loads(params["ranges"]) == {"levers": {"save_rate": {"low": 0.1, "high": 0.4}}}
    assert " " not in params["ranges"]
    assert decode(params) == (scenario, [])


@pytest.mark.parametrize("preset_id", list(load_presets()))
def test_every_preset_round_trips_exactly(preset_id: str) -> None:
    scenario = load_presets()[preset_id].scenario
    params = encode(scenario)
    assert params  # a preset differs from the defaults
    decoded, problems = decode(params)
    assert problems == []
    assert decoded == scenario
    decoded, problems = decode(_via_url(scenario))
    assert problems == []
    assert decoded == scenario


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_tricky_names_survive_a_real_url(name: str) -> None:
    scenario = _with({"name": name, "description": name, "levers": {"save_rate": 0.3}})
    url = link(BASE, scenario)
    assert url.startswith(BASE + "?")
    assert "#" not in url
    assert "<" not in url
    assert " " not in url
    decoded, problems = decode(_via_url(scenario))
    assert problems == []
    assert decoded == scenario
    assert decoded.name == name


def test_an_empty_name_survives_a_url_parsed_as_streamlit_does() -> None:
    scenario = _with({"name": ""})
    query = urlparse(link(BASE, scenario)).query
    # Streamlit's st.query_params keeps blank values (keep_blank_values=True).
    decoded, problems = decode(parse_qs(query, keep_blank_values=True))
    assert problems == []
    assert decoded == scenario


def test_link_drops_the_base_query_and_has_a_default_base() -> None:
    scenario = _with({"levers": {"save_rate": 0.3}})
    assert link(BASE + "?present=1&levers.save_rate=0.9", scenario) == (
        BASE + "?levers.save_rate=0.3"
    )
    assert link(None, scenario) == "http://localhost:8501/?levers.save_rate=0.3"
    assert link("", Scenario()) == "http://localhost:8501/"


@settings(max_examples=50, deadline=None)
@given(shared_scenarios())
def test_round_trip_is_exact(scenario: Scenario) -> None:
    params = encode(scenario)
    assert all(isinstance(v, str) for v in params.values())
    assert set(params) <= SCENARIO_PARAMS
    decoded, problems = decode(params)
    assert problems == []
    assert decoded == scenario


@settings(max_examples=50, deadline=None)
@given(shared_scenarios())
def test_round_trip_through_a_url_is_exact(scenario: Scenario) -> None:
    decoded, problems = decode(_via_url(scenario))
    assert problems == []
    assert decoded == scenario


def test_huge_integer_round_trips_exactly() -> None:
    scenario = _with({"business": {"customers": 2**53 + 1}})
    assert decode(encode(scenario))[0] == scenario


# --- forgiving decoding ------------------------------------------------------------------

#: Good parameters that must still load next to a bad one.
GOOD = {
    "name": "Kept",
    "costs.setup": "12345",
    "levers.retention_lift": "0.2",
    "finance.horizon_months": "48",
}


def _assert_good_applied(scenario: Scenario) -> None:
    assert scenario.name == "Kept"
    assert scenario.costs.setup == 12_345.0
    assert scenario.levers.retention_lift == 0.2
    assert scenario.finance.horizon_months == 48


def _decode_with_bad(key: str, raw: str) -> tuple[Scenario, list[str]]:
    scenario, problems = decode({**GOOD, key: raw})
    _assert_good_applied(scenario)
    assert len(problems) == 1, problems
    assert key in problems[0]
    return scenario, problems


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("levers.save_rate", "abc"),
        ("levers.save_rate", ""),
        ("levers.save_rate", "0.2.1"),
        ("levers.save_rate", "20%"),
        ("levers.save_rate", "nan"),
        ("levers.save_rate", "NaN"),
        ("levers.save_rate", "inf"),
        ("levers.save_rate", "-inf"),
        ("levers.save_rate", "1e400"),
        ("business.customers", "lots"),
        ("business.customers", "nan"),
    ],
)
def test_a_malformed_or_non_finite_number_is_left_out(key: str, raw: str) -> None:
    scenario, problems = _decode_with_bad(key, raw)
    assert scenario == _with(
        {
            "name": "Kept",
            "costs": {"setup": 12_345},
            "levers": {"retention_lift": 0.2},
            "finance": {"horizon_months": 48},
        }
    )
    assert problems[0].startswith(f"{key}: ")


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("levers.save_rate", "1.5"),
        ("levers.save_rate", "-0.1"),
        ("business.monthly_churn_rate", "1"),
        ("business.customers", "-1"),
        ("finance.ramp_months", "37"),
        ("finance.discount_rate", "1.0"),
        ("costs.platform_monthly", "-5"),
    ],
)
def test_an_out_of_range_value_is_left_out(key: str, raw: str) -> None:
    scenario, problems = _decode_with_bad(key, raw)
    group, name = key.split(".")
    assert getattr(getattr(scenario, group), name) == NUMERIC_FIELDS[key].default
    assert problems[0].startswith(f"{key}: ")
    assert f"'{key}'" in problems[0]


@pytest.mark.parametrize("raw", ["0", "121", "-3"])
def test_an_out_of_range_horizon_is_left_out(raw: str) -> None:
    params = {k: v for k, v in GOOD.items() if k != "finance.horizon_months"}
    scenario, problems = decode({**params, "finance.horizon_months": raw})
    assert scenario.finance.horizon_months == 36
    assert scenario.costs.setup == 12_345.0
    assert scenario.name == "Kept"
    assert len(problems) == 1
    assert problems[0].startswith("finance.horizon_months: ")


@pytest.mark.parametrize(
    ("key", "raw"), [("finance.ramp_months", "2.5"), ("business.customers", "1.5")]
)
def test_a_fraction_for_an_integer_field_is_left_out(key: str, raw: str) -> None:
    scenario, problems = _decode_with_bad(key, raw)
    group, name = key.split(".")
    assert getattr(getattr(scenario, group), name) == int(NUMERIC_FIELDS[key].default)
    assert "whole number" in problems[0]


def test_a_whole_number_written_as_a_float_loads_for_an_integer_field() -> None:
    scenario, problems = decode({"finance.ramp_months": "3.0", "business.customers": "1e3"})
    assert problems == []
    assert scenario.finance.ramp_months == 3
    assert scenario.business.customers == 1000
    assert isinstance(scenario.business.customers, int)


def test_a_deflection_pair_summing_over_one_is_left_out() -> None:
    scenario, problems = decode(
        {**GOOD, "levers.social_deflection": "0.6", "levers.self_service_deflection": "0.6"}
    )
    _assert_good_applied(scenario)
    assert len(problems) == 1
    assert "levers.social_deflection" in problems[0]
    assert "self_service_deflection" in problems[0]
    lev = scenario.levers
    assert lev.social_deflection + lev.self_service_deflection <= 1
    # The parameter the rule names is dropped; its partner still loads.
    assert lev.social_deflection == 0.08
    assert lev.self_service_deflection == 0.6


@pytest.mark.parametrize(
    "extra",
    [{}, {"levers.social_deflection": "0.6"}],
    ids=["self_service_only", "both_and_self_service_over_0.92"],
)
def test_a_self_service_deflection_too_high_for_its_partner_is_left_out(
    extra: dict[str, str],
) -> None:
    scenario, problems = decode({**GOOD, **extra, "levers.self_service_deflection": "0.95"})
    _assert_good_applied(scenario)
    lev = scenario.levers
    assert lev.social_deflection + lev.self_service_deflection <= 1
    assert any("self_service_deflection" in p for p in problems)


@pytest.mark.parametrize("key", ["items", "ranges"])
@pytest.mark.parametrize("raw", ["[{", "{'a': 1}", "not json", "", "[1,]"])
def test_broken_json_is_left_out(key: str, raw: str) -> None:
    scenario, problems = _decode_with_bad(key, raw)
    assert problems[0].startswith(f"{key}: ")
    assert "JSON" in problems[0]
    assert scenario.other_items == ()
    assert scenario.uncertainty == Scenario().uncertainty


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"name": "", "kind": "benefit", "amount": 1}, "other_items[0].name"),
        ({"name": "x" * 81, "kind": "benefit", "amount": 1}, "other_items[0].name"),
        ({"name": "Gift", "kind": "gift", "amount": 1}, "other_items[0].kind"),
        ({"name": "Neg", "kind": "cost", "amount": -1}, "other_items[0].amount"),
        ({"name": "Txt", "kind": "cost", "amount": "5"}, "other_items[0].amount"),
        ({"name": "Late", "kind": "cost", "amount": 1, "start_month": 121}, "start_month"),
        (
            {"name": "Back", "kind": "cost", "amount": 1, "start_month": 5, "end_month": 2},
            "other_items[0].end_month",
        ),
        ({"name": "Extra", "kind": "cost", "amount": 1, "colour": "red"}, "other_items[0].colour"),
        ({"kind": "cost", "amount": 1}, "other_items[0].name"),
    ],
)
def test_an_invalid_line_item_is_left_out(item: dict[str, Any], field: str) -> None:
    good_item = {"name": "Fine", "kind": "benefit", "amount": 10}
    scenario, problems = _decode_with_bad("items", json.dumps([item, good_item]))
    assert scenario.other_items == ()
    assert field in problems[0]
    assert "'items'" in problems[0]


def test_items_that_are_not_a_list_are_left_out() -> None:
    scenario, problems = _decode_with_bad("items", '{"name": "x"}')
    assert scenario.other_items == ()
    assert problems[0].startswith("other_items")


def test_valid_items_load() -> None:
    raw = json.dumps([{"name": "Focus group", "kind": "benefit", "amount": 2500, "every": "year"}])
    scenario, problems = decode({**GOOD, "items": raw})
    assert problems == []
    _assert_good_applied(scenario)
    (item,) = scenario.other_items
    assert (item.name, item.kind, item.amount, item.every) == (
        "Focus group",
        "benefit",
        2500,
        "year",
    )


def test_a_range_not_containing_its_value_is_left_out_and_the_value_kept() -> None:
    ranges = json.dumps({"levers": {"save_rate": {"low": 0.5, "high": 0.9}}})
    scenario, problems = decode({**GOOD, "levers.save_rate": "0.3", "ranges": ranges})
    _assert_good_applied(scenario)
    assert scenario.levers.save_rate == 0.3
    assert scenario.uncertainty == Scenario().uncertainty
    assert len(problems) == 1
    assert "uncertainty.levers.save_rate" in problems[0]
    assert "'ranges'" in problems[0]


def test_a_range_not_containing_the_default_value_is_left_out() -> None:
    ranges = json.dumps({"costs": {"staff_monthly": {"low": 1, "high": 2}}})
    scenario, problems = _decode_with_bad("ranges", ranges)
    assert scenario.uncertainty == Scenario().uncertainty
    assert "uncertainty.costs.staff_monthly" in problems[0]


@pytest.mark.parametrize(
    "ranges",
    [
        {"finance": {"discount_rate": {"low": 0.05, "high": 0.2}}},
        {"levers": {"no_such_field": {"low": 0, "high": 1}}},
        {"levers": {"save_rate": {"low": 0.3, "high": 0.1}}},
        {"levers": {"save_rate": {"low": 0.1}}},
        [1, 2],
    ],
)
def test_invalid_ranges_are_left_out(ranges: Any) -> None:
    scenario, problems = _decode_with_bad("ranges", json.dumps(ranges))
    assert scenario.uncertainty == Scenario().uncertainty
    assert problems[0].startswith("uncertainty")


def test_valid_ranges_load() -> None:
    ranges = json.dumps({"levers": {"retention_lift": {"low": 0.1, "high": 0.3}}})
    scenario, problems = decode({**GOOD, "ranges": ranges})
    assert problems == []
    _assert_good_applied(scenario)
    rng = scenario.uncertainty.get("levers.retention_lift")
    assert rng is not None
    assert (rng.low, rng.high) == (0.1, 0.3)


def test_an_invalid_currency_is_left_out() -> None:
    scenario, problems = _decode_with_bad("business.currency", "XYZ")
    assert scenario.business.currency == "USD"
    assert problems[0].startswith("business.currency: ")


def test_several_bad_parameters_are_each_reported_and_the_rest_loads() -> None:
    scenario, problems = decode(
        {
            **GOOD,
            "levers.save_rate": "abc",
            "business.gross_margin": "2",
            "items": "[{",
            "ranges": json.dumps({"levers": {"retention_lift": {"low": 0.5, "high": 0.9}}}),
            "finance.ramp_months": "1.5",
        }
    )
    _assert_good_applied(scenario)
    assert len(problems) == 5
    for key in ("levers.save_rate", "business.gross_margin", "items", "ranges", "ramp_months"):
        assert any(key in p for p in problems), key
    assert scenario.levers.save_rate == 0.2
    assert scenario.business.gross_margin == 0.6
    assert scenario.finance.ramp_months == 6


def test_unknown_parameters_are_ignored_silently() -> None:
    scenario, problems = decode({**GOOD, "present": "1", "foo": "bar", "room": "x", "": ""})
    assert problems == []
    assert scenario == decode(GOOD)[0]
    _assert_good_applied(scenario)
    assert decode({"present": "1", "foo": "bar"}) == (Scenario(), [])


def test_a_list_value_uses_the_last_element() -> None:
    scenario, problems = decode(
        {
            "levers.save_rate": ["0.3", "0.4"],
            "name": ["First", "Last"],
            "finance.horizon_months": ["12"],
            "costs.setup": "5",
        }
    )
    assert problems == []
    assert scenario.levers.save_rate == 0.4
    assert scenario.name == "Last"
    assert scenario.finance.horizon_months == 12
    assert scenario.costs.setup == 5.0


def test_a_list_whose_last_element_is_bad_is_left_out() -> None:
    scenario, problems = decode({**GOOD, "levers.save_rate": ["0.3", "oops"]})
    _assert_good_applied(scenario)
    assert scenario.levers.save_rate == 0.2
    assert len(problems) == 1
    assert problems[0].startswith("levers.save_rate: ")


def test_an_empty_list_value_is_left_out_without_raising() -> None:
    scenario, _ = decode({**GOOD, "levers.save_rate": []})
    _assert_good_applied(scenario)


# --- decode never raises -----------------------------------------------------------------

keys = st.sampled_from(sorted(SCENARIO_PARAMS)) | st.text(max_size=20)
values = (
    st.text(max_size=40)
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.integers(-(10**30), 10**30).map(str)
    | st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=8,
    ).map(json.dumps)
)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(keys, values, max_size=8))
def test_decode_never_raises_on_text(params: dict[str, str]) -> None:
    scenario, problems = decode(params)
    assert isinstance(scenario, Scenario)
    assert all(isinstance(p, str) and p for p in problems)
    # Parameters that are not the scenario's are never reported.
    for problem in problems:
        assert not any(problem.startswith(f"{k}:") for k in params if k not in SCENARIO_PARAMS)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(keys, st.lists(values, min_size=1, max_size=3), max_size=8))
def test_decode_never_raises_on_lists(params: dict[str, list[str]]) -> None:
    scenario, problems = decode(params)
    assert isinstance(scenario, Scenario)
    assert all(isinstance(p, str) for p in problems)


#: levers.self_service_deflection is left out here: a high value can drop the
#: whole link (the xfail above); every other parameter is independent of the text ones.
ONE_BAD_KEYS = sorted(SCENARIO_PARAMS)


@settings(max_examples=50, deadline=None)
@given(shared_scenarios(), st.sampled_from(ONE_BAD_KEYS), st.text(max_size=30))
def test_one_bad_parameter_never_loses_the_text_ones(
    scenario: Scenario, key: str, raw: str
) -> None:
    decoded, problems = decode({**encode(scenario), key: raw})
    assert not any("the link's scenario was ignored" in p for p in problems)
    if key != "name":
        assert decoded.name == scenario.name
    if key != "description":
        assert decoded.description == scenario.description
    if key != "business.currency":
        assert decoded.business.currency == scenario.business.currency
