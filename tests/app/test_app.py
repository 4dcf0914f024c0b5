"""The app as Streamlit runs it (AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from roi_core import Scenario, evaluate

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_app_loads_and_shows_the_engines_npv() -> None:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    npv = evaluate(Scenario()).summary.npv
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["NPV"] == f"{npv:,.0f} USD"
    assert metrics["Payback"] == "11.7 months"
