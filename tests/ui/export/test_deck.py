"""The PowerPoint deck read back with python-pptx and rendered by LibreOffice: every
shape on its 16:9 slide, every text inside its box, the native charts carrying the
engine's numbers in the scenario's currency, and user text shown as typed (minus
control characters), never as a formula.

How "text fits" is judged: ``tests/pptx_fit.py`` (half an em a character, lines of
1.2 times the size); a table row is judged the same way per cell, and the rows must
fit the slide.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from office import convert
from pptx_fit import all_shapes, assert_text_fits

from roi_core import Scenario, evaluate, scenario_from_dict
from roi_core.drivers import DRIVERS
from roi_ui import formatting as fmt
from roi_ui.export.common import kpis
from roi_ui.export.pptx import pptx_report
from roi_ui.presets import Preset, load_presets
from roi_ui.theme import driver_label

EMU_PER_IN = 914_400

NAME_80 = "Northwind Mobile & Broadband: social care and community business case, draft 3"
NAME_80 = NAME_80 + "." * (80 - len(NAME_80))
PROSPECT_80 = "Contoso Wireless Telecommunications Holdings International Group Incorporated Ltd"[
    :80
]


def _many_items() -> Scenario:
    """An 80-character name, a description and 24 line items with long names."""
    items = [
        {
            "name": f"Line item {i}: community platform integration, moderation and licences"[:80],
            "kind": "cost" if i % 2 else "benefit",
            "amount": 1500.0 * (i + 1),
            "every": ("once", "month", "year")[i % 3],
            "start_month": i % 13,
        }
        for i in range(24)
    ]
    return scenario_from_dict(
        {
            "name": NAME_80,
            "description": "Built with the care team in a workshop. " * 12,
            "business": {"currency": "EUR"},
            "other_items": items,
        }
    )


TELECOM = load_presets()["telecom"]
#: case: (scenario, preset, prospect)
CASES: dict[str, tuple[Scenario, Preset | None, str]] = {
    "telecom": (TELECOM.scenario, TELECOM, "Acme Telecom"),
    "defaults": (Scenario(), None, ""),
    "many-items-long-name": (_many_items(), None, PROSPECT_80),
}


@cache
def _deck_bytes(case: str) -> bytes:
    s, preset, prospect = CASES[case]
    return pptx_report(s, preset=preset, prospect=prospect)


def _deck(case: str) -> Any:
    from pptx import Presentation

    return Presentation(io.BytesIO(_deck_bytes(case)))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_shape_lies_on_its_slide_and_every_text_fits_its_box(case: str) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE

    deck = _deck(case)
    width, height = deck.slide_width, deck.slide_height
    assert (width, height) == (12_192_000, 6_858_000)  # 13.333 by 7.5 in: 16:9
    checked_text = checked_cells = 0
    for n, slide in enumerate(deck.slides, start=1):
        for shape in all_shapes(slide.shapes):
            where = f"slide {n}, {shape.name}"
            left, top, w, h = shape.left, shape.top, shape.width, shape.height
            assert None not in (left, top, w, h), f"{where}: no position of its own"
            assert left >= 0 and top >= 0, f"{where}: starts off the slide"
            assert left + w <= width and top + h <= height, f"{where}: runs off the slide"
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert shape.text_frame.auto_size == MSO_AUTO_SIZE.NONE, where
                assert shape.text_frame.word_wrap is True, where
                assert_text_fits(shape.text_frame, w, h, where)
                checked_text += 1
            if shape.has_table:
                table = shape.table
                columns = [c.width for c in table.columns]
                rows = [r.height for r in table.rows]
                assert left + sum(columns) <= width, f"{where}: table wider than the slide"
                assert top + sum(rows) <= height, f"{where}: {len(rows)} rows run off the slide"
                for i, row in enumerate(table.rows):
                    for j, cell in enumerate(row.cells):
                        assert_text_fits(cell.text_frame, columns[j], rows[i],
                                          f"{where}, cell {i},{j}")  # fmt: skip
                        checked_cells += 1
    assert checked_text > 10 and checked_cells > 100  # the checks saw the deck's text


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_slide_has_a_title_and_the_assumptions_are_paginated(case: str) -> None:
    s, preset, _ = CASES[case]
    deck = _deck(case)
    titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
    assert all(t.strip() for t in titles), titles
    pages = [t for t in titles if t.startswith("Assumptions and sources")]
    if len(pages) > 1:
        assert pages == [f"Assumptions and sources ({k} of {len(pages)})" for k in
                         range(1, len(pages) + 1)]  # fmt: skip
    else:
        assert pages == ["Assumptions and sources"]
    # every assumption and line item is on one of them, once
    labels = [
        slide.shapes[i].table.cell(r, 0).text_frame.text
        for slide in deck.slides
        if slide.shapes.title.text_frame.text.startswith("Assumptions")
        for i in range(len(slide.shapes))
        if slide.shapes[i].has_table
        for r in range(1, len(slide.shapes[i].table.rows))
    ]
    from roi_ui.frames.dashboard import assumptions

    expected = list(assumptions(s, preset)["label"]) + [item.name for item in s.other_items]
    assert labels == expected
    # table text at a readable size
    sizes = {
        run.font.size.pt
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for p in cell.text_frame.paragraphs
        for run in p.runs
    }
    assert min(sizes) >= 10


def test_the_cover_and_the_six_kpis_in_an_aligned_grid() -> None:
    s, _, prospect = CASES["telecom"]
    deck = _deck("telecom")
    cover = deck.slides[0]
    assert cover.shapes.title.text_frame.text == s.name
    assert cover.placeholders[1].text_frame.text == (
        f"Social customer care business case for {prospect}"
    )
    figures = kpis(evaluate(s).summary, s.business.currency)
    cards = {}
    for shape in deck.slides[1].shapes:
        if shape.has_text_frame and shape.text_frame.text in {f"{a}\n{b}" for a, b in figures}:
            cards[shape.text_frame.text] = shape
    assert sorted(cards) == sorted(f"{a}\n{b}" for a, b in figures)
    boxes = [(c.left, c.top, c.width, c.height) for c in cards.values()]
    assert len({(w, h) for _, _, w, h in boxes}) == 1  # equal cards
    assert len({left for left, *_ in boxes}) == 3 and len({top for _, top, *_ in boxes}) == 2
    lefts = sorted({left for left, *_ in boxes})
    tops = sorted({top for _, top, *_ in boxes})
    w = boxes[0][2]
    assert lefts[1] - lefts[0] == lefts[2] - lefts[1] > w  # evenly spaced, no overlap
    assert tops[1] - tops[0] > boxes[0][3]


@pytest.mark.parametrize("case", ["telecom", "many-items-long-name"])
def test_charts_are_native_with_the_engines_numbers_in_the_currency(case: str) -> None:
    from openpyxl import load_workbook
    from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION

    s, _, _ = CASES[case]
    r = evaluate(s)
    cur = s.business.currency
    charts = [sh.chart for sl in _deck(case).slides for sh in sl.shapes if sh.has_chart]
    assert [c.chart_type for c in charts] == [
        XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
    ]  # fmt: skip
    bars, line = charts

    pv = r.monthly.present_values()
    drivers = [d for d in DRIVERS if abs(pv[d]) >= 0.5]
    expected = {driver_label(d): pv[d] for d in drivers} | {"Costs": -pv["costs"]}
    plot = bars.plots[0]
    got = dict(zip(plot.categories, plot.series[0].values, strict=True))
    assert list(got) == list(expected)
    assert list(got.values()) == pytest.approx(list(expected.values()), rel=1e-12)
    assert sum(got.values()) == pytest.approx(r.summary.npv, rel=1e-9)
    assert min(got.values()) < 0  # costs as a negative bar
    # The numbers are editable: the chart's own workbook holds them too.
    sheet = load_workbook(io.BytesIO(bars.part.chart_workbook.xlsx_part.blob)).active
    assert sheet is not None
    cells = [(row[0], row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [c for c, _ in cells] == list(expected)
    assert [v for _, v in cells] == pytest.approx(list(expected.values()), rel=1e-12)
    # Driver names left of the plot, never on a bar; money axes in the currency.
    assert bars.category_axis.tick_label_position == XL_TICK_LABEL_POSITION.LOW
    assert cur in bars.value_axis.tick_labels.number_format
    assert not bars.value_axis.tick_labels.number_format_is_linked
    assert cur in plot.data_labels.number_format

    series = line.plots[0].series[0]
    xml = series._element
    months = [float(v.text) for v in xml.findall(".//{*}xVal//{*}v")]
    assert months == [float(t) for t in r.monthly.month]
    assert list(series.values) == pytest.approx(list(r.monthly.cumulative_net), rel=1e-12)
    month_axis = line.category_axis
    assert month_axis.tick_label_position == XL_TICK_LABEL_POSITION.LOW  # below the plot
    assert month_axis.major_unit in (6, 12)  # one label every 6 or 12 months
    assert cur in line.value_axis.tick_labels.number_format
    assert not line.value_axis.tick_labels.number_format_is_linked
    statement = " ".join(
        sh.text_frame.text for sl in _deck(case).slides for sh in sl.shapes if sh.has_text_frame
    )
    assert fmt.months(r.summary.payback_months) in statement


HOSTILE_NAME = "Acme \x00\x07\x1b=cmd|' /C calc'!A0\x7f case"
HOSTILE_PROSPECT = '=HYPERLINK("x")'
ITEM_NAMES = ("=1+1", "+SUM(A1:A9)", "-2+3", "@A1")


def _hostile() -> bytes:
    items = [{"name": n, "kind": "benefit", "amount": 100.0} for n in ITEM_NAMES]
    s = scenario_from_dict({"other_items": items})
    # The scenario refuses control characters; a name from elsewhere (an old file,
    # another caller) is let in here to show that the deck removes them.
    s = s.model_copy(update={"name": HOSTILE_NAME})
    return pptx_report(s, prospect=HOSTILE_PROSPECT + "\x1b\x7f")


def _shown(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)


def test_user_text_is_plain_text_without_control_characters() -> None:
    from pptx import Presentation

    data = _hostile()
    deck = Presentation(io.BytesIO(data))
    cover = deck.slides[0]
    assert cover.shapes.title.text_frame.text == _shown(HOSTILE_NAME)
    assert cover.placeholders[1].text_frame.text.endswith(f"for {HOSTILE_PROSPECT}")
    assert deck.core_properties.title == _shown(HOSTILE_NAME)
    cells = [
        cell.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    for name in ITEM_NAMES:
        assert name in cells  # as typed, in a text cell
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in z.namelist():
            if part.endswith(".xml"):
                xml = z.read(part).decode("utf-8")
                assert "_x00" not in xml and "_x001" not in xml, part  # no escaped controls
                if part.startswith("ppt/slides/"):
                    assert "<a:fld" not in xml, part  # no fields on a slide
                assert not re.search(r"<c:f>[^<]*(HYPERLINK|cmd)", xml), part


# --- LibreOffice --------------------------------------------------------------------------


def _render(deck: bytes, name: str, tmp_path: Path) -> tuple[list[Any], Any]:
    """The deck as LibreOffice draws it: one PIL image a slide (72 dpi), and the PDF."""
    import pypdfium2 as pdfium

    source = tmp_path / f"{name}.pptx"
    source.write_bytes(deck)
    pdf = pdfium.PdfDocument(str(convert(source, "pdf", tmp_path / "out")))
    images = []
    for i in range(len(pdf)):
        image = pdf[i].render(scale=1).to_pil().convert("RGB")
        image.save(tmp_path / f"{name}-{i + 1}.png")
        images.append(image)
    return images, pdf


def _strip_is_background(image: Any, *, strip: int = 4) -> bool:
    """Nothing drawn within ``strip`` pixels of the page's edge: every pixel there is
    the background's (white, give or take anti-aliasing)."""
    w, h = image.size
    for box in ((0, 0, w, strip), (0, h - strip, w, h), (0, 0, strip, h), (w - strip, 0, w, h)):
        darkest = min(low for low, _ in image.crop(box).getextrema())
        if darkest < 250:
            return False
    return True


