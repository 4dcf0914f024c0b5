"""Reading a customer table (CSV or XLSX) for calibration, forgivingly.

Columns are matched to the names :mod:`roi_core.calibration` needs without
regard to case, spaces, hyphens or dots (``"Months Observed"`` is
``months_observed``), or through an explicit mapping. Bad rows are left out and
reported with their row numbers (the header is row 1, as in a spreadsheet) and
counts per kind; a file that is not a table, or lacks a needed column, is
refused with a :class:`TableError` naming the problem. Never a traceback.

pandas (and openpyxl for XLSX) are imported here, inside the functions, so that
``import roi_core`` stays light.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from roi_core.calibration import CustomerTable
from roi_core.errors import ROIError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OPTIONAL",
    "REQUIRED",
    "LoadedTable",
    "TableError",
    "match_columns",
    "normalise",
    "read_frame",
    "read_table",
]

REQUIRED: Final = ("group", "months_observed", "churned")
OPTIONAL: Final = ("assisted_contacts", "cross_sell_purchases", "revenue")
#: How many row numbers one problem line lists before it says "and N more".
SHOWN_ROWS: Final = 10


class TableError(ROIError, ValueError):
    """The file cannot be used at all: not a table, or a needed column is missing."""


@dataclass(frozen=True)
class LoadedTable:
    table: CustomerTable
    rows_read: int
    problems: tuple[str, ...]  # one line per kind of bad row, with row numbers


def normalise(name: object) -> str:
    """``" Months-Observed "`` -> ``"months_observed"``."""
    return re.sub(r"[\s\-.]+", "_", str(name).strip().lower()).strip("_")


def match_columns(
    columns: list[str], mapping: Mapping[str, str | None] | None = None
) -> dict[str, str]:
    """Needed name -> the file's column: from the mapping where it names the field
    (``None`` there means "no such column"), else by normalised name."""
    found: dict[str, str] = {}
    by_norm = {normalise(c): c for c in columns}
    for name in (*REQUIRED, *OPTIONAL):
        if mapping is not None and name in mapping:
            chosen = mapping[name]
            if chosen is None:
                continue
            if chosen not in columns:
                raise TableError(f"{name}: the file has no column {chosen!r}")
            found[name] = chosen
        elif name in by_norm:
            found[name] = by_norm[name]
    return found


def read_frame(data: bytes, filename: str) -> pd.DataFrame:
    """The file as a DataFrame of text cells; :class:`TableError` if it is not a table."""
    import pandas as pd

    suffix = Path(filename).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        else:
            frame = pd.read_csv(io.BytesIO(data), dtype=str, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise TableError(f"{filename}: not a readable CSV table ({exc})") from None
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:  # not a workbook
        raise TableError(
            f"{filename}: not a readable table ({type(exc).__name__}: {exc})"
        ) from None
    if frame.shape[1] < 2 or frame.empty:
        raise TableError(f"{filename}: not a table with a header and rows")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _rows(mask: np.ndarray) -> str:
    rows = np.flatnonzero(mask) + 2  # header is row 1
    listed = ", ".join(str(r) for r in rows[:SHOWN_ROWS])
    more = f" and {rows.size - SHOWN_ROWS} more" if rows.size > SHOWN_ROWS else ""
    return f"{listed}{more}"


def read_table(
    data: bytes, filename: str, mapping: Mapping[str, str | None] | None = None
) -> LoadedTable:
    """Validated columns of a customer table, bad rows left out and reported."""
    import pandas as pd

    frame = read_frame(data, filename)
    columns = match_columns(list(frame.columns), mapping)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise TableError(
            f"{filename}: no column for {', '.join(missing)} (columns: "
            f"{', '.join(map(str, frame.columns[:20]))}); map them by hand"
        )
    problems: list[str] = []
    bad = np.zeros(len(frame), dtype=bool)

    def flag(mask: np.ndarray, what: str) -> None:
        mask = mask & ~bad
        if mask.any():
            problems.append(f"{int(mask.sum())} rows left out, {what}: rows {_rows(mask)}")
            bad[:] |= mask

    group = frame[columns["group"]].fillna("").str.strip().str.lower().to_numpy()
    flag(group == "", "group is empty")
    flag(~np.isin(group, ["engaged", "control", ""]), "group is not engaged or control")
    months = pd.to_numeric(frame[columns["months_observed"]], errors="coerce").to_numpy()
    flag(np.isnan(months), "months_observed is not a number")
    flag(~np.isnan(months) & ~(months > 0), "months_observed is not > 0")
    churn = pd.to_numeric(frame[columns["churned"]], errors="coerce").to_numpy()
    flag(~np.isin(churn, [0.0, 1.0]), "churned is not 0 or 1")
    optional: dict[str, np.ndarray | None] = {}
    for name in OPTIONAL:
        if name not in columns:
            optional[name] = None
            continue
        values = pd.to_numeric(frame[columns[name]], errors="coerce").to_numpy()
        flag(np.isnan(values), f"{name} is not a number")
        flag(~np.isnan(values) & (values < 0), f"{name} is negative")
        optional[name] = values
    keep = ~bad
    if not keep.any():
        raise TableError(f"{filename}: no usable rows; " + "; ".join(problems))
    table = CustomerTable(
        engaged=group[keep] == "engaged",
        months_observed=months[keep].astype(np.float64),
        churned=churn[keep] == 1.0,
        **{k: None if v is None else v[keep].astype(np.float64) for k, v in optional.items()},
    )
    return LoadedTable(table, len(frame), tuple(problems))
