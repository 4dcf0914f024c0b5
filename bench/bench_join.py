"""A workshop's participants open the join link at the same moment (by hand; prints
figures, never fails; about a minute).

    .venv/bin/python bench/bench_join.py [--teams 30] [--rounds 3]
    make bench   (bench_all.py runs it with the defaults and puts its figures in the README)

One `streamlit run app.py` on 127.0.0.1 (one process, as `make run` starts it) with
Streamlit's agent API switched on (`--server.enableAgentApi true`, for this benchmark
only): a client sends what a browser would (the link's page and query parameters,
then a typed team name and a click) and gets the finished page back as JSON, without
paying for Chromium on the same machine. Before each round a facilitator's session
has opened the workshop page (the server is warm, as it is once a room exists); then
``--teams`` sessions open ``/workshop?room=CODE`` at the same instant (a barrier
releases every thread at once) and each then joins with its own name. Per team:

- *link → join form*: from the request to the finished page showing "Your team's
  name" (what a participant waits for after scanning the QR code);
- *join → team view*: from the click on "Join" to the page with the team's levers and
  "Submit our case";
- *link → team view*: both, the time until the team can work.

Reported: p50, p95 and max over every team of every round, and failures (a page
without what it should show, or an error). Target (issue 13): link → team view
p95 <= 3 s on one process. :func:`main` returns the figures (:class:`JoinResult`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from appserver import HOST, streamlit_app  # noqa: E402
from bench_report import Figure  # noqa: E402

TARGET_S = 3.0
SECTION = "Workshop: teams open the join link at once"
TEAM_NAME = "Your team's name"
SUBMIT = "Submit our case"


def post(port: int, body: dict[str, Any], timeout: float = 120.0) -> dict[str, Any]:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/_stcore/agent/interact",  # loopback only
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result


def actions(snap: dict[str, Any]) -> dict[str, str]:
    """Label -> key of the page's widgets."""
    return {str(a.get("label")): str(a["key"]) for a in snap.get("actions", [])}


def one_team(port: int, code: str, i: int, start: threading.Barrier) -> tuple[float, float]:
    """(link -> join form, join -> team view) in seconds for team ``i``."""
    start.wait()
    t0 = time.perf_counter()
    snap = post(port, {"page": "workshop", "query_params": {"room": [code]}})
    t1 = time.perf_counter()
    keys = actions(snap)
    if snap.get("status") != "ready" or TEAM_NAME not in keys or "Join" not in keys:
        raise RuntimeError(f"team {i}: no join form ({snap.get('status')}, {sorted(keys)})")
    sid = snap["session_id"]
    snap = post(
        port,
        {"session_id": sid, "widget_state": {keys[TEAM_NAME]: f"Team {i:03d}"}},
    )
    t2 = time.perf_counter()
    snap = post(port, {"session_id": sid, "trigger": {"key": keys["Join"]}})
    t3 = time.perf_counter()
    if SUBMIT not in actions(snap):
        raise RuntimeError(f"team {i}: no team view after joining ({sorted(actions(snap))})")
    # typing the name is the participant's own time, not the server's: not counted
    return t1 - t0, t3 - t2


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"p50 {statistics.median(ordered):5.2f} s   p95 {p95(ordered):5.2f} s   "
        f"max {ordered[-1]:5.2f} s"
    )


@dataclass
class JoinResult:
    """Every team's times (seconds) and the failures of one run."""

    teams: int
    rounds: int
    link_s: list[float] = field(default_factory=list)
    join_s: list[float] = field(default_factory=list)
    total_s: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def figures(self) -> list[Figure]:
        """p50 / p95 / max of each span, and the failures, as rows for the report."""
        rows = []
        spans = (
            ("link → join form", self.link_s),
            ("join → team view", self.join_s),
            ("link → team view", self.total_s),
        )
        for what, values in spans:
            last = what == "link → team view"
            shown = (
                f"{statistics.median(values):.2f} / {p95(values):.2f} / {max(values):.2f} s"
                if values
                else "none"
            )
            rows.append(
                Figure(
                    SECTION,
                    f"{what}, p50 / p95 / max",
                    shown,
                    target=f"p95 ≤ {TARGET_S:g} s" if last else "",
                    ok=(bool(values) and p95(values) <= TARGET_S) if last else None,
                )
            )
        tried = self.teams * self.rounds
        rows.append(
            Figure(
                SECTION,
                "teams without their team view (errors)",
                f"{len(self.failures)} of {tried}",
                target="0",
                ok=not self.failures,
            )
        )
        return rows

    def print(self) -> None:
        print(f"{self.teams} teams open the join link at once, one process, {self.rounds} rounds")
        if self.total_s:
            print(f"  link -> join form   {quantiles(self.link_s)}")
            print(f"  join -> team view   {quantiles(self.join_s)}")
            print(
                f"  link -> team view   {quantiles(self.total_s)}   "
                f"(target p95 <= {TARGET_S:.0f} s)"
            )
        first = f" (first: {self.failures[0]})" if self.failures else ""
        print(f"  failures: {len(self.failures)}{first}")


def main(argv: list[str] | None = None, *, quiet: bool = False) -> JoinResult:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    result = JoinResult(args.teams, args.rounds)

    saved_dir = os.environ.get("ROI_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="roi-bench-join-") as data_dir:
        os.environ["ROI_DATA_DIR"] = data_dir  # the app and this script share the store
        try:
            measure(args.teams, args.rounds, result)
        finally:
            if saved_dir is None:
                os.environ.pop("ROI_DATA_DIR", None)
            else:
                os.environ["ROI_DATA_DIR"] = saved_dir
    if not quiet:
        result.print()
    return result


def measure(teams: int, rounds: int, result: JoinResult) -> None:
    """``rounds`` rooms, each joined by ``teams`` sessions at once; times into ``result``."""
    from roi_core import Scenario
    from roi_store import Store

    store = Store()
    allowed = ["levers.retention_lift", "levers.social_deflection", "levers.save_rate"]
    codes = [
        store.create_room(f"Bench room {r}", Scenario(), allowed, client=f"bench-{r}").room.code
        for r in range(rounds)
    ]
    app_args = ("--server.enableAgentApi", "true",
                "--server.agentMaxSessions", str(teams * rounds + 20))  # fmt: skip
    with streamlit_app(ROOT / "app.py", *app_args) as (port, _pid):
        for code in codes:
            post(port, {"page": "workshop"})  # the facilitator's page: a warm server
            barrier = threading.Barrier(teams)
            with ThreadPoolExecutor(max_workers=teams) as pool:
                futures = [pool.submit(one_team, port, code, i, barrier) for i in range(teams)]
                for future in futures:
                    try:
                        link, join = future.result()
                    except Exception as exc:  # a failed team is reported, not fatal
                        result.failures.append(str(exc)[:200])
                        continue
                    result.link_s.append(link)
                    result.join_s.append(join)
                    result.total_s.append(link + join)


if __name__ == "__main__":
    main()
