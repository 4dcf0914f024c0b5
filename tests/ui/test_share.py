"""roi_ui.share: a scenario in a URL. The round trip is exact; decoding is
forgiving, one parameter at a time, and never raises."""

from __future__ import annotations

import json
import unicodedata
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_strategies import other_items, scenarios, text_chars

from roi_core import NUMERIC_FIELDS, Scenario, scenario_from_dict, with_values
from roi_core.scenario import get_value
from roi_ui.presets import load_presets
from roi_ui.share import (
    APP_PARAMS,
    SCENARIO_PARAMS,
    decode,
    encode,
    link,
    page_url,
    unknown_params,
)

BASE = "https://roi.example.org/dashboard"

TRICKY_NAMES = [
    "A & B = C #1",
    'Say "hi", it\'s <b>bold</b>',
    "Über café \u2013 東京 🚀",
    "  leading and trailing spaces  ",
    "100% + plus/slash?query",
    "line\nbreak\ttab",
]

#: Names and descriptions drawn from what a scenario's text may hold (no C0 control
#: characters but tab and line breaks, no lone surrogates): docs/model-notes.md.
names = st.sampled_from(TRICKY_NAMES) | st.text(text_chars, min_size=1, max_size=60)
currencies = st.sampled_from(["USD", "EUR", "GBP", "JPY", "IDR", "INR", "BRL", "AUD"])
RANGEABLE = [path for path, spec in NUMERIC_FIELDS.items() if spec.rangeable]


@st.composite
def shared_scenarios(draw: st.DrawFn) -> Scenario:
    """A valid scenario with a tricky name, a description, a currency and ranges
    (each range inside its field's bounds: ``low <= value <= high <= spec.upper``)."""
    data = draw(scenarios()).model_dump(mode="json")
    data["name"] = draw(names)
    data["description"] = draw(
        st.sampled_from(["", *TRICKY_NAMES]) | st.text(text_chars, max_size=80)
    )
    data["business"]["currency"] = draw(currencies)
    uncertainty: dict[str, dict[str, dict[str, float]]] = {}
    for path in draw(st.lists(st.sampled_from(RANGEABLE), max_size=5, unique=True)):
        group, name = path.split(".")
        value = float(data[group][name])
        low = value * draw(st.floats(0.0, 1.0))
        high = min(value + draw(st.floats(0.0, 1e4)), NUMERIC_FIELDS[path].upper)
        uncertainty.setdefault(group, {})[name] = {"low": low, "high": high}
    data["uncertainty"] = uncertainty
    return scenario_from_dict(data)


def _via_url(
    scenario: Scenario, base: str = BASE, *, base_scenario: Scenario | None = None
) -> dict[str, list[str]]:
    return parse_qs(urlparse(link(base, scenario, base=base_scenario)).query)


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


def test_the_largest_whole_number_allowed_round_trips_exactly() -> None:
    top = int(NUMERIC_FIELDS["business.customers"].upper)
    assert top == 10**10  # docs/model-notes.md, "Upper bounds and text rules"
    scenario = _with({"business": {"customers": top}})
    params = encode(scenario)
    assert params == {"business.customers": "10000000000"}  # no exponent, no ".0"
    decoded, problems = decode(params)
    assert problems == []
    assert decoded == scenario
    assert decoded.business.customers == top and isinstance(decoded.business.customers, int)


def test_the_largest_money_amount_with_cents_round_trips_exactly() -> None:
    scenario = _with({"costs": {"setup": 999_999_999_999.99}})
    assert decode(_via_url(scenario)) == (scenario, [])


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("business.customers", str(10**10 + 1)),
        ("business.customers", str(2**53 + 1)),  # once exact, now past the bound
        ("business.customers", "1" + "0" * 40),
        ("costs.platform_monthly", "1000000000000.01"),
        ("service.monthly_assisted_contacts", "1e11"),
    ],
)
def test_a_value_over_its_upper_bound_is_named_and_left_out(key: str, raw: str) -> None:
    scenario, problems = _decode_with_bad(key, raw)
    group, name = key.split(".")
    assert getattr(getattr(scenario, group), name) == NUMERIC_FIELDS[key].default
    assert problems[0].startswith(f"{key}: ")
    assert f"'{key}'" in problems[0]
    assert "less than or equal to" in problems[0]


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
    # Parameters that are not the scenario's change nothing and are never reported. (Not
    # by the start of a line: a bad ``items`` is reported as "other_items: ...", which a
    # random key "other_items" would match.)
    ours = {k: v for k, v in params.items() if k in SCENARIO_PARAMS}
    assert decode(ours) == (scenario, problems)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(keys, st.lists(values, min_size=1, max_size=3), max_size=8))
