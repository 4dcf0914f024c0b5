"""A prospect's logo, checked before it is shown (pure).

A logo is accepted only as a real PNG or JPEG image (decoded, not trusted by its
name), at most 1 MB and 4,000 pixels a side.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, UnidentifiedImageError

__all__ = ["MAX_LOGO_BYTES", "MAX_LOGO_SIDE", "LogoError", "check_logo"]

MAX_LOGO_BYTES: Final = 1_000_000
MAX_LOGO_SIDE: Final = 4_000


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
