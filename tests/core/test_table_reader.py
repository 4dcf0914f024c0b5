"""The customer-table reader: delimiters, decimal commas, one-column files, and
column names echoed in messages only cleaned and shortened."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pytest

from roi_core.customer_table import (
    DELIMITERS,
    SHOWN_NAME,
    SNIFF_BYTES,
    CsvDialect,
    TableError,
    read_frame,
    read_table,
    shown,
    sniff_dialect,
)

ONE_COLUMN = "customers.csv: found only one column (looked for , ; tab |) — is it a CSV table?"


def table(sep: str, rows: list[list[str]]) -> bytes:
    header = ["group", "months_observed", "churned", "revenue"]
    return "\n".join(sep.join(row) for row in [header, *rows]).encode() + b"\n"


# --- delimiters and decimal marks -------------------------------------------------------------


def test_a_semicolon_file_with_decimal_commas_reads_12_5_as_12_5() -> None:
    data = table(";", [["engaged", "12,5", "1", "1,25"], ["control", "3", "0", "40"]])
    loaded = read_table(data, "customers.csv")
    assert loaded.dialect == CsvDialect(";", ",")
    assert loaded.problems == ()
    assert loaded.table.months_observed.tolist() == [12.5, 3.0]
    assert loaded.table.revenue is not None
    assert loaded.table.revenue.tolist() == [1.25, 40.0]
    assert loaded.table.engaged.tolist() == [True, False]
    # read_frame gives the cells as written; read_table reads the numbers.
    assert read_frame(data, "customers.csv")["months_observed"].tolist() == ["12,5", "3"]


def test_a_semicolon_file_with_decimal_points_keeps_them() -> None:
    data = table(";", [["engaged", "12.5", "1", "2.5"], ["control", "3", "0", "4"]])
    loaded = read_table(data, "customers.csv")
    assert loaded.dialect == CsvDialect(";", ".")
    assert loaded.table.months_observed.tolist() == [12.5, 3.0]


#: A decimal comma needs a delimiter other than the comma.
DIALECTS = [
    (sep, decimal) for sep in DELIMITERS for decimal in ".," if (sep, decimal) != (",", ",")
]


@pytest.mark.parametrize(("sep", "decimal"), DIALECTS)
def test_every_delimiter_and_decimal_mark_reads_the_same_table(sep: str, decimal: str) -> None:
    rows = [["engaged", "12.5", "1", "0.75"], ["control", "4", "0", "10"],
            [" engaged", " 1.5", " 0", " 3.25"]]  # fmt: skip
    data = table(sep, [[cell.replace(".", decimal) for cell in row] for row in rows])
    loaded = read_table(data, "customers.csv")
    assert loaded.dialect == CsvDialect(sep, decimal)
    assert loaded.problems == ()
    assert loaded.table.months_observed.tolist() == [12.5, 4.0, 1.5]
    assert loaded.table.revenue is not None
    assert loaded.table.revenue.tolist() == [0.75, 10.0, 3.25]


def test_with_a_decimal_comma_a_cell_with_a_point_is_reported_not_guessed() -> None:
    # "1.234" in a decimal-comma file may be a thousands separator: left out, with its row.
    data = table(";", [["engaged", "12,5", "1", "1.234"], ["control", "3", "0", "7,5"],
                       ["control", "2,25", "0", "8"]])  # fmt: skip
    loaded = read_table(data, "customers.csv")
    assert loaded.dialect == CsvDialect(";", ",")
    assert loaded.problems == ("1 rows left out, revenue is not a number: rows 2",)
    assert loaded.table.months_observed.tolist() == [3.0, 2.25]


def test_a_comma_file_is_read_as_before() -> None:
    data = b"Customer,GROUP, Months Observed ,Churned\nA,Engaged,3,1\nB, control ,4.5,0\n"
    loaded = read_table(data, "x.csv")
    assert loaded.dialect == CsvDialect(",", ".")
    assert loaded.table.months_observed.tolist() == [3.0, 4.5]


def test_quoted_cells_may_hold_the_other_delimiters() -> None:
    comma = (
        b'name,group,months_observed,churned\n"Doe; Jane",engaged,3,1\n"Roe; Rick",control,2,0\n'
    )
    assert sniff_dialect(comma) == CsvDialect(",", ".")
    assert read_table(comma, "x.csv").table.months_observed.tolist() == [3.0, 2.0]
    semi = (
        b'name;group;months_observed;churned\n"Doe, Jane";engaged;3,5;1\n"Roe, Rick";control;2;0\n'
    )
    assert sniff_dialect(semi) == CsvDialect(";", ",")
    assert read_table(semi, "x.csv").table.months_observed.tolist() == [3.5, 2.0]


def test_a_header_with_commas_does_not_fool_the_sniffer() -> None:
    data = (
        "Kunde, Nr.;group;months_observed;churned;Umsatz (€, netto)\n"
        "1;engaged;12,5;1;10,5\n2;control;3;0;4\n"
    ).encode()
    loaded = read_table(data, "crm.csv", {"revenue": "Umsatz (€, netto)"})
    assert loaded.dialect == CsvDialect(";", ",")
    assert loaded.table.months_observed.tolist() == [12.5, 3.0]
    assert loaded.table.revenue is not None
    assert loaded.table.revenue.tolist() == [10.5, 4.0]


def test_a_byte_order_mark_and_windows_line_ends_are_fine() -> None:
    data = b"\xef\xbb\xbfgroup;months_observed;churned\r\nengaged;1,5;1\r\ncontrol;2;0\r\n"
    loaded = read_table(data, "excel.csv")
    assert loaded.dialect == CsvDialect(";", ",")
    assert loaded.table.months_observed.tolist() == [1.5, 2.0]


def test_a_file_longer_than_the_sniffed_part_reads_whole() -> None:
    rows = [["engaged" if i % 2 else "control", f"{i % 30 + 1},5", str(i % 2), "1"]
            for i in range(20_000)]  # fmt: skip
    data = table(";", rows)
    assert len(data) > 4 * SNIFF_BYTES
    loaded = read_table(data, "big.csv")
    assert loaded.dialect == CsvDialect(";", ",")
    assert len(loaded.table) == 20_000
    assert loaded.table.months_observed[:3].tolist() == [1.5, 2.5, 3.5]


def test_the_found_delimiter_goes_to_pandas_c_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    calls: list[dict[str, Any]] = []
    real = pd.read_csv

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", spy)
    read_table(table(";", [["engaged", "1,5", "1", "2"]]), "x.csv")
    read_table(table(",", [["engaged", "1.5", "1", "2"]]), "x.csv")
    assert [c["sep"] for c in calls] == [";", ","]
    assert all(c.get("engine", "c") == "c" for c in calls)


def test_sniff_dialect_on_its_own() -> None:
    assert sniff_dialect(b"a\tb\n1,5\t2\n") == CsvDialect("\t", ",")
    assert sniff_dialect(b"a|b\n1.5|2\n") == CsvDialect("|", ".")
    assert sniff_dialect(b"a;b\n1;2\n") == CsvDialect(";", ".")
    # Nothing splits the header: the comma, and pandas finds one column.
    assert sniff_dialect(b"just one line") == CsvDialect(",", ".")
    assert sniff_dialect(b"") == CsvDialect(",", ".")
    assert sniff_dialect(b"\x89PNG\r\n\x1a\n\x00\x00") == CsvDialect(",", ".")


# --- files that are not tables -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"group months churned\nengaged 3 1\ncontrol 2 0\n", b"just one line",
     b"group\nengaged\ncontrol\n", b"group:months:churned\nengaged:1:0\n"],
)  # fmt: skip
def test_one_column_after_sniffing_says_what_was_tried(data: bytes) -> None:
    with pytest.raises(TableError) as info:
        read_frame(data, "customers.csv")
    assert str(info.value) == ONE_COLUMN


def test_a_workbook_with_one_column_says_so() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["group"])
    ws.append(["engaged"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(TableError, match=r"crm\.xlsx: found only one column in the first sheet"):
        read_table(buffer.getvalue(), "crm.xlsx")


def test_other_unreadable_files_keep_their_messages() -> None:
    with pytest.raises(TableError, match=r"empty\.csv: not a readable CSV table"):
        read_table(b"", "empty.csv")
    with pytest.raises(TableError, match=r"pic\.csv: not a readable CSV table"):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00", "pic.csv")
    with pytest.raises(TableError, match=r"head\.csv: not a table with a header and rows"):
        read_table(b"group;months_observed;churned\n", "head.csv")


# --- text from the file in messages ----------------------------------------------------------


def assert_clean(message: str) -> None:
    assert "\n" not in message and "\r" not in message
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in message)
    assert "\u202e" not in message


def test_hostile_headers_are_cleaned_and_shortened_in_messages() -> None:
    evil = '"' + "A" * 500 + '\nFAKE: all good\r\u202eevil\x1b[31m"'
    names = [evil, *(f"col{i}" for i in range(30))]
    data = (",".join(names) + "\n" + ",".join("1" for _ in names) + "\n").encode()
    with pytest.raises(TableError) as info:
        read_table(data, "x.csv")
    message = str(info.value)
    assert_clean(message)
    assert message.startswith("x.csv: no column for group, months_observed, churned (columns: ")
    first = message.split("(columns: ", 1)[1].split(", ")[0]
    assert first == "A" * (SHOWN_NAME - 1) + "…"
    assert "FAKE" not in message
    assert "col18 and 11 more); map them by hand" in message  # at most 20 names
    assert len(message) < 20 * (SHOWN_NAME + 2) + 200


def test_a_header_with_a_line_break_stays_on_one_line() -> None:
    data = b'"Months\nobserved\x07",other\n1,2\n'
    with pytest.raises(TableError) as info:
        read_table(data, "x.csv")
    assert_clean(str(info.value))
    assert "(columns: Months observed, other)" in str(info.value)


def test_a_mapped_name_that_is_missing_is_echoed_cleaned() -> None:
    data = b"segment,tenure,lost\nengaged,3,1\n"
    with pytest.raises(TableError, match="group: the file has no column 'nope'"):
        read_table(data, "x.csv", {"group": "nope"})
    with pytest.raises(TableError) as info:
        read_table(data, "x.csv", {"group": "B" * 300 + "\n\x1b[2J"})
    assert_clean(str(info.value))
    assert str(info.value) == f"group: the file has no column '{'B' * (SHOWN_NAME - 1)}…'"


def test_shown() -> None:
    assert shown("Months observed") == "Months observed"
    assert shown(" a\tb\r\nc ") == "a b c"
    assert shown("x\x00y\x7fz\x9b\u202e\u2066!") == "xyz!"
    assert shown("\ud800ok") == "ok"  # a lone surrogate
    assert shown("x" * 60) == "x" * 60
    assert shown("x" * 61) == "x" * 59 + "…"
    assert shown("abcdef", 3) == "ab…"
    assert shown("abc", 0) == ""
    assert shown(12.5) == "12.5"


# --- size limits and progress (issue 13) ------------------------------------------------------


def rows_csv(n: int) -> bytes:
    lines = ["group,months_observed,churned"]
    lines += [f"{'engaged' if i % 2 else 'control'},{1 + i % 12},{i % 3 == 0:d}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def test_a_csv_over_the_row_limit_is_refused_naming_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from roi_core import customer_table as ct

    monkeypatch.setattr(ct, "MAX_CSV_ROWS", 250)
    monkeypatch.setattr(ct, "_CSV_CHUNK", 100)
    seen: list[tuple[int, int | None]] = []
    loaded = ct.load(rows_csv(250), "ok.csv", progress=lambda r, e: seen.append((r, e)))
    assert len(loaded.frame) == 250
    assert seen == [(100, 250), (200, 250), (250, 250)]  # by chunk, against the line count
    with pytest.raises(TableError, match=r"big\.csv: more than 250 rows \(at most 250\)"):
        ct.load(rows_csv(251), "big.csv")
    # the table read in chunks is the table read at once
    assert read_table(rows_csv(250), "ok.csv").table.months_observed.tolist() == [
        float(1 + i % 12) for i in range(250)
    ]


def workbook(rows: list[list[Any]], *, last_row: int | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    if last_row is not None:  # one far-away cell: the sheet declares that many rows
        ws.cell(row=last_row, column=1, value="engaged")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_over_the_row_limit_is_refused_before_it_is_read() -> None:
    """The whole-column sheet of the issue (1,048,575 rows) is refused from its
    declared size, not after minutes of reading, with the way out (CSV)."""
    import time

    from roi_core.customer_table import MAX_CSV_ROWS, MAX_XLSX_ROWS, load

    data = workbook([["group", "months_observed", "churned"], ["engaged", 3, 0]],
                    last_row=1_048_576)  # fmt: skip
    start = time.perf_counter()
    with pytest.raises(TableError) as caught:
        load(data, "whole-column.xlsx")
    assert time.perf_counter() - start < 5  # reading it would take minutes
    message = str(caught.value)
    assert "1,048,575 rows" in message
    assert f"at most {MAX_XLSX_ROWS:,}" in message
    assert f"save it as CSV, which may have up to {MAX_CSV_ROWS:,} rows" in message


def test_a_workbook_within_the_limit_reads_as_before_with_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from roi_core import customer_table as ct

    rows = [["group", "months_observed", "churned"]] + [
        ["engaged" if i % 2 else "control", 1 + i % 12, int(i % 3 == 0)] for i in range(40)
    ]
    seen: list[tuple[int, int | None]] = []
    raw = ct.load(workbook(rows), "t.xlsx", progress=lambda r, e: seen.append((r, e)))
    assert len(raw.frame) == 40
    assert seen == [(0, 40), (40, 40)]
    assert raw.frame["months_observed"].tolist()[:3] == ["1", "2", "3"]
    monkeypatch.setattr(ct, "MAX_XLSX_ROWS", 39)
    with pytest.raises(TableError, match="40 rows is more than a workbook may have"):
        ct.load(workbook(rows), "t.xlsx")
