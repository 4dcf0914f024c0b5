"""Reading a customer table (CSV or XLSX) for calibration, forgivingly.

Columns are matched to the names :mod:`roi_core.calibration` needs without
regard to case, spaces, hyphens or dots (``"Months Observed"`` is
``months_observed``), or through an explicit mapping. Bad rows are left out and
reported with their row numbers (the header is row 1, as in a spreadsheet) and
counts per kind; a file that is not a table, or lacks a needed column, is
refused with a :class:`TableError` naming the problem. Never a traceback.

A CSV file may separate its cells with commas, semicolons, tabs or bars; the
delimiter is found from the first 64 KB (:func:`sniff_dialect`) and handed to
pandas' fast C parser. Where the delimiter is not a comma and the numbers are
written with a decimal comma (``12,5``, as in many European exports), the
numeric columns are read with that decimal mark.

Column names from the file are echoed in error messages only cleaned and
shortened (:func:`shown`): no control characters, at most 60 characters each.
Messages are :class:`~roi_core.calibration.Message` objects: English, and said in
the session's language where they are shown (the column names never translated).

pandas (and openpyxl for XLSX) are imported here, inside the functions, so that
``import roi_core`` stays light.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from roi_core.calibration import CustomerTable, Message, Number
from roi_core.errors import ROIError
from roi_core.i18n import N_

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DELIMITERS",
    "EMPTY",
    "MAX_CSV_ROWS",
    "MAX_XLSX_ROWS",
    "NOT_0_OR_1",
    "NOT_A_DATE",
    "NOT_A_NUMBER",
    "OPTIONAL",
    "REQUIRED",
    "SHOWN_NAME",
    "SNIFF_BYTES",
    "CsvDialect",
    "LoadedTable",
    "Progress",
    "RawTable",
    "RowProblems",
    "TableError",
    "joined",
    "load",
    "match_columns",
    "needed_columns",
    "normalise",
    "numbers",
    "read_frame",
    "read_table",
    "row_numbers",
    "shown",
    "sniff_dialect",
    "validate",
]

REQUIRED: Final = ("group", "months_observed", "churned")
OPTIONAL: Final = ("assisted_contacts", "cross_sell_purchases", "revenue")
#: How many row numbers one problem line lists before it says "and N more".
SHOWN_ROWS: Final = 10
#: The cell delimiters a CSV file may use, in order of preference on a tie.
DELIMITERS: Final = (",", ";", "\t", "|")
#: How much of a CSV file is read to find its delimiter and decimal mark.
SNIFF_BYTES: Final = 64 * 1024
#: The longest a column name (or other text from the file) is shown in a message,
#: the ellipsis included.
SHOWN_NAME: Final = 60
#: How many column names a message lists before it says "and N more".
SHOWN_COLUMNS: Final = 20
#: The most rows a CSV file may have (the header not counted): about 40 MB of customers.
MAX_CSV_ROWS: Final = 1_000_000
#: The most rows a workbook may have: reading XLSX is ~50x slower than CSV, so a larger
#: table is refused at once (from the sheet's declared size) with the advice to save
#: it as CSV, instead of minutes of reading.
MAX_XLSX_ROWS: Final = 200_000
#: Rows a CSV file is read in at a time, so a caller can show progress.
_CSV_CHUNK: Final = 100_000
#: How many rows of the sniffed sample are parsed per candidate delimiter.
_SNIFF_ROWS: Final = 500

#: The rules a cell may break, said of its column (the column's name is the model's).
EMPTY: Final = N_("{column} is empty")
NOT_A_NUMBER: Final = N_("{column} is not a number")
NOT_0_OR_1: Final = N_("{column} is not 0 or 1")
NOT_A_DATE: Final = N_("{column} is not a date")

_DELIMITER_NAMES: Final = {",": ",", ";": ";", "\t": "tab", "|": "|"}
#: Bidirectional embeddings, overrides and isolates: they reorder what is shown.
_BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Line breaks and tabs of every kind: shown as one space, so text stays on its line.
_BREAKS: Final = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
_COMMA_NUMBER: Final = re.compile(r"\s*[+-]?\d*,\d+(?:[eE][+-]?\d+)?\s*")
_POINT_NUMBER: Final = re.compile(r"\s*[+-]?\d*\.\d+(?:[eE][+-]?\d+)?\s*")


class TableError(ROIError, ValueError):
    """The file cannot be used at all: not a table, or a needed column is missing."""


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file writes its cells.

    Attributes
    ----------
    delimiter : str
        One of :data:`DELIMITERS`: ``","``, ``";"``, ``"\\t"`` or ``"|"``.
    decimal : str
        ``"."``, or ``","`` where the delimiter is not a comma and the numbers
        are written ``12,5``.
    """

    delimiter: str = ","
    decimal: str = "."


