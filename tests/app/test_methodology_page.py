"""The methodology page: every formula shown and checked on the scenario on screen."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from roi_core.methodology import FORMULAS

Start = Callable[..., AppTest]


def test_every_formula_is_shown_and_holds_for_the_scenario(app: Start) -> None:
    at = app(**{"levers.retention_lift": "0.2", "finance.ramp_months": "0"})
    at.switch_page("pages/methodology.py").run()
    assert not at.exception
    assert [h.value for h in at.subheader][: len(FORMULAS)] == [f.title for f in FORMULAS]
    assert len(at.latex) == len(FORMULAS)
    assert sum("checked on the scenario on screen" in c.value for c in at.caption) == len(FORMULAS)
    assert not at.error


def test_each_kpi_links_to_its_formula(app: Start) -> None:
    at = app()
    anchors = {f.anchor for f in FORMULAS}
    for metric in at.metric:
        link = metric.help.rsplit("/methodology#", 1)[1].rstrip(")")
        assert link in anchors, metric.label