def test_decode_never_raises_on_lists(params: dict[str, list[str]]) -> None:
    scenario, problems = decode(params)
    assert isinstance(scenario, Scenario)
    assert all(isinstance(p, str) for p in problems)


#: Every scenario parameter: none of them, however bad, may drop the text ones.
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


# --- provenance: a link against the preset it started from --------------------------------

PRESETS = load_presets()
#: What a link may carry besides numeric fields.
NOT_NUMERIC = {"preset", "name", "description", "business.currency", "items", "ranges"}


def _changed_fields(scenario: Scenario, base: Scenario) -> set[str]:
    return {p for p in NUMERIC_FIELDS if get_value(scenario, p) != get_value(base, p)}


@pytest.mark.parametrize("preset_id", list(PRESETS))
def test_an_untouched_preset_encodes_as_its_id_alone(preset_id: str) -> None:
    preset = PRESETS[preset_id]
    params = encode(preset.scenario, base=preset.scenario, preset_id=preset_id)
    assert params == {"preset": preset_id}
    assert decode(params, base=preset.scenario) == (preset.scenario, [])


def test_encode_against_a_preset_lists_it_and_only_the_fields_changed_from_it() -> None:
    preset = PRESETS["telecom"]
    changed = with_values(preset.scenario, {"levers.save_rate": 0.25, "costs.setup": 300_000})
    params = encode(changed, base=preset.scenario, preset_id="telecom")
    assert params == {"preset": "telecom", "levers.save_rate": "0.25", "costs.setup": "300000"}
    # Against MODEL.md's defaults the same scenario needs every value the preset sets.
    assert len(encode(changed)) > len(params)
    assert decode(params, base=preset.scenario) == (changed, [])
    # The link names the preset; decoding does not read it as a scenario field.
    url = link(BASE, changed, base=preset.scenario, preset_id="telecom")
    query = parse_qs(urlparse(url).query)
    assert query["preset"] == ["telecom"]
    assert decode(query, base=preset.scenario) == (changed, [])


@st.composite
def _value(draw: st.DrawFn, path: str, data: dict[str, Any]) -> float | int:
    """A valid value for ``path`` in ``data``: inside its uncertainty range, if it has one."""
    spec = NUMERIC_FIELDS[path]
    group, name = path.split(".")
    ranged = data["uncertainty"].get(group, {}).get(name)
    if spec.is_int:
        return draw(st.integers(int(spec.low), min(int(spec.upper), 10**7)))
    if ranged is not None:
        return draw(st.floats(ranged["low"], ranged["high"]))
    if path in ("levers.social_deflection", "levers.self_service_deflection"):
        return draw(st.floats(0.0, 0.5))  # the pair stays <= 1 whatever the other is
    top = min(spec.upper, spec.typical_max or 1e6) if spec.upper > 1 else spec.upper
    return draw(st.floats(spec.low, top, allow_subnormal=False))