@dataclass(frozen=True)
class LoadedTable:
    """A customer table read from a file.

    Attributes
    ----------
    table : CustomerTable
        The usable rows.
    rows_read : int
        How many rows the file has (the header not counted).
    problems : tuple of str
        One line per kind of bad row left out, with row numbers.
    dialect : CsvDialect or None
        The delimiter and decimal mark the CSV file was read with; ``None`` for
        a workbook.
    """

    table: CustomerTable
    rows_read: int
    problems: tuple[str, ...]  # one line per kind of bad row, with row numbers
    dialect: CsvDialect | None = None


def shown(text: object, limit: int = SHOWN_NAME) -> str:
    """Text from a file, safe to echo in a one-line message.

    Line breaks and tabs become one space; other control characters (C0, DEL,
    C1), lone surrogates and bidirectional overrides are removed; the rest is
    cut to ``limit`` characters, the last one an ellipsis when it was cut.

    Parameters
    ----------
    text : object
        A column name, file name or other text; converted with ``str``.
    limit : int, optional
        The most characters shown, the ellipsis included (60 by default).

    Returns
    -------
    str
        The cleaned text (``""`` for a limit of zero or less).

    Examples
    --------
    >>> shown("Months\\nobserved\\x1b[31m")
    'Months observed[31m'
    >>> len(shown("x" * 500))
    60
    """
    spaced = _BREAKS.sub(" ", str(text))
    kept = "".join(
        char
        for char in spaced
        if unicodedata.category(char) not in ("Cc", "Cs") and char not in _BIDI
    ).strip()
    if len(kept) <= limit:
        return kept
    return kept[: limit - 1] + "…" if limit > 0 else ""


def _names(columns: list[str]) -> str:
    """The file's column names for a message: cleaned, shortened, at most 20."""
    listed = ", ".join(shown(c) for c in columns[:SHOWN_COLUMNS])
    more = len(columns) - SHOWN_COLUMNS
    return Message(N_("{names} and {more} more"), names=listed, more=more) if more > 0 else listed


def joined(lines: Sequence[str], separator: str = "; ") -> str:
    """Lines (messages or not) as one message, each still said in its language."""
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        out = Message("{first}" + separator + "{then}", first=out, then=line)
    return out


def normalise(name: object) -> str:
    """``" Months-Observed "`` -> ``"months_observed"``."""
    return re.sub(r"[\s\-.]+", "_", str(name).strip().lower()).strip("_")


def match_columns(
    columns: list[str],
    mapping: Mapping[str, str | None] | None = None,
    *,
    names: Sequence[str] = (*REQUIRED, *OPTIONAL),
) -> dict[str, str]:
    """Needed name -> the file's column: from the mapping where it names the field
    (``None`` there means "no such column"), else by normalised name.

    ``names`` are the names looked for: a customer table's by default; the contact
    and mentions exports pass theirs.
    """
    found: dict[str, str] = {}
    by_norm = {normalise(c): c for c in columns}
    for name in names:
        if mapping is not None and name in mapping:
            chosen = mapping[name]
            if chosen is None:
                continue
            if chosen not in columns:
                raise TableError(
                    Message(
                        N_("{name}: the file has no column {column}"),
                        name=name,
                        column=repr(shown(chosen)),
                    )
                )
            found[name] = chosen
        elif name in by_norm:
            found[name] = by_norm[name]
    return found


