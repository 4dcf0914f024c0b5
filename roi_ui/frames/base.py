"""What every frame of the app shares: a frame shown as people read it.

pandas is imported inside the functions: it costs about a quarter of a second
to import, and a first page view (charts and KPIs) needs no table at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from roi_ui.formatting import money, months, percent

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["shown"]


def shown(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy for display: rows naming ROI as percent, payback as months, the rest
    as money in ``currency``."""

    def cell(row: str, value: float | None) -> str:
        if "ROI" in row:
            return percent(value)
        if row.startswith("Payback"):
            return months(value)
        return money(value, currency)

    out: pd.DataFrame = frame.apply(lambda col: [cell(str(r), v) for r, v in col.items()])
    return out
