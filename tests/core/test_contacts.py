"""The contact-centre export: reading, the quasi-Poisson ITS shift (checked against
statsmodels), the baseline, social reach, warnings, coverage and apply."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from roi_core import Scenario
from roi_core.contacts import (
    ContactExport,
    apply_baseline,
    channel_class,
    estimate_baseline,
    fit_its,
    read_contacts,
    synthetic_contacts,
)
from roi_core.customer_table import TableError

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "roi_ui" / "data" / "samples" / "contacts.csv"


def _csv(rows: Sequence[tuple[str, ...]], header: str = "created_at,channel") -> bytes:
    return (header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def _monthly(result_months: list[int], post: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(result_months, dtype=float)
    t = np.arange(y.size, dtype=float)
    return y, np.column_stack([np.ones(y.size), t, np.asarray(post, dtype=float)])


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_the_shift_is_statsmodels_quasi_poisson_glm(seed: int) -> None:
    s = synthetic_contacts(seed=seed, noise=0.05, assisted_per_month=400 + 100 * seed)
    result = estimate_baseline(s.export, s.launch)
    y = np.array([m.assisted for m in result.months], dtype=float)
    post = [m.post for m in result.months]
    _, x = _monthly(list(y), post)
    ref = sm.GLM(y, x, family=sm.families.Poisson()).fit(scale="X2")
    b, se = ref.params[2], ref.bse[2]
    assert result.shift.estimate == pytest.approx(1 - math.exp(b), rel=1e-9, abs=1e-12)
    assert result.shift.low == pytest.approx(1 - math.exp(b + 1.959963984540054 * se), rel=1e-7)
    assert result.shift.high == pytest.approx(1 - math.exp(b - 1.959963984540054 * se), rel=1e-7)
    assert result.dispersion == pytest.approx(ref.scale, rel=1e-7)
    fit = fit_its(y, x)
    assert fit is not None
    np.testing.assert_allclose(fit.params, ref.params, rtol=1e-8)
    np.testing.assert_allclose(fit.bse, ref.bse, rtol=1e-7)
    counterfactual = np.array([m.counterfactual for m in result.months], dtype=float)
    np.testing.assert_allclose(counterfactual, np.exp(x[:, :2] @ ref.params[:2]), rtol=1e-7)


def test_the_true_shift_is_inside_the_interval_90_to_99_percent_of_200_exports() -> None:
    hits = 0
    runs = 200
    for seed in range(runs):
        s = synthetic_contacts(
            seed=1000 + seed,
            assisted_per_month=300,
            self_service_per_month=40,
            noise=0.05,
            true_shift=0.1 + 0.2 * (seed % 3) / 2,
        )
        shift = estimate_baseline(s.export, s.launch).shift
        assert shift.low is not None and shift.high is not None
        hits += shift.low <= s.true_shift <= shift.high
    assert 0.90 <= hits / runs <= 0.99, hits / runs


def test_baseline_costs_and_reach_by_hand() -> None:
    rows = []
    # two months before (2025-01, 2025-02), two after (2025-03, 2025-04)
    for month, assisted, social in (("01", 10, 0), ("02", 12, 1), ("03", 8, 4), ("04", 7, 5)):
        rows += [(f"2025-{month}-05", "Phone", "6", f"A{i}") for i in range(assisted)]
        rows += [(f"2025-{month}-06", "WhatsApp", "3", f"S{i}") for i in range(social)]
    data = _csv(rows, "created_at,channel,handle_minutes,customer_id")
    loaded = read_contacts(data, "x.csv")
    assert loaded.problems == ()
    result = estimate_baseline(loaded.export, "2025-03", hourly_cost=30.0)
    assert [m.month for m in result.months] == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert [m.assisted for m in result.months] == [10, 12, 8, 7]
    assert [m.social for m in result.months] == [0, 1, 4, 5]
    assert result.baseline.monthly_assisted_contacts == pytest.approx(11.0)
    assert result.baseline.cost_per_assisted_contact == pytest.approx(6 / 60 * 30)
    assert result.baseline.cost_per_social_contact == pytest.approx(3 / 60 * 30)
    # after launch: A0..A7 (8) and S0..S4 (5) contacted; 5 of 13 had a social contact
    assert result.social_reach == pytest.approx(5 / 13)
    assert any("before the launch" in w for w in result.warnings)
    assert any("from the launch on" in w for w in result.warnings)


def test_without_minutes_hourly_cost_or_ids_the_figures_are_null() -> None:
    s = synthetic_contacts(seed=1)
    bare = ContactExport(s.export.created_at, s.export.channel_class)
    result = estimate_baseline(bare, s.launch, hourly_cost=30.0)
    assert result.baseline.cost_per_assisted_contact is None
    assert result.social_reach is None
    with_minutes = estimate_baseline(s.export, s.launch)
    assert with_minutes.baseline.cost_per_assisted_contact is None
    assert with_minutes.baseline.assisted_handle_minutes is not None
    payload = json.dumps(result.to_dict(), allow_nan=False)
    assert '"cost_per_social_contact": null' in payload


def test_empty_months_are_missing_not_zero_and_are_warned() -> None:
    s = synthetic_contacts(seed=2, months_before=10, months_after=10)
    month = s.export.created_at.astype("datetime64[M]")
    gap = np.datetime64("2024-05", "M")
    keep = month != gap
    holed = ContactExport(s.export.created_at[keep], s.export.channel_class[keep])
    result = estimate_baseline(holed, s.launch)
    row = next(m for m in result.months if m.month == "2024-05")
    assert not row.has_rows and row.fitted is None
    assert any("2024-05" in w and "missing" in w for w in result.warnings)
    # the baseline mean skips the gap
    before = [m.assisted for m in result.months if not m.post and m.has_rows]
    assert result.baseline.monthly_assisted_contacts == pytest.approx(np.mean(before))


def test_noisy_counts_warn_about_dispersion() -> None:
    s = synthetic_contacts(seed=4, noise=0.15)
    result = estimate_baseline(s.export, s.launch)
    assert result.dispersion is not None and result.dispersion > 2
    assert any("times more than a Poisson" in w for w in result.warnings)


def test_a_launch_outside_the_export_gives_no_shift_and_says_why() -> None:
    s = synthetic_contacts(seed=1)
    result = estimate_baseline(s.export, "2030-01")
    assert result.shift.estimate is None
    assert any("cannot be estimated" in w for w in result.warnings)
    with pytest.raises(TableError, match="launch: '2025-13' is not a month"):
        estimate_baseline(s.export, "2025-13")


def test_a_partial_first_month_is_flagged() -> None:
    rows = [("2025-01-25", "Phone")] + [(f"2025-{m:02d}-10", "Phone") for m in range(2, 9)]
    result = estimate_baseline(read_contacts(_csv(rows), "p.csv").export, "2025-05")
    assert any("first month (2025-01) starts on 2025-01-25" in w for w in result.warnings)


def test_channels_default_and_overridden() -> None:
    assert channel_class("X (Twitter)") == "social"
    assert channel_class(" Live-Chat ") == "assisted"
    assert channel_class("Help Centre") == "self_service"
    assert channel_class("Fax") is None
    assert channel_class("Fax", {"Fax": "assisted"}) == "assisted"
    assert channel_class("Phone", {"Phone": None}) is None  # left out on request
    rows = [("2025-01-02", "Fax"), ("2025-01-03", "Phone"), ("2025-01-04", "fax")]
    loaded = read_contacts(_csv(rows), "f.csv")
    assert len(loaded.export) == 1
    assert loaded.problems == (
        "2 rows left out, channel not mapped to a class ('Fax', 'fax'): rows 2, 4",
    )
    assert loaded.channels["Fax"] == (1, None)
    mapped = read_contacts(_csv(rows), "f.csv", channels={"fax": "assisted"})
    assert len(mapped.export) == 3


def test_bad_rows_are_left_out_and_listed_by_row_number() -> None:
    data = _csv(
        [
            ("2025-01-02", "Phone", "5", "c1"),
            ("not a date", "Phone", "5", "c2"),
            ("", "Phone", "5", "c3"),
            ("2025-01-03", "", "5", "c4"),
            ("2025-01-04", "Email", "-3", "c5"),
            ("2025-01-05", "Email", "soon", ""),
            ("2025-01-06T10:00:00+07:00", "Email", "", " c1 "),
        ],
        "Created At,CHANNEL,Handle Minutes,customer id",
    )
    loaded = read_contacts(data, "b.csv")
    assert loaded.rows_read == 7
    assert loaded.problems == (
        "1 rows left out, created_at is empty: rows 4",
        "1 rows left out, created_at is not a date: rows 3",
        "1 rows left out, channel is empty: rows 5",
        "2 rows kept, handle_minutes is not a number >= 0 (time ignored): rows 6, 7",
    )
    export = loaded.export
    assert len(export) == 4
    assert export.handle_minutes is not None
    assert np.isnan(export.handle_minutes[1:]).all()
    assert export.customer is not None
    assert export.customer[0] == export.customer[3]  # " c1 " is c1
    assert export.customer[2] == -1  # a blank id is no one
    assert str(export.created_at[3]) == "2025-01-06T10:00:00.000000"  # wall clock kept


def test_dates_in_other_forms_are_read() -> None:
    rows = [("14/03/2025 10:00", "Phone"), ("03/04/2025", "Phone"), ("2025-03-01T08:00Z", "Phone")]
    loaded = read_contacts(_csv(rows), "d.csv")
    got = [str(d)[:10] for d in loaded.export.created_at]
    assert got == ["2025-03-14", "2025-04-03", "2025-03-01"]  # 14 > 12: day first
    ambiguous = read_contacts(_csv([("03/04/2025", "Phone")]), "a.csv")
    assert str(ambiguous.export.created_at[0])[:10] == "2025-03-04"
    assert any("month first" in p for p in ambiguous.problems)


def test_mapping_by_hand_and_missing_columns() -> None:
    data = _csv([("2025-01-02", "Phone")], "When,Medium")
    with pytest.raises(TableError, match="no column for created_at, channel"):
        read_contacts(data, "m.csv")
    loaded = read_contacts(data, "m.csv", {"created_at": "When", "channel": "Medium"})
    assert len(loaded.export) == 1
    with pytest.raises(TableError, match="no usable rows"):
        read_contacts(_csv([("x", "Phone")]), "n.csv")


def test_csv_and_xlsx_give_the_same_estimate(tmp_path: Path) -> None:
    s = synthetic_contacts(seed=5, assisted_per_month=80, self_service_per_month=10)
    frame = pd.DataFrame(
        {
            "created_at": s.created_at.astype("datetime64[s]").astype(str),
            "channel": s.channel,
            "handle_minutes": s.handle_minutes,
            "customer_id": s.customer_id,
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    from_csv = estimate_baseline(read_contacts(frame.to_csv(index=False).encode(), "c.csv").export,
                                 s.launch)  # fmt: skip
    from_xlsx = estimate_baseline(read_contacts(buffer.getvalue(), "c.xlsx").export, s.launch)
    direct = estimate_baseline(s.export, s.launch)
    assert from_csv.to_dict() == direct.to_dict()
    assert from_xlsx.to_dict() == direct.to_dict()


def test_apply_sets_baseline_costs_deflection_and_reach() -> None:
    s = synthetic_contacts(seed=1)
    result = estimate_baseline(s.export, s.launch, hourly_cost=30.0)
    base = Scenario()
    new, lines = apply_baseline(base, result, source="calls.csv")
    assert result.baseline.monthly_assisted_contacts is not None
    assert result.shift.estimate is not None
    assert new.service.monthly_assisted_contacts == pytest.approx(
        round(result.baseline.monthly_assisted_contacts, 1)
    )
    assert new.levers.social_deflection == pytest.approx(result.shift.estimate)
    assert new.levers.social_reach == pytest.approx(result.social_reach)
    assert new.service.cost_per_social_contact == pytest.approx(
        result.baseline.cost_per_social_contact, abs=1e-4
    )
    assert len(lines) == 5
    assert "Measured from a contact-centre export" in new.description
    assert "calls.csv" in new.description
    # capped so the two deflection shares stay <= 1
    crowded = base.model_copy(update={"levers": base.levers.model_copy(
        update={"self_service_deflection": 0.95})})  # fmt: skip
    capped, _ = apply_baseline(crowded, result, source="calls.csv")
    assert capped.levers.social_deflection == pytest.approx(0.05)


def test_sample_file_is_what_the_script_writes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample_evidence.py"), str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    assert (tmp_path / "contacts.csv").read_bytes() == SAMPLE.read_bytes()
    assert (tmp_path / "mentions.csv").read_bytes() == SAMPLE.with_name("mentions.csv").read_bytes()
    result = estimate_baseline(read_contacts(SAMPLE.read_bytes(), "contacts.csv").export, "2025-01")
    assert result.shift.low is not None and result.shift.high is not None
    assert result.shift.low <= 0.15 <= result.shift.high


def test_a_million_row_export_is_read_and_estimated() -> None:
    s = synthetic_contacts(seed=9, assisted_per_month=30_000, self_service_per_month=12_000)
    n = 1_000_000
    frame = pd.DataFrame(
        {
            "created_at": np.resize(s.created_at.astype("datetime64[s]").astype(str), n),
            "channel": np.resize(s.channel, n),
        }
    )
    loaded = read_contacts(frame.to_csv(index=False).encode(), "big.csv")
    assert len(loaded.export) == n
    result = estimate_baseline(loaded.export, s.launch)
    assert result.shift.estimate is not None