def sniff_dialect(data: bytes) -> CsvDialect:
    """The delimiter and decimal mark of a CSV file, from its first 64 KB.

    Each of :data:`DELIMITERS` splits the sample (whole lines, quotes
    respected); a delimiter counts only if it splits the header into two or
    more cells. The one that gives the most rows with as many cells as the
    header wins; on a tie the one with more cells, then the earlier in
    :data:`DELIMITERS`. None counts: a comma (the file has one column).

    Where the delimiter is not a comma and the sample has more numbers written
    with a decimal comma (``12,5``) than with a decimal point (``12.5``), the
    decimal mark is a comma.

    Parameters
    ----------
    data : bytes
        The file (only its first :data:`SNIFF_BYTES` are read).

    Returns
    -------
    CsvDialect
        The delimiter and decimal mark.
    """
    head = data[:SNIFF_BYTES]
    if len(data) > SNIFF_BYTES:  # whole lines only
        head = head[: head.rfind(b"\n") + 1] or head
    sample = head.decode("utf-8-sig", errors="replace")
    best: tuple[float, int, int] | None = None
    found: list[list[str]] = []
    chosen = ","
    for order, delimiter in enumerate(DELIMITERS):
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter, skipinitialspace=True)
        try:
            rows = [row for row in itertools.islice(reader, _SNIFF_ROWS) if row]
        except csv.Error:  # a NUL byte, an unclosed quote at the very end
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        body = rows[1:]
        share = sum(len(row) == width for row in body) / len(body) if body else 1.0
        score = (share, width, -order)
        if best is None or score > best:
            best, found, chosen = score, rows, delimiter
    if chosen == ",":
        return CsvDialect(",", ".")
    cells = [cell for row in found[1:] for cell in row]
    commas = sum(1 for cell in cells if _COMMA_NUMBER.fullmatch(cell))
    points = sum(1 for cell in cells if _POINT_NUMBER.fullmatch(cell))
    return CsvDialect(chosen, "," if commas > points else ".")


#: ``progress(rows_read, rows_expected)``: called while a file is read (the expected
#: count is an estimate for CSV, the sheet's declared size for XLSX, None if unknown).
Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class RawTable:
    """A file read as text cells, before any column is checked.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header cell (names as strings), one row per line.
    dialect : CsvDialect or None
        How the CSV file writes its cells; ``None`` for a workbook.
    """

    frame: pd.DataFrame
    dialect: CsvDialect | None


def _too_many(name: str, rows: int, workbook: bool) -> TableError:
    if workbook:
        return TableError(
            Message(
                N_(
                    "{name}: {rows} rows is more than a workbook may have here (at most "
                    "{most}); save it as CSV, which may have up to {csv_most} rows"
                ),
                name=name,
                rows=Number(rows),
                most=Number(MAX_XLSX_ROWS),
                csv_most=Number(MAX_CSV_ROWS),
            )
        )
    return TableError(
        Message(
            N_("{name}: more than {most} rows (at most {most})"),
            name=name,
            most=Number(MAX_CSV_ROWS),
        )
    )


