"""Server capacity on 1 and on 2 replicas behind nginx, in one run (by hand; prints
figures, never fails; minutes).

    .venv/bin/python bench/bench_cluster.py [--k 30,60,90,120,150] [--inputs 10]
    make bench-cluster

One cluster (deploy/cluster.py: PostgreSQL, 2 replicas, nginx, all on 127.0.0.1) with
Streamlit's agent API switched on (`--server.enableAgentApi true`: for this benchmark
only, never in production). Load as the shared tools' agent_load.py makes it: K
sessions created at once, then each sets one slider (`--key`) to alternating values
`--inputs` times with 300-700 ms think time; one request = one rerun plus the finished
page as JSON. Through nginx like a browser:

- "1 replica": every session pinned to r0 (request header X-Roi-Replica: r0);
- "2 replicas": sessions created without a cookie, so nginx spreads them round robin;
  each then keeps its replica with the roi_replica cookie nginx set (a session sent to
  the other replica would be unknown there: the sticky routing is exercised too).

Every step starts from freshly restarted replicas. Reported per step: request latency
p50/p95/max, errors, memory per session (RSS growth of the replicas / K), server CPU
(all replicas, % of one core) and CPU per input, and the client's own CPU (the load
generator shares the machine). Then per topology: the most sessions with p95 <= 1.5 s
and no errors, and what that implies per core (one replica is one Python process:
about one core at most).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
P95_TARGET_MS = 1500.0


def _deploy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("roi_deploy_cluster", ROOT / "deploy/cluster.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


dc = _deploy()


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (as the shared harness computes it)."""
    if not values:
        return float("nan")
    v = sorted(values)
    return v[max(0, min(len(v) - 1, round(q / 100.0 * len(v) + 0.5) - 1))]


@dataclass
class Session:
    """One agent-API session and what routes it to its replica."""

    id: str
    headers: dict[str, str]
    replica: str


@dataclass
class Step:
    topology: int
    k: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    per_replica: dict[str, int] = field(default_factory=dict)
    rss_base: int = 0
    rss_driven: int = 0
    cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    proxy_db_cpu_s: float = 0.0
    machine_cpu_s: float = 0.0
    wall_s: float = 0.0
    create_s: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def p(self, q: float) -> float:
        return pct(self.latencies, q)

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.p(95) <= P95_TARGET_MS

    @property
    def mib_per_session(self) -> float:
        return (self.rss_driven - self.rss_base) / self.k / 2**20

    @property
    def cpu_pct(self) -> float:
        return 100.0 * self.cpu_s / self.wall_s

    @property
    def foreign_cpu_pct(self) -> float:
        """CPU of processes that are neither the cluster nor this client (other work on the
        machine: it skews the figures)."""
        ours = self.cpu_s + self.client_cpu_s + self.proxy_db_cpu_s
        return max(0.0, 100.0 * (self.machine_cpu_s - ours) / self.wall_s)

    @property
    def cpu_ms_per_input(self) -> float:
        return 1000.0 * self.cpu_s / max(1, self.requests)


