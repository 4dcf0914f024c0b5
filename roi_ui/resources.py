"""The package's own files (presets, the brand theme, the app's CSS, the sample
customer table), read through :mod:`importlib.resources` so they are found the
same way in a checkout and in an installed wheel — never by a path relative to
the checkout."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["data", "read_bytes", "read_text"]


def data(name: str = "") -> Traversable:
    """``roi_ui/data/<name>`` (a file or folder) as a traversable resource."""
    root = files("roi_ui").joinpath("data")
    return root.joinpath(*name.split("/")) if name else root


def read_text(name: str) -> str:
    return data(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return data(name).read_bytes()