def _inked(image: Any) -> bool:
    """Something is drawn inside the page (it did not render blank)."""
    w, h = image.size
    inside = image.crop((w // 10, h // 10, w * 9 // 10, h * 9 // 10))
    return min(low for low, _ in inside.getextrema()) < 128


@pytest.mark.slow
@pytest.mark.parametrize("case", ["telecom", "many-items-long-name"])
def test_libreoffice_renders_every_slide_with_nothing_off_the_slide(
    case: str, tmp_path: Path
) -> None:
    deck = _deck(case)
    images, pdf = _render(_deck_bytes(case), case, tmp_path)
    assert len(images) == len(deck.slides)
    for n, (image, slide) in enumerate(zip(images, deck.slides, strict=True), start=1):
        assert image.size[0] / image.size[1] == pytest.approx(16 / 9, rel=0.01)
        assert _inked(image), f"slide {n} is blank"
        assert _strip_is_background(image), f"slide {n}: something is drawn at the edge"
        text = pdf[n - 1].get_textpage().get_text_range()
        title = slide.shapes.title.text_frame.text
        assert " ".join(title.split()) in " ".join(text.split()), f"slide {n}: title not shown"


@pytest.mark.slow
def test_libreoffice_opens_a_deck_with_hostile_text_and_shows_it_as_typed(
    tmp_path: Path,
) -> None:
    data = _hostile()
    images, pdf = _render(data, "hostile", tmp_path)
    assert all(_strip_is_background(image) for image in images)
    cover = " ".join(pdf[0].get_textpage().get_text_range().split())
    assert " ".join(_shown(HOSTILE_NAME).split()) in cover
    assert f"for {HOSTILE_PROSPECT}" in cover
    every_page = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for name in ITEM_NAMES:
        assert name in every_page
