"""What every frame of the app shares: how its columns read, and a frame shown as
people read it.

A frame behind a chart keeps the raw numbers (the CSV download holds them at full
precision) and says in :attr:`pandas.DataFrame.attrs` how the page shows each
numeric column (:func:`formats` sets them, :func:`displayed` reads them):

* ``attrs["money"]``, ``attrs["percent"]`` (fractions, ``0.25`` is 25%),
  ``attrs["months"]`` (a duration, ``11.7 months``), ``attrs["count"]`` (whole
  things): the columns (by label) whose every cell reads that way;
* ``attrs["by_row"]``: columns whose cells read as their *row* says, by
  ``attrs["rows"]`` (``{row label: kind}``, one of the four kinds above); a row
  is named by its index label, or by its cell in the column
  ``attrs["row_label"]`` where that is set (a table whose rows are NPV, ROI and
  payback);
* ``attrs["raw"]``: numeric columns left as they are on purpose (a month number,
  values already in display units with their unit beside them, a seed). They are
  never formatted, even when a label is also listed under a kind.

Every numeric column of a frame behind a chart is in exactly one of these lists
(``tests/ui/frames`` checks it).

pandas is imported inside the functions: it costs about a quarter of a second
to import, and a first page view (charts and KPIs) needs no table at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from numbers import Integral
from typing import TYPE_CHECKING, Literal

from roi_core import NUMERIC_FIELDS
from roi_ui import formatting as fmt

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KINDS", "Kind", "displayed", "field_title", "field_unit", "formats", "shown"]

#: How a numeric column (or row) reads; each is an ``attrs`` key naming its columns.
Kind = Literal["money", "percent", "months", "count"]
KINDS: tuple[Kind, ...] = ("money", "percent", "months", "count")


def formats(
    frame: pd.DataFrame,
    *,
    money: Iterable[Hashable] = (),
    percent: Iterable[Hashable] = (),
    months: Iterable[Hashable] = (),
    count: Iterable[Hashable] = (),
    raw: Iterable[Hashable] = (),
    by_row: Iterable[Hashable] = (),
    rows: Mapping[Hashable, Kind] | None = None,
    row_label: Hashable | None = None,
    **extra: object,
) -> pd.DataFrame:
    """``frame`` with its ``attrs`` saying how each column reads (see the module
    docstring); ``extra`` goes into ``attrs`` as it is (a grid's metric, say).
    Returns the same frame, for chaining."""
    kinds = {"money": money, "percent": percent, "months": months, "count": count}
    frame.attrs.update({kind: list(columns) for kind, columns in kinds.items()})
    frame.attrs["raw"] = list(raw)
    frame.attrs["by_row"] = list(by_row)
    if rows is not None:
        frame.attrs["rows"] = dict(rows)
    if row_label is not None:
        frame.attrs["row_label"] = row_label
    frame.attrs.update(extra)
    return frame


def _number(value: object) -> float | None:
    """A cell as a number for :mod:`roi_ui.formatting`: None where it is missing
    (None, NaN, ``pd.NA``); whole numbers stay exact."""
    if value is None:
        return None
    if isinstance(value, Integral):
        return int(value)
    try:
        return float(value)  # type: ignore[arg-type]  # NaN stays NaN: "undefined"
    except (TypeError, ValueError):
        return None  # pd.NA, pd.NaT: missing


def _formatter(kind: str, currency: str) -> Callable[[object], object]:
    """How one cell of ``kind`` reads; text already in a cell is kept."""
    write: dict[str, Callable[[float | None], str]] = {
        "money": lambda v: fmt.money(v, currency),
        "percent": fmt.percent,
        "months": fmt.months,
        "count": fmt.count,
    }
    by_kind = write[kind]

    def cell(value: object) -> object:
        return value if isinstance(value, str) else by_kind(_number(value))

    return cell


def displayed(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy of ``frame`` for the page: the columns its ``attrs`` name (module
    docstring) as text by :mod:`roi_ui.formatting` — money in ``currency``,
    fractions as percent, months, counts — undefined cells (None, NaN, ±inf) as
    that module's words ("n/a", "never"), never "nan". Every other column, the
    index, the column labels and the ``attrs`` are kept as they are; ``frame``
    itself is not changed (the CSV keeps the raw numbers)."""
    attrs = frame.attrs
    raw = set(attrs.get("raw", ()))
    column_kind: dict[Hashable, str] = {}
    for kind in KINDS:
        column_kind |= {c: kind for c in attrs.get(kind, ()) if c not in raw}
    by_row = {c for c in attrs.get("by_row", ()) if c not in raw and c not in column_kind}
    row_kind: Mapping[Hashable, str] = attrs.get("rows", {})
    label = attrs.get("row_label")
    labels = list(frame[label]) if label is not None else list(frame.index)
    cells: dict[str, Callable[[object], object]] = {k: _formatter(k, currency) for k in KINDS}
    out = frame.copy()
    for i, column in enumerate(frame.columns):
        values = frame.iloc[:, i].tolist()
        if column in column_kind:
            out.isetitem(i, [cells[column_kind[column]](v) for v in values])
        elif column in by_row:
            shown_cells = [
                cells[row_kind[r]](v) if row_kind.get(r) in cells else v
                for r, v in zip(labels, values, strict=True)
            ]
            out.isetitem(i, shown_cells)
    return out


def field_unit(path: str, currency: str) -> str:
    """A field's unit as the app writes it after its title: ``%`` for a share (its
    values in percent), ``% a year``, ``USD``, ``USD per month``, ``months``,
    ``customers``. Without a currency, money is left unnamed (``per month``, or
    nothing)."""
    unit = NUMERIC_FIELDS[path].unit
    if unit == "fraction":
        return "%"
    return fmt.unit_words(unit, currency).strip()


def field_title(path: str, currency: str) -> str:
    """A field's title with its unit, as the app labels it: "Retention lift (%)",
    "Setup (USD)", "Platform (USD per month)" (just "Setup" without a currency)."""
    title, unit = NUMERIC_FIELDS[path].title, field_unit(path, currency)
    return f"{title} ({unit})" if unit else title


def shown(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy for display: rows naming ROI as percent, payback as months, the rest
    as money in ``currency``."""

    def cell(row: str, value: float | None) -> str:
        if "ROI" in row:
            return fmt.percent(value)
        if row.startswith("Payback"):
            return fmt.months(value)
        return fmt.money(value, currency)

    out: pd.DataFrame = frame.apply(lambda col: [cell(str(r), v) for r, v in col.items()])
    return out
