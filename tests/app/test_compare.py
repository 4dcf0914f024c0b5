"""The compare page through AppTest."""

from __future__ import annotations

import json
from collections.abc import Callable

from app_support import current, session
from streamlit.testing.v1 import AppTest

from roi_core import evaluate
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

Start = Callable[..., AppTest]
RANGES = json.dumps({"levers": {"retention_lift": {"low": 0.05, "high": 0.2}},
                     "costs": {"setup": {"low": 50000, "high": 300000}}})  # fmt: skip


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


def compare_page(at: AppTest) -> AppTest:
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    return at


def test_needs_two_scenarios(app: Start) -> None:
    at = compare_page(app())
    assert any("at least two" in i.value for i in at.info)


def test_current_and_preset_side_by_side_with_their_own_figures(app: Start) -> None:
    at = compare_page(app())
    click(at, "Add the dashboard's scenario")
    at.selectbox[0].set_value("telecom").run()
    click(at, "Add this preset")
    kept = session(at).compared
    assert [n for n, _ in kept] == ["Untitled scenario", load_presets()["telecom"].name]
    npvs = [m.value for m in at.metric if m.label == "NPV"]
    assert npvs == [fmt.money_compact(evaluate(s).summary.npv, str(s.business.currency))
                    for _, s in kept]  # fmt: skip
    assert len(at.get("plotly_chart")) == 1


def test_conservative_base_optimistic_bracket_the_base(app: Start) -> None:
    at = compare_page(app(ranges=RANGES))
    click(at, "Conservative / Base / Optimistic")
    kept = session(at).compared
    assert [n for n, _ in kept] == ["Conservative", "Base", "Optimistic"]
    low, base, high = (evaluate(s).summary.npv for _, s in kept)
    assert low < base < high
    assert kept[1][1] == current(at)


def test_at_most_four_and_names_stay_unique(app: Start) -> None:
    at = compare_page(app())
    for _ in range(5):
        click(at, "Add the dashboard's scenario")
    kept = session(at).compared
    assert len(kept) == 4
    assert len({n for n, _ in kept}) == 4
    assert any("At most 4" in w.value for w in at.warning)
