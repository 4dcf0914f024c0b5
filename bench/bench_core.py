"""Speed and memory of the roi_core engine. Run by hand; prints figures, never fails.

    .venv/bin/python bench/bench_core.py          (or: make bench)

Targets on the 2-core reference machine: evaluate <= 0.5 ms (36 months);
Monte Carlo 10,000 x 36 <= 100 ms, 100,000 x 36 <= 1 s, 1,000,000 x 36 <= 1.5 s, and
any number of draws over up to 120 months within 64 MiB.
Timings are medians of repeated runs; memory is the tracemalloc peak of one
run (numpy reports its array buffers to tracemalloc).
"""

from __future__ import annotations

import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

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
from roi_core.customer_table import read_table
from roi_core.scenario import NUMERIC_FIELDS, RANGEABLE_GROUPS, get_value
from roi_ui.figures.risk import monte_carlo_npv

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


def row(label: str, seconds: float, target: str = "", memory: float | None = None) -> None:
    shown = f"{seconds * 1e3:10.3f} ms"
    mem = f"{memory:8.1f} MiB" if memory is not None else " " * 12
    print(f"{label:<44}{shown}  {mem}  {target}")


def main() -> None:
    print(f"roi_core benchmark - Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"{'':<44}{'median':>13}  {'peak memory':>12}  target")
    for horizon in (36, 120):
        s = scenario_from_dict({"finance": {"horizon_months": horizon}})
        row(f"evaluate, {horizon} months", median_seconds(lambda s=s: evaluate(s),
            repeat=7, number=300), "<= 0.5 ms" if horizon == 36 else "")  # fmt: skip
    for n, repeat, target in ((10_000, 15, "<= 100 ms"), (100_000, 5, "<= 1 s, <= 1 GB")):
        s = ranged_scenario()
        t = median_seconds(lambda s=s, n=n: monte_carlo(s, n=n, seed=1), repeat=repeat)
        mem = peak_mib(lambda s=s, n=n: monte_carlo(s, n=n, seed=1))
        row(f"Monte Carlo {n:,} draws x 36 months, 12 ranges", t, target, mem)
    s120 = ranged_scenario(120)
    row("Monte Carlo 100,000 draws x 120 months", median_seconds(
        lambda: monte_carlo(s120, n=100_000, seed=1), repeat=3), "<= 64 MiB",
        peak_mib(lambda: monte_carlo(s120, n=100_000, seed=1)))  # fmt: skip
    s36 = ranged_scenario()
    row("Monte Carlo 1,000,000 draws x 36 months", median_seconds(
        lambda: monte_carlo(s36, n=1_000_000, seed=1), repeat=3), "<= 1.5 s, <= 64 MiB",
        peak_mib(lambda: monte_carlo(s36, n=1_000_000, seed=1)))  # fmt: skip
    row("Monte Carlo 1,000,000 draws x 120 months", median_seconds(
        lambda: monte_carlo(s120, n=1_000_000, seed=1), repeat=1), "<= 64 MiB",
        peak_mib(lambda: monte_carlo(s120, n=1_000_000, seed=1)))  # fmt: skip
    s = ranged_scenario()
    row("tornado, 12 ranges", median_seconds(lambda: sensitivity(s), repeat=7, number=50))
    row("break-even costs.setup (npv = 0)",
        median_seconds(lambda: break_even(s, "costs.setup"), repeat=7, number=10))  # fmt: skip
    axis = np.linspace(0.0, 0.5, 25)
    row("two-way table 25 x 25 (one batch)", median_seconds(
        lambda: grid2d(s, "levers.retention_lift", axis, "levers.social_deflection", axis),
        repeat=7, number=20))  # fmt: skip
    wide = np.linspace(0.0, 0.5, 200)
    row("two-way table 200 x 200", median_seconds(
        lambda: grid2d(s, "levers.retention_lift", wide, "levers.social_deflection", wide),
        repeat=5))  # fmt: skip
    row("Monte Carlo page path: 10,000 draws + histogram",
        median_seconds(lambda: monte_carlo_npv(monte_carlo(s, n=10_000, seed=1), "USD"),
                       repeat=7))  # fmt: skip
    big = synthetic_customers(engaged=250_000, control=750_000, seed=1)
    csv_bytes = "\n".join(
        ["group,months_observed,churned"]
        + [f"{'engaged' if e else 'control'},{m:.2f},{int(c)}"
           for e, m, c in zip(big.engaged, big.months_observed, big.churned, strict=True)]
    ).encode()  # fmt: skip
    row(
        "calibration: read 1,000,000-row CSV + estimate",
        median_seconds(lambda: calibrate(read_table(csv_bytes, "big.csv").table), repeat=3),
    )
    row("break-even finance.horizon_months",
        median_seconds(lambda: break_even(s, "finance.horizon_months"), repeat=3))  # fmt: skip


if __name__ == "__main__":
    main()
