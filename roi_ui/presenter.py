"""Presenter mode helpers, pure: the prospect's logo checked, a quick case built.

A logo is accepted only as a real PNG or JPEG image (decoded, not trusted by its
name), at most 1 MB and 4,000 pixels a side. The "business case in 60 seconds"
starts from an industry preset and puts the prospect's own numbers in, scaling
the inputs that grow with them.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, UnidentifiedImageError

from roi_core import NUMERIC_FIELDS, Scenario, scenario_from_dict

__all__ = ["MAX_LOGO_BYTES", "QUICK_FIELDS", "LogoError", "check_logo", "quick_case"]

MAX_LOGO_BYTES: Final = 1_000_000
MAX_LOGO_SIDE: Final = 4_000
#: The prospect's numbers the quick flow asks for.
QUICK_FIELDS: Final = (
    "business.customers",
    "business.monthly_revenue_per_customer",
    "service.monthly_assisted_contacts",
    "service.cost_per_assisted_contact",
)


class LogoError(ValueError):
    """The upload is not a logo we show: why, in words for people."""


def check_logo(data: bytes) -> bytes:
    """The logo's bytes if they decode as a PNG or JPEG within the limits."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"logo: at most {MAX_LOGO_BYTES // 1_000_000} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()  # a full decode check of the file's structure
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # and of its pixels
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise LogoError("logo: not a readable PNG or JPEG image") from None
    if kind not in ("PNG", "JPEG"):
        raise LogoError(f"logo: PNG or JPEG only (this is {kind})")
    if max(width, height) > MAX_LOGO_SIDE:
        raise LogoError(f"logo: at most {MAX_LOGO_SIDE} pixels a side")
    return data


def quick_case(preset: Scenario, numbers: dict[str, float], prospect: str = "") -> Scenario:
    """The preset with the prospect's numbers; customers at risk scale with customers,
    the team's cost with the contact volume (both in proportion, ranges too), the
    rest stays. A range around one of the prospect's numbers stretches to hold it."""
    b, sv = preset.business, preset.service
    customers = numbers.get("business.customers", b.customers)
    contacts = numbers.get("service.monthly_assisted_contacts", sv.monthly_assisted_contacts)
    factors = {
        "levers.at_risk_per_month": customers / b.customers if b.customers else 1.0,
        "costs.staff_monthly": (
            contacts / sv.monthly_assisted_contacts if sv.monthly_assisted_contacts else 1.0
        ),
    }
    data = preset.model_dump()
    for path, factor in factors.items():
        group, name = path.split(".")
        data[group][name] *= factor
        rng = data["uncertainty"][group].get(name)
        if rng:
            rng["low"], rng["high"] = rng["low"] * factor, rng["high"] * factor
    for path, value in numbers.items():
        group, name = path.split(".")
        data[group][name] = int(value) if NUMERIC_FIELDS[path].is_int else float(value)
        rng = data["uncertainty"][group].get(name)
        if rng:
            rng["low"], rng["high"] = min(rng["low"], value), max(rng["high"], value)
    if prospect.strip():
        data["name"] = f"{prospect.strip()[:60]}: social care business case"
    return scenario_from_dict(data)
