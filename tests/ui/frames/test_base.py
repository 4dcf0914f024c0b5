"""roi_ui.frames.base: a frame's ``attrs`` say how each column reads, ``displayed``
formats a copy by them (the CSV keeps the numbers), and every frame behind a chart
says how each of its numeric columns reads."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import cache
from typing import Literal

import numpy as np
import pandas as pd
import pytest

from roi_core import Result, Scenario, evaluate, monte_carlo, scenario_from_dict, sensitivity
from roi_core.analysis import grid2d
from roi_ui.export.tables import to_csv
from roi_ui.formatting import count, money, months, percent
from roi_ui.frames import base
from roi_ui.frames import compare as compare_frames
from roi_ui.frames import dashboard as dashboard_frames
from roi_ui.frames import risk as risk_frames
from roi_ui.frames.base import displayed, field_title, field_unit, formats

UNDEFINED = [None, math.nan, math.inf, -math.inf]


def _frame() -> pd.DataFrame:
    """One column of each kind, one left raw on purpose, one nobody mentions."""
    frame = pd.DataFrame(
        {
            "Name": ["a", "b"],
            "Amount": [1234.5, -0.004],
            "Share": [0.125, 0.5],
            "Payback": [11.712, 0.0],
            "Draws": [20_100.6, 3],
            "Seed": [4_294_967_295, 7],
            "Other": [0.1, 0.2],
        },
        index=pd.Index(["x", "y"], name="key"),
    )
    return formats(
        frame,
        money=["Amount"],
        percent=["Share"],
        months=["Payback"],
        count=["Draws"],
        raw=["Seed"],
        title="a table",
    )


# --- formats ---------------------------------------------------------------------------------


def test_formats_sets_every_kind_and_returns_the_frame() -> None:
    frame = _frame()
    assert frame.attrs == {
        "money": ["Amount"],
        "percent": ["Share"],
        "months": ["Payback"],
        "count": ["Draws"],
        "raw": ["Seed"],
        "by_row": [],
        "title": "a table",
    }
    bare = pd.DataFrame({"x": [1.0]})
    assert formats(bare) is bare
    assert bare.attrs == {
        "money": [], "percent": [], "months": [], "count": [], "raw": [], "by_row": [],
    }  # fmt: skip
    assert set(base.KINDS) == {"money", "percent", "months", "count"}


# --- displayed -------------------------------------------------------------------------------


def test_displayed_formats_each_kind_by_the_formatting_module() -> None:
    shown = displayed(_frame(), "EUR")
    assert shown["Amount"].tolist() == ["€1,234.50", "€0.00"]  # no negative zero
    assert shown["Share"].tolist() == ["12.5%", "50.0%"]
    assert shown["Payback"].tolist() == ["11.7 months", "0.0 months"]
    assert shown["Draws"].tolist() == ["20,101", "3"]


def test_displayed_money_is_in_the_currency_given() -> None:
    frame = formats(pd.DataFrame({"Cost": [1234.5, 84_000.0]}), money=["Cost"])
    assert displayed(frame, "JPY")["Cost"].tolist() == ["¥1,235", "¥84,000"]
    assert displayed(frame, "IDR")["Cost"].tolist() == [money(1234.5, "IDR"), money(84e3, "IDR")]


@pytest.mark.parametrize(
    ("kind", "write"),
    [
        ("money", lambda v: money(v, "USD")),
        ("percent", percent),
        ("months", months),
        ("count", count),
    ],
)
def test_displayed_undefined_cells_read_as_words_never_nan(
    kind: str, write: Callable[[float | None], str]
) -> None:
    frame = pd.DataFrame({"x": pd.Series(UNDEFINED, dtype=object)})
    frame.attrs[kind] = ["x"]  # the page reads the attrs, however they were set
    shown = displayed(frame, "USD")["x"].tolist()
    assert shown == [write(None)] * len(UNDEFINED)
    assert shown[0] == ("never" if kind == "months" else "n/a")
    assert not any("nan" in s.lower() or "inf" in s.lower() for s in shown)


def test_displayed_missing_values_of_nullable_columns_read_as_words() -> None:
    frame = pd.DataFrame(
        {"n": pd.array([1, None], dtype="Int64"), "f": pd.array([0.5, None], dtype="Float64")}
    )
    shown = displayed(formats(frame, count=["n"], percent=["f"]), "USD")
    assert shown["n"].tolist() == ["1", "n/a"]
    assert shown["f"].tolist() == ["50.0%", "n/a"]


def test_displayed_leaves_every_other_column_as_it_is() -> None:
    frame = _frame()
    shown = displayed(frame, "USD")
    for column in ("Name", "Seed", "Other"):
        pd.testing.assert_series_equal(shown[column], frame[column])
    assert shown.columns.tolist() == frame.columns.tolist()
    pd.testing.assert_index_equal(shown.index, frame.index)


def test_displayed_keeps_the_attrs_and_leaves_the_frame_alone() -> None:
    frame = _frame()
    before = frame.copy()
    shown = displayed(frame, "USD")
    assert shown.attrs == frame.attrs
    assert shown.attrs["title"] == "a table"
    pd.testing.assert_frame_equal(frame, before)  # the CSV's numbers are untouched
    assert frame["Amount"].dtype == np.float64
    read = pd.read_csv(io.BytesIO(to_csv(frame)))
    assert read["Amount"].tolist() == [1234.5, -0.004]  # full precision
    shown.attrs["money"].append("Other")
    assert frame.attrs["money"] == ["Amount"]  # a copy, not the same lists


def test_displayed_without_attrs_is_an_unchanged_copy() -> None:
    frame = pd.DataFrame({"x": [0.5, math.nan], "y": ["a", "b"]})
    shown = displayed(frame, "USD")
    pd.testing.assert_frame_equal(shown, frame)
    assert shown is not frame


def test_deliberately_raw_wins_over_a_kind() -> None:
    frame = formats(pd.DataFrame({"Month": [0, 1]}), money=["Month"], raw=["Month"])
    assert displayed(frame, "USD")["Month"].tolist() == [0, 1]


def test_displayed_keeps_text_already_in_a_cell() -> None:
    frame = formats(pd.DataFrame({"x": pd.Series([1.0, "see note"], dtype=object)}), money=["x"])
    assert displayed(frame, "USD")["x"].tolist() == ["$1.00", "see note"]


def test_displayed_formats_columns_by_row_named_by_the_index() -> None:
    frame = pd.DataFrame(
        {"Low": [1_000.0, 0.1, 12.0, 5.0], "High": [2_000.0, math.nan, None, 6.0]},
        index=["NPV", "ROI", "Payback", "Other"],
    )
    formats(
        frame,
        by_row=["Low", "High"],
        rows={"NPV": "money", "ROI": "percent", "Payback": "months"},
    )
    shown = displayed(frame, "GBP")
    assert shown["Low"].tolist() == ["£1,000.00", "10.0%", "12.0 months", 5.0]
    assert shown["High"].tolist() == ["£2,000.00", "n/a", "never", 6.0]  # "Other": no kind


def test_displayed_formats_columns_by_row_named_by_a_column() -> None:
    frame = pd.DataFrame({"What": ["NPV", "ROI"], "P50": [10.0, 0.25], "Draws": [9, 9]})
    formats(
        frame,
        count=["Draws"],
        by_row=["P50"],
        rows={"NPV": "money", "ROI": "percent"},
        row_label="What",
    )
    shown = displayed(frame, "USD")
    assert shown["P50"].tolist() == ["$10.00", "25.0%"]
    assert shown["What"].tolist() == ["NPV", "ROI"]
    assert shown["Draws"].tolist() == ["9", "9"]


def test_displayed_with_repeated_column_labels_formats_each() -> None:
    frame = pd.DataFrame([[1.0, 2.0, 3.0]], columns=["a", "x", "x"])
    shown = displayed(formats(frame, money=["x"]), "USD")
    assert shown.columns.tolist() == ["a", "x", "x"]
    assert shown.iloc[0].tolist() == [1.0, "$2.00", "$3.00"]


# --- field titles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "currency", "unit", "title"),
    [
        ("levers.retention_lift", "USD", "%", "Retention lift (%)"),
        ("finance.discount_rate", "USD", "% a year", "Discount rate (% a year)"),
        ("costs.setup", "EUR", "EUR", "Setup (EUR)"),
        ("costs.platform_monthly", "USD", "USD per month", "Platform (USD per month)"),
        ("business.customers", "USD", "customers", "Customers (customers)"),
        ("finance.horizon_months", "USD", "months", "Horizon (months)"),
        ("costs.setup", "", "", "Setup"),
        ("costs.platform_monthly", "", "per month", "Platform (per month)"),
    ],
)
def test_field_title_names_the_unit_as_the_app_does(
    path: str, currency: str, unit: str, title: str
) -> None:
    assert field_unit(path, currency) == unit
    assert field_title(path, currency) == title


def test_shown_still_reads_rows_by_their_names() -> None:
    frame = pd.DataFrame({"A": [1000.0, 0.25, 11.71]}, index=["NPV", "ROI", "Payback (months)"])
    assert base.shown(frame, "USD")["A"].tolist() == ["$1,000.00", "25.0%", "11.7 months"]


# --- every frame behind a chart says how each numeric column reads -------------------------

RANGED = scenario_from_dict(
    {"uncertainty": {"levers": {"retention_lift": {"low": 0.05, "high": 0.2}},
                     "costs": {"setup": {"low": 0, "high": 2_000_000}}}}
)  # fmt: skip
SAID = ("money", "percent", "months", "count", "raw", "by_row")


@cache
def _result() -> Result:
    return evaluate(Scenario())


def _grid(metric: Literal["npv", "roi"]) -> pd.DataFrame:
    xs, ys = np.linspace(0, 0.5, 3), np.linspace(1e5, 3e6, 2)
    z = grid2d(Scenario(), "levers.retention_lift", xs, "costs.setup", ys, metric=metric)
    return risk_frames.grid(
        xs, ys, z, "levers.retention_lift", "costs.setup", metric=metric, currency="USD"
    )


CHART_FRAMES: dict[str, Callable[[], pd.DataFrame]] = {
    "value_waterfall": lambda: dashboard_frames.value_waterfall(_result()),
    "cumulative_cash": lambda: dashboard_frames.cumulative_cash(_result()),
    "monthly_flows": lambda: dashboard_frames.monthly_flows(_result()),
    "revenue_by_driver": lambda: dashboard_frames.revenue_by_driver(_result()),
    "yearly": lambda: dashboard_frames.yearly(_result()),
    "tornado": lambda: risk_frames.tornado(sensitivity(RANGED), currency="USD"),
    "monte_carlo": lambda: risk_frames.monte_carlo(monte_carlo(RANGED, n=200, seed=3)),
    "grid_npv": lambda: _grid("npv"),
    "grid_roi": lambda: _grid("roi"),
    "cumulative_overlay": lambda: compare_frames.cumulative_frame(
        [
            ("Base", _result()),
            ("Short", evaluate(scenario_from_dict({"finance": {"horizon_months": 12}}))),
        ]
    ),
}


@pytest.mark.parametrize("name", list(CHART_FRAMES))
def test_every_numeric_column_of_a_chart_frame_is_said_once(name: str) -> None:
    frame = CHART_FRAMES[name]()
    said = [c for key in SAID for c in frame.attrs.get(key, ())]
    numeric = frame.select_dtypes("number").columns.tolist()
    assert sorted(map(str, said)) == sorted(map(str, numeric)), "each numeric column once"
    for key in SAID:
        assert key in frame.attrs  # every key there, even when empty
    if frame.attrs.get("by_row"):
        assert set(frame.attrs["rows"].values()) <= set(base.KINDS)


@pytest.mark.parametrize("name", list(CHART_FRAMES))
def test_a_chart_frame_displayed_never_reads_nan(name: str) -> None:
    shown = displayed(CHART_FRAMES[name](), "USD")
    text = shown.map(lambda v: v if isinstance(v, str) else "").to_numpy().ravel()
    assert not any("nan" in t.lower() for t in text)
