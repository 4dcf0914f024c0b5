"""roi_ui.export.tables: a frame as CSV or XLSX bytes reads back equal."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from roi_core import Scenario, evaluate
from roi_ui.export.tables import to_csv, to_xlsx
from roi_ui.frames import dashboard as dashboard_frames

#: Floats whose shortest text is long, tiny or huge; text people type.
FRAME = pd.DataFrame(
    {
        "name": [
            'The "A" team',
            "Blue & <b>Co</b>",
            "Über café \u2013 東京 🚀",
            "comma, and\nline",
            "",
        ],
        "value": [0.1 + 0.2, 1e-300, 999_999_999_999.99, -21_000.0, 2.0 / 3.0],
        "count": [0, 1, 10**10, 200_000, 7],
    }
)


def _sheet(data: bytes) -> list[list[object]]:
    wb = load_workbook(io.BytesIO(data))
    return [list(row) for row in wb.active.iter_rows(values_only=True)]


def test_to_csv_reads_back_equal() -> None:
    data = to_csv(FRAME)
    data.decode("utf-8")
    read = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert read.columns.tolist() == FRAME.columns.tolist()
    assert read["name"].tolist() == FRAME["name"].tolist()
    assert read["value"].tolist() == FRAME["value"].tolist()  # exactly: shortest round trip
    assert read["count"].tolist() == FRAME["count"].tolist()


def test_to_csv_with_index_keeps_it() -> None:
    frame = dashboard_frames.yearly(evaluate(Scenario()))
    read = pd.read_csv(io.BytesIO(to_csv(frame, index=True)), index_col=0)
    assert read.index.tolist() == frame.index.tolist()
    assert read.to_numpy().tolist() == frame.to_numpy().tolist()


# openpyxl writes a float with 16 significant digits ("%.16g"; Excel itself keeps 15),
# so XLSX numbers read back equal to 1e-15, not to the last bit as CSV's do.
XLSX_REL = 1e-15


def test_to_xlsx_reads_back_equal_with_openpyxl() -> None:
    data = to_xlsx(FRAME, sheet="Board")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Board"]
    rows = _sheet(data)
    assert rows[0] == FRAME.columns.tolist()
    body = rows[1:]
    assert len(body) == len(FRAME)
    for read, (_, row) in zip(body, FRAME.iterrows(), strict=True):
        name, value, count = read
        assert (name or "") == row["name"]  # an empty cell reads back as None
        assert value == pytest.approx(row["value"], rel=XLSX_REL, abs=0)
        assert count == row["count"]  # whole numbers exactly
        assert isinstance(name, str | None) and isinstance(count, int)


def test_to_xlsx_default_sheet_and_index() -> None:
    frame = dashboard_frames.yearly(evaluate(Scenario()))
    data = to_xlsx(frame, index=True)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Data"]
    rows = _sheet(data)
    assert list(rows[0][1:]) == frame.columns.tolist()
    assert [r[0] for r in rows[1:]] == frame.index.tolist()
    for read, expected in zip(rows[1:], frame.to_numpy().tolist(), strict=True):
        assert list(read[1:]) == pytest.approx(expected, rel=XLSX_REL, abs=0)
    read = pd.read_excel(io.BytesIO(data), index_col=0, engine="openpyxl")
    assert read.index.tolist() == frame.index.tolist()
    assert read.to_numpy().ravel().tolist() == pytest.approx(
        frame.to_numpy().ravel().tolist(), rel=XLSX_REL, abs=0
    )


def test_to_xlsx_never_turns_user_text_into_a_formula() -> None:
    frame = pd.DataFrame({"team": ['=HYPERLINK("http://example.org","x")', "=1+1"]})
    wb = load_workbook(io.BytesIO(to_xlsx(frame)))
    cells = [row[0] for row in wb.active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == frame["team"].tolist()
    assert [c.data_type for c in cells] == ["s", "s"]