def post(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[dict[str, Any], Any]:
    req = urllib.request.Request(
        f"{url}/_stcore/agent/interact",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read()), r.headers


def create(url: str, pin: str | None) -> Session:
    """A new session through nginx: pinned by header, or placed by nginx (its cookie)."""
    headers = {dc.PIN_HEADER: pin} if pin else {}
    snap, got = post(url, {}, headers)
    if pin is None:
        cookie = next(
            c.split(";")[0] for c in got.get_all("Set-Cookie") if c.startswith(f"{dc.COOKIE}=")
        )
        headers = {"Cookie": cookie}
    replica = (pin or headers["Cookie"].split("=", 1)[1]).strip()
    return Session(str(snap["session_id"]), headers, replica)


def drive(url: str, s: Session, a: argparse.Namespace, seed: int, step: Step, lock: Any) -> None:
    rng = random.Random(seed)
    values = [json.loads(v) for v in a.values.split(",")]
    lo, hi = (float(x) for x in a.think_ms.split(","))
    for i in range(a.inputs):
        time.sleep(rng.uniform(lo, hi) / 1000)
        t0 = time.perf_counter()
        try:
            snap, _ = post(
                url,
                {"session_id": s.id, "widget_state": {a.key: values[i % len(values)]}},
                s.headers,
            )
            ok = snap.get("status") == "ready"
        except Exception:  # counted as an error; the run goes on
            ok = False
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            if ok:
                step.latencies.append(ms)
            else:
                step.errors += 1


def replica_procs(cluster: Any, names: list[str]) -> list[psutil.Process]:
    return [psutil.Process(cluster.pid(cluster.replica_names.index(n))) for n in names]


def proxy_db_procs(cluster: Any) -> list[psutil.Process]:
    """nginx and PostgreSQL with their workers and backends."""
    procs = []
    for pid in (cluster.nginx_pid(), cluster.postgres.pid()):
        if pid:
            top = psutil.Process(pid)
            procs += [top, *top.children(recursive=True)]
    return procs


def cpu_of(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += sum(p.cpu_times()[:2])
    return total


def machine_busy() -> float:
    t = psutil.cpu_times()
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))


