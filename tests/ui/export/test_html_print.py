"""The HTML report printed by headless Chromium on A4 and Letter with 1 cm margins:
charts inside the printed column, the month-0 cost inside the monthly chart, columns
aligned by kind, units in words, hostile text shown as text.

A page's printable width in CSS px is ``(paper - 2 cm) * 96 / 2.54``; in the PDF,
1 cm is 72 / 2.54 points. A chart that is wider than the printed column is clipped
by Chromium at the column's edge, so "nothing in the right margin" alone cannot
show a cut: the PDF checks read the page's text (every glyph inside the column, the
texts at each chart's right edge present) and the chart widths recorded while
Chromium printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Browser, Page
from plotly.offline import get_plotlyjs

from roi_core import NUMERIC_FIELDS, Scenario, evaluate, scenario_from_dict
from roi_core.scenario import OtherItem, get_value
from roi_ui import formatting as fmt
from roi_ui.export.html import PRINT_WIDTH, html_report
from roi_ui.presets import Preset, load_presets

#: Paper width and height in mm.
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MARGIN_MM = 10.0
MARGIN = dict.fromkeys(("top", "right", "bottom", "left"), "1cm")
PT_PER_MM = 72 / 25.4
PX_PER_MM = 96 / 25.4
#: A desktop window: the report is opened there, then printed.
DESKTOP = {"width": 1280, "height": 900}

TELECOM = load_presets()["telecom"]
LONG = scenario_from_dict(
    {
        "name": "Ten years in rupiah",
        "business": {"currency": "IDR", "monthly_revenue_per_customer": 90_000},
        "service": {"cost_per_assisted_contact": 90_000, "cost_per_social_contact": 40_000,
                    "cost_per_self_service_contact": 8_000},
        "costs": {"setup": 4e9, "platform_monthly": 9e7, "staff_monthly": 2.7e8,
                  "other_monthly": 3e7},
        "finance": {"horizon_months": 120},
        "other_items": [
            {"name": "CRM integration", "kind": "cost", "amount": 9e8, "start_month": 0},
            {"name": "Focus groups the community replaces", "kind": "benefit",
             "amount": 25_000_000, "every": "month", "start_month": 3, "end_month": 60},
        ],
    }
)  # fmt: skip
CASES: dict[str, tuple[Scenario, Preset | None]] = {
    "telecom": (TELECOM.scenario, TELECOM),
    "long-idr": (LONG, None),
}

#: The report's chart drawing: svgs, plotted width, the month chart's y axis.
CHARTS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    width: gd._fullLayout.width,
    column: gd.parentElement.getBoundingClientRect().width,
    svgs: [...gd.querySelectorAll('.main-svg')].map(s => {
        const r = s.getBoundingClientRect(); return [r.left, r.right]; }),
    xrange: gd._fullLayout.xaxis.range,
    xlength: gd._fullLayout.xaxis._length,
    yrange: gd._fullLayout.yaxis.range,
    ylength: gd._fullLayout.yaxis._length,
}))"""
#: Records the charts as they are while Chromium prints (run after the report's own
#: print handler, which was registered first).
RECORD_PRINT_JS = """() => { window.printed = [];
    matchMedia('print').addEventListener('change', e => { if (e.matches) window.printed.push({
        body: document.body.getBoundingClientRect().right,
        page: document.documentElement.clientWidth,
        charts: [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
            width: gd._fullLayout.width,
            right: Math.max(...[...gd.querySelectorAll('.main-svg')].map(
                s => s.getBoundingClientRect().right)),
        })),
    }); });
}"""


def printable_px(paper: str) -> float:
    return (PAPERS[paper][0] - 2 * MARGIN_MM) * PX_PER_MM


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[[int], Page]]:
    """``open_page(width)``: a fresh page ``width`` CSS px wide."""
    contexts = []

    def make(width: int) -> Page:
        context = browser.new_context(viewport={"width": width, "height": DESKTOP["height"]})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield make
    for context in contexts:
        context.close()


