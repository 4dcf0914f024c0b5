"""roi_ui.frames.compare: results side by side, changes against the first scenario only
in its currency, each column shown in its own currency, differing inputs shaded."""

from __future__ import annotations

import io
import math
import re

import pandas as pd
import pytest

from roi_core import NUMERIC_FIELDS, Scenario, Summary, evaluate, scenario_from_dict
from roi_ui.export.tables import to_csv
from roi_ui.formatting import (
    money,
    months,
    percent,
    percent_points,
    signed_money_compact,
    signed_months,
)
from roi_ui.frames import compare as frames
from roi_ui.frames.base import displayed

BASE = Scenario()
DEARER = scenario_from_dict({"costs": {"setup": 100_000}})  # NPV -21,000 (setup x 1.05)
IN_EUR = scenario_from_dict({"business": {"currency": "EUR"}, "levers": {"save_rate": 0.3}})
NO_COSTS = scenario_from_dict(
    {"costs": {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}}
)


def _named(*cases: tuple[str, Scenario]) -> list[tuple[str, Summary, str]]:
    return [(name, evaluate(s).summary, str(s.business.currency)) for name, s in cases]


def _currencies(*cases: tuple[str, Scenario]) -> dict[str, str]:
    return {name: str(s.business.currency) for name, s in cases}


CASES = (("Base", BASE), ("Dearer", DEARER), ("Euro", IN_EUR))


# --- results_frame -------------------------------------------------------------------------


def test_results_frame_holds_each_summary() -> None:
    named = _named(*CASES)
    frame = frames.results_frame(named)
    assert frame.index.tolist() == list(frames.RESULTS)
    for name, summary, _ in named:
        for label, attr in frames.RESULTS.items():
            assert frame.loc[label, name] == getattr(summary, attr)


def test_changes_are_against_the_first_only_in_its_currency() -> None:
    named = _named(*CASES)
    frame, changes = frames.results_frame(named), frames.changes_frame(named)
    assert frame.columns.tolist() == ["Base", "Dearer", "Euro"]
    # Amounts in different currencies are never subtracted: no change for "Euro".
    assert changes.columns.tolist() == ["Dearer"]
    assert changes["Dearer"].tolist() == (frame["Dearer"] - frame["Base"]).tolist()
    assert changes["Dearer"]["NPV"] == pytest.approx(-21_000.0)  # 20,000 more, x 1.05 risk
    assert changes["Dearer"]["PV of benefits"] == 0.0


def test_a_first_scenario_in_another_currency_compares_with_its_own_currency_only() -> None:
    named = _named(("Euro", IN_EUR), ("Base", BASE), ("Dearer", DEARER))
    assert frames.results_frame(named).columns.tolist() == ["Euro", "Base", "Dearer"]
    assert frames.changes_frame(named).columns.tolist() == []


def test_an_undefined_roi_is_nan_not_an_error() -> None:
    named = _named(("Base", BASE), ("Free", NO_COSTS))
    assert evaluate(NO_COSTS).summary.roi is None
    assert math.isnan(frames.results_frame(named).loc["ROI", "Free"])
    assert math.isnan(frames.changes_frame(named).loc["ROI", "Free"])


def test_a_scenario_named_like_a_change_keeps_its_results() -> None:
    named = _named(("Base", BASE), ("Dearer", DEARER), ("Dearer vs Base", IN_EUR))
    frame = frames.results_frame(named)
    assert frame["Dearer vs Base"]["NPV"] == evaluate(IN_EUR).summary.npv
    assert frames.changes_frame(named).columns.tolist() == ["Dearer"]


# --- results_shown and changes_shown -----------------------------------------------------------


def test_each_column_is_shown_in_its_own_currency() -> None:
    named = _named(*CASES)
    shown = frames.results_shown(frames.results_frame(named), _currencies(*CASES))
    for name, summary, currency in named:
        col = shown[name]
        assert col["NPV"] == money(summary.npv, currency)
        assert col["PV of costs"] == money(summary.pv_costs, currency)
        assert col["ROI"] == percent(summary.roi)
        assert col["Hard-savings ROI"] == percent(summary.roi_hard)
        assert col["Payback (months)"] == months(summary.payback_months)
    assert shown["Euro"]["NPV"].startswith("€")
    assert shown["Base"]["NPV"].startswith("$")


def test_changes_read_as_signed_money_points_and_months() -> None:
    named = _named(*CASES)
    col = frames.changes_shown(frames.changes_frame(named), "USD")["Dearer"]
    base, dearer = named[0][1], named[1][1]
    assert col["NPV"] == signed_money_compact(dearer.npv - base.npv, "USD") == "-$21.0K"
    assert col["PV of costs"] == "+$21.0K"
    assert col["PV of benefits"] == "no change"
    assert base.roi is not None and dearer.roi is not None
    assert col["ROI"] == percent_points(dearer.roi - base.roi, 0.0)
    assert col["ROI"].endswith(" pp") and col["ROI"].startswith("-")
    assert base.payback_months is not None and dearer.payback_months is not None
    assert col["Payback (months)"] == signed_months(dearer.payback_months - base.payback_months)
    assert col["Payback (months)"].startswith("+") and col["Payback (months)"].endswith("months")


def test_a_change_in_another_first_currency_is_in_that_currency() -> None:
    cases = (("Euro", IN_EUR), ("Euro dearer", scenario_from_dict(
        {"business": {"currency": "EUR"}, "levers": {"save_rate": 0.3},
         "costs": {"setup": 100_000}})))  # fmt: skip
    shown = frames.changes_shown(frames.changes_frame(_named(*cases)), "EUR")
    assert shown["Euro dearer"]["NPV"] == "-€21.0K"


