"""Hostile input never gets past validation (docs/model-notes.md, "Upper bounds and
text rules").

Every numeric field has a finite upper bound, declared once on the field; a range
stays inside its field's bounds; text is valid, plain and of bounded length; and
whatever a file carries, loading it either gives a scenario whose every number
is finite and in bounds or raises :class:`ScenarioError` with one printable line
per problem, never another exception.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roi_core.analysis as analysis
from roi_core import (
    NUMERIC_FIELDS,
    Scenario,
    ScenarioError,
    break_even,
    evaluate,
    scenario_from_dict,
    scenario_from_file,
    scenario_from_json,
    scenario_to_json,
    with_values,
)
from roi_core.scenario import (
    MAX_DESCRIPTION_CHARS,
    MAX_END_MONTH,
    MAX_MONEY,
    MAX_NAME_CHARS,
    OtherItem,
    get_value,
)

#: The bounds docs/model-notes.md gives, field by field (MODEL.md sets only ">= 0").
CAPS: dict[str, float] = {
    "business.customers": 1e10,
    "business.monthly_revenue_per_customer": 1e12,
    "service.monthly_assisted_contacts": 1e10,
    "service.cost_per_assisted_contact": 1e12,
    "service.cost_per_social_contact": 1e12,
    "service.cost_per_self_service_contact": 1e12,
    "levers.at_risk_per_month": 1e9,
    "levers.cross_sell_revenue": 1e12,
    "levers.referrals_per_advocate_year": 1e4,
    "costs.setup": 1e12,
    "costs.platform_monthly": 1e12,
    "costs.staff_monthly": 1e12,
    "costs.other_monthly": 1e12,
}

#: C0 control characters a text may not hold (tab, line feed, carriage return may).
CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]


def nest(path: str, value: Any) -> dict[str, Any]:
    group, name = path.split(".")
    return {group: {name: value}}


def problems_of(data: Any) -> tuple[str, ...]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return info.value.problems


def item(**changes: Any) -> dict[str, Any]:
    return {"name": "Licence", "kind": "cost", "amount": 1000.0, **changes}


# --- every numeric field has an upper bound ------------------------------------------------


def test_every_numeric_field_has_a_finite_upper_bound() -> None:
    for path, spec in NUMERIC_FIELDS.items():
        assert spec.high is not None, path
        assert math.isfinite(spec.upper), path


@pytest.mark.parametrize("path", CAPS)
def test_the_cap_is_declared_on_the_field(path: str) -> None:
    spec = NUMERIC_FIELDS[path]
    assert (spec.high, spec.high_inclusive, spec.upper) == (CAPS[path], True, CAPS[path])
    # The slider hint stays a hint, far below the cap.
    assert spec.typical_max is None or spec.typical_max < spec.upper / 100


def test_line_item_amount_and_end_month_are_capped() -> None:
    assert (MAX_MONEY, MAX_END_MONTH) == (10**12, 1200)
    scenario_from_dict({"other_items": [item(amount=MAX_MONEY, end_month=MAX_END_MONTH)]})
    assert problems_of({"other_items": [item(amount=1e12 + 1)]}) == (
        "other_items[0].amount: Input should be less than or equal to 1000000000000",
    )
    assert problems_of({"other_items": [item(end_month=1201)]}) == (
        "other_items[0].end_month: Input should be less than or equal to 1200",
    )
    # Declared on the field, where the UI reads it, not checked somewhere later.
    assert any(
        getattr(m, "le", None) == MAX_MONEY for m in OtherItem.model_fields["amount"].metadata
    )
    assert any(getattr(m, "le", None) == 1200 for m in OtherItem.model_fields["end_month"].metadata)


# --- what the fuzzer found -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        (
            "service.cost_per_assisted_contact",
            1.8e307,
            "service.cost_per_assisted_contact: Input should be less than or equal to "
            "1000000000000",
        ),
        ("costs.setup", 1e26, "costs.setup: Input should be less than or equal to 1000000000000"),
        (
            "business.customers",
            10**400,
            "business.customers: Input should be less than or equal to 10000000000",
        ),
        (
            "business.customers",
            -(10**400),
            "business.customers: Input should be greater than or equal to 0",
        ),
        (
            "business.customers",
            1e25,  # a whole float is judged as the integer it is
            "business.customers: Input should be less than or equal to 10000000000",
        ),
        (
            "service.monthly_assisted_contacts",
            10**25,
            "service.monthly_assisted_contacts: Input should be less than or equal to 10000000000",
        ),
        (
            # beyond every float: an infinity, like the JSON literal 1e400
            "business.monthly_revenue_per_customer",
            10**400,
            "business.monthly_revenue_per_customer: Input should be a finite number",
        ),
        (
            "levers.referrals_per_advocate_year",
            10_001,
            "levers.referrals_per_advocate_year: Input should be less than or equal to 10000",
        ),
    ],
)
def test_huge_numbers_are_refused_with_the_fields_name(path: str, value: Any, line: str) -> None:
    assert problems_of(nest(path, value)) == (line,)


def test_huge_number_typed_into_a_control_is_refused() -> None:
    # What the dashboard does with a typed value: with_values, never another exception.
    for value in (1e25, 10**25, 10**400, math.inf):
        with pytest.raises(ScenarioError) as info:
            with_values(Scenario(), {"service.monthly_assisted_contacts": value})
        assert info.value.problems[0].startswith("service.monthly_assisted_contacts: ")
        with pytest.raises(ScenarioError) as info:
            with_values(Scenario(), {"business.customers": value})
        assert info.value.problems[0].startswith("business.customers: ")


def test_scenario_file_with_a_huge_setup_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text('{"costs": {"setup": 1e300}}', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        scenario_from_file(path)
    assert info.value.problems == (
        "costs.setup: Input should be less than or equal to 1000000000000",
    )


def test_a_number_with_too_many_digits_is_one_problem() -> None:
    # Python itself refuses to read an integer of more than 4,300 digits (a ValueError).
    text = '{"business": {"customers": 1' + "0" * 5_000 + "}}"
    with pytest.raises(ScenarioError) as info:
        scenario_from_json(text)
    assert info.value.problems == ("scenario: a number has more than 4,300 digits",)
    # 400 digits are read, and refused by the bound.
    with pytest.raises(ScenarioError) as info:
        scenario_from_json('{"business": {"customers": 1' + "0" * 400 + "}}")
    assert info.value.problems == (
        "business.customers: Input should be less than or equal to 10000000000",
    )


def test_negative_zero_is_zero() -> None:
    scenario = scenario_from_json('{"costs": {"setup": -0.0}, "business": {"customers": -0.0}}')
    assert math.copysign(1.0, scenario.costs.setup) == 1.0
    assert scenario.business.customers == 0
    assert '"setup": 0.0' in scenario_to_json(scenario)


def test_everything_at_its_bound_still_evaluates_to_finite_figures() -> None:
    data: dict[str, Any] = {"other_items": []}
    for path, spec in NUMERIC_FIELDS.items():
        group, name = path.split(".")
        data.setdefault(group, {})[name] = int(spec.upper) if spec.is_int else spec.upper
    data["levers"]["self_service_deflection"] = 0.0  # the two shares may not exceed 1
    data["other_items"] = [
        item(kind=kind, amount=MAX_MONEY, every="month", start_month=0)
        for kind in ("benefit", "cost")
    ]
    scenario = scenario_from_dict(data)
    result = evaluate(scenario)
    for key, value in asdict(result.summary).items():
        assert value is None or math.isfinite(value), key
    assert np.isfinite(result.monthly.cumulative_net).all()
    assert np.isfinite(result.monthly.costs).all()


# --- ranges stay inside their field's bounds ---------------------------------------------------


def test_range_examples_from_the_task() -> None:
    assert problems_of({"uncertainty": {"costs": {"setup": {"low": -1, "high": 90_000}}}}) == (
        "uncertainty.costs.setup.low: must be >= 0 (the field's minimum)",
    )
    assert problems_of({"uncertainty": {"levers": {"save_rate": {"low": 0.1, "high": 1.25}}}}) == (
        "uncertainty.levers.save_rate.high: must be <= 1 (the field's maximum)",
    )
    assert problems_of({"uncertainty": {"costs": {"setup": {"low": 0, "high": 1e300}}}}) == (
        "uncertainty.costs.setup.high: must be <= 1000000000000 (the field's maximum)",
    )


def test_range_of_an_open_bound_may_not_reach_it() -> None:
    data = {"uncertainty": {"business": {"monthly_churn_rate": {"low": 0.01, "high": 1.0}}}}
    assert problems_of(data) == (
        "uncertainty.business.monthly_churn_rate.high: must be < 1 (the field's limit)",
    )
    data["uncertainty"]["business"]["monthly_churn_rate"]["high"] = math.nextafter(1.0, 0.0)
    assert scenario_from_dict(data).uncertainty.get("business.monthly_churn_rate") is not None


# --- text ------------------------------------------------------------------------------------


TEXTS = {
    "name": lambda text: {"name": text},
    "description": lambda text: {"description": text},
    "other_items[0].name": lambda text: {"other_items": [item(name=text)]},
}


@pytest.mark.parametrize("field", TEXTS)
@pytest.mark.parametrize("text", ["\ud800", "ok \udfff", "\udc80\ud800"])
def test_unpaired_surrogate_is_refused(field: str, text: str) -> None:
    assert problems_of(TEXTS[field](text)) == (
        f"{field}: must be valid text (contains an unpaired surrogate)",
    )


@pytest.mark.parametrize("field", TEXTS)
def test_unpaired_surrogate_in_json_text_is_refused(field: str) -> None:
    text = json.dumps(TEXTS[field]("a\ud800b"))
    assert "\\ud800" in text  # JSON escapes it; json.loads gives a lone surrogate back
    with pytest.raises(ScenarioError) as info:
        scenario_from_json(text)
    assert info.value.problems == (f"{field}: must be valid text (contains an unpaired surrogate)",)


def test_a_surrogate_pair_is_one_valid_character() -> None:
    scenario = scenario_from_json(json.dumps({"name": "Launch \U0001f680"}))
    assert scenario.name == "Launch \U0001f680"
    assert scenario_from_json('{"name": "\\ud83d\\ude80"}').name == "\U0001f680"


@pytest.mark.parametrize("field", TEXTS)
@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_characters_are_refused(field: str, char: str) -> None:
    assert problems_of(TEXTS[field](f"a{char}b")) == (
        f"{field}: must be plain text (contains a control character, U+{ord(char):04X})",
    )


@pytest.mark.parametrize("field", TEXTS)
@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_xml_non_characters_are_refused(field: str, char: str) -> None:
    assert problems_of(TEXTS[field](f"a{char}")) == (
        f"{field}: must be plain text (contains a non-character, U+{ord(char):04X})",
    )


@pytest.mark.parametrize("field", TEXTS)
@pytest.mark.parametrize(
    "text",
    ["line\nbreak\ttab", "windows\r\nline", "del \x7f and c1 \x85", "Über café \u2013 東京 🚀"],
)
def test_tab_line_breaks_and_other_text_are_accepted(field: str, text: str) -> None:
    scenario = scenario_from_dict(TEXTS[field](text))
    assert scenario_from_json(scenario_to_json(scenario)) == scenario


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", MAX_NAME_CHARS), ("description", MAX_DESCRIPTION_CHARS), ("other_items[0].name", 80)],
)
def test_text_length_limits(field: str, limit: int) -> None:
    assert (MAX_NAME_CHARS, MAX_DESCRIPTION_CHARS) == (80, 2_000)
    scenario_from_dict(TEXTS[field]("x" * limit))
    scenario_from_dict(TEXTS[field]("🚀" * limit))  # characters, not bytes
    assert problems_of(TEXTS[field]("x" * (limit + 1))) == (
        f"{field}: String should have at most {limit} characters",
    )


def test_empty_scenario_name_and_description_are_accepted() -> None:
    assert scenario_from_dict({"name": "", "description": ""}).name == ""


# --- one printable line per problem -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"bogus\nname": 1}, "bogus\\nname: Extra inputs are not permitted"),
        ({"levers": {"a\x00b": 1}}, "levers.a\\x00b: Extra inputs are not permitted"),
        (
            {"uncertainty": {"levers": {"x\ud800": {"low": 0, "high": 1}}}},
            "uncertainty.levers.x\\ud800: not a numeric field of levers",
        ),
        (
            {"uncertainty": {"levers": {"x\u2028y": {"low": 0, "high": 1}}}},
            "uncertainty.levers.x\\u2028y: not a numeric field of levers",
        ),
    ],
)
def test_a_hostile_field_name_is_shown_escaped_on_one_line(data: dict[str, Any], line: str) -> None:
    assert problems_of(data) == (line,)


def test_an_unreadable_path_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_file(tmp_path / "no\nwhere.json")
    assert len(info.value.problems) == 1
    assert "\n" not in info.value.problems[0]
    assert "no\\nwhere.json" in info.value.problems[0]


# --- fuzz: whatever a file carries ------------------------------------------------------------


def assert_in_bounds(scenario: Scenario) -> None:
    """Every number finite and inside its declared bounds; every text clean."""
    for path, spec in NUMERIC_FIELDS.items():
        value = get_value(scenario, path)
        assert math.isfinite(value), path
        assert spec.low <= value <= spec.upper, (path, value)
        rng = scenario.uncertainty.get(path)
        if rng is not None:
            assert math.isfinite(rng.low) and math.isfinite(rng.high), path
            assert spec.low <= rng.low <= value <= rng.high <= spec.upper, (path, rng)
    for one in scenario.other_items:
        assert math.isfinite(one.amount) and 0 <= one.amount <= MAX_MONEY
        assert 0 <= one.start_month <= 120
        assert one.end_month is None or one.start_month <= one.end_month <= MAX_END_MONTH
    texts = [scenario.name, scenario.description, *(i.name for i in scenario.other_items)]
    for text in texts:
        text.encode("utf-8")  # no unpaired surrogate
        assert not any(c in text for c in [*CONTROLS, "\ufffe", "\uffff"]), text
    assert len(scenario.name) <= MAX_NAME_CHARS
    assert len(scenario.description) <= MAX_DESCRIPTION_CHARS


SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
hostile_text = (
    st.text(max_size=12)
    | st.text(st.characters() | SURROGATES, max_size=6)
    | st.sampled_from(["", "USD", "eur", "benefit", "cost", "once", "month", "year", "x" * 81])
    | st.sampled_from(["\ud800", "a\x00b", "\uffff", "x" * 2_001, "5", "1e3", "NaN"])
)
hostile_numbers = (
    st.integers()
    | st.floats()  # NaN, infinities, -0.0, subnormals, 1e308
    | st.sampled_from(
        [10**400, -(10**400), 10**25, 2**53 + 1, 2**63, 1e308, 1.8e307, 1e26, 1e300, -0.0]
    )
    | st.sampled_from([0, 1, 0.5, 12, 120, 1e9, 1e10, 1e12, 1e12 + 1, 10_000_000_001])
)
leaves = st.none() | st.booleans() | hostile_numbers | hostile_text
json_ish = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def near_bound(draw: st.DrawFn, path: str) -> Any:
    """A number at, just inside or just past one of the field's bounds, or its default."""
    spec = NUMERIC_FIELDS[path]
    edge = draw(st.sampled_from([spec.low, spec.upper, spec.default]))
    value = draw(
        st.sampled_from(
            [edge, math.nextafter(edge, math.inf), math.nextafter(edge, -math.inf), edge * 1.5]
        )
    )
    return int(value) if spec.is_int and draw(st.booleans()) and value.is_integer() else value


