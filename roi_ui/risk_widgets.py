"""Controls of the risk page: uncertainty ranges, goal seek, two-way table inputs.

Like widgets.py, this module and state.py are the only ones that touch
``st.session_state``; values are shown in display units (percent for shares).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError, scenario_from_dict
from roi_core.engine import STRUCTURAL_FIELDS
from roi_core.scenario import RANGEABLE_GROUPS, get_value
from roi_ui import state

__all__ = [
    "RANGEABLE",
    "Axes",
    "factor",
    "field_picker",
    "ranges_editor",
    "ranges_from_rows",
    "shown_axes",
    "span_inputs",
    "title",
]

RANGEABLE = [p for p, spec in NUMERIC_FIELDS.items() if spec.group in RANGEABLE_GROUPS]
#: Fields that reshape the months themselves: no grid or curve over them.
NON_TIMELINE = tuple(STRUCTURAL_FIELDS)
_GEN = "roi.ranges_generation"


def factor(path: str) -> float:
    """Model units to display units: 100 for shares (shown in %), else 1."""
    return 100.0 if state.is_percent(NUMERIC_FIELDS[path]) else 1.0


def title(path: str) -> str:
    """A field's label with its display unit: "Retention lift (%)"."""
    spec = NUMERIC_FIELDS[path]
    return f"{spec.title} ({'%' if state.is_percent(spec) else spec.unit})"


def _with_ranges(s: Scenario, ranges: dict[str, tuple[float, float]]) -> Scenario:
    data = s.model_dump(mode="json")
    data["uncertainty"] = {g: {} for g in RANGEABLE_GROUPS}
    for path, (low, high) in ranges.items():
        group, name = path.split(".")
        data["uncertainty"][group][name] = {"low": low, "high": high}
    return scenario_from_dict(data)


def _apply(s: Scenario) -> None:
    state.replace(s)
    st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1  # a fresh editor


def _plus_minus(s: Scenario, share: float) -> Scenario:
    ranges = {}
    for path in RANGEABLE:
        if not path.startswith("levers."):
            continue
        spec, value = NUMERIC_FIELDS[path], get_value(s, path)
        ranges[path] = (max(spec.low, value * (1 - share)), min(spec.upper, value * (1 + share)))
    return _with_ranges(s, ranges)


def _from_preset(s: Scenario) -> Scenario:
    preset = state.preset()
    if preset is None:
        return s
    ranges = {}
    for path, rng in preset.scenario.uncertainty.items():
        value = get_value(s, path)
        ranges[path] = (min(rng.low, value), max(rng.high, value))
    return _with_ranges(s, ranges)


def ranges_editor(s: Scenario) -> None:
    """Low / high for any lever, baseline or cost, with one-click defaults."""
    a, b, c = st.columns(3)
    if a.button("±25 % on every lever", width="stretch"):
        _apply(_plus_minus(s, 0.25))
        st.rerun()
    if b.button("Ranges from the preset", width="stretch", disabled=state.preset() is None,
                help="Only after starting from an industry preset."):  # fmt: skip
        _apply(_from_preset(s))
        st.rerun()
    if c.button("Clear all ranges", width="stretch"):
        _apply(_with_ranges(s, {}))
        st.rerun()
    rows = []
    for path in RANGEABLE:
        spec, rng = NUMERIC_FIELDS[path], s.uncertainty.get(path)
        rows.append({
            "field": path, "input": title(path),
            "low": None if rng is None else state.display_value(spec, rng.low),
            "value": state.display_value(spec, get_value(s, path)),
            "high": None if rng is None else state.display_value(spec, rng.high),
        })  # fmt: skip
    import pandas as pd  # only when the ranges tab is open

    edited = st.data_editor(
        pd.DataFrame(rows),
        key=f"ranges.{st.session_state.get(_GEN, 0)}",
        hide_index=True,
        width="stretch",
        disabled=["field", "input", "value"],
        column_config={
            "field": None,
            "input": st.column_config.TextColumn("Input"),
            "low": st.column_config.NumberColumn("Low", help="Empty: no range"),
            "value": st.column_config.NumberColumn("Most likely (today's value)"),
            "high": st.column_config.NumberColumn("High", help="Empty: no range"),
        },
    )
    if st.button("Apply ranges", type="primary", icon=":material/check:"):
        new, problems = ranges_from_rows(s, edited.to_dict("records"))
        if new is None:
            st.error("Ranges not applied; your scenario is unchanged.", icon=":material/error:")
            for line in problems:
                st.text(line)
        else:
            _apply(new)
            st.rerun()


