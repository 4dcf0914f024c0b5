"""Presenter mode through AppTest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app_support import current, open_tab
from streamlit.testing.v1 import AppTest

from roi_core import evaluate
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

Start = Callable[..., AppTest]
APP = Path(__file__).resolve().parents[2] / "app.py"


def test_present_link_hides_the_controls_and_shows_big_kpis(app: Start) -> None:
    at = app(present="1")
    assert not at.exception
    assert len(at.slider) == 0  # controls hidden
    assert not at.button_group  # nor the views below the charts
    assert [m.label for m in at.metric][:2] == ["NPV", "ROI"]
    assert len(at.get("plotly_chart")) == 2
    next(b for b in at.button if b.label == "Exit presenter mode").click().run()
    assert len(at.slider) > 0  # back to the working dashboard


def test_setup_then_present_with_prospect_and_logo(app: Start) -> None:
    at = app()
    open_tab(at, "Present")
    at.text_input(key="presenter.prospect").set_value("**Acme**").run()
    next(b for b in at.button if b.label == "Start presenting").click().run()
    assert len(at.slider) == 0  # presenting
    assert any(r"\*\*Acme\*\*" in m.value for m in at.markdown)  # escaped, shown as typed


def test_business_case_in_60_seconds(app: Start) -> None:
    at = app()
    open_tab(at, "Present")
    at.selectbox(key="ui.quick.industry").set_value("saas").run()
    at.number_input(key="ui.quick.saas.business.customers").set_value(50_000).run()
    next(b for b in at.button if b.label == "Build the case and present").click().run()
    s = current(at)
    assert not at.exception
    assert s.business.customers == 50_000
    assert len(at.slider) == 0  # presenting
    npv = fmt.money_compact(evaluate(s).summary.npv, str(s.business.currency))
    assert next(m.value for m in at.metric if m.label == "NPV") == npv
    assert s.levers.retention_lift == load_presets()["saas"].scenario.levers.retention_lift