@st.composite
def changed_presets(draw: st.DrawFn) -> tuple[str, Scenario]:
    """A preset's id and the preset with random changes: values, text, currency,
    ranges (kept, cleared or cut down) and line items."""
    preset_id = draw(st.sampled_from(list(PRESETS)))
    data = PRESETS[preset_id].scenario.model_dump(mode="json")
    ranges = draw(st.sampled_from(["keep", "clear", "cut"]))
    if ranges == "clear":
        data["uncertainty"] = {}
    elif ranges == "cut":
        data["uncertainty"] = {g: dict(list(fields.items())[:1]) for g, fields in
                               data["uncertainty"].items()}  # fmt: skip
    for path in draw(st.lists(st.sampled_from(list(NUMERIC_FIELDS)), max_size=6, unique=True)):
        group, name = path.split(".")
        data[group][name] = draw(_value(path, data))
    if draw(st.booleans()):
        data["name"] = draw(names)
    if draw(st.booleans()):
        data["description"] = draw(st.sampled_from(["", *TRICKY_NAMES]))
    if draw(st.booleans()):
        data["business"]["currency"] = draw(currencies)
    data["other_items"] = draw(st.lists(other_items(), max_size=2))
    return preset_id, scenario_from_dict(data)


@settings(max_examples=80, deadline=None)
@given(changed_presets())
def test_a_changed_preset_round_trips_exactly_against_it(case: tuple[str, Scenario]) -> None:
    preset_id, scenario = case
    base = PRESETS[preset_id].scenario
    params = encode(scenario, base=base, preset_id=preset_id)
    assert params["preset"] == preset_id
    assert set(params) - NOT_NUMERIC == _changed_fields(scenario, base)
    assert ("ranges" in params) == (scenario.uncertainty != base.uncertainty)
    assert ("items" in params) == (scenario.other_items != base.other_items)
    assert decode(params, base=base) == (scenario, [])
    url = link(BASE, scenario, base=base, preset_id=preset_id)
    # Streamlit keeps blank values (a description cleared against the preset's).
    assert decode(parse_qs(urlparse(url).query, keep_blank_values=True), base=base) == (
        scenario,
        [],
    )


@pytest.mark.parametrize("preset_id", list(PRESETS))
def test_ranges_cleared_against_a_preset_encode_as_empty_json(preset_id: str) -> None:
    base = PRESETS[preset_id].scenario
    assert base.uncertainty.items()  # every preset carries ranges
    cleared = scenario_from_dict({**base.model_dump(mode="json"), "uncertainty": {}})
    params = encode(cleared, base=base, preset_id=preset_id)
    assert params == {"preset": preset_id, "ranges": "{}"}
    decoded, problems = decode(params, base=base)
    assert problems == []
    assert decoded == cleared
    assert decoded.uncertainty.items() == []
    # Against the defaults (no ranges) nothing about ranges needs saying.
    assert "ranges" not in encode(cleared)


def test_line_items_removed_against_a_base_round_trip() -> None:
    items = [
        {"name": "Licence", "kind": "cost", "amount": 5_000, "every": "year"},
        {"name": "Focus group", "kind": "benefit", "amount": 2_500},
    ]
    base = _with({"levers": {"save_rate": 0.3}, "other_items": items})
    for kept in ([], items[1:]):
        scenario = _with({"levers": {"save_rate": 0.3}, "other_items": kept})
        params = encode(scenario, base=base)
        assert set(params) == {"items"}
        assert json.loads(params["items"]) == [
            {k: v for k, v in item.items() if k != "every" or v != "once"} for item in kept
        ]
        assert decode(params, base=base) == (scenario, [])
        assert decode(_via_url(scenario, base_scenario=base), base=base) == (scenario, [])


# --- unknown parameters, anchors, page addresses ----------------------------------------------


def test_a_misspelt_parameter_is_named_with_the_nearest_real_one() -> None:
    lines = unknown_params({"levers.retention_lft": "0.2", "present": "1"})
    assert len(lines) == 1
    assert lines[0].startswith("levers.retention_lft: ")
    assert "Did you mean levers.retention_lift?" in lines[0]
    assert "present" not in lines[0].replace("levers.retention_lft", "")


def test_no_scenario_or_app_parameter_is_ever_unknown() -> None:
    every = dict.fromkeys(SCENARIO_PARAMS | APP_PARAMS, "1")
    assert unknown_params(every) == []
    assert {"preset", "present", "room", "embed"} <= APP_PARAMS
    assert "levers.retention_lift" in SCENARIO_PARAMS and "ranges" in SCENARIO_PARAMS


