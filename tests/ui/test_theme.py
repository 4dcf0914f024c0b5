"""The brand palette ships with the package and agrees with Streamlit's theme."""

from __future__ import annotations

import tomllib
from pathlib import Path

from roi_core.drivers import DRIVERS
from roi_ui import theme

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_packaged_palette_is_streamlits() -> None:
    streamlit_theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    assert streamlit_theme["primaryColor"] == theme.PRIMARY
    assert [*theme.DRIVER_COLORS.values(), theme.COST_COLOR] == streamlit_theme[
        "chartCategoricalColors"
    ]


def test_every_driver_has_a_colour_and_a_label() -> None:
    assert set(theme.DRIVER_COLORS) == set(DRIVERS) == set(theme.DRIVER_LABELS)
    assert theme.step_label("npv") == "NPV"
    assert theme.step_label("retention") == "Retention"
