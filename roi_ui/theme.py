"""The brand palette, read once from ``.streamlit/config.toml`` so that the
Streamlit theme and the Plotly charts cannot drift apart."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from roi_core.drivers import DRIVERS

__all__ = ["COST_COLOR", "DRIVER_COLORS", "DRIVER_LABELS", "NET_COLOR", "PRIMARY", "driver_label"]

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def _theme() -> dict[str, Any]:
    with CONFIG.open("rb") as f:
        theme: dict[str, Any] = tomllib.load(f)["theme"]
    return theme


_THEME = _theme()
PRIMARY: str = _THEME["primaryColor"]
_PALETTE: list[str] = _THEME["chartCategoricalColors"]

#: One colour per driver, in MODEL.md's driver order, and one for costs.
DRIVER_COLORS: dict[str, str] = dict(zip(DRIVERS, _PALETTE, strict=False))
COST_COLOR: str = _PALETTE[len(DRIVERS)]
#: The net line and totals: a mid teal that reads on light and dark backgrounds alike.
# The net line and totals: a mid teal that reads on light and dark backgrounds alike.
NET_COLOR = "#0D9488"

DRIVER_LABELS: dict[str, str] = {
    "root_cause": "Root-cause fixes",
    "social_deflection": "Social deflection",
    "self_service": "Self-service",
    "retention": "Retention",
    "saves": "Saves",
    "referrals": "Referrals",
    "cross_sell": "Cross-sell",
    "price_premium": "Price premium",
    "other": "Other line items",
}


def driver_label(driver: str) -> str:
    return DRIVER_LABELS.get(driver, driver)