def test_an_unknown_parameter_far_from_any_name_gets_no_suggestion() -> None:
    (line,) = unknown_params({"utm_source": "newsletter"})
    assert line == "utm_source: not a setting of this app (link parameter ignored)."


def test_an_unknown_key_is_shown_clean_and_short() -> None:
    hostile = "evil\x1b[31m\u202e\x00\x7f\x85" + "x" * 5_000
    (line,) = unknown_params({hostile: "1"})
    shown = line.split(": not a setting", 1)[0]
    assert shown.startswith("evil[31m")
    assert all(unicodedata.category(c) != "Cc" for c in line)
    assert "\u202e" not in line
    assert len(shown) == 60 and shown.endswith("…")
    assert unknown_params({"": "1"}) == ["(empty): not a setting of this app (link parameter "
                                         "ignored)."]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=200) | st.sampled_from(sorted(SCENARIO_PARAMS)),
                       st.just("1"), max_size=6))  # fmt: skip
def test_unknown_params_names_each_unknown_key_once_as_plain_text(params: dict[str, str]) -> None:
    lines = unknown_params(params)
    unknown = [k for k in params if k not in SCENARIO_PARAMS | APP_PARAMS]
    assert len(lines) == len(unknown)
    for line in lines:
        # clean_text keeps tab and line feed; every other control character goes.
        assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in line if c not in "\t\n")
        assert len(line.split(": not a setting", 1)[0]) <= 60


def test_link_ends_with_its_anchor() -> None:
    scenario = _with({"levers": {"save_rate": 0.3}})
    url = link(BASE, scenario, anchor="npv")
    assert url == BASE + "?levers.save_rate=0.3#npv"
    assert urlparse(url).fragment == "npv"
    assert decode(parse_qs(urlparse(url).query)) == (scenario, [])
    # No query: the anchor follows the address; an old fragment never survives.
    assert link(BASE + "#old", Scenario(), anchor="npv") == BASE + "#npv"
    assert link(BASE + "?x=1#old", scenario) == BASE + "?levers.save_rate=0.3"


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("http://h:8501/risk?x=1", "methodology", "http://h:8501/methodology"),
        ("http://h:8501/risk?x=1#top", "compare", "http://h:8501/compare"),
        ("http://h:8501/", "methodology", "http://h:8501/methodology"),
        ("http://h:8501", "risk", "http://h:8501/risk"),
        ("http://h:8501/?levers.save_rate=0.3", "workshop", "http://h:8501/workshop"),
        ("http://h:8501/workshop/", "", "http://h:8501/"),
        # The app served under a base path keeps it.
        ("https://x.org/tools/roi/risk?x=1", "methodology", "https://x.org/tools/roi/methodology"),
        ("https://x.org/tools/roi/", "calibrate", "https://x.org/tools/roi/calibrate"),
        ("https://x.org/tools/roi", "calibrate", "https://x.org/tools/roi/calibrate"),
        ("https://x.org/tools/roi/compare", "", "https://x.org/tools/roi/"),
    ],
)
def test_page_url_is_the_page_in_the_same_app(url: str, page: str, expected: str) -> None:
    assert page_url(url, page) == expected


def test_a_value_outside_the_presets_range_stretches_the_range_and_says_so() -> None:
    preset = load_presets()["telecom"].scenario
    rng = preset.uncertainty.get("levers.retention_lift")
    assert rng is not None and rng.high < 0.2
    scenario, problems = decode({"preset": "telecom", "levers.retention_lift": "0.2"}, base=preset)
    assert scenario.levers.retention_lift == 0.2  # the link's value is kept…
    held = scenario.uncertainty.get("levers.retention_lift")
    assert held is not None and (held.low, held.high) == (rng.low, 0.2)  # …its range stretched
    assert len(problems) == 1
    assert problems[0].startswith("levers.retention_lift: the link's value lies outside")
    # Every other value is the preset's.
    assert with_values(
        scenario, {"levers.retention_lift": preset.levers.retention_lift}
    ).model_dump(exclude={"uncertainty"}) == preset.model_dump(exclude={"uncertainty"})
