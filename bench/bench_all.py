"""Every speed figure in one run, beside the toy app's; with ``--readme``, the README's
performance tables regenerated from it (run by hand; a few minutes).

    make bench                                     (= .venv/bin/python bench/bench_all.py --readme)
    .venv/bin/python bench/bench_all.py [--runs 3] [--moves 30] [--teams 30] [--rounds 3]

In order: the engine and the customer-table reader (``bench_core.py``), 30 teams
opening a workshop's join link at once (``bench_join.py``), and the dashboard beside
the team's toy app measured the same way in the same run (``bench_ui.py``; its targets
are ratios to the toy, since absolute times on a shared machine are noise). Prints one
table: every figure, its target, whether it was met, and for the dashboard rows the
toy's figure and the ratio. ``--readme`` then replaces what lies between
``<!-- bench:begin -->`` and ``<!-- bench:end -->`` in README.md with the same figures,
the date, the machine and the command; nothing outside the markers changes. A part
that fails (no Chromium, a server that does not start) is reported and the README is
left as it was. Targets missed are reported, never a failure. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_core
import bench_join
import bench_ui
from bench_report import Figure, render_block, replace_block, terminal_table

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DEFAULTS = {"runs": 3, "moves": 30, "teams": 30, "rounds": 3}


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readme", action="store_true", help="rewrite README.md's tables")
    ap.add_argument("--runs", type=int, default=DEFAULTS["runs"],
                    help="fresh servers per app for the page loads")  # fmt: skip
    ap.add_argument("--moves", type=int, default=DEFAULTS["moves"],
                    help="slider moves per server")  # fmt: skip
    ap.add_argument("--teams", type=int, default=DEFAULTS["teams"],
                    help="teams joining a room at once")  # fmt: skip
    ap.add_argument("--rounds", type=int, default=DEFAULTS["rounds"],
                    help="rooms joined, one after another")  # fmt: skip
    return ap.parse_args(argv)


def command(args: argparse.Namespace) -> str:
    """How to repeat this run: ``make bench`` unless an option differs from its default."""
    changed = [f"--{k} {getattr(args, k)}" for k, v in DEFAULTS.items() if getattr(args, k) != v]
    if not changed and args.readme:
        return "make bench"
    return " ".join(["bench/bench_all.py", *(["--readme"] if args.readme else []), *changed])


def machine(chromium: str) -> str:
    import numpy as np
    import streamlit

    parts = [
        f"{os.cpu_count()} cores",
        f"Python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"Streamlit {streamlit.__version__}",
    ]
    return ", ".join(parts + ([f"Chromium {chromium}"] if chromium else []))


def notes(args: argparse.Namespace) -> dict[str, str]:
    """What each README table measured (its prose lives outside the markers)."""
    return {
        bench_core.SECTION: (
            "medians of repeated runs, peak memory from tracemalloc; Monte Carlo on the "
            "default scenario with ±25 % ranges on twelve fields; the evidence exports are "
            "synthetic, with timestamps, channel names and ids as a real export has them "
            "(`bench/bench_core.py`)"
        ),
        bench_ui.SECTION: (
            "the toy (`bench/toyapp.py`: one slider, one metric, one chart; Streamlit's "
            "defaults) and this app as shipped, measured the same way in the same run, "
            f"alternating: {args.runs} fresh servers each, headless Chromium, "
            f"{args.moves} arrow-key moves on each of the first slider / the retention-lift "
            "slider; p50 and p95 per server, as the issue's shared harness takes them, median "
            "of the servers "
            "(`bench/bench_ui.py`)"
        ),
        bench_join.SECTION: (
            f"{args.teams} sessions open `/workshop?room=…` at the same instant and join, "
            f"one app process, {args.rounds} rooms one after another; every team of every "
            "room counted (`bench/bench_join.py`)"
        ),
    }


def part(name: str, fn: Callable[[], list[Figure]], failed: list[str]) -> list[Figure]:
    """``fn``'s figures; a failure is reported and recorded, never raised."""
    print(f"{name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        rows = fn()
    except Exception:
        traceback.print_exc()
        failed.append(name)
        return []
    print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    failed: list[str] = []
    chromium = ""

    def ui() -> list[Figure]:
        nonlocal chromium
        rows, chromium = bench_ui.run(["--runs", str(args.runs), "--moves", str(args.moves)])
        return rows

    def join() -> list[Figure]:
        argv = ["--teams", str(args.teams), "--rounds", str(args.rounds)]
        return bench_join.main(argv, quiet=True).figures()

    figures = part("engine and calibration", lambda: list(bench_core.figures()), failed)
    figures += part("workshop join", join, failed)
    figures += part("dashboard beside the toy", ui, failed)

    date = dt.date.today().isoformat()
    where = machine(chromium)
    print(f"\n{command(args)} on {date} ({where})\n")
    print(terminal_table(figures))
    missed = [f.what for f in figures if f.ok is False]
    print(f"\ntargets missed: {len(missed)}" + (f" ({'; '.join(missed)})" if missed else ""))
    if failed:
        print(f"FAILED: {', '.join(failed)}; README.md left as it was")
        return 1
    if args.readme:
        block = render_block(
            figures, date=date, machine=where, command=command(args), notes=notes(args)
        )
        text = README.read_text(encoding="utf-8")
        updated = replace_block(text, block)
        if updated != text:
            README.write_text(updated, encoding="utf-8")
        print(f"README.md: performance tables {'rewritten' if updated != text else 'unchanged'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