def anything_for(path: str) -> st.SearchStrategy[Any]:
    return json_ish | (near_bound(path) if path in NUMERIC_FIELDS else hostile_text)


@st.composite
def hostile_ranges(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 4)) == 0:
        return draw(json_ish)
    out: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(sorted(NUMERIC_FIELDS)), max_size=3, unique=True)):
        group, name = path.split(".")
        ends = st.one_of(near_bound(path), hostile_numbers, json_ish)
        out.setdefault(group, {})[name] = {"low": draw(ends), "high": draw(ends)}
    return out


@st.composite
def hostile_items(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 4)) == 0:
        return draw(json_ish)
    items = []
    for _ in range(draw(st.integers(0, 2))):
        one: dict[str, Any] = item()
        for key in draw(
            st.lists(
                st.sampled_from(["name", "kind", "amount", "every", "start_month", "end_month"]),
                max_size=3,
                unique=True,
            )
        ):
            one[key] = draw(anything_for(key))
        items.append(one)
    return items


TOP = ["name", "description", "business.currency", *NUMERIC_FIELDS]


@st.composite
def hostile_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(TOP), max_size=6, unique=True)):
        value = draw(anything_for(path))
        if "." in path:
            group, name = path.split(".")
            data.setdefault(group, {})[name] = value
        else:
            data[path] = value
    if draw(st.booleans()):
        data["uncertainty"] = draw(hostile_ranges())
    if draw(st.booleans()):
        data["other_items"] = draw(hostile_items())
    if draw(st.integers(0, 9)) == 0:  # a whole group replaced by anything
        data[draw(st.sampled_from(["business", "levers", "finance"]))] = draw(json_ish)
    if draw(st.integers(0, 9)) == 0:  # a field nobody knows, named anything
        group = draw(st.sampled_from(["", "business", "costs"]))
        target = data.setdefault(group, {}) if group else data
        if isinstance(target, dict):
            target[draw(hostile_text)] = draw(json_ish)
    return data


