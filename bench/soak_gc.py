"""Memory soak: thousands of reruns of the dashboard, with and without Streamlit's
forced garbage collection after each rerun (``runner.postScriptGC``).

    .venv/bin/python bench/soak_gc.py --reruns 3000          (run by hand; prints figures)

For each setting it starts ``streamlit run app.py`` on 127.0.0.1 with the agent
API (browser-free reruns through the same widget path a browser uses), creates
one session, moves two sliders through a cycle of values ``--reruns`` times,
and samples the server's RSS every ``--every`` reruns. Memory that only grows
would show as a rising tail; flat means the per-rerun GC is not needed.
Only ever talks to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
from appserver import HOST, streamlit_app

ROOT = Path(__file__).resolve().parents[1]
SLIDERS = {
    "w.levers.retention_lift": [8.0, 12.0, 15.0, 10.0],
    "w.levers.social_deflection": [6.0, 9.0, 12.0, 8.0],
}


def post(port: int, body: dict[str, object]) -> dict[str, object]:
    req = urllib.request.Request(
        f"http://{HOST}:{port}/_stcore/agent/interact",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        out: dict[str, object] = json.loads(r.read())
        return out


@dataclass
class Soak:
    samples: list[tuple[int, float]]  # (rerun, RSS MiB)
    latencies: list[float]  # ms per request
    cpu_ms_per_rerun: float


def soak(post_script_gc: bool, reruns: int, every: int) -> Soak:
    with streamlit_app(
        ROOT / "app.py",
        "--server.enableAgentApi", "true", "--runner.postScriptGC", str(post_script_gc).lower(),
    ) as (port, pid):  # fmt: skip
        server = psutil.Process(pid)
        session = str(post(port, {})["session_id"])
        samples: list[tuple[int, float]] = []
        latencies: list[float] = []
        cpu0 = server.cpu_times()
        for i in range(reruns):
            state = {key: values[i % len(values)] for key, values in SLIDERS.items()}
            t0 = time.perf_counter()
            snap = post(port, {"session_id": session, "widget_state": state})
            latencies.append((time.perf_counter() - t0) * 1000)
            if snap.get("status") != "ready":
                raise RuntimeError(f"rerun {i}: {snap.get('status')}")
            if i % every == 0 or i == reruns - 1:
                samples.append((i, server.memory_info().rss / 2**20))
        cpu1 = server.cpu_times()
    cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / reruns * 1000
    return Soak(samples, latencies, cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reruns", type=int, default=3000)
    ap.add_argument("--every", type=int, default=250)
    ap.add_argument(
        "--gc", choices=["both", "on", "off"], default="both", help="which setting(s) to soak"
    )
    args = ap.parse_args()
    settings = {"both": (True, False), "on": (True,), "off": (False,)}[args.gc]
    for gc_on in settings:
        out = soak(gc_on, args.reruns, args.every)
        lat = sorted(out.latencies)
        rss = [m for _, m in out.samples]
        half = len(rss) // 2
        print(
            f"runner.postScriptGC={str(gc_on).lower()}: {args.reruns} reruns, "
            f"server CPU {out.cpu_ms_per_rerun:.1f} ms/rerun, request p50 "
            f"{statistics.median(lat):.0f} ms, p95 {lat[int(0.95 * len(lat))]:.0f} ms"
        )
        print("  RSS MiB by rerun: " + ", ".join(f"{i}:{m:.0f}" for i, m in out.samples))
        print(
            f"  second-half spread: {max(rss[half:]) - min(rss[half:]):.1f} MiB "
            f"(first sample {rss[0]:.0f}, last {rss[-1]:.0f})"
        )


if __name__ == "__main__":
    main()
