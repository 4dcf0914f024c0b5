"""Tables as files: a frame in, CSV or XLSX bytes out."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["to_csv", "to_xlsx"]


def to_csv(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """UTF-8 CSV with full precision (shortest round-trip float text), what a
    finance team would re-check."""
    return frame.to_csv(index=index).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "Data", index: bool = False) -> bytes:
    """One sheet holding ``frame``."""
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=index, sheet_name=sheet, engine="openpyxl")
    return buffer.getvalue()