def outcome(load: Any, arg: Any) -> Scenario | tuple[str, ...]:
    try:
        return load(arg)  # type: ignore[no-any-return]
    except ScenarioError as exc:
        problems = exc.problems
    assert problems
    for line in problems:
        assert line.isprintable(), line
        line.encode("utf-8")
        assert ": " in line, line
    return problems


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_scenarios())
def test_only_scenario_errors_come_out_and_what_passes_is_in_bounds(data: dict[str, Any]) -> None:
    from_dict = outcome(scenario_from_dict, data)
    # The same data as a file: JSON text (NaN / Infinity literals, escaped surrogates).
    from_json = outcome(scenario_from_json, json.dumps(data))
    assert from_json == from_dict
    if isinstance(from_dict, Scenario):
        assert_in_bounds(from_dict)
        assert scenario_from_json(scenario_to_json(from_dict)) == from_dict
        summary = evaluate(from_dict).summary
        assert math.isfinite(summary.npv)


@settings(max_examples=100, deadline=None)
@given(json_ish)
def test_anything_at_all_is_a_scenario_or_a_scenario_error(value: Any) -> None:
    result = outcome(scenario_from_dict, value)
    if isinstance(result, Scenario):
        assert_in_bounds(result)


# --- break-even keeps searching capped fields as open-ended ones --------------------------------