def load(page: Page, report: bytes, tmp_path: Path | None = None) -> None:
    """The report in ``page`` (from a file:// URL under ``tmp_path`` when given), with
    its three charts drawn."""
    if tmp_path is None:
        page.set_content(report.decode())
    else:
        path = tmp_path / "report.html"
        path.write_bytes(report)
        page.goto(path.as_uri())
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout"
        " && gd.querySelector('.main-svg')).length === 3"
    )


def month0_inside(chart: dict[str, Any], cost0: float) -> None:
    """The month-0 cost, with half the 3 px cost line around it, lies inside the plot:
    below the y axis's top, right of the x axis's start."""
    low, high = chart["yrange"]
    assert low <= 0 < cost0 < high
    assert (high - cost0) / (high - low) * chart["ylength"] >= 1.5
    first, last = chart["xrange"]
    assert (0 - first) / (last - first) * chart["xlength"] >= 1.5


@pytest.mark.e2e
@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_in_print_media_every_chart_fills_the_printed_column_and_no_more(
    open_page: Callable[[int], Page], paper: str, case: str
) -> None:
    s, preset = CASES[case]
    width = printable_px(paper)
    page = open_page(int(width))
    load(page, html_report(s, preset=preset, prospect="Acme"))
    page.emulate_media(media="print")
    column = page.evaluate("document.body.getBoundingClientRect()")
    assert column["left"] == 0 and column["right"] <= width  # no page margin in print
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) == 3
    for chart in charts:
        # Redrawn at the printed column's width (screen padding gone), not cut.
        assert chart["width"] == int(chart["column"]) and chart["column"] >= width - 2
        for left, right in chart["svgs"]:
            assert column["left"] <= left and right <= column["right"]
    month0_inside(charts[2], float(evaluate(s).monthly.costs[0]))
    # Nothing else is wider than the paper: KPI cards, tables.
    assert page.evaluate("document.documentElement.scrollWidth") <= int(width)
    wide = page.evaluate(
        """w => [...document.querySelectorAll('.table, table, .kpi, .kpi b, h1')]
            .filter(e => e.getBoundingClientRect().right > w || e.scrollWidth > e.clientWidth)
            .map(e => e.outerHTML.slice(0, 80))""",
        width,
    )
    assert wide == []


def _pdf_pages(pdf: bytes) -> Iterator[tuple[float, float, str, list[tuple[float, float]], Any]]:
    """Each page: width and height (pt), its text, the left and right of each glyph
    that is not white space (pt), and the page drawn at 2 px a point."""
    doc = pdfium.PdfDocument(pdf)
    for index in range(len(doc)):
        page = doc[index]
        width, height = page.get_size()
        text = page.get_textpage()
        glyphs = [
            (box[0], box[2])
            for i in range(text.count_chars())
            if not text.get_text_range(i, 1).isspace()
            for box in [text.get_charbox(i)]
        ]
        yield width, height, text.get_text_range(), glyphs, page.render(scale=2).to_pil()


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_printed_pdf_keeps_every_chart_inside_the_margins(
    open_page: Callable[[int], Page], tmp_path: Path, paper: str, case: str
) -> None:
    s, preset = CASES[case]
    result = evaluate(s)
    cur = s.business.currency
    page = open_page(DESKTOP["width"])  # opened on a desktop screen, then printed
    load(page, html_report(s, preset=preset, prospect="Acme"), tmp_path)
    on_screen = page.evaluate(CHARTS_JS)
    assert all(c["width"] > printable_px(paper) + 100 for c in on_screen)
    page.evaluate(RECORD_PRINT_JS)
    pdf = page.pdf(format=paper, margin=MARGIN, print_background=True)
    (tmp_path / f"{case}-{paper}.pdf").write_bytes(pdf)

    # While printing, every chart was drawn at the printed column's width.
    printed = page.evaluate("window.printed")
    assert len(printed) == 1
    body, page_width = printed[0]["body"], printed[0]["page"]
    # Chromium lays the page out in whole px, a px or two wider than the paper's
    # column, and scales it onto the paper.
    for width in (body, page_width):
        assert printable_px(paper) - 1 <= width <= printable_px(paper) + 3
    for chart in printed[0]["charts"]:
        assert chart["width"] == int(body) and chart["right"] <= body
    # And back to the screen's column afterwards.
    assert [c["width"] for c in page.evaluate(CHARTS_JS)] == [c["width"] for c in on_screen]

    pages = list(_pdf_pages(pdf))
    paper_w, paper_h = PAPERS[paper]
    margin = MARGIN_MM * PT_PER_MM
    everything = ""
    for index, (width, height, text, glyphs, image) in enumerate(pages):
        assert width == pytest.approx(paper_w * PT_PER_MM, abs=1)
        assert height == pytest.approx(paper_h * PT_PER_MM, abs=1)
        # Every glyph inside the column: a clipped chart leaves its right-hand
        # labels cut at the column's edge (the unfixed report did, up to 574 pt).
        outside = [g for g in glyphs if g[0] < margin - 0.5 or g[1] > width - margin - 0.5]
        assert outside == [], f"page {index + 1}: text beyond the margins"
        # No ink in the right margin band (2 px a point).
        grey = image.convert("L").point(lambda v: 255 if v < 250 else 0)
        box = grey.getbbox()
        assert box is None or box[2] <= 2 * (width - margin) + 1, f"page {index + 1}"
        image.save(tmp_path / f"{case}-{paper}-{index + 1}.png")
        everything += text

    # The text at each chart's right edge is there whole: the waterfall's last bar
    # (the NPV) with its value, the cumulative chart's "break-even" note.
    def words(text: str) -> str:  # white space (the PDF's line ends, no-break spaces) as " "
        return re.sub(r"\s+", " ", text)

    flat = words(everything)
    assert "NPV" in flat and words(fmt.money_compact(result.summary.npv, cur)) in flat
    assert "break-even" in flat
    up_front = fmt.money_compact(float(result.monthly.costs[0]), cur)
    assert words(f"Up-front cost {up_front}") in flat
    # The last row of the assumptions table made it onto a page: nothing was dropped.
    last = s.other_items[-1].name if s.other_items else NUMERIC_FIELDS["finance.cost_risk"].title
    assert last in flat


