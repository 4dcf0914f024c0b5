"""Speed and memory of the roi_core engine and of reading a customer table. Run by hand;
prints figures, never fails.

    .venv/bin/python bench/bench_core.py          (make bench runs it within bench_all.py)

Targets on the 2-core reference machine: evaluate <= 0.5 ms (36 months);
Monte Carlo 10,000 x 36 <= 100 ms, 100,000 x 36 <= 1 s, 1,000,000 x 36 <= 1.5 s, and
any number of draws over up to 120 months within 64 MiB; a whole-column workbook
(1,048,575 rows) refused from its declared size, not read (the table reader's test
allows it 5 s); a 1,000,000-row contact-centre or social-mentions export read and
estimated <= 2 s.
Timings are medians of repeated runs; memory is the tracemalloc peak of one
run (numpy reports its array buffers to tracemalloc). :func:`figures` yields the
rows as data (:class:`bench_report.Figure`) for ``bench_all.py``.
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import TIMES, Figure, mib, seconds

from roi_core import (
    Scenario,
    break_even,
    evaluate,
    monte_carlo,
    scenario_from_dict,
    sensitivity,
)
from roi_core.analysis import grid2d
from roi_core.calibration import calibrate, synthetic_customers
from roi_core.contacts import estimate_baseline, read_contacts, synthetic_contacts
from roi_core.customer_table import MAX_CSV_ROWS, MAX_XLSX_ROWS, TableError, load, read_table
from roi_core.mentions import estimate_advocacy, read_mentions, synthetic_mentions
from roi_core.scenario import NUMERIC_FIELDS, RANGEABLE_GROUPS, get_value
from roi_ui.figures.risk import monte_carlo_npv

SECTION = "Engine and evidence"
#: Monte Carlo's memory target, whatever the number of draws (issue 13).
MC_MIB = 64.0
#: The whole-column workbook of issue 13: every row of a sheet (the header and 1,048,575).
SHEET_ROWS = 1_048_575
#: The table reader's test allows the refusal this long (reading it would take minutes).
XLSX_REFUSAL_S = 5.0
#: Issue 14: a 1,000,000-row evidence export read and estimated within 2 s.
EVIDENCE_ROWS = 1_000_000
EVIDENCE_S = 2.0

TWELVE_RANGES = [
    "business.monthly_churn_rate",
    "business.monthly_revenue_per_customer",
    "service.monthly_assisted_contacts",
    "service.cost_per_assisted_contact",
    "service.cost_per_social_contact",
    "levers.social_deflection",
    "levers.self_service_deflection",
    "levers.retention_lift",
    "levers.save_rate",
    "levers.social_reach",
    "costs.setup",
    "costs.staff_monthly",
]


def ranged_scenario(horizon: int = 36) -> Scenario:
    """The default scenario with +-25 % ranges on twelve fields."""
    base = Scenario()
    ranges: dict[str, dict[str, Any]] = {g: {} for g in RANGEABLE_GROUPS}
    for path in TWELVE_RANGES:
        group, name = path.split(".")
        value = get_value(base, path)
        ranges[group][name] = {"low": value * 0.75, "high": value * 1.25}
    assert all(p in NUMERIC_FIELDS for p in TWELVE_RANGES)
    return scenario_from_dict({"finance": {"horizon_months": horizon}, "uncertainty": ranges})


def median_seconds(fn: Callable[[], object], *, repeat: int, number: int = 1) -> float:
    fn()  # warm caches (ramp matrices, imports)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def limit(s: float) -> str:
    """A time target as written: 0.5 ms, 100 ms, 1 s, 1.5 s."""
    return f"{s * 1e3:g} ms" if s < 1 else f"{s:g} s"


def figure(
    what: str,
    s: float,
    *,
    max_s: float | None = None,
    memory: float | None = None,
    max_mib: float | None = None,
    target: str = "",
) -> Figure:
    """One row: the median ``s`` (and peak ``memory``) against the targets given."""
    targets = ([f"≤ {limit(max_s)}"] if max_s is not None else []) + (
        [f"≤ {max_mib:g} MiB"] if max_mib is not None else []
    )
    checks = ([s <= max_s] if max_s is not None else []) + (
        [memory is not None and memory <= max_mib] if max_mib is not None else []
    )
    return Figure(
        SECTION,
        what,
        seconds(s),
        target=target or ", ".join(targets),
        memory=mib(memory) if memory is not None else "",
        ok=all(checks) if checks else None,
    )


def engine_figures() -> Iterator[Figure]:
    for horizon in (36, 120):
        s = scenario_from_dict({"finance": {"horizon_months": horizon}})
        yield figure(f"`evaluate`, {horizon} months",
                     median_seconds(lambda s=s: evaluate(s), repeat=7, number=300),
                     max_s=0.5e-3 if horizon == 36 else None)  # fmt: skip
    s36, s120 = ranged_scenario(36), ranged_scenario(120)
    monte = (
        (10_000, s36, 15, 0.1),
        (100_000, s36, 5, 1.0),
        (100_000, s120, 3, None),
        (1_000_000, s36, 3, 1.5),
        (1_000_000, s120, 1, None),
    )
    for n, sc, repeat, max_s in monte:
        months = sc.finance.horizon_months
        yield figure(
            f"Monte Carlo {n:,} draws {TIMES} {months} months",
            median_seconds(lambda sc=sc, n=n: monte_carlo(sc, n=n, seed=1), repeat=repeat),
            max_s=max_s,
            memory=peak_mib(lambda sc=sc, n=n: monte_carlo(sc, n=n, seed=1)),
            max_mib=MC_MIB,
        )
    s = s36
    yield figure(
        "tornado, 12 ranges (24 variants, one batch)",
        median_seconds(lambda: sensitivity(s), repeat=7, number=50),
    )
    yield figure(
        "break-even on `costs.setup`",
        median_seconds(lambda: break_even(s, "costs.setup"), repeat=7, number=10),
    )
    yield figure(
        "break-even on `finance.horizon_months` (every whole value)",
        median_seconds(lambda: break_even(s, "finance.horizon_months"), repeat=3),
    )
    for n, repeat, number in ((25, 7, 20), (200, 5, 1)):
        axis = np.linspace(0.0, 0.5, n)
        yield figure(
            f"two-way table {n} {TIMES} {n} (one batch)",
            median_seconds(
                lambda axis=axis: grid2d(
                    s, "levers.retention_lift", axis, "levers.social_deflection", axis
                ),
                repeat=repeat,
                number=number,
            ),
        )
    yield figure(
        "Monte Carlo page path: 10,000 draws + histogram figure",
        median_seconds(lambda: monte_carlo_npv(monte_carlo(s, n=10_000, seed=1), "USD"), repeat=7),
    )


def customers_csv(rows: int = MAX_CSV_ROWS) -> bytes:
    """A customer table of ``rows`` rows (a quarter engaged) as CSV."""
    big = synthetic_customers(engaged=rows // 4, control=rows - rows // 4, seed=1)
    return "\n".join(
        ["group,months_observed,churned"]
        + [f"{'engaged' if e else 'control'},{m:.2f},{int(c)}"
           for e, m, c in zip(big.engaged, big.months_observed, big.churned, strict=True)]
    ).encode()  # fmt: skip


HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:C%d"/><sheetData>'
)
HEADER_ROW = (
    b"<row>"
    + b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % name
        for name in (b"group", b"months_observed", b"churned")
    )
    + b"</row>"
)


def whole_column_xlsx(rows: int = SHEET_ROWS) -> bytes:
    """A workbook whose first sheet fills every row (a header and ``rows`` customers), as a
    sheet does once a whole column is filled; it declares its size as Excel does. The
    sheet's XML is streamed into the zip: a second, instead of minutes of openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["group", "months_observed", "churned"])
    template = io.BytesIO()
    book.save(template)
    period = [
        b'<row><c t="inlineStr"><is><t>%s</t></is></c><c><v>%d</v></c><c><v>%d</v></c></row>'
        % (b"engaged" if i % 4 == 0 else b"control", 1 + i % 12, int(i % 7 == 0))
        for i in range(12)
    ]
    full, rest = divmod(rows, len(period))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info.filename))
                continue
            with dst.open(info.filename, "w") as xml:
                xml.write(HEAD % (rows + 1) + HEADER_ROW)
                block = b"".join(period)
                for _ in range(full):
                    xml.write(block)
                xml.write(b"".join(period[:rest]) + b"</sheetData></worksheet>")
    return out.getvalue()


