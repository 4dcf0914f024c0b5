"""roi_core: what is a social customer-service program worth, month by month?

A pure, typed model (MODEL.md): pydantic scenarios in, numpy month-by-month
cash flows out, with tornado, break-even and Monte Carlo analyses on top.
It never imports Streamlit or Plotly.

>>> from roi_core import Scenario, evaluate
>>> round(evaluate(Scenario()).summary.npv, 2)
867214.11
"""

from roi_core.analysis import (
    BreakEven,
    MonteCarlo,
    TornadoRow,
    break_even,
    monte_carlo,
    sensitivity,
)
from roi_core.engine import evaluate, evaluate_batch
from roi_core.errors import AnalysisError, ROIError, ScenarioError
from roi_core.results import BatchResult, Monthly, Result, Summary
from roi_core.scenario import (
    NUMERIC_FIELDS,
    FieldSpec,
    Scenario,
    scenario_from_dict,
    scenario_from_file,
    scenario_from_json,
    scenario_to_json,
    with_values,
)

__all__ = [
    "NUMERIC_FIELDS",
    "AnalysisError",
    "BatchResult",
    "BreakEven",
    "FieldSpec",
    "MonteCarlo",
    "Monthly",
    "ROIError",
    "Result",
    "Scenario",
    "ScenarioError",
    "Summary",
    "TornadoRow",
    "break_even",
    "evaluate",
    "evaluate_batch",
    "monte_carlo",
    "scenario_from_dict",
    "scenario_from_file",
    "scenario_from_json",
    "scenario_to_json",
    "sensitivity",
    "with_values",
]
