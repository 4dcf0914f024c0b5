"""The calibration page through AppTest: sample, mapping, apply and undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from app_support import current
from streamlit.testing.v1 import AppTest

from roi_core import Scenario
from roi_core.calibration import calibrate
from roi_core.customer_table import read_table
from roi_ui import formatting as fmt
from roi_ui import resources
from roi_ui.widgets.calibrate import SAMPLE

Start = Callable[..., AppTest]


def page(at: AppTest) -> AppTest:
    at.switch_page("pages/evidence.py").run()
    assert not at.exception
    return at


def test_sample_shows_the_estimates_of_the_estimator(app: Start) -> None:
    at = page(app())
    assert at.info
    at.toggle(key="ui.calibrate.sample").set_value(True).run()
    expected = calibrate(read_table(resources.read_bytes(SAMPLE), "customers.csv").table)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Retention lift"] == fmt.percent(expected.retention_lift.estimate)
    assert shown["Fewer assisted contacts"] == fmt.percent(
        expected.assisted_contact_change.estimate
    )
    assert len(at.get("plotly_chart")) == 2


def test_apply_sets_the_levers_with_a_note_and_undo_restores(app: Start) -> None:
    at = page(app())
    at.toggle(key="ui.calibrate.sample").set_value(True).run()
    at.button[0].click().run()
    s: Scenario = current(at)
    lift = calibrate(
        read_table(resources.read_bytes(SAMPLE), "customers.csv").table
    ).retention_lift.estimate
    assert s.levers.retention_lift == pytest.approx(lift)
    assert "customers.csv" in s.description
    at.button[1].click().run()  # undo
    assert current(at) == Scenario()


def test_a_column_mapped_away_is_refused_by_name(app: Start) -> None:
    at = page(app())
    at.toggle(key="ui.calibrate.sample").set_value(True).run()
    at.selectbox(key="ui.calibrate.map.customers.csv.churned").set_value("(none)").run()
    assert any("no column for churned" in e.value for e in at.error)
    at.selectbox(key="ui.calibrate.map.customers.csv.churned").set_value("churned").run()
    assert not at.error


def test_the_file_is_read_once_however_often_the_page_runs(
    app: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a big upload was read again on every rerun (83 s each). The table is
    read once per file content; a new mapping only validates it again."""
    from roi_ui import cache

    reads: list[str] = []
    real = cache.load

    def counting(data: bytes, filename: str, **kw: object) -> object:
        reads.append(filename)
        return real(data, filename, **kw)  # type: ignore[arg-type]

    cache._files.clear()  # a fresh process's cache
    monkeypatch.setattr(cache, "load", counting)
    at = page(app())
    at.toggle(key="ui.calibrate.sample").set_value(True).run()
    at.selectbox(key="ui.calibrate.map.customers.csv.cross_sell_purchases").set_value(
        "(none)"
    ).run()
    at.selectbox(key="ui.calibrate.map.customers.csv.cross_sell_purchases").set_value(
        "cross_sell_purchases"
    ).run()
    at.run()
    assert not at.exception
    assert reads == ["customers.csv"]
    assert {m.label for m in at.metric} >= {"Retention lift", "Customers"}
