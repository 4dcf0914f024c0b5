"""roi_ui.figures.workshop: ROI by team passes Plotly's full validation, draws the
teams' ROI in percent, highest on top, and shows team names as text."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from roi_ui.figures import workshop as figures

NAMES = ['The "A" team', "<b>Bold</b> & Co", "Plain", "%{x} hack"]
ROI = [0.25, -0.1, None, 1.5]


def test_roi_by_team_is_valid_and_sorted_highest_on_top() -> None:
    fig = figures.roi_by_team(NAMES, ROI)
    go.Figure(fig.to_dict())  # full validation
    (bars,) = fig.data
    assert bars.orientation == "h"
    # Ascending along y: the last category is drawn on top.
    assert list(bars.x) == pytest.approx([-10.0, 0.0, 25.0, 150.0])
    assert list(bars.y) == [
        "&lt;b&gt;Bold&lt;/b&gt; &amp; Co", "Plain", 'The "A" team', "%\u200b{x} hack",
    ]  # fmt: skip
    assert fig.layout.xaxis.title.text == "ROI (%)"


def test_team_names_show_as_text() -> None:
    fig = figures.roi_by_team(NAMES, ROI)
    for label in fig.data[0].y:
        assert "<" not in label and "&quot;" not in label
    assert 'The "A" team' in fig.data[0].y


def test_undefined_roi_is_drawn_at_zero() -> None:
    fig = figures.roi_by_team(["No costs"], [None])
    assert list(fig.data[0].x) == [0.0]


def test_height_grows_with_the_number_of_teams() -> None:
    few = figures.roi_by_team(["a"], [0.1])
    many = figures.roi_by_team([f"Team {i}" for i in range(30)], [i / 10 for i in range(30)])
    go.Figure(many.to_dict())
    assert few.layout.height == 260
    assert many.layout.height == 60 + 30 * 30
    assert list(many.data[0].x) == pytest.approx([i * 10 for i in range(30)])


def test_no_teams_is_a_valid_empty_chart() -> None:
    fig = figures.roi_by_team([], [])
    go.Figure(fig.to_dict())
    assert list(fig.data[0].x) == []


def test_alt_text_names_the_highest_and_lowest_team_as_typed() -> None:
    text = figures.alt_roi_by_team(NAMES, ROI)
    # an attribute, never HTML: names exactly as typed; the undefined ROI is left out
    assert text == (
        "ROI by team: 4 teams; highest %{x} hack at 150.0%, lowest <b>Bold</b> & Co at -10.0%."
    )
    assert figures.alt_roi_by_team(["Solo"], [None]) == ("ROI by team: 1 team, no ROI defined yet.")
