"""Editable tables (line items, uncertainty ranges) as plain rows, pure.

Streamlit's data editor keeps its edits as a delta against the table it was
given: ``{"edited_rows": {i: {column: value}}, "added_rows": [{column: value}],
"deleted_rows": [i]}``. :func:`apply_edits` replays such a delta on the rows,
so the session's state can take an edit in the editor's callback — before the
page draws anything — instead of after the editor is drawn.

Values are in display units here (shares in percent); :func:`items_from_rows`
and :func:`ranges_from_rows` turn rows back into model data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from roi_core import NUMERIC_FIELDS, Scenario, ScenarioError
from roi_core.i18n import gettext as _
from roi_core.ranges import RANGEABLE, with_ranges
from roi_core.scenario import FieldSpec, get_value

__all__ = [
    "ITEM_COLUMNS",
    "apply_edits",
    "display_value",
    "factor",
    "is_percent",
    "items_from_rows",
    "items_rows",
    "model_value",
    "ranges_from_rows",
    "ranges_rows",
]

ITEM_COLUMNS = ["name", "kind", "amount", "every", "start_month", "end_month"]
Row = dict[str, Any]


def is_percent(spec: FieldSpec) -> bool:
    """Shares are shown in percent."""
    return spec.unit.startswith("fraction")


def factor(path: str) -> float:
    """Model units to display units: 100 for shares, else 1."""
    return 100.0 if is_percent(NUMERIC_FIELDS[path]) else 1.0


def display_value(spec: FieldSpec, value: float) -> float | int:
    """Model units to what a control shows (shares as percent)."""
    if spec.is_int:
        return int(value)
    return round(value * 100.0, 10) if is_percent(spec) else float(value)


def model_value(spec: FieldSpec, shown: float | int) -> float | int:
    """What a control shows back to model units."""
    if spec.is_int:
        return int(shown)
    return round(float(shown) / 100.0, 12) if is_percent(spec) else float(shown)


def apply_edits(rows: Sequence[Row], edits: Mapping[str, Any] | None) -> list[Row]:
    """``rows`` with a data editor's delta replayed: edited cells first (by the
    original row positions), then deleted rows removed, then added rows appended."""
    if not edits:
        return [dict(r) for r in rows]
    out = [dict(r) for r in rows]
    for index, changes in (edits.get("edited_rows") or {}).items():
        i = int(index)
        if 0 <= i < len(out):
            out[i].update(changes)
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    out = [r for i, r in enumerate(out) if i not in deleted]
    out += [dict(r) for r in edits.get("added_rows") or []]
    return out


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return str(value) in ("<NA>", "NaT")


def _number(value: Any, *, whole: bool) -> Any:
    """A cell as a number (whole numbers as ints where asked); anything that is not a
    number stays as it is, for the model to name."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if whole and number.is_integer() else number


def items_rows(scenario: Scenario) -> list[Row]:
    """The line items as editor rows (every column present)."""
    return [{c: item.model_dump()[c] for c in ITEM_COLUMNS} for item in scenario.other_items]


def items_from_rows(rows: Sequence[Row]) -> list[Row]:
    """Editor rows as line-item data for the model: empty rows dropped, blank
    optional cells left out (their defaults apply), whole months as ints. A blank
    required cell is kept as ``None`` so the model names it."""
    items = []
    for record in rows:
        if all(_blank(record.get(c)) for c in ITEM_COLUMNS):
            continue  # an empty row the editor added
        item: Row = {}
        for column in ITEM_COLUMNS:
            value = record.get(column)
            if _blank(value):
                if column in ("name", "kind", "amount"):
                    item[column] = None
                continue
            if column in ("start_month", "end_month", "amount"):
                value = _number(value, whole=column != "amount")
            item[column] = value
        items.append(item)
    return items


def ranges_rows(scenario: Scenario) -> list[Row]:
    """One editor row per rangeable field: its title, low, today's value, high
    (display units; low and high blank where there is no range)."""
    rows = []
    for path in RANGEABLE:
        spec, rng = NUMERIC_FIELDS[path], scenario.uncertainty.get(path)
        rows.append(
            {
                "field": path,
                "input": spec.title,
                "low": None if rng is None else display_value(spec, rng.low),
                "value": display_value(spec, get_value(scenario, path)),
                "high": None if rng is None else display_value(spec, rng.high),
            }
        )
    return rows


def ranges_from_rows(scenario: Scenario, rows: Sequence[Row]) -> tuple[Scenario | None, list[str]]:
    """The scenario with the rows' ranges (display units in, model units out), or
    ``None`` and one line per problem, each naming ``uncertainty.<field>``."""
    ranges: dict[str, tuple[float, float]] = {}
    problems: list[str] = []
    for row in rows:
        low, high = row.get("low"), row.get("high")
        blank = [_blank(v) for v in (low, high)]
        if all(blank):
            continue
        if any(blank):
            problems.append(
                _("uncertainty.{field}: give both low and high, or neither").format(
                    field=row["field"]
                )
            )
            continue
        try:
            ends = (float(low), float(high))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            problems.append(
                _("uncertainty.{field}: low and high must be numbers").format(field=row["field"])
            )
            continue
        if not all(math.isfinite(x) for x in ends):
            problems.append(
                _("uncertainty.{field}: low and high must be finite numbers").format(
                    field=row["field"]
                )
            )
            continue
        scale = factor(row["field"])
        ranges[row["field"]] = (round(ends[0] / scale, 12), round(ends[1] / scale, 12))
    try:
        new = with_ranges(scenario, ranges)
    except ScenarioError as exc:
        problems += list(exc.problems)
    return (None, problems) if problems else (new, [])
