"""Cold page loads, repeated: a fresh server each time, the first browser session.

    .venv/bin/python bench/bench_ui.py --runs 5 [--compare path/to/other_app.py]

One cold load is a noisy single sample (the shared harness ``ui_latency.py``
reports one per run); this starts ``streamlit run`` anew for every run, opens
the page in a new headless Chromium context (empty cache) and times
navigation -> first Plotly chart drawn, then prints the median and spread.
Only 127.0.0.1; every loop bounded. Needs Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from appserver import HOST, streamlit_app
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def cold_loads(app: Path, runs: int) -> list[float]:
    seconds = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            with streamlit_app(app) as (port, _):
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"http://{HOST}:{port}/")
                page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
                seconds.append(time.perf_counter() - start)
                context.close()
        browser.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--compare", type=Path, help="another app to measure the same way")
    args = ap.parse_args()
    apps = [ROOT / "app.py"] + ([args.compare.resolve()] if args.compare else [])
    for app in apps:
        s = cold_loads(app, args.runs)
        print(f"{app.name:<12} cold load -> first chart: median {statistics.median(s):.2f} s "
              f"(min {min(s):.2f}, max {max(s):.2f}, n={len(s)})")  # fmt: skip


if __name__ == "__main__":
    main()
