"""The prospect's logo: only real PNG or JPEG images within the limits."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from roi_ui.logo import LogoError, check_logo


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
