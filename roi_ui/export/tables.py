"""Tables as files: a frame in, CSV or XLSX bytes out.

User text (team names, scenario names, anything a person typed) never becomes
a formula in a spreadsheet: in CSV a text cell that a spreadsheet would read as
one (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is
prefixed with ``'``; in XLSX every text cell is written as a string cell. Control
characters a workbook cannot hold are removed rather than failing the download.
Numbers are written at full precision.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_START", "safe_text", "to_csv", "to_xlsx", "write_cell"]

#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def safe_text(value: Any) -> Any:
    """A text cell as a CSV holds it safely: control characters removed, and a ``'``
    before a text a spreadsheet would read as a formula; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = _clean(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """UTF-8 CSV with full precision (shortest round-trip float text), what a
    finance team would re-check; text cells made safe (:func:`safe_text`)."""
    safe = frame.map(safe_text)
    safe.columns = [safe_text(c) for c in frame.columns]
    if index:
        safe.index = frame.index.map(
            lambda v: tuple(safe_text(x) for x in v) if isinstance(v, tuple) else safe_text(v)
        ).set_names(frame.index.names)
    return safe.to_csv(index=index).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "Data", index: bool = False) -> bytes:
    """One sheet holding ``frame``: a header row, then one row per record; text as
    string cells (never formulas), numbers as numbers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    head = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    rows = frame.itertuples(index=index, name=None)
    for r, values in enumerate([head, *rows], start=1):
        for c, value in enumerate(values, start=1):
            write_cell(ws.cell(row=r, column=c), value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_cell(cell: Any, value: Any) -> None:
    """Put ``value`` in an openpyxl cell: text as a string cell (even when it starts
    with ``=``), a missing value as an empty cell, anything else as it is."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        cell.value = None
    elif isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"
    elif hasattr(value, "item"):  # numpy scalars
        cell.value = value.item()
    else:
        cell.value = value