def _declared_rows(data: bytes) -> int | None:
    """Data rows a workbook's first sheet declares (its ``dimension``), or None."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # not a workbook: pandas says so in its own words below
        return None
    try:
        sheet = book.worksheets[0]
        rows = sheet.max_row
        return None if rows is None else max(0, int(rows) - 1)
    finally:
        book.close()


def _read_csv(
    data: bytes, dialect: CsvDialect, name: str, progress: Progress | None
) -> pd.DataFrame:
    import pandas as pd

    expected = max(0, data.count(b"\n") - 1) if progress else None
    parts: list[pd.DataFrame] = []
    read = 0
    with pd.read_csv(
        io.BytesIO(data),
        dtype=str,
        skipinitialspace=True,
        sep=dialect.delimiter,
        chunksize=_CSV_CHUNK,
        nrows=MAX_CSV_ROWS + 1,
    ) as chunks:
        for part in chunks:
            parts.append(part)
            read += len(part)
            if read > MAX_CSV_ROWS:
                raise _too_many(name, read, workbook=False)
            if progress:
                progress(read, expected)
    if not parts:
        raise pd.errors.EmptyDataError("No columns to parse from file")
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def load(data: bytes, filename: str, *, progress: Progress | None = None) -> RawTable:
    """The file as text cells, with the CSV dialect it was read with.

    Parameters
    ----------
    data : bytes
        The file's contents.
    filename : str
        Its name: ``.xlsx``/``.xlsm`` is read as a workbook (first sheet),
        anything else as CSV.
    progress : callable, optional
        ``progress(rows_read, rows_expected)``, called as the file is read.

    Raises
    ------
    TableError
        The file is not a table (unreadable, one column only, no rows), or has more
        rows than :data:`MAX_CSV_ROWS` (CSV) or :data:`MAX_XLSX_ROWS` (XLSX).
    """
    import pandas as pd

    name = shown(filename, 2 * SHOWN_NAME)
    suffix = Path(filename).suffix.lower()
    workbook = suffix in (".xlsx", ".xlsm")
    dialect = None if workbook else sniff_dialect(data)
    try:
        if dialect is None:
            declared = _declared_rows(data)
            if declared is not None and declared > MAX_XLSX_ROWS:
                raise _too_many(name, declared, workbook=True)
            if progress:
                progress(0, declared)
            frame = pd.read_excel(
                io.BytesIO(data), dtype=str, engine="openpyxl", nrows=MAX_XLSX_ROWS + 1
            )
            if len(frame) > MAX_XLSX_ROWS:  # the sheet did not declare its size
                raise _too_many(name, len(frame), workbook=True)
            if progress:
                progress(len(frame), len(frame))
        else:
            frame = _read_csv(data, dialect, name, progress)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise TableError(
            Message(
                N_("{name}: not a readable CSV table ({reason})"),
                name=name,
                reason=shown(exc, 4 * SHOWN_NAME),
            )
        ) from None
    except TableError:
        raise
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:  # not a workbook
        raise TableError(
            Message(
                N_("{name}: not a readable table ({reason})"),
                name=name,
                reason=f"{type(exc).__name__}: {shown(exc, 4 * SHOWN_NAME)}",
            )
        ) from None
    if frame.shape[1] == 1:
        if dialect is None:
            raise TableError(
                Message(
                    N_("{name}: found only one column in the first sheet — is it a table?"),
                    name=name,
                )
            )
        tried = " ".join(_DELIMITER_NAMES[d] for d in DELIMITERS)
        raise TableError(
            Message(
                N_("{name}: found only one column (looked for {tried}) — is it a CSV table?"),
                name=name,
                tried=tried,
            )
        )
    if frame.shape[1] < 2 or frame.empty:
        raise TableError(Message(N_("{name}: not a table with a header and rows"), name=name))
    frame.columns = [str(c) for c in frame.columns]
    return RawTable(frame, dialect)


def read_frame(data: bytes, filename: str) -> pd.DataFrame:
    """The file as a DataFrame of text cells, as written in the file.

    A CSV file's delimiter (``,`` ``;`` tab ``|``) is found first
    (:func:`sniff_dialect`); numbers stay text here, decimal commas included
    (:func:`read_table` reads them).

    Parameters
    ----------
    data : bytes
        The file's contents.
    filename : str
        Its name: ``.xlsx``/``.xlsm`` is read as a workbook (first sheet),
        anything else as CSV.

    Returns
    -------
    pandas.DataFrame
        One column per header cell (names as strings), one row per line.

    Raises
    ------
    TableError
        The file is not a table: unreadable, one column only, or no rows.
    """
    return load(data, filename).frame


def numbers(column: pd.Series, decimal: str) -> np.ndarray:
    """A column of text cells as floats, ``nan`` where a cell is not a number (or is
    empty).

    With a decimal comma, ``12,5`` is 12.5 and a cell with a point (``1.234``:
    a thousands separator or a decimal point?) is not a number, so it is
    reported rather than guessed.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if decimal == ",":
        column = column.where(~column.str.contains(".", regex=False, na=False))
        column = column.str.replace(",", ".", regex=False)
    try:  # every cell a number or empty: Arrow's cast, ~30x faster than to_numeric
        cast = pc.cast(pa.array(column, type=pa.string(), from_pandas=True), pa.float64())
        return np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def row_numbers(mask: np.ndarray) -> str:
    """The spreadsheet row numbers where ``mask`` holds (the header is row 1): at most
    ten, then "and N more"."""
    rows = np.flatnonzero(mask) + 2  # header is row 1
    listed = ", ".join(str(r) for r in rows[:SHOWN_ROWS])
    if rows.size > SHOWN_ROWS:
        return Message(
            N_("{names} and {more} more"), names=listed, more=int(rows.size - SHOWN_ROWS)
        )
    return listed


def read_table(
    data: bytes, filename: str, mapping: Mapping[str, str | None] | None = None
) -> LoadedTable:
    """Validated columns of a customer table, bad rows left out and reported.

    Parameters
    ----------
    data : bytes
        The file's contents (CSV with any of :data:`DELIMITERS`, or XLSX).
    filename : str
        Its name, for the format and for messages.
    mapping : mapping, optional
        Needed name -> the file's column, for columns not found by name
        (``None`` means "no such column"); see :func:`match_columns`.

    Returns
    -------
    LoadedTable
        The usable rows, the number of rows read, one line per kind of bad
        row, and the CSV dialect the file was read with.

    Raises
    ------
    TableError
        The file is not a table, a needed column is missing, or no row is usable.
    """
    return validate(load(data, filename), filename, mapping)


