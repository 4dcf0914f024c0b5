"""The leave-behind reports in Bahasa Indonesia: built inside ``i18n.language("id")``
(as the app builds them in an Indonesian session, and ``roi-report --lang id``), they
speak Indonesian (headings, KPI names, table headers, slide titles, cell text) with
Indonesian numbers, while the workbook's sheet names and defined names, which its
formulas use, stay as they are. English is what the other tests of this folder read.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pptx_fit import all_shapes, assert_text_fits

from roi_core import Scenario, evaluate, i18n, scenario_from_dict, scenario_to_json
from roi_ui import formatting as fmt
from roi_ui.export.common import kpis
from roi_ui.export.html import html_report
from roi_ui.export.pptx import pptx_report
from roi_ui.export.xlsx import xlsx_report
from roi_ui.presets import load_presets

TELECOM = load_presets()["telecom"]
ITEMS = [
    {"name": "Focus group", "kind": "benefit", "amount": 12_000, "every": "once",
     "start_month": 0},
    {"name": "Extra licence", "kind": "cost", "amount": 700, "every": "month", "start_month": 1},
    {"name": "Yearly audit", "kind": "cost", "amount": 4_000, "every": "year", "start_month": 6},
]  # fmt: skip
#: A long case (years down the table, assumptions over several slides) with line items.
LONG = scenario_from_dict({"finance": {"horizon_months": 60}, "other_items": ITEMS})
NEVER = scenario_from_dict({"costs": {"setup": 100_000_000}})

#: The HTML report's main headings, in English: none may be left in the Indonesian one.
HEADINGS = (
    "Executive summary",
    "Where the value comes from",
    "Total economic impact by year (risk-adjusted)",
    "Assumptions and sources",
    "Methodology",
    "Disclaimer",
)


def _id(english: str) -> str:
    """``english`` in Indonesian, from the catalog; it must be translated."""
    with i18n.language("id"):
        said = i18n.gettext(english)
    assert said != english, f"not translated: {english!r}"
    return said


def test_html_in_indonesian_has_lang_id_indonesian_headings_and_numbers() -> None:
    s = TELECOM.scenario
    r = evaluate(s).summary
    with i18n.language("id"):
        doc = html_report(s, preset=TELECOM, prospect="Acme").decode()
        labels = kpis(r, s.business.currency)
        npv = fmt.money(r.npv, s.business.currency)
    assert i18n.current() == "en"  # the block leaves the language as it was
    assert '<html lang="id">' in doc
    headings = re.findall(r"<h2>(.*?)</h2>", doc)
    for english in HEADINGS:
        assert english not in headings
        assert _id(english) in headings
    for english, _value in kpis(r, s.business.currency):  # the KPI cards' names
        assert f'<div class="kpi">{english}<b>' not in doc
    for label, value in labels:
        assert f'<div class="kpi">{label}<b>{value}</b></div>' in doc
    assert labels[0][0] == _id("Net present value")
    assert npv in doc and "," in npv.rsplit(".", 1)[-1]  # Indonesian digits: 1.234,56
    assert _id("Prepared for {prospect}").format(prospect="Acme") in doc
    assert "Prepared for" not in doc and "discount rate, generated" not in doc
    assert _id("Year {n}").format(n=1) in doc


def test_html_in_english_keeps_lang_en() -> None:
    doc = html_report(Scenario()).decode()
    assert '<html lang="en">' in doc
    assert "<h2>Executive summary</h2>" in doc


def test_html_in_indonesian_translates_line_items_and_the_yearly_table_down() -> None:
    with i18n.language("id"):
        doc = html_report(LONG).decode()
    assert _id("line item (cost), set by the user") in doc
    assert (
        _id("{currency} per month, months {start} to {end}").format(currency="USD", start=1, end=60)
        in doc
    )
    for word in ("Initial", "Benefits", "Costs", "Present value"):
        assert f">{word}<" not in doc
        assert f">{_id(word)}<" in doc


# --- XLSX ------------------------------------------------------------------------------------


def _cells(wb: Any) -> dict[str, Any]:
    return {
        f"{ws.title}!{c.coordinate}": c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def test_xlsx_in_indonesian_translates_cell_text_and_keeps_sheet_and_defined_names() -> None:
    from openpyxl import load_workbook

    english = load_workbook(io.BytesIO(xlsx_report(NEVER)), data_only=True)
    with i18n.language("id"):
        data = xlsx_report(NEVER)
    wb = load_workbook(io.BytesIO(data), data_only=True)
    formulas = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == english.sheetnames  # the names the formulas use
    assert sorted(wb.defined_names) == sorted(english.defined_names)
    for name, defined in wb.defined_names.items():
        assert defined.attr_text == english.defined_names[name].attr_text
    summary = [row[0] for row in wb["Summary"].iter_rows(values_only=True)]
    for label in ("Net present value (NPV)", "Payback (months)", "Currency"):
        assert label not in summary
        assert _id(label) in summary
    # the figures: numbers as numbers, a missing one in Indonesian, in the formula too
    sheet, ref = next(iter(wb.defined_names["payback_months"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == _id("never")
    assert f'"{_id("never")}"' in formulas[sheet][ref.replace("$", "")].value
    sheet, ref = next(iter(wb.defined_names["npv"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == pytest.approx(evaluate(NEVER).summary.npv)
    text = " ".join(str(v) for v in _cells(wb).values() if isinstance(v, str))
    for english_text in ("Total economic impact by year", "Yellow cells are the inputs",
                         "Benefits and costs outside the drivers", "Discount factor"):  # fmt: skip
        assert english_text not in text
    assert _id("Total economic impact by year (risk-adjusted)") in text
    assert _id("Year {n}").format(n=1) in text
    head = next(r for r in wb["Line items"].iter_rows(values_only=True) if r[0] == _id("Name"))
    assert head[:4] == tuple(_id(h) for h in ("Name", "Kind", "Amount", "Every"))


def test_xlsx_line_item_keywords_stay_english_for_the_formulas() -> None:
    from openpyxl import load_workbook

    with i18n.language("id"):
        wb = load_workbook(io.BytesIO(xlsx_report(LONG)))
    ws = wb["Line items"]
    kinds = {ws.cell(r, 2).value for r in range(5, 5 + len(ITEMS))}
    every = {ws.cell(r, 4).value for r in range(5, 5 + len(ITEMS))}
    assert kinds == {"benefit", "cost"} and every == {"once", "month", "year"}
    sources = {tuple(dv.formula1.strip('"').split(",")) for dv in ws.data_validations.dataValidation
               if dv.type == "list"}  # fmt: skip
    assert sources == {("benefit", "cost"), ("once", "month", "year")}


# --- PPTX ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["telecom", "long"])
def test_pptx_in_indonesian_has_indonesian_titles_and_every_text_fits(case: str) -> None:
    from pptx import Presentation

    s, preset = (TELECOM.scenario, TELECOM) if case == "telecom" else (LONG, None)
    with i18n.language("id"):
        deck = Presentation(io.BytesIO(pptx_report(s, preset=preset, prospect="Acme")))
        labels = kpis(evaluate(s).summary, s.business.currency)
    slides = list(deck.slides)
    titles = [slide.shapes.title.text_frame.text for slide in slides[1:]]
    english = ("The case in numbers", "Benefits by driver, and costs (present values)",
               "Cumulative net cash flow", "How the figures are built",
               "What the case leaves out, and disclaimer")  # fmt: skip
    for title in english:
        assert title not in titles
        assert _id(title) in titles
    assert not any(t.startswith("Assumptions and sources") for t in titles)
    assert any(t.startswith(_id("Assumptions and sources")) for t in titles)
    cover = slides[0].placeholders[1].text_frame.text
    assert cover == _id("Social customer care business case for {prospect}").format(prospect="Acme")
    cards = {sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame}
    assert all(f"{a}\n{b}" in cards for a, b in labels)
    charts = [sh.chart for sl in slides for sh in sl.shapes if sh.has_chart]
    assert list(charts[0].plots[0].categories)[-1] == _id("Costs")
    assert charts[1].category_axis.axis_title.text_frame.text == _id("Month")
    for chart in charts:  # millions as "jt" (in Indonesian "M" is a billion)
        assert '"M ' not in chart.value_axis.tick_labels.number_format
    assert '"jt ' in charts[0].value_axis.tick_labels.number_format
    for n, slide in enumerate(slides, start=1):  # longer words still fit their boxes
        for shape in all_shapes(slide.shapes):
            where = f"slide {n}, {shape.name}"
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert_text_fits(shape.text_frame, shape.width, shape.height, where)
            if shape.has_table:
                table = shape.table
                for i, row in enumerate(table.rows):
                    for j, cell in enumerate(row.cells):
                        width, height = table.columns[j].width, row.height
                        assert_text_fits(cell.text_frame, width, height, f"{where}, cell {i},{j}")


# --- roi-report --lang ------------------------------------------------------------------------


def test_cli_lang_builds_the_report_in_that_language(tmp_path: Path) -> None:
    from roi_ui.export.cli import main

    source = tmp_path / "case.json"
    source.write_text(scenario_to_json(TELECOM.scenario), encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "id.html"), "--lang", "id"]) == 0
    assert i18n.current() == "en"
    assert main([str(source), "-o", str(tmp_path / "en.html")]) == 0
    indonesian = (tmp_path / "id.html").read_text(encoding="utf-8")
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in indonesian and _id("Executive summary") in indonesian
    assert '<html lang="en">' in english and "<h2>Executive summary</h2>" in english
    with pytest.raises(SystemExit) as exit_:
        main([str(source), "-o", str(tmp_path / "x.html"), "--lang", "fr"])
    assert exit_.value.code == 2


def test_a_report_built_on_another_thread_speaks_the_language_it_was_offered_in() -> None:
    """A deferred download runs on a Streamlit worker thread, where the session's
    language is not set: the build carries the language it was offered in
    (``common.spoken``, as the dashboard's report buttons do)."""
    from concurrent.futures import ThreadPoolExecutor

    from openpyxl import load_workbook
    from pptx import Presentation

    from roi_ui.widgets.common import spoken

    s = Scenario()
    with i18n.language("id"), ThreadPoolExecutor(1) as pool:  # its thread: a fresh context
        builds = [spoken(lambda: html_report(s)), spoken(lambda: xlsx_report(s)),
                  spoken(lambda: pptx_report(s))]  # fmt: skip
        html_bytes, xlsx, pptx = (pool.submit(build).result() for build in builds)
        html = html_bytes.decode()
        plain = pool.submit(lambda: html_report(s)).result().decode()
    assert '<html lang="id">' in html and '<html lang="en">' in plain
    assert load_workbook(io.BytesIO(xlsx))["Assumptions"]["A1"].value == _id("Assumptions")
    deck = Presentation(io.BytesIO(pptx))
    assert deck.slides[1].shapes.title.text_frame.text == _id("The case in numbers")
    assert i18n.current() == "en"


def test_a_presets_own_name_and_description_are_translated_a_typed_one_is_not() -> None:
    """A report of a preset's case is titled in the reader's language; a name someone
    typed is theirs and stays as typed."""
    with i18n.language("id"):
        name = i18n.gettext(TELECOM.scenario.name)
        page = html_report(TELECOM.scenario, preset=TELECOM).decode()
        typed = TELECOM.scenario.model_copy(update={"name": "Our telecom case"})
        own = html_report(typed, preset=TELECOM).decode()
    assert name != TELECOM.scenario.name
    assert f"<h1>{name}</h1>" in page or f">{name}<" in page
    assert "Our telecom case" in own and f">{name}<" not in own
    english = html_report(TELECOM.scenario, preset=TELECOM).decode()
    assert f">{TELECOM.scenario.name}<" in english
