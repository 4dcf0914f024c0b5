"""How a test judges that text fits a PowerPoint box (the deck tests, in both
languages). The builder measures with Arial's real widths and never less than this
rule, so the two agree: every character is taken as half an em wide,
``0.5 * font size`` (English text in Arial averages 0.45 em a character); a
paragraph takes ``ceil(characters * 0.5 * size / inner width)`` lines of
``1.2 * size`` each, plus its space before; the sum, plus the top and bottom insets,
must not exceed the box's height. A table row is judged the same way per cell."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

EMU_PER_PT = 12_700
EM = 0.5  # width of a character, in ems
LEADING = 1.2  # line height, in font sizes


def all_shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, those inside groups too."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from all_shapes(shape.shapes)


def text_height_pt(frame: Any, inner_width_pt: float, where: str) -> float:
    """The height the frame's paragraphs take by the rule above, in points."""
    total = 0.0
    for p in frame.paragraphs:
        sizes = [r.font.size for r in p.runs]
        assert all(size is not None for size in sizes), f"{where}: a run without a font size"
        if not p.runs:
            continue
        size = max(s.pt for s in sizes)
        chars = sum(len(r.text) for r in p.runs)
        lines = max(1, math.ceil(chars * EM * size / inner_width_pt))
        before = p.space_before.pt if p.space_before is not None else 0.0
        total += before + lines * size * LEADING
    return total


def assert_text_fits(frame: Any, width: int, height: int, where: str) -> None:
    """The frame's text fits a box of ``width`` by ``height`` EMU, insets taken off."""
    inner_w = (width - frame.margin_left - frame.margin_right) / EMU_PER_PT
    inner_h = (height - frame.margin_top - frame.margin_bottom) / EMU_PER_PT
    assert inner_w > 0, where
    needed = text_height_pt(frame, inner_w, where)
    assert needed <= inner_h + 1e-6, f"{where}: text needs {needed:.1f} pt, box has {inner_h:.1f}"