@pytest.mark.parametrize(
    ("path", "cap", "data"),
    [
        ("costs.setup", 1e12, {}),
        ("business.customers", 1e10, {"costs": {"setup": 5e6}}),
        ("levers.referrals_per_advocate_year", 1e4, {}),
    ],
)
def test_break_even_scans_densely_near_the_value_of_a_capped_field(
    monkeypatch: pytest.MonkeyPatch, path: str, cap: float, data: dict[str, Any]
) -> None:
    # A 513-point linear scan of [0, 1e12] would put its first point past zero at ~2e9;
    # a capped field is scanned as before it had a cap: densely up to twice its value,
    # then geometrically up to the cap.
    scans: list[np.ndarray] = []
    real = analysis.evaluate_batch

    def spy(scenario: Scenario, columns: Any) -> Any:
        scans.append(np.asarray(columns[path]))
        return real(scenario, columns)

    monkeypatch.setattr(analysis, "evaluate_batch", spy)
    scenario = scenario_from_dict(data)
    current = get_value(scenario, path)
    result = break_even(scenario, path)
    scan = scans[0]
    assert scan.max() == pytest.approx(cap)
    assert (scan <= 2 * max(current, 1.0)).sum() >= 257
    if path == "costs.setup":
        assert result.value is not None
        summary = evaluate(with_values(scenario, {path: result.value})).summary
        assert abs(summary.npv) <= 1e-6 * summary.pv_costs
