"""Presenter helpers: the logo check, the 60-second case, Markdown escaping."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from roi_core import evaluate
from roi_ui.presenter import LogoError, check_logo, quick_case
from roi_ui.presenter_widgets import escape_markdown
from roi_ui.presets import load_presets


def image(kind: str, size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (15, 118, 110)).save(out, format=kind)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_png_and_jpeg_logos_pass(kind: str) -> None:
    data = image(kind)
    assert check_logo(data) == data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (image("GIF"), "PNG or JPEG only"),
        (b"<svg onload=alert(1)></svg>", "not a readable"),
        (image("PNG")[:60], "not a readable"),  # truncated
        (b"\x89PNG" + b"0" * 1_000_001, "at most 1 MB"),
        (image("PNG", (4_100, 10)), "at most 4000 pixels"),
    ],
)
def test_anything_else_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(LogoError, match=reason):
        check_logo(data)


def test_quick_case_puts_the_prospects_numbers_in_and_scales_with_them() -> None:
    preset = load_presets()["telecom"].scenario
    numbers = {
        "business.customers": preset.business.customers * 2,
        "service.monthly_assisted_contacts": preset.service.monthly_assisted_contacts / 2,
    }
    case = quick_case(preset, numbers, prospect="Acme Mobile")
    assert case.business.customers == preset.business.customers * 2
    assert case.levers.at_risk_per_month == pytest.approx(preset.levers.at_risk_per_month * 2)
    assert case.costs.staff_monthly == pytest.approx(preset.costs.staff_monthly / 2)
    assert case.levers.retention_lift == preset.levers.retention_lift
    assert case.name.startswith("Acme Mobile")
    assert evaluate(case).summary.npv != evaluate(preset).summary.npv


def test_markdown_escaping_shows_text_as_typed() -> None:
    assert escape_markdown("**Acme** [x](javascript:1) <b>") == (
        r"\*\*Acme\*\* \[x\]\(javascript\:1\) \<b\>"
    )
