"""The brand palette, read once from the package's ``data/theme.toml`` (the same
colours as ``.streamlit/config.toml``, which Streamlit reads; a test keeps the
two equal), and the labels of the value drivers."""

from __future__ import annotations

import tomllib
from typing import Any

from roi_core.drivers import DRIVERS
from roi_ui.resources import read_text

__all__ = [
    "COST_COLOR",
    "DRIVER_COLORS",
    "DRIVER_LABELS",
    "NET_COLOR",
    "PRIMARY",
    "STEP_LABELS",
    "driver_label",
    "step_label",
]


def _theme() -> dict[str, Any]:
    theme: dict[str, Any] = tomllib.loads(read_text("theme.toml"))["theme"]
    return theme


_THEME = _theme()
PRIMARY: str = _THEME["primaryColor"]
_PALETTE: list[str] = _THEME["chartCategoricalColors"]

#: One colour per driver, in MODEL.md's driver order, and one for costs.
DRIVER_COLORS: dict[str, str] = dict(zip(DRIVERS, _PALETTE, strict=False))
COST_COLOR: str = _PALETTE[len(DRIVERS)]
#: The net line and totals: a mid teal that reads on light and dark backgrounds alike.
NET_COLOR: str = _THEME["netColor"]

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


#: The subtotals of the NPV bridge (``roi_core.results.npv_bridge``) and costs.
STEP_LABELS: dict[str, str] = {
    "hard_savings": "Hard savings",
    "all_benefits": "All benefits",
    "costs": "Costs",
    "npv": "NPV",
}


def driver_label(driver: str) -> str:
    return DRIVER_LABELS.get(driver, driver)


def step_label(key: str) -> str:
    """A bar of the NPV bridge as people read it: a driver's or a subtotal's label."""
    return STEP_LABELS.get(key) or driver_label(key)