def run_step(cluster: Any, topology: int, k: int, a: argparse.Namespace) -> Step:
    step = Step(topology, k)
    names = cluster.replica_names[:topology]
    with ThreadPoolExecutor(len(cluster.replicas)) as ex:  # fresh replicas: no old sessions
        list(ex.map(cluster.restart, range(len(cluster.replicas))))
    for name in names:  # warm-up: the first run imports numpy, plotly, ...
        create(cluster.url, name)
    time.sleep(0.5)
    procs = replica_procs(cluster, names)
    step.rss_base = sum(p.memory_info().rss for p in procs)
    pin = names[0] if topology == 1 else None
    t0 = time.perf_counter()
    with ThreadPoolExecutor(min(k, 32)) as ex:
        sessions = list(ex.map(lambda _: create(cluster.url, pin), range(k)))
    step.create_s = time.perf_counter() - t0
    for s in sessions:
        step.per_replica[s.replica] = step.per_replica.get(s.replica, 0) + 1
    lock = threading.Lock()
    me, aux = psutil.Process(), proxy_db_procs(cluster)
    cpu0, client0, aux0, machine0 = cpu_of(procs), cpu_of([me]), cpu_of(aux), machine_busy()
    t0 = time.perf_counter()
    threads = [
        threading.Thread(target=drive, args=(cluster.url, s, a, a.seed + j, step, lock))
        for j, s in enumerate(sessions)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    step.wall_s = time.perf_counter() - t0
    step.cpu_s = cpu_of(procs) - cpu0
    step.client_cpu_s = cpu_of([me]) - client0
    step.proxy_db_cpu_s = cpu_of(aux) - aux0
    step.machine_cpu_s = machine_busy() - machine0
    step.rss_driven = sum(p.memory_info().rss for p in procs)
    return step


def print_step(s: Step) -> None:
    spread = " ".join(f"{n}:{c}" for n, c in sorted(s.per_replica.items()))
    cells = [
        f"{s.topology}", f"{s.k:>4}", f"{s.p(50):>6.0f}", f"{s.p(95):>6.0f}",
        f"{max(s.latencies, default=0):>6.0f}", f"{s.errors:>3}", f"{s.mib_per_session:>5.2f}",
        f"{s.cpu_pct:>4.0f} %", f"{s.cpu_ms_per_input:>5.1f}",
        f"{100 * s.client_cpu_s / s.wall_s:>4.0f} %",
        f"{100 * s.proxy_db_cpu_s / s.wall_s:>4.0f} %", f"{s.foreign_cpu_pct:>4.0f} %", spread,
    ]  # fmt: skip
    print(
        " | ".join(cells),
        flush=True,
    )


def capacity(steps: list[Step]) -> tuple[int, str]:
    """The most sessions at p95 <= 1.5 s (no errors), and how it was found."""
    good = [s.k for s in steps if s.ok]
    if not good:
        return 0, f"none of the tested K (smallest {min(s.k for s in steps)})"
    best = max(good)
    above = [s for s in steps if s.k > best]
    if not above:
        return best, f"{best} (the largest K tried: more may fit)"
    lo = next(s for s in steps if s.k == best)
    hi = min(above, key=lambda s: s.k)
    # Linear between the last K under the target and the first one over it.
    k = lo.k + (hi.k - lo.k) * (P95_TARGET_MS - lo.p(95)) / max(1e-9, hi.p(95) - lo.p(95))
    k = max(lo.k, min(hi.k, k)) if hi.errors == 0 else lo.k
    return int(k), f"~{int(k)} (p95 {lo.p(95):.0f} ms at {lo.k}, {hi.p(95):.0f} ms at {hi.k})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--k", default="30,60,90,120,150", help="sessions per step")
    ap.add_argument("--topologies", default="1,2", help="replica counts (at most 4)")
    ap.add_argument("--inputs", type=int, default=10, help="slider moves per session")
    ap.add_argument("--key", default="w.levers.retention_lift", help="the widget key set")
    ap.add_argument("--values", default="11,12,10", help="values cycled (JSON)")
    ap.add_argument("--think-ms", default="300,700")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the raw figures here")
    a = ap.parse_args(argv)
    ks = [int(x) for x in a.k.split(",")]
    topologies = [int(x) for x in a.topologies.split(",")]
    missing = dc.missing_tools()
    if missing:
        print(f"needs Debian's {' and '.join(missing)}: sudo bash deploy/install-deps.sh")
        return 0
    var = Path(tempfile.mkdtemp(prefix="roi-bench-cluster-"))
    app_args = ["--server.enableAgentApi", "true", "--server.agentMaxSessions", str(max(ks) + 50)]
    cluster = dc.Cluster(var, replicas=max(topologies), port=0, app_args=app_args)
    print(
        f"{os.cpu_count()} cores; {max(topologies)} replicas + nginx + PostgreSQL on 127.0.0.1; "
        f"{a.inputs} inputs per session ({a.key} = {a.values}), think {a.think_ms} ms; "
        f"load average {os.getloadavg()[0]:.2f} before the start ('other CPU' below: work "
        "on the machine that is not this benchmark, which skews it)",
        flush=True,
    )
    steps: list[Step] = []
    try:
        cluster.start()
        print(
            "\nreplicas | sessions | p50 ms | p95 ms | max ms | errors | MiB/session"
            " | server CPU (1 core = 100 %) | CPU ms/input | client CPU | nginx+PG CPU"
            " | other CPU | sessions per replica"
        )
        print("|".join(["---:"] * 13))
        for topology in topologies:
            for k in ks:
                steps.append(run_step(cluster, topology, k, a))
                print_step(steps[-1])
    finally:
        cluster.stop()
        shutil.rmtree(var, ignore_errors=True)
    print(f"\nCapacity at p95 <= {P95_TARGET_MS / 1000:.1f} s, no errors:")
    print("replicas | sessions | per replica (~ per core) | MiB/session | CPU ms/input")
    print("---:|---:|---:|---:|---:")
    for topology in topologies:
        mine = [s for s in steps if s.topology == topology]
        n, how = capacity(mine)
        at = [s for s in mine if s.ok] or mine[:1]
        mib = sum(s.mib_per_session for s in at) / len(at)
        cpu = sum(s.cpu_ms_per_input for s in mine) / len(mine)
        print(f"{topology} | {how} | {n / topology:.0f} | {mib:.2f} | {cpu:.1f}")
    if a.json:
        raw = [
            {
                **{k: v for k, v in vars(s).items() if k != "latencies"},
                "p50": s.p(50),
                "p95": s.p(95),
            }
            for s in steps
        ]
        a.json.write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