def test_no_change_reads_no_change_in_every_row() -> None:
    cases = (("Base", BASE), ("Same", BASE))
    shown = frames.changes_shown(frames.changes_frame(_named(*cases)), "USD")
    assert set(shown["Same"]) == {"no change"}


def test_a_change_for_a_name_containing_vs_keeps_its_currency() -> None:
    cases = (("Base", BASE), ("Q1 vs Q2", DEARER))
    shown = frames.changes_shown(frames.changes_frame(_named(*cases)), "USD")
    assert shown["Q1 vs Q2"]["NPV"] == "-$21.0K"


def test_the_overlay_charts_numbers_are_each_scenarios_cumulative_cash() -> None:
    short = scenario_from_dict({"finance": {"horizon_months": 12}})
    named = [("Base", evaluate(BASE)), ("Short", evaluate(short))]
    frame = frames.cumulative_frame(named)
    assert frame.columns.tolist() == ["Month", "Base", "Short"]
    assert frame["Month"].tolist() == list(range(37))
    assert frame["Base"].tolist() == evaluate(BASE).monthly.cumulative_net.tolist()
    assert frame["Short"].iloc[:13].tolist() == evaluate(short).monthly.cumulative_net.tolist()
    assert frame["Short"].iloc[13:].isna().all()
    assert frame.attrs["money"] == ["Base", "Short"]
    assert frame.attrs["raw"] == ["Month"]
    shown = displayed(frame, "USD")
    assert shown["Base"].iloc[0] == "-$84,000.00"
    assert set(shown["Short"].iloc[13:]) == {"n/a"}  # past its horizon, never "nan"
    assert shown["Month"].tolist() == list(range(37))


def test_a_scenario_named_month_keeps_its_cash_flow_beside_the_months() -> None:
    frame = frames.cumulative_frame([("Month", evaluate(BASE))])
    assert frame.columns.tolist() == ["Month", "Month"]
    assert frame.iloc[:, 0].tolist() == list(range(37))
    assert frame.iloc[:, 1].tolist() == evaluate(BASE).monthly.cumulative_net.tolist()
    # Deliberately raw wins: the month numbers never read as money.
    assert displayed(frame, "USD").iloc[:, 0].tolist() == list(range(37))


# --- inputs_frame, highlight, export_frame -----------------------------------------------------


def test_inputs_frame_has_every_input_per_scenario() -> None:
    cases = [("Base", BASE), ("Dearer", DEARER), ("Euro", IN_EUR)]
    inputs = frames.inputs_frame(cases)
    assert inputs.columns.tolist() == ["Base", "Dearer", "Euro"]
    assert inputs.loc["currency"].tolist() == ["USD", "USD", "EUR"]
    assert inputs.loc["Setup (costs.setup)"].tolist() == [80_000.0, 100_000.0, 80_000.0]
    assert len(inputs) == 1 + len(NUMERIC_FIELDS) + 1  # currency, every field, line items


def _shaded(html: str) -> set[tuple[int, int]]:
    """(row, column) of every cell a Styler's HTML gives the highlight colour."""
    cells = set()
    rules = r"((?:#T_\w+_row\d+_col\d+,?\s*)+)\{\s*background-color: #FEF3C7"
    for rule in re.finditer(rules, html):
        for row, col in re.findall(r"row(\d+)_col(\d+)", rule.group(1)):
            cells.add((int(row), int(col)))
    return cells


def test_highlight_shades_exactly_the_cells_that_differ_from_the_first() -> None:
    inputs = frames.inputs_frame([("Base", BASE), ("Dearer", DEARER), ("Euro", IN_EUR)])
    styler = frames.highlight(inputs)
    rows = inputs.index.tolist()
    expected = {
        (rows.index("currency"), 2),
        (rows.index("Setup (costs.setup)"), 1),
        (rows.index("Save rate (levers.save_rate)"), 2),
    }
    assert _shaded(styler.to_html()) == expected
    # Shown as text: numbers in short form, the currency as is.
    shown = styler.data
    assert shown.loc["Setup (costs.setup)", "Dearer"] == "100,000"
    assert shown.loc["Save rate (levers.save_rate)", "Euro"] == "0.3"
    assert shown.loc["currency", "Euro"] == "EUR"


def test_highlight_shades_nothing_for_equal_scenarios() -> None:
    inputs = frames.inputs_frame([("Base", BASE), ("Copy", BASE)])
    assert _shaded(frames.highlight(inputs).to_html()) == set()


def test_export_frame_puts_results_changes_then_inputs_and_reads_back() -> None:
    cases = [("Base", BASE), ("Dearer", DEARER)]
    results = frames.results_frame(_named(*cases))
    changes = frames.changes_frame(_named(*cases))
    inputs = frames.inputs_frame(cases)
    table = frames.export_frame(results, changes, inputs)
    assert table.columns.tolist() == ["Base", "Dearer"]
    assert table.loc["result"].index.tolist() == list(frames.RESULTS)
    assert table.loc[("change against the first", "NPV"), "Dearer"] == pytest.approx(-21_000.0)
    assert math.isnan(table.loc[("change against the first", "NPV"), "Base"])
    assert table.loc[("result", "NPV"), "Dearer"] == evaluate(DEARER).summary.npv
    assert table.loc[("input", "Setup (costs.setup)"), "Dearer"] == 100_000
    read = pd.read_csv(io.BytesIO(to_csv(table, index=True)), index_col=[0, 1])
    # A mixed column (the currency row is text) reads back as text: the full-precision one.
    assert float(read.loc[("result", "NPV"), "Dearer"]) == evaluate(DEARER).summary.npv
