"""The Excel report is a live model (docs/reports.md): its cached values, pycel's and
LibreOffice's recalculations all equal the engine, also after an input is edited in
the workbook; user text stays text.

Every expected figure comes from ``roi_core.evaluate`` on the same (or the edited)
scenario. Cells are found through the workbook's defined names, never by address.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from office import convert

from roi_core import NUMERIC_FIELDS, Result, Scenario, evaluate, scenario_from_dict, with_values
from roi_core.scenario import get_value
from roi_ui.export.xlsx import xlsx_report
from roi_ui.presets import load_presets

SHEETS = ["Summary", "Assumptions", "Line items", "Monthly cash flow", "Yearly table"]
#: Results compared with the engine, as defined names (MODEL.md §3 names).
RESULTS = (
    "npv", "roi", "payback_months", "pv_benefits", "pv_costs", "benefit_cost_ratio",
    "npv_hard", "roi_hard", "total_benefits", "total_costs", "net_benefit", "total_savings",
    "total_other_benefits", "total_revenue_impact", "contacts_avoided", "contacts_deflected",
    "extra_customers_end",
)  # fmt: skip
#: What the workbook shows where the model says null.
MISSING = {"roi": "n/a", "benefit_cost_ratio": "n/a", "roi_hard": "n/a", "payback_months": "never"}

ITEMS: list[dict[str, Any]] = [
    {"name": "Focus group replaced", "kind": "benefit", "amount": 12_000, "every": "once",
     "start_month": 0},
    {"name": "Travel forgone", "kind": "benefit", "amount": 900, "every": "month",
     "start_month": 3, "end_month": 20},
    {"name": "Annual award", "kind": "benefit", "amount": 20_000, "every": "year",
     "start_month": 0},
    {"name": "Integration project", "kind": "cost", "amount": 30_000, "every": "once",
     "start_month": 0},
    {"name": "Extra licence", "kind": "cost", "amount": 700, "every": "month", "start_month": 1},
    {"name": "Yearly audit", "kind": "cost", "amount": 4_000, "every": "year", "start_month": 6,
     "end_month": 30},
    {"name": "After the horizon", "kind": "benefit", "amount": 50_000, "every": "once",
     "start_month": 100},
]  # fmt: skip
NO_COSTS = {"setup": 0, "platform_monthly": 0, "staff_monthly": 0, "other_monthly": 0}

CASES: dict[str, Scenario] = {
    "defaults": Scenario(),
    "telecom": load_presets()["telecom"].scenario,
    "ramp-0": scenario_from_dict({"finance": {"ramp_months": 0}}),
    "line-items": scenario_from_dict({"other_items": ITEMS}),
    "horizon-1": scenario_from_dict({"finance": {"horizon_months": 1}, "other_items": ITEMS}),
    "horizon-120": scenario_from_dict(
        {"finance": {"horizon_months": 120, "ramp_months": 36}, "other_items": ITEMS}
    ),
    "horizon-7-ramp-12": scenario_from_dict({"finance": {"horizon_months": 7, "ramp_months": 12}}),
    "no-costs": scenario_from_dict({"costs": NO_COSTS}),
    "never-pays-back": scenario_from_dict({"costs": {"setup": 100_000_000}}),
    "items-ramp-0-never": scenario_from_dict(
        {"finance": {"ramp_months": 0}, "costs": {"setup": 1e8}, "other_items": ITEMS}
    ),
    "no-costs-horizon-7-ramp-12": scenario_from_dict(
        {"costs": NO_COSTS, "finance": {"horizon_months": 7, "ramp_months": 12}}
    ),
    "pays-back-at-once": scenario_from_dict(
        {"other_items": [{"name": "Grant", "kind": "benefit", "amount": 1e6, "start_month": 0}]}
    ),
}


def _expected(result: Result) -> dict[str, float | str]:
    summary = result.summary
    out: dict[str, float | str] = {}
    for name in RESULTS:
        value = getattr(summary, name)
        out[name] = MISSING[name] if value is None else value
    return out


def _assert_results(got: Mapping[str, Any], result: Result, *, rel: float, abs_: float) -> None:
    for name, want in _expected(result).items():
        if isinstance(want, str):
            assert got[name] == want, name
        else:
            assert got[name] == pytest.approx(want, rel=rel, abs=abs_), name


def _where(wb: Any, name: str) -> tuple[str, str]:
    """``(sheet, "B7")`` of a defined name that points at one cell."""
    (sheet, ref), *more = list(wb.defined_names[name].destinations)
    assert not more, name
    return sheet, ref.replace("$", "")


def _cell(wb: Any, name: str) -> Any:
    sheet, ref = _where(wb, name)
    return wb[sheet][ref]


def _results(wb: Any) -> dict[str, Any]:
    return {name: _cell(wb, name).value for name in RESULTS}


def _assert_yearly(wb: Any, result: Result, *, rel: float) -> None:
    """The Yearly table sheet shows the engine's yearly table: the years of the horizon
    (the other year columns blank, heading included), Total and Present value."""
    table = result.yearly()
    sheet = wb["Yearly table"]
    head = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Initial")
    assert tuple(c for c in head[1:] if c) == table.columns
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0] in table.rows()}
    for label, values in table.rows().items():
        shown = [v for v, c in zip(rows[label], head[1:], strict=False) if c]
        assert shown == pytest.approx(list(values), rel=rel, abs=1e-6), label
        assert all(v in ("", None) for v, c in zip(rows[label], head[1:], strict=False) if not c)


def _load(data: bytes | Path, *, data_only: bool = False) -> Any:
    from openpyxl import load_workbook

    source = io.BytesIO(data) if isinstance(data, bytes) else data
    return load_workbook(source, data_only=data_only)


# --- cached values ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_cached_values_show_the_engines_figures_before_any_recalculation(case: str) -> None:
    s = CASES[case]
    result = evaluate(s)
    wb = _load(xlsx_report(s), data_only=True)  # openpyxl never calculates
    assert wb.sheetnames == SHEETS
    _assert_results(_results(wb), result, rel=1e-9, abs_=1e-9)
    _assert_yearly(wb, result, rel=1e-9)


# --- pycel: the formulas themselves, recalculated in Python ----------------------------------


@pytest.fixture
def pycel(monkeypatch: pytest.MonkeyPatch) -> Any:
    """pycel's ExcelCompiler, taught openpyxl 3.1's defined names: pycel 1.0b30 still
    reads ``defined_names.definedName``, which openpyxl 3.1 replaced by a dict."""
    from pycel import ExcelCompiler
    from pycel.excelwrapper import ExcelOpxWrapper

    def defined_names(self: Any) -> dict[str, list[tuple[str, str]]]:
        if self.workbook is not None and self._defined_names is None:
            self._defined_names = {
                str(d.name): [(alias, ws) for ws, alias in d.destinations if ws in self.workbook]
                for d in self.workbook.defined_names.values()
            }
        return self._defined_names  # type: ignore[no-any-return]

    monkeypatch.setattr(ExcelOpxWrapper, "defined_names", property(defined_names))
    return ExcelCompiler


def _recalculated(compiler: Any, addresses: list[str]) -> list[Any]:
    """pycel's values of ``addresses`` with every formula computed afresh: pycel starts
    from the cached values, so the graph is built, cleared and evaluated again."""
    compiler.evaluate(addresses)
    compiler.recalculate()
    return list(compiler.evaluate(addresses))


#: Three workbooks that between them take every branch of the formulas: ramp 0, payback
#: never / in month 0 / inside a month, ROI "n/a", a horizon shorter than the ramp, line
#: items of every kind (pycel compiles ~4,500 formulas a workbook: a few seconds each).
PYCEL_CASES = ("line-items", "items-ramp-0-never", "no-costs-horizon-7-ramp-12")


@pytest.mark.parametrize("case", PYCEL_CASES)
def test_pycel_recalculates_every_formula_to_its_cached_value_and_the_engine(
    case: str, tmp_path: Path, pycel: Any
) -> None:
    s = CASES[case]
    path = tmp_path / "case.xlsx"
    path.write_bytes(xlsx_report(s))
    formulas, cached = _load(path), _load(path, data_only=True)
    assert str(_cell(formulas, "npv").value).startswith("=")  # a live formula, not a number
    results = [f"{sheet}!{ref}" for sheet, ref in (_where(formulas, n) for n in RESULTS)]
    addresses, want = [], []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    addresses.append(f"{ws.title}!{cell.coordinate}")
                    want.append(cached[ws.title][cell.coordinate].value)
    assert len(addresses) > 121 * 40  # the whole monthly grid is formulas
    got = _recalculated(pycel(filename=str(path)), [*results, *addresses])
    _assert_results(dict(zip(RESULTS, got, strict=False)), evaluate(s), rel=1e-9, abs_=1e-6)
    for address, value, expected in zip(addresses, got[len(results) :], want, strict=True):
        if expected in ("", None):  # an empty result ("" from IF)
            assert value in ("", None), address
        elif isinstance(expected, str):
            assert value == expected, address
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-9), address


# --- LibreOffice: edit inputs in the workbook, recalculate, compare --------------------------

BASE = scenario_from_dict({"name": "Live model", "other_items": ITEMS})
#: Edits of named input cells, covering every driver, the business, costs and finance.
EDITS: dict[str, dict[str, float]] = {
    "root_cause": {"levers.root_cause_reduction": 0.05, "service.cost_per_assisted_contact": 7.5},
    "social_deflection": {"levers.social_deflection": 0.2, "service.cost_per_social_contact": 3.1},
    "self_service": {
        "levers.self_service_deflection": 0.15,
        "service.cost_per_self_service_contact": 0.8,
        "service.monthly_assisted_contacts": 80_000,
    },
    "retention": {"levers.retention_lift": 0.25, "levers.social_reach": 0.2},
    "saves": {"levers.at_risk_per_month": 400, "levers.save_rate": 0.35},
    "referrals": {
        "levers.advocate_share": 0.1,
        "levers.referrals_per_advocate_year": 3,
        "levers.referral_conversion": 0.2,
    },
    "cross_sell": {"levers.cross_sell_rate": 0.004, "levers.cross_sell_revenue": 55},
    "price_premium": {"levers.price_premium": 0.03},
    "business": {
        "business.customers": 350_000,
        "business.monthly_revenue_per_customer": 42,
        "business.gross_margin": 0.45,
        "business.monthly_churn_rate": 0.025,
    },
    "costs": {"costs.setup": 150_000, "costs.platform_monthly": 9_000, "costs.staff_monthly": 0,
              "costs.other_monthly": 500},
    "horizon-up-ramp-0": {"finance.horizon_months": 120, "finance.ramp_months": 0},
    "horizon-down-ramp-long": {"finance.horizon_months": 7, "finance.ramp_months": 12},
    "discount-and-risk": {"finance.discount_rate": 0.18, "finance.benefit_risk": 0.3,
                          "finance.cost_risk": 0.2},
    "never-pays-back": {"costs.setup": 90_000_000},
}  # fmt: skip


def _recalculate(data: bytes, tmp_path: Path, edit: Any = None) -> Any:
    """Save ``data``, let ``edit(workbook)`` change it through openpyxl, recalculate with
    LibreOffice headless (profile: always recalculate on load) and read the values back."""
    path = tmp_path / "report.xlsx"
    path.write_bytes(data)
    if edit is not None:
        wb = _load(path)
        edit(wb)
        wb.save(path)
    return _load(convert(path, "xlsx", tmp_path / "recalculated"), data_only=True)


@pytest.mark.slow
@pytest.mark.parametrize("edit", list(EDITS))
def test_libreoffice_recalculates_edited_inputs_to_the_engines_figures(
    edit: str, tmp_path: Path
) -> None:
    changes = EDITS[edit]

    def change(wb: Any) -> None:
        for path, value in changes.items():
            cell = _cell(wb, path.replace(".", "_"))  # the input's name: <group>_<field>
            assert cell.value == get_value(BASE, path)
            cell.value = value

    wb = _recalculate(xlsx_report(BASE), tmp_path, change)
    result = evaluate(with_values(BASE, changes))
    _assert_results(_results(wb), result, rel=1e-6, abs_=1e-6)
    _assert_yearly(wb, result, rel=1e-6)


def _item_table(wb: Any) -> tuple[Any, int, dict[str, int]]:
    """The Line items sheet, its header row and ``{header: column}`` (1-based)."""
    ws = wb["Line items"]
    for row in ws.iter_rows():
        if row[0].value == "Name":
            return ws, row[0].row, {c.value: c.column for c in row if c.value}
    raise AssertionError("no Name header on Line items")


@pytest.mark.slow
def test_libreoffice_follows_line_items_edited_and_added_in_the_workbook(tmp_path: Path) -> None:
    added = {"name": "Community event", "kind": "cost", "amount": 2_500, "every": "year",
             "start_month": 2, "end_month": 26}  # fmt: skip

    def change(wb: Any) -> None:
        ws, head, col = _item_table(wb)
        rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1)}
        ws.cell(rows["Travel forgone"], col["Amount"]).value = 1_500
        ws.cell(rows["Extra licence"], col["Every"]).value = "year"
        ws.cell(rows["Extra licence"], col["End month"]).value = 25
        spare = rows[None]  # the first blank row of the table
        for key, header in (("name", "Name"), ("kind", "Kind"), ("amount", "Amount"),
                            ("every", "Every"), ("start_month", "Start month"),
                            ("end_month", "End month")):  # fmt: skip
            ws.cell(spare, col[header]).value = added[key]

    items = [dict(item) for item in ITEMS]
    items[1]["amount"] = 1_500
    items[4] |= {"every": "year", "end_month": 25}
    changed = scenario_from_dict({**BASE.model_dump(), "other_items": [*items, added]})
    wb = _recalculate(xlsx_report(BASE), tmp_path, change)
    _assert_results(_results(wb), evaluate(changed), rel=1e-6, abs_=1e-6)


@pytest.mark.slow
def test_libreoffice_recalculates_a_preset_untouched_to_the_engines_figures(
    tmp_path: Path,
) -> None:
    preset = load_presets()["telecom"]
    wb = _recalculate(xlsx_report(preset.scenario, preset=preset), tmp_path)
    _assert_results(_results(wb), evaluate(preset.scenario), rel=1e-6, abs_=1e-6)


# --- user text and names ---------------------------------------------------------------------

FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "=1+1\x7f"]


def test_user_text_is_text_never_a_formula_and_loses_control_characters(tmp_path: Path) -> None:
    items = [{"name": text, "kind": "benefit", "amount": 100, "start_month": 1}
             for text in FORMULA_LIKE]  # fmt: skip
    s = scenario_from_dict(
        {"name": FORMULA_LIKE[0], "description": "-2 = what?\x7f", "other_items": items}
    )
    # Control characters the scenario itself refuses still never fail the download.
    s = s.model_copy(update={"name": "=1+1\x01\x02\x1f"})
    data = xlsx_report(s, prospect="@Acme\x7f")

    def texts(wb: Any) -> tuple[list[Any], list[Any]]:
        ws, head, _col = _item_table(wb)
        names = [ws.cell(head + 1 + i, 1) for i in range(len(items))]
        prepared = next(r[1] for r in wb["Summary"].iter_rows() if r[0].value == "Prepared for")
        return [wb["Summary"]["A1"], wb["Summary"]["A2"], prepared], names

    summary, names = texts(_load(data))
    assert [(c.value, c.data_type) for c in summary] == [
        ("=1+1", "s"), ("-2 = what?", "s"), ("@Acme", "s")
    ]  # fmt: skip
    cleaned = [t.replace("\x7f", "") for t in FORMULA_LIKE]
    assert [(c.value, c.data_type) for c in names] == [(t, "s") for t in cleaned]
    # LibreOffice opens it, keeps the text as text and still computes the model.
    wb = _recalculate(data, tmp_path)
    summary, names = texts(wb)
    assert [c.value for c in summary] == ["=1+1", "-2 = what?", "@Acme"]
    assert [c.value for c in names] == cleaned
    assert _cell(wb, "npv").value == pytest.approx(evaluate(s).summary.npv, rel=1e-6)


def test_every_numeric_input_is_a_defined_name_holding_the_scenarios_value() -> None:
    s = CASES["telecom"]
    wb = _load(xlsx_report(s))
    for path in NUMERIC_FIELDS:
        name = path.replace(".", "_")
        sheet, _ref = _where(wb, name)
        cell = _cell(wb, name)
        assert sheet == "Assumptions", name
        assert (cell.value, cell.data_type) == (get_value(s, path), "n"), name
    assert set(RESULTS) <= set(wb.defined_names)