def ranges_from_rows(s: Scenario, rows: list[dict[str, Any]]) -> tuple[Scenario | None, list[str]]:
    """The scenario with the editor's ranges (display units in, model units out), or
    ``None`` and one line per problem, each naming the field."""
    ranges: dict[str, tuple[float, float]] = {}
    problems: list[str] = []
    for row in rows:
        low, high = row.get("low"), row.get("high")
        blank = [v is None or (isinstance(v, float) and math.isnan(v)) for v in (low, high)]
        if all(blank):
            continue
        if any(blank):
            problems.append(f"uncertainty.{row['field']}: give both low and high, or neither")
            continue
        factor = 100.0 if state.is_percent(NUMERIC_FIELDS[row["field"]]) else 1.0
        ranges[row["field"]] = (round(float(low) / factor, 12), round(float(high) / factor, 12))
    try:
        new = _with_ranges(s, ranges)
    except ScenarioError as exc:
        problems += list(exc.problems)
    return (None, problems) if problems else (new, [])


def field_picker(label: str, key: str, *, exclude: tuple[str, ...] = (), default: str) -> str:
    """A selectbox over the numeric fields, labelled by title."""
    options = [p for p in NUMERIC_FIELDS if p not in exclude]
    index = options.index(default) if default in options else 0
    choice: str = st.selectbox(label, options, index=index, key=key, format_func=title)
    return choice


def span_inputs(
    s: Scenario, path: str, key: str, *, include: float | None = None
) -> tuple[float, float]:
    """From / to for a field's axis (display units), defaulting to half to one and a
    half times today's value (stretched to show ``include``, e.g. a break-even),
    within the field's valid range."""
    spec, value = NUMERIC_FIELDS[path], get_value(s, path)
    lo = max(spec.low, value * 0.5)
    hi = min(spec.upper, value * 1.5 if value > 0 else (spec.typical_max or 1.0))
    if include is not None:
        lo, hi = max(spec.low, min(lo, include * 0.8)), min(spec.upper, max(hi, include * 1.2))
        key = f"{key}.{include:.6g}"
    left, right = st.columns(2)
    a = left.number_input(
        "From", value=float(state.display_value(spec, lo)), key=f"{key}.{path}.lo"
    )
    b = right.number_input("To", value=float(state.display_value(spec, hi)), key=f"{key}.{path}.hi")
    low, high = sorted((float(state.model_value(spec, a)), float(state.model_value(spec, b))))
    return max(low, spec.low), min(high, spec.upper)


def grid_axis(low: float, high: float, n: int = 25) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.linspace(low, high, n)


@dataclass(frozen=True)
class Axes:
    """Two grid axes in display units (percent for shares) with their titles."""

    xs: np.ndarray[Any, np.dtype[np.float64]]
    ys: np.ndarray[Any, np.dtype[np.float64]]
    x_title: str
    y_title: str
    current: tuple[float, float]


def shown_axes(
    s: Scenario,
    x: str,
    xs: np.ndarray[Any, np.dtype[np.float64]],
    y: str,
    ys: np.ndarray[Any, np.dtype[np.float64]],
) -> Axes:
    sx, sy = NUMERIC_FIELDS[x], NUMERIC_FIELDS[y]
    fx = 100.0 if state.is_percent(sx) else 1.0
    fy = 100.0 if state.is_percent(sy) else 1.0
    return Axes(xs * fx, ys * fy, title(x), title(y),
                (get_value(s, x) * fx, get_value(s, y) * fy))  # fmt: skip
