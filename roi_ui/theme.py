"""The brand palette, read once from the package's ``data/theme.toml`` (the same
colours as ``.streamlit/config.toml``, which Streamlit reads; a test keeps the
two equal), and the labels of the value drivers (in English, marked for the catalog:
:func:`driver_label` and :func:`step_label` give them in the language being spoken)."""

from __future__ import annotations

import tomllib
from typing import Any

from roi_core.drivers import DRIVERS
from roi_core.i18n import N_
from roi_core.i18n import gettext as _
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
    "root_cause": N_("Root-cause fixes"),
    "social_deflection": N_("Social deflection"),
    "self_service": N_("Self-service"),
    "retention": N_("Retention"),
    "saves": N_("Saves"),
    "referrals": N_("Referrals"),
    "cross_sell": N_("Cross-sell"),
    "price_premium": N_("Price premium"),
    "other": N_("Other line items"),
}


#: The subtotals of the NPV bridge (``roi_core.results.npv_bridge``) and costs.
STEP_LABELS: dict[str, str] = {
    "hard_savings": N_("Hard savings"),
    "all_benefits": N_("All benefits"),
    "costs": N_("Costs"),
    "npv": N_("NPV"),
}


def driver_label(driver: str) -> str:
    """A value driver as people read it, in the language being spoken."""
    label = DRIVER_LABELS.get(driver)
    return driver if label is None else _(label)


def step_label(key: str) -> str:
    """A bar of the NPV bridge as people read it: a driver's or a subtotal's label."""
    label = STEP_LABELS.get(key)
    return driver_label(key) if label is None else _(label)
