"""Calibration from a control group: estimator, reader, CLI (MODEL.md §4-5)."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from roi_core import Scenario
from roi_core.calibration import (
    Z95,
    CustomerTable,
    apply_calibration,
    calibrate,
    retention_curve,
    synthetic_customers,
)
from roi_core.customer_table import TableError, normalise, read_table

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "roi_ui" / "data" / "samples" / "customers.csv"


def small() -> CustomerTable:
    # engaged: 20 customer-months, 1 churn, 6 contacts, 2 purchases
    # control: 20 customer-months, 2 churns, 10 contacts, 1 purchase
    return CustomerTable(
        engaged=np.array([True, True, True, False, False]),
        months_observed=np.array([10.0, 5.0, 5.0, 10.0, 10.0]),
        churned=np.array([True, False, False, True, True]),
        assisted_contacts=np.array([2.0, 2.0, 2.0, 5.0, 5.0]),
        cross_sell_purchases=np.array([1.0, 1.0, 0.0, 1.0, 0.0]),
    )


def test_known_values_by_hand() -> None:
    c = calibrate(small())
    e, k = c.groups["engaged"], c.groups["control"]
    assert (e.customers, e.customer_months, e.churned) == (3, 20.0, 1)
    assert e.churn_hazard == pytest.approx(1 / 20)
    assert k.churn_hazard == pytest.approx(2 / 20)
    # lift = 1 - (1/20)/(2/20) = 0.5; se(log HR) = sqrt(1/1 + 1/2)
    se = math.sqrt(1 + 1 / 2)
    assert c.retention_lift.estimate == pytest.approx(0.5)
    assert c.retention_lift.low == pytest.approx(1 - 0.5 * math.exp(Z95 * se))
    assert c.retention_lift.high == pytest.approx(1 - 0.5 * math.exp(-Z95 * se))
    # contacts: 6/20 vs 10/20 -> change 1 - 0.6 = 0.4, se = sqrt(1/6 + 1/10)
    se_c = math.sqrt(1 / 6 + 1 / 10)
    assert e.assisted_contacts_per_month == pytest.approx(0.3)
    assert c.assisted_contact_change.estimate == pytest.approx(0.4)
    assert c.assisted_contact_change.low == pytest.approx(1 - 0.6 * math.exp(Z95 * se_c))
    # cross-sell: 2/20 - 1/20 = 0.05, var = 2/400 + 1/400
    assert c.cross_sell_uplift.estimate == pytest.approx(0.05)
    assert c.cross_sell_uplift.high == pytest.approx(0.05 + Z95 * math.sqrt(3 / 400))
    assert any("engaged group has 3 customers" in w for w in c.warnings)
    json.dumps(c.to_dict(), allow_nan=False)


def test_without_optional_columns_the_estimates_are_null() -> None:
    t = small()
    c = calibrate(CustomerTable(t.engaged, t.months_observed, t.churned))
    assert c.groups["engaged"].assisted_contacts_per_month is None
    assert c.assisted_contact_change.estimate is None
    assert c.cross_sell_uplift.low is None


def test_no_churn_gives_a_warning_and_no_interval() -> None:
    t = small()
    none = CustomerTable(t.engaged, t.months_observed, t.churned & ~t.engaged)
    c = calibrate(none)
    assert c.retention_lift.estimate == pytest.approx(1.0)
    assert c.retention_lift.low is None and c.retention_lift.high is None
    assert any("No engaged customer churned" in w for w in c.warnings)
    no_control_churn = CustomerTable(t.engaged, t.months_observed, t.churned & t.engaged)
    assert calibrate(no_control_churn).retention_lift.estimate is None


def test_intervals_cover_the_true_lift_about_95_percent_of_the_time() -> None:
    """200 simulated tables with a known lift: the delta-method interval is honest."""
    hits = {"lift": 0, "contacts": 0, "cross": 0}
    for seed in range(200):
        table = synthetic_customers(
            engaged=500,
            control=1500,
            control_hazard=0.03,
            true_lift=0.2,
            contact_change=0.2,
            seed=seed,
        )
        c = calibrate(table)
        for key, interval, truth in (("lift", c.retention_lift, 0.2),
                                     ("contacts", c.assisted_contact_change, 0.2),
                                     ("cross", c.cross_sell_uplift, 0.001)):  # fmt: skip
            assert interval.low is not None and interval.high is not None
            hits[key] += interval.low <= truth <= interval.high
    for key, n in hits.items():
        assert 0.90 <= n / 200 <= 0.99, (key, n)


def test_retention_curve_is_a_life_table() -> None:
    t = CustomerTable(
        engaged=np.array([True] * 4),
        months_observed=np.array([0.5, 1.0, 2.0, 3.0]),
        churned=np.array([True, False, True, False]),
    )
    months, share = retention_curve(t, "engaged")
    # month 1: 4 at risk, 1 churns -> 3/4; month 2: 2 at risk (one left censored), 1 churns -> 1/2
    assert months.tolist() == [0, 1, 2, 3]
    assert share.tolist() == pytest.approx([1.0, 0.75, 0.375, 0.375])


def test_apply_sets_the_levers_and_says_where_they_came_from() -> None:
    c = calibrate(small())
    s, lines = apply_calibration(Scenario(), c, source="crm.csv")
    assert s.levers.retention_lift == pytest.approx(0.5)
    assert s.levers.social_deflection == pytest.approx(0.4)
    assert s.levers.cross_sell_rate == pytest.approx(0.05)
    assert "crm.csv" in s.description
    assert len(lines) == 3


def _csv(text: str) -> bytes:
    return text.encode()


def test_columns_match_whatever_their_case_and_spacing() -> None:
    assert normalise(" Months-Observed ") == "months_observed"
    data = _csv("Customer,GROUP, Months Observed ,Churned\nA,Engaged,3,1\nB, control ,4.5,0\n")
    loaded = read_table(data, "x.csv")
    assert loaded.problems == ()
    assert loaded.table.engaged.tolist() == [True, False]
    assert loaded.table.months_observed.tolist() == [3.0, 4.5]


def test_explicit_mapping_for_differently_named_columns() -> None:
    data = _csv("segment,tenure,lost\nengaged,3,1\ncontrol,4,0\n")
    with pytest.raises(TableError, match="no column for group, months_observed, churned"):
        read_table(data, "x.csv")
    mapping = {"group": "segment", "months_observed": "tenure", "churned": "lost"}
    assert len(read_table(data, "x.csv", mapping).table) == 2
    with pytest.raises(TableError, match="group: the file has no column 'nope'"):
        read_table(data, "x.csv", {"group": "nope"})


def test_every_kind_of_bad_row_is_reported_with_row_numbers() -> None:
    data = _csv(
        "group,months_observed,churned,assisted_contacts\n"
        "engaged,3,1,2\n"  # row 2: fine
        ",3,1,2\n"  # row 3: no group
        "vip,3,1,2\n"  # row 4: unknown group
        "control,abc,0,2\n"  # row 5: months not a number
        "control,-1,0,2\n"  # row 6: months not > 0
        "control,2,2,2\n"  # row 7: churned not 0/1
        "control,2,0,-3\n"  # row 8: negative contacts
        "control,2,0,x\n"  # row 9: contacts not a number
        "control,2,0,1\n"  # row 10: fine
    )
    loaded = read_table(data, "x.csv")
    assert len(loaded.table) == 2
    text = "\n".join(loaded.problems)
    for fragment in ("group is empty: rows 3", "not engaged or control: rows 4",
                     "months_observed is not a number: rows 5", "not > 0: rows 6",
                     "churned is not 0 or 1: rows 7", "assisted_contacts is negative: rows 8",
                     "assisted_contacts is not a number: rows 9"):  # fmt: skip
        assert fragment in text, fragment
    assert all(line.startswith("1 rows left out") for line in loaded.problems)


def test_files_that_are_not_tables_are_refused_with_a_message() -> None:
    cases = [(b"\x89PNG\r\n\x1a\n\x00\x00", "pic.csv"), (b"", "empty.csv"),
             (b"just one line", "one.csv"), (b"PK\x03\x04 not a zip", "book.xlsx")]  # fmt: skip
    for data, name in cases:
        with pytest.raises(TableError, match=name):
            read_table(data, name)
    only_bad = _csv("group,months_observed,churned\nvip,1,1\n")
    with pytest.raises(TableError, match="no usable rows"):
        read_table(only_bad, "bad.csv")


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Group", "Months observed", "Churned", "Cross sell purchases"])
    ws.append(["engaged", 3, 1, 1])
    ws.append(["control", 4.5, 0, 0])
    buffer = io.BytesIO()
    wb.save(buffer)
    loaded = read_table(buffer.getvalue(), "crm.xlsx")
    assert loaded.table.months_observed.tolist() == [3.0, 4.5]
    assert loaded.table.cross_sell_purchases is not None


def test_a_large_table_reads_and_calibrates() -> None:
    t = synthetic_customers(engaged=50_000, control=150_000, seed=1)
    lines = ["group,months_observed,churned"] + [
        f"{'engaged' if e else 'control'},{m:.2f},{int(c)}"
        for e, m, c in zip(t.engaged, t.months_observed, t.churned, strict=True)
    ]
    loaded = read_table("\n".join(lines).encode(), "big.csv")
    assert len(loaded.table) == 200_000
    lift = calibrate(loaded.table).retention_lift
    assert lift.low is not None and lift.high is not None
    assert lift.low <= 0.15 <= lift.high


def test_cli_calibrate_json_and_errors(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "roi_core", "calibrate", str(SAMPLE), "--json"],
                         capture_output=True, text=True, check=False, cwd=REPO)  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data["groups"]["engaged"]) == {
        "customers", "customer_months", "churned", "churn_hazard",
        "assisted_contacts_per_month", "cross_sell_per_month",
    }  # fmt: skip
    for key in ("retention_lift", "assisted_contact_change", "cross_sell_uplift"):
        assert set(data[key]) == {"estimate", "low", "high"}
    assert isinstance(data["warnings"], list)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    out = subprocess.run([sys.executable, "-m", "roi_core", "calibrate", str(bad)],
                         capture_output=True, text=True, check=False, cwd=REPO)  # fmt: skip
    assert out.returncode == 2
    assert "no column for group" in out.stderr
    assert "Traceback" not in out.stderr
    table = subprocess.run([sys.executable, "-m", "roi_core", "calibrate", str(SAMPLE)],
                           capture_output=True, text=True, check=True, cwd=REPO).stdout  # fmt: skip
    assert "Retention lift" in table


def test_cli_calibrate_reads_a_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    comma = SAMPLE.read_text(encoding="utf-8")
    semi = tmp_path / "kunden.csv"
    semi.write_text(comma.replace(",", ";").replace(".", ","), encoding="utf-8")
    results = []
    for path in (SAMPLE, semi):
        out = subprocess.run([sys.executable, "-m", "roi_core", "calibrate", str(path), "--json"],
                             capture_output=True, text=True, check=False, cwd=REPO)  # fmt: skip
        assert out.returncode == 0, out.stderr
        results.append(json.loads(out.stdout))
    assert results[1] == results[0]
    one_column = tmp_path / "customers.csv"
    one_column.write_text("group months_observed churned\nengaged 3 1\n")
    out = subprocess.run([sys.executable, "-m", "roi_core", "calibrate", str(one_column)],
                         capture_output=True, text=True, check=False, cwd=REPO)  # fmt: skip
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "customers.csv: found only one column (looked for , ; tab |) — is it a CSV table?"
    )