def refuse(data: bytes) -> None:
    try:
        load(data, "whole-column.xlsx")
    except TableError as exc:
        if f"at most {MAX_XLSX_ROWS:,}" in str(exc):
            return
        raise
    raise AssertionError("the whole-column workbook was read, not refused")


def calibration_figures() -> Iterator[Figure]:
    csv = customers_csv()
    yield figure(
        f"calibration: read a {MAX_CSV_ROWS:,}-row CSV (the limit) and estimate",
        median_seconds(lambda: calibrate(read_table(csv, "big.csv").table), repeat=3),
    )
    xlsx = whole_column_xlsx()
    yield figure(
        f"calibration: refuse a whole-column XLSX ({SHEET_ROWS:,} rows, {len(xlsx) // 1000:,} kB)",
        median_seconds(lambda: refuse(xlsx), repeat=5),
        max_s=XLSX_REFUSAL_S,
        target=f"refused, ≤ {limit(XLSX_REFUSAL_S)}",
    )


def contacts_csv(rows: int = EVIDENCE_ROWS) -> bytes:
    """A contact-centre export of ``rows`` contacts (timestamps, channel names, handle
    minutes, customer ids), as CSV."""
    import pandas as pd

    s = synthetic_contacts(seed=9, assisted_per_month=30_000, self_service_per_month=12_000)
    return (
        pd.DataFrame(
            {
                "created_at": np.resize(s.created_at.astype("datetime64[s]").astype(str), rows),
                "channel": np.resize(s.channel, rows),
                "handle_minutes": np.resize(s.handle_minutes, rows),
                "customer_id": np.resize(s.customer_id, rows),
            }
        )
        .to_csv(index=False)
        .encode()
    )