def _cells(page: Page, heading: str) -> list[dict[str, Any]]:
    """The header and body cells of the table after ``heading``: text, column, align."""
    cells: list[dict[str, Any]] = page.evaluate(
        """h => { const title = [...document.querySelectorAll('h2')]
                .find(e => e.textContent.startsWith(h));
            let t = title.nextElementSibling;
            while (!t.querySelector('table')) t = t.nextElementSibling;
            t = t.querySelector('table');
            return [...t.querySelectorAll('tr')].flatMap((tr, row) =>
                [...tr.children].map((c, col) => ({row, col, text: c.textContent,
                    align: getComputedStyle(c).textAlign})));
        }""",
        heading,
    )
    return cells


@pytest.mark.e2e
@pytest.mark.parametrize("case", sorted(CASES))
def test_text_columns_read_left_numbers_right_and_units_in_words(
    open_page: Callable[[int], Page], case: str
) -> None:
    s, preset = CASES[case]
    page = open_page(int(printable_px("A4")))
    load(page, html_report(s, preset=preset))
    page.emulate_media(media="print")
    cells = _cells(page, "Assumptions and sources")
    header = [c["text"] for c in cells if c["row"] == 0]
    assert header == ["Input", "Value", "Unit", "Source", "Confidence"]
    for cell in cells:
        want = "right" if header[cell["col"]] == "Value" else "left"
        assert cell["align"] == want, cell
    assert not [c for c in cells if "fraction" in c["text"].lower()]
    rows = [
        [c["text"] for c in cells if c["row"] == r]
        for r in range(1, 1 + max(c["row"] for c in cells))
    ]
    assert len(rows) == len(NUMERIC_FIELDS) + len(s.other_items)
    for row, (path, spec) in zip(rows, NUMERIC_FIELDS.items(), strict=False):
        value = get_value(s, path)
        assert row[0] == spec.title
        if spec.unit.startswith("fraction"):  # rates in percent, the unit says so
            assert row[1] == fmt.percent(value, digits=2) and "%" in row[2]
        elif spec.unit.startswith("money"):
            assert row[2].startswith(s.business.currency)
        else:
            assert row[2] == fmt.unit_words(spec.unit, s.business.currency), path
    for row, item in zip(rows[len(NUMERIC_FIELDS) :], s.other_items, strict=True):
        assert row[0] == item.name and row[1] == fmt.number(item.amount, digits=2)
        assert row[2].startswith(s.business.currency) and item.kind in row[3]
    yearly = _cells(page, "Total economic impact by year")
    assert all(c["align"] == ("left" if c["col"] == 0 else "right") for c in yearly)
    figures = evaluate(s).yearly()
    money = {c["text"] for c in yearly if c["col"] > 0 and c["row"] > 0}
    assert fmt.money(figures.net[-1], s.business.currency) in money  # the NPV
    assert fmt.money(figures.costs[0], s.business.currency) in money  # the initial cost


