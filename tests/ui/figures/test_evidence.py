"""The Evidence page's figures: valid Plotly (built with full validation), and showing
the numbers they are drawn from."""

from __future__ import annotations

import pytest

from roi_core.contacts import estimate_baseline, synthetic_contacts
from roi_core.mentions import estimate_advocacy, synthetic_mentions
from roi_ui.figures import evidence
from roi_ui.figures.base import figure
from roi_ui.widgets.evidence import frame_advocacy, frame_months


def test_monthly_series_has_classes_fit_counterfactual_and_launch() -> None:
    s = synthetic_contacts(seed=1)
    result = estimate_baseline(s.export, s.launch)
    fig = figure(evidence.spec_monthly(result), validate=True)
    names = [t.name for t in fig.data]
    assert names == ["Assisted", "Social", "Self-service", "Assisted, fitted",
                     "Assisted without the launch"]  # fmt: skip
    assert list(fig.data[0].y) == [m.assisted for m in result.months]
    after = [y for y in fig.data[4].y if y is not None]
    assert len(after) == sum(m.post for m in result.months)
    (line,) = fig.layout.shapes
    assert line.x0 == f"{s.launch}-01"
    table = frame_months(result)
    assert list(table["assisted"]) == [m.assisted for m in result.months]
    assert table["assisted without the launch"].notna().all()


def test_without_a_fit_the_series_stands_alone() -> None:
    s = synthetic_contacts(seed=1)
    result = estimate_baseline(s.export, "2030-01")
    fig = figure(evidence.spec_monthly(result), validate=True)
    assert [t.name for t in fig.data] == ["Assisted", "Social", "Self-service"]


def test_advocacy_bars_carry_their_figures_and_intervals() -> None:
    result = estimate_advocacy(synthetic_mentions(seed=3).export)
    fig = figure(evidence.spec_advocacy(result), validate=True)
    (bars,) = fig.data
    assert bars.y[0] == pytest.approx(100 * (result.advocate_share.estimate or 0))
    assert bars.x[0].endswith(f"{bars.y[0]:.1f} %")
    assert result.advocate_share.high is not None
    assert bars.error_y.array[0] == pytest.approx(
        100 * (result.advocate_share.high - (result.advocate_share.estimate or 0))
    )
    assert bars.marker.pattern.shape[1] == "/"  # not colour alone
    table = frame_advocacy(result)
    assert table.loc[0, "estimate"] == result.advocate_share.estimate
    assert table.loc[0, "out of"] == result.authors_replied


def test_the_tables_behind_the_charts_never_show_nan() -> None:
    import numpy as np

    from roi_core.contacts import ContactExport
    from roi_ui.frames.base import displayed

    s = synthetic_contacts(seed=2, months_before=10, months_after=10)
    keep = s.export.created_at.astype("datetime64[M]") != np.datetime64("2024-05", "M")
    holed = ContactExport(s.export.created_at[keep], s.export.channel_class[keep])
    frames = [
        frame_months(estimate_baseline(holed, s.launch)),
        frame_advocacy(estimate_advocacy(synthetic_mentions(seed=1, authors=50).export)),
    ]
    for frame in frames:
        text = displayed(frame, "USD").to_string()
        assert "nan" not in text.lower() and "None" not in text
    shown = displayed(frames[0], "USD")
    assert shown.loc[shown["month"] == "2024-05", "assisted"].item() == "n/a"
