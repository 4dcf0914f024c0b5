"""The numbers behind the risk page's charts and tables (pure: analyses in,
frames out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from roi_core import Summary
from roi_core.analysis import MonteCarlo, TornadoRow
from roi_core.drivers import FloatArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["grid", "monte_carlo", "risk_adjustment", "tornado"]


def tornado(rows: Sequence[TornadoRow]) -> pd.DataFrame:
    """The tornado's rows: field, the range evaluated, NPV at each end, swing."""
    import pandas as pd

    return pd.DataFrame([row.to_dict() for row in rows])


def monte_carlo(mc: MonteCarlo) -> pd.DataFrame:
    """Mean and percentiles of NPV, ROI and payback over the draws."""
    import pandas as pd

    data = mc.to_dict()
    frame = pd.DataFrame({k: data[k] for k in ("npv", "roi", "payback_months")}).T
    frame["draws"], frame["seed"] = mc.n, mc.seed
    return frame


def grid(xs: FloatArray, ys: FloatArray, z: FloatArray, x_path: str, y_path: str) -> pd.DataFrame:
    """A two-way data table: one row per y value, one column per x value."""
    import pandas as pd

    frame = pd.DataFrame(z, index=pd.Index(ys, name=y_path), columns=pd.Index(xs, name=x_path))
    return frame.reset_index()


def risk_adjustment(cases: Mapping[str, Summary]) -> pd.DataFrame:
    """The case with and without the benefit and cost risk factors (TEI-style), from
    :func:`roi_core.variants.risk_adjustment`, and the effect of the risk."""
    import pandas as pd

    rows = {
        label: {
            "PV of benefits": summary.pv_benefits,
            "PV of costs": summary.pv_costs,
            "NPV": summary.npv,
            "ROI": summary.roi,
            "Payback (months)": summary.payback_months,
        }
        for label, summary in cases.items()
    }
    frame = pd.DataFrame(rows, dtype="float64")
    frame["Effect of risk"] = frame["Risk-adjusted"] - frame["Unadjusted"]
    return frame