HOSTILE = '<script>alert(1)</script>\x00\x07 =HYPERLINK("x")'
CLEAN = '<script>alert(1)</script> =HYPERLINK("x")'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _hostile() -> Scenario:
    """Control characters and markup in every user text. The model refuses control
    characters; a scenario stored before that rule (built here without validation)
    must still give a report."""
    item = OtherItem.model_construct(
        name="@SUM(A1)\x1b<img src=x onerror=alert(2)>", kind="cost", amount=5000.0,
        every="once", start_month=0, end_month=None,
    )  # fmt: skip
    return Scenario().model_copy(
        update={"name": HOSTILE, "description": "+1 line\x7f\nnext", "other_items": (item,)}
    )


PROSPECT = "-Acme\x0b <b>Ltd</b>\x00"


def test_hostile_text_is_built_without_control_characters_and_escaped() -> None:
    doc = html_report(_hostile(), prospect=PROSPECT).decode()
    doc = doc.replace(get_plotlyjs(), "")  # plotly.js itself holds a \x1a
    assert _CONTROL.search(doc) is None
    assert "<script>alert" not in doc and "<img src=x" not in doc and "<b>Ltd" not in doc
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; =HYPERLINK(&quot;x&quot;)</h1>" in doc


@pytest.mark.e2e
def test_hostile_text_reads_as_text_in_the_browser(open_page: Callable[[int], Page]) -> None:
    s = _hostile()
    page = open_page(DESKTOP["width"])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    load(page, html_report(s, prospect=PROSPECT))
    assert page.title() == f"{CLEAN}: social customer care business case"
    assert page.locator("h1").inner_text() == CLEAN
    prepared = page.locator("p", has_text="Prepared for").inner_text()
    assert prepared == "Prepared for -Acme <b>Ltd</b>"
    assert page.locator("p.description").inner_text() == "+1 line\nnext"
    item = page.locator("td", has_text="@SUM").inner_text()
    assert item == "@SUM(A1)<img src=x onerror=alert(2)>"
    assert page.locator("img").count() == 0 and dialogs == []
    # The figures are the engine's, line item included.
    npv = fmt.money(evaluate(s).summary.npv, "USD")
    assert page.locator(".kpi", has_text="Net present value").locator("b").inner_text() == npv


@pytest.mark.e2e
def test_on_screen_charts_follow_the_window_and_beforeprint_alone_narrows_them(
    open_page: Callable[[int], Page],
) -> None:
    page = open_page(DESKTOP["width"])
    load(page, html_report(TELECOM.scenario, preset=TELECOM))

    def widths() -> list[tuple[int, int]]:
        return [(c["width"], int(c["column"])) for c in page.evaluate(CHARTS_JS)]

    wide = widths()
    assert all(w == column > PRINT_WIDTH for w, column in wide)  # the column, filled
    # A browser that fires only beforeprint (not the print media change) still gets
    # charts that fit A4 and Letter; afterprint gives the screen back.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert all(w == PRINT_WIDTH for w, _ in widths())
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert widths() == wide
    page.set_viewport_size({"width": 600, "height": DESKTOP["height"]})  # a phone
    page.wait_for_function(
        "[...document.querySelectorAll('.js-plotly-plot')].every(gd =>"
        " gd._fullLayout.width === Math.floor(gd.parentElement.getBoundingClientRect().width))"
    )
    assert all(w == column < 600 for w, column in widths())
    assert page.evaluate("document.documentElement.scrollWidth") <= 600