def mentions_csv(rows: int = EVIDENCE_ROWS) -> bytes:
    """A social-mentions export of about ``rows`` posts, as CSV."""
    import pandas as pd

    s = synthetic_mentions(authors=rows * 10 // 21, seed=9)
    return (
        pd.DataFrame(
            {
                "created_at": s.created_at.astype("datetime64[s]").astype(str),
                "author_id": s.author_id,
                "brand_replied": s.brand_replied,
                "sentiment": s.sentiment,
            }
        )
        .to_csv(index=False)
        .encode()
    )


def evidence_figures() -> Iterator[Figure]:
    contacts = contacts_csv()
    yield figure(
        f"evidence: read a {EVIDENCE_ROWS:,}-row contact export, baseline and shift",
        median_seconds(
            lambda: estimate_baseline(read_contacts(contacts, "c.csv").export, "2025-01", 30.0),
            repeat=3,
        ),
        max_s=EVIDENCE_S,
    )
    mentions = mentions_csv()
    yield figure(
        f"evidence: read a {EVIDENCE_ROWS:,}-row mentions export, advocate share",
        median_seconds(
            lambda: estimate_advocacy(read_mentions(mentions, "m.csv").export), repeat=3
        ),
        max_s=EVIDENCE_S,
    )


def figures() -> Iterator[Figure]:
    """Every row of this benchmark, as it is measured."""
    yield from engine_figures()
    yield from calibration_figures()
    yield from evidence_figures()


def main() -> None:
    print(f"roi_core benchmark - Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"{'':<66}{'median':>10}  {'peak memory':>11}  target")
    for f in figures():
        verdict = "" if f.ok is None else ("  (met)" if f.ok else "  (MISSED)")
        line = f"{f.what:<66}{f.value:>10}  {f.memory:>11}  {f.target}{verdict}"
        print(line.rstrip(), flush=True)


if __name__ == "__main__":
    main()