def needed_columns(
    raw: RawTable,
    filename: str,
    mapping: Mapping[str, str | None] | None,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> dict[str, str]:
    """Needed name -> the file's column (:func:`match_columns`), or a :class:`TableError`
    naming the required ones no column holds, and the file's columns."""
    columns = match_columns(list(raw.frame.columns), mapping, names=(*required, *optional))
    missing = [name for name in required if name not in columns]
    if missing:
        raise TableError(
            Message(
                N_("{name}: no column for {missing} (columns: {columns}); map them by hand"),
                name=shown(filename, 2 * SHOWN_NAME),
                missing=", ".join(missing),
                columns=_names(list(raw.frame.columns)),
            )
        )
    return columns


class RowProblems:
    """The bad rows of a file, one line per kind with its row numbers, in the order
    found; a row is counted under the first kind it has."""

    def __init__(self, rows: int) -> None:
        self.lines: list[str] = []
        self.bad = np.zeros(rows, dtype=bool)

    def leave_out(self, mask: np.ndarray, what: str) -> None:
        """Rows where ``mask`` holds are not used: "N rows left out, what: rows …"."""
        self._say(mask, what, "left out")

    def keep(self, mask: np.ndarray, what: str) -> None:
        """Rows where ``mask`` holds are used all the same: "N rows kept, what: rows …"."""
        self._say(mask, what, "kept")

    def _say(self, mask: np.ndarray, what: str, verb: str) -> None:
        mask = mask & ~self.bad
        if mask.any():
            said = (
                N_("{count} rows left out, {what}: rows {rows}")
                if verb == "left out"
                else N_("{count} rows kept, {what}: rows {rows}")
            )
            self.lines.append(
                Message(said, count=int(mask.sum()), what=what, rows=row_numbers(mask))
            )
            if verb == "left out":
                self.bad |= mask

    def usable(self, filename: str) -> np.ndarray:
        """The rows to use; a :class:`TableError` when there is none."""
        keep = ~self.bad
        if not keep.any():
            raise TableError(
                Message(
                    N_("{name}: no usable rows; {problems}"),
                    name=shown(filename, 2 * SHOWN_NAME),
                    problems=joined(self.lines),
                )
            )
        return keep


def validate(
    raw: RawTable, filename: str, mapping: Mapping[str, str | None] | None = None
) -> LoadedTable:
    """:func:`read_table` on a file already read with :func:`load` (a page reads an
    upload once, then validates it again for each column mapping)."""
    frame, dialect = raw.frame, raw.dialect
    decimal = "." if dialect is None else dialect.decimal
    columns = needed_columns(raw, filename, mapping, REQUIRED, OPTIONAL)
    rows = RowProblems(len(frame))
    flag = rows.leave_out

    group = frame[columns["group"]].fillna("").str.strip().str.lower().to_numpy()
    flag(group == "", Message(EMPTY, column="group"))
    flag(
        ~np.isin(group, ["engaged", "control", ""]),
        Message(N_("{column} is not engaged or control"), column="group"),
    )
    months = numbers(frame[columns["months_observed"]], decimal)
    flag(np.isnan(months), Message(NOT_A_NUMBER, column="months_observed"))
    flag(
        ~np.isnan(months) & ~(months > 0),
        Message(N_("{column} is not > 0"), column="months_observed"),
    )
    churn = numbers(frame[columns["churned"]], decimal)
    flag(~np.isin(churn, [0.0, 1.0]), Message(NOT_0_OR_1, column="churned"))
    optional: dict[str, np.ndarray | None] = {}
    for name in OPTIONAL:
        if name not in columns:
            optional[name] = None
            continue
        values = numbers(frame[columns[name]], decimal)
        flag(np.isnan(values), Message(NOT_A_NUMBER, column=name))
        flag(~np.isnan(values) & (values < 0), Message(N_("{column} is negative"), column=name))
        optional[name] = values
    keep = rows.usable(filename)
    table = CustomerTable(
        engaged=group[keep] == "engaged",
        months_observed=months[keep].astype(np.float64),
        churned=churn[keep] == 1.0,
        **{k: None if v is None else v[keep].astype(np.float64) for k, v in optional.items()},
    )
    return LoadedTable(table, len(frame), tuple(rows.lines), dialect)
