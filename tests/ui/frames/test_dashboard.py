"""roi_ui.frames.dashboard: the frames behind every chart, the yearly TEI table, the
assumptions list and CSV export hold the engine's numbers."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from roi_core import NUMERIC_FIELDS, Result, Scenario, evaluate, scenario_from_dict, with_values
from roi_core.drivers import DRIVERS, HARD_DRIVERS, REVENUE_DRIVERS
from roi_ui.export.tables import to_csv
from roi_ui.formatting import unit_words
from roi_ui.frames import dashboard as tables
from roi_ui.frames.base import displayed
from roi_ui.presets import CONFIDENCE_LABELS, load_presets
from roi_ui.theme import driver_label


def _result(**finance: int) -> Result:
    return evaluate(scenario_from_dict({"finance": finance}))


@pytest.fixture(scope="module")
def default() -> Result:
    return evaluate(Scenario())


# --- value_waterfall ---------------------------------------------------------------------


def test_value_waterfall_steps_and_totals(default: Result) -> None:
    frame = tables.value_waterfall(default)
    assert list(frame.columns) == ["Step", "Kind", "Present value"]
    pv = default.monthly.present_values()
    rows = dict(zip(frame["Step"], frame["Present value"], strict=True))
    # Hard savings: root_cause + social_deflection + self_service + other (0 by default).
    assert rows["Hard savings"] == pytest.approx(sum(pv[d] for d in HARD_DRIVERS), rel=1e-12)
    assert rows["All benefits"] == pytest.approx(default.summary.pv_benefits, rel=1e-12)
    assert rows["Costs"] == pytest.approx(-default.summary.pv_costs, rel=1e-12)
    assert rows["NPV"] == pytest.approx(867_214.11, abs=0.01)
    assert list(frame["Kind"]) == ["step"] * 3 + ["subtotal"] + ["step"] * 4 + [
        "subtotal",
        "step",
        "subtotal",
    ]
    subtotals = frame.loc[frame["Kind"] == "subtotal", "Step"].tolist()
    assert subtotals == ["Hard savings", "All benefits", "NPV"]
    # The steps add up to the NPV; the subtotals would count it twice more.
    steps = frame.loc[frame["Kind"] == "step", "Present value"].sum()
    assert steps == pytest.approx(rows["NPV"], rel=1e-12)
    # Price premium (0) and other line items (none) are worth nothing: left out.
    assert "Price premium" not in rows
    assert "Other line items" not in rows
    for driver in ("root_cause", "social_deflection", "retention", "cross_sell"):
        assert rows[driver_label(driver)] == pytest.approx(pv[driver], rel=1e-12)


def test_value_waterfall_reads_as_money(default: Result) -> None:
    frame = tables.value_waterfall(default)
    assert frame.attrs["money"] == ["Present value"]
    shown = displayed(frame, "USD")
    assert shown["Present value"].iloc[-1] == "$867,214.11"
    assert shown[["Step", "Kind"]].equals(frame[["Step", "Kind"]])


# --- cumulative_cash, monthly_flows, revenue_by_driver -----------------------------------


def test_cumulative_cash(default: Result) -> None:
    frame = tables.cumulative_cash(default)
    m = default.monthly
    assert list(frame.columns) == ["Month", "Net cash flow", "Cumulative net cash flow"]
    assert frame["Month"].tolist() == list(range(37))
    np.testing.assert_allclose(frame["Net cash flow"], m.net)
    np.testing.assert_allclose(frame["Cumulative net cash flow"], m.cumulative_net)
    assert frame["Net cash flow"].iloc[0] == pytest.approx(-84_000)
    assert frame["Net cash flow"].cumsum().to_numpy() == pytest.approx(m.cumulative_net)
    assert frame.attrs["money"] == ["Net cash flow", "Cumulative net cash flow"]
    assert frame.attrs["raw"] == ["Month"]  # a month's number, not an amount
    shown = displayed(frame, "JPY")
    assert shown["Net cash flow"].iloc[0] == "-¥84,000"
    assert shown["Month"].tolist() == list(range(37))


def test_monthly_flows(default: Result) -> None:
    frame = tables.monthly_flows(default)
    m = default.monthly
    assert list(frame.columns) == [
        "Month",
        *(driver_label(d) for d in DRIVERS),
        "Total benefits",
        "Costs",
    ]
    for driver in DRIVERS:
        np.testing.assert_allclose(frame[driver_label(driver)], m.benefits[driver])
    labels = [driver_label(d) for d in DRIVERS]
    np.testing.assert_allclose(frame[labels].sum(axis=1), frame["Total benefits"], rtol=1e-12)
    np.testing.assert_allclose(frame["Costs"], m.costs)
    # MODEL.md §6: root_cause(1) = 540.00, social_deflection(1) = 2,515.80, cost(1) = 27,300.
    assert frame.loc[1, "Root-cause fixes"] == pytest.approx(540.0)
    assert frame.loc[1, "Social deflection"] == pytest.approx(2_515.80)
    assert frame.loc[1, "Retention"] == pytest.approx(135.0)
    assert frame.loc[1, "Costs"] == pytest.approx(27_300.0)
    assert frame.attrs["money"] == [*labels, "Total benefits", "Costs"]
    assert frame.attrs["raw"] == ["Month"]
    assert displayed(frame, "USD").loc[1, "Costs"] == "$27,300.00"


def test_revenue_by_driver(default: Result) -> None:
    frame = tables.revenue_by_driver(default)
    m = default.monthly
    labels = [driver_label(d) for d in REVENUE_DRIVERS]
    assert list(frame.columns) == ["Month", *labels]
    for driver in REVENUE_DRIVERS:
        np.testing.assert_allclose(frame[driver_label(driver)], m.revenue[driver])
    total = frame.drop(columns="Month").to_numpy().sum()
    assert total == pytest.approx(default.summary.total_revenue_impact, rel=1e-12)
    assert frame.attrs["money"] == labels
    assert frame.attrs["raw"] == ["Month"]


# --- yearly ------------------------------------------------------------------------------


def test_yearly_columns_and_rows(default: Result) -> None:
    frame = tables.yearly(default)
    assert frame.index.tolist() == ["Benefits", "Costs", "Net"]
    assert frame.columns.tolist() == [
        "Initial",
        "Year 1",
        "Year 2",
        "Year 3",
        "Total",
        "Present value",
    ]
    assert frame.attrs["money"] == frame.columns.tolist()  # every cell is money
    shown = displayed(frame, "USD")
    assert shown.loc["Net", "Present value"] == "$867,214.11"
    assert shown.index.tolist() == ["Benefits", "Costs", "Net"]


@pytest.mark.parametrize("horizon", [1, 12, 13, 30, 36, 120])
def test_yearly_totals_and_present_values(horizon: int) -> None:
    result = _result(horizon_months=horizon)
    s = result.summary
    frame = tables.yearly(result)
    years = [c for c in frame.columns if c.startswith("Year ")]
    assert len(years) == -(-horizon // 12)
    period = ["Initial", *years]
    np.testing.assert_allclose(frame[period].sum(axis=1), frame["Total"], rtol=1e-12)
    assert frame.loc["Net", "Present value"] == pytest.approx(s.npv, rel=1e-12)
    assert frame.loc["Benefits", "Present value"] == pytest.approx(s.pv_benefits, rel=1e-12)
    assert frame.loc["Costs", "Present value"] == pytest.approx(s.pv_costs, rel=1e-12)
    assert frame.loc["Benefits", "Total"] == pytest.approx(s.total_benefits, rel=1e-12)
    assert frame.loc["Costs", "Total"] == pytest.approx(s.total_costs, rel=1e-12)
    assert frame.loc["Net", "Total"] == pytest.approx(s.net_benefit, rel=1e-12)
    np.testing.assert_allclose(
        frame.loc["Net"], frame.loc["Benefits"] - frame.loc["Costs"], rtol=1e-9, atol=1e-6
    )
    assert frame.loc["Costs", "Initial"] == pytest.approx(84_000.0)  # setup 80,000 * 1.05


def test_yearly_horizon_30_last_year_holds_months_25_to_30() -> None:
    result = _result(horizon_months=30)
    frame = tables.yearly(result)
    assert frame.columns.tolist() == [
        "Initial",
        "Year 1",
        "Year 2",
        "Year 3",
        "Total",
        "Present value",
    ]
    m = result.monthly
    benefit = m.total_benefits
    assert frame.loc["Benefits", "Year 1"] == pytest.approx(benefit[1:13].sum(), rel=1e-12)
    assert frame.loc["Benefits", "Year 2"] == pytest.approx(benefit[13:25].sum(), rel=1e-12)
    assert frame.loc["Benefits", "Year 3"] == pytest.approx(benefit[25:31].sum(), rel=1e-12)
    # Running costs 26,000 * 1.05 = 27,300 a month: twelve, twelve, then six months.
    assert frame.loc["Costs", "Year 1"] == pytest.approx(12 * 27_300)
    assert frame.loc["Costs", "Year 2"] == pytest.approx(12 * 27_300)
    assert frame.loc["Costs", "Year 3"] == pytest.approx(6 * 27_300)


def test_yearly_horizon_1() -> None:
    result = _result(horizon_months=1)
    frame = tables.yearly(result)
    assert frame.columns.tolist() == ["Initial", "Year 1", "Total", "Present value"]
    assert frame.loc["Costs", "Year 1"] == pytest.approx(27_300.0)
    assert frame.loc["Benefits", "Year 1"] == pytest.approx(
        result.monthly.total_benefits[1], rel=1e-12
    )
    assert frame.loc["Net", "Present value"] == pytest.approx(result.summary.npv, rel=1e-12)


# --- assumptions -------------------------------------------------------------------------


def test_assumptions_lists_all_30_numeric_fields() -> None:
    scenario = scenario_from_dict({"levers": {"save_rate": 0.35}})
    frame = tables.assumptions(scenario, None)
    assert len(NUMERIC_FIELDS) == 30
    assert frame["field"].tolist() == list(NUMERIC_FIELDS)
    # What people read first, then the path and the value in model units.
    assert list(frame.columns) == [
        "label", "shown", "unit", "source", "confidence", "field", "value",
    ]  # fmt: skip
    rows = frame.set_index("field")
    assert rows.loc["levers.save_rate", "value"] == pytest.approx(0.35)
    assert rows.loc["levers.save_rate", "label"] == "Save rate"
    assert rows.loc["levers.save_rate", "unit"] == "share (%)"  # unit_words("fraction")
    assert rows.loc["business.customers", "value"] == 200_000
    assert rows.loc["business.customers", "shown"] == "200,000"
    assert rows.loc["levers.save_rate", "shown"] == "35.00%"
    assert rows.loc["finance.horizon_months", "unit"] == "months"
    for path in NUMERIC_FIELDS:
        assert rows.loc[path, "unit"] == unit_words(NUMERIC_FIELDS[path].unit, "USD")
    # Without a preset: the changed value is the user's, the rest the model's defaults.
    assert rows.loc["levers.save_rate", "source"] == "set by the user"
    others = rows.drop(index="levers.save_rate")
    assert set(others["source"]) == {"the model's default"}
    assert set(frame["confidence"]) == {""}


def test_assumptions_units_are_words_in_the_scenarios_currency() -> None:
    scenario = scenario_from_dict({"business": {"currency": "EUR"}})
    rows = tables.assumptions(scenario, None).set_index("field")
    assert rows.loc["costs.setup", "unit"] == "EUR"
    assert rows.loc["costs.platform_monthly", "unit"] == "EUR per month"
    assert rows.loc["service.cost_per_assisted_contact", "unit"] == "EUR per contact"
    assert rows.loc["service.monthly_assisted_contacts", "unit"] == "contacts per month"
    assert rows.loc["finance.discount_rate", "unit"] == "% a year"
    assert rows.loc["levers.referrals_per_advocate_year", "unit"] == "referrals a year"
    assert not any("money" in u or "fraction" in u for u in rows["unit"])
    # ``currency=`` names another currency for the words (the scenario's otherwise).
    other = tables.assumptions(scenario, None, currency="JPY").set_index("field")
    assert other.loc["costs.platform_monthly", "unit"] == "JPY per month"


def test_assumptions_a_note_names_where_a_value_came_from() -> None:
    preset = load_presets()["telecom"]
    changed = with_values(preset.scenario, {"levers.save_rate": 0.25, "costs.setup": 1.0})
    notes = {"levers.save_rate": "calibrated on customers.csv"}
    rows = tables.assumptions(changed, preset, notes=notes).set_index("field")
    assert rows.loc["levers.save_rate", "source"] == "calibrated on customers.csv"
    assert rows.loc["levers.save_rate", "confidence"] == ""
    assert rows.loc["costs.setup", "source"] == "set by the user"  # changed, no note
    untouched = preset.source("levers.retention_lift")
    assert untouched is not None
    assert rows.loc["levers.retention_lift", "source"] == untouched.note
    # Without a preset too.
    alone = tables.assumptions(Scenario(), None, notes=notes).set_index("field")
    assert alone.loc["levers.save_rate", "source"] == "calibrated on customers.csv"
    assert alone.loc["costs.setup", "source"] == "the model's default"


def test_assumptions_with_a_preset_a_value_back_at_the_models_default_is_the_users() -> None:
    preset = load_presets()["telecom"]
    default = Scenario().costs.setup
    assert preset.scenario.costs.setup != default
    changed = with_values(preset.scenario, {"costs.setup": default})
    rows = tables.assumptions(changed, preset).set_index("field")
    assert rows.loc["costs.setup", "source"] == "set by the user"
    assert rows.loc["costs.setup", "confidence"] == ""


@pytest.mark.parametrize("preset_id", list(load_presets()))
def test_assumptions_with_a_preset_shows_its_sources(preset_id: str) -> None:
    preset = load_presets()[preset_id]
    frame = tables.assumptions(preset.scenario, preset).set_index("field")
    assert len(frame) == 30
    for path in NUMERIC_FIELDS:
        source = preset.source(path)
        assert source is not None
        assert frame.loc[path, "source"] == source.note
        assert frame.loc[path, "confidence"] == CONFIDENCE_LABELS[source.confidence]


def test_assumptions_a_changed_value_is_set_by_the_user() -> None:
    preset = load_presets()["telecom"]
    changed = with_values(
        preset.scenario,
        {
            "levers.save_rate": preset.scenario.levers.save_rate + 0.05,
            "costs.setup": preset.scenario.costs.setup + 1,
        },
    )
    frame = tables.assumptions(changed, preset).set_index("field")
    for path in ("levers.save_rate", "costs.setup"):
        assert frame.loc[path, "source"] == "set by the user"
        assert frame.loc[path, "confidence"] == ""
    assert frame.loc["levers.save_rate", "value"] == pytest.approx(
        preset.scenario.levers.save_rate + 0.05
    )
    untouched = preset.source("levers.retention_lift")
    assert untouched is not None
    assert frame.loc["levers.retention_lift", "source"] == untouched.note
    assert (frame["source"] == "set by the user").sum() == 2


# --- to_csv ------------------------------------------------------------------------------


def _read(data: bytes, **kwargs: Any) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), **kwargs)


def _assert_same_numbers(read: pd.DataFrame, frame: pd.DataFrame) -> None:
    assert read.columns.tolist() == [str(c) for c in frame.columns]
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            np.testing.assert_allclose(
                read[str(column)].to_numpy(dtype=float),
                frame[column].to_numpy(dtype=float),
                rtol=1e-9,
                atol=0,
            )
        else:
            assert read[str(column)].tolist() == frame[column].tolist()


@pytest.mark.parametrize(
    "build",
    [
        tables.value_waterfall,
        tables.cumulative_cash,
        tables.monthly_flows,
        tables.revenue_by_driver,
    ],
    ids=["value_waterfall", "cumulative_cash", "monthly_flows", "revenue_by_driver"],
)
@pytest.mark.parametrize("horizon", [1, 36, 120])
def test_to_csv_round_trips_through_read_csv(
    build: Callable[[Result], pd.DataFrame], horizon: int
) -> None:
    frame = build(_result(horizon_months=horizon))
    data = to_csv(frame)
    assert isinstance(data, bytes)
    _assert_same_numbers(_read(data), frame)


def test_to_csv_yearly_with_its_index_round_trips(default: Result) -> None:
    frame = tables.yearly(default)
    read = _read(to_csv(frame, index=True), index_col=0)
    assert read.index.tolist() == ["Benefits", "Costs", "Net"]
    _assert_same_numbers(read, frame)


def test_to_csv_large_money_keeps_relative_precision() -> None:
    scenario = scenario_from_dict(
        {"business": {"customers": 9_000_000, "monthly_revenue_per_customer": 97.31}}
    )
    frame = tables.monthly_flows(evaluate(scenario))
    _assert_same_numbers(_read(to_csv(frame)), frame)


def test_to_csv_assumptions_with_unicode_notes_round_trips() -> None:
    preset = load_presets()["telecom"]
    frame = tables.assumptions(preset.scenario, preset)
    data = to_csv(frame)
    data.decode("utf-8")
    read = _read(data, keep_default_na=False)
    _assert_same_numbers(read, frame)


def test_the_narrow_yearly_table_has_a_line_per_period_in_compact_money() -> None:
    from roi_core import Scenario, evaluate
    from roi_ui.formatting import money_compact

    result = evaluate(Scenario())
    table = result.yearly()
    lines = tables.yearly_markdown(result, "USD", narrow=True).splitlines()
    assert lines[0] == "| | Benefits | Costs | Net |"
    assert len(lines) == 2 + len(table.columns)  # head, rule, one line per period
    year1 = table.columns.index("Year 1")
    want = [money_compact(v, "USD").replace("$", "\\$") for v in (table.benefits[year1],
            table.costs[year1], table.net[year1])]  # fmt: skip
    assert lines[2 + year1] == f"| **Year 1** | {' | '.join(want)} |"
