"""`make cluster` / `make cluster-stop` as a person runs them: the command line starts
everything and returns, `status` tells what runs, `stop` stops it all, also after a
crash left stale pid files, and a new start keeps the data."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from roi_core import Scenario
from roi_store import Store, new_owner_key

pytestmark = [pytest.mark.slow]


def saved_names(url: str) -> list[str]:
    store = Store(url)
    try:
        return [s.name for s in store.list_scenarios()]
    finally:
        store.close()


def test_start_status_stop_and_a_stop_after_a_crash(cluster_tools: Any, cluster_cli: Any) -> None:
    var = Path(tempfile.mkdtemp(prefix="roi-cluster-cli-"))
    stranger = subprocess.Popen(["sleep", "120"])  # a process that is not ours
    try:
        started = cluster_cli(var, "start", "--replicas", "1", "--port", "0")
        assert started.returncode == 0, started.stderr
        assert "replica r0: http://127.0.0.1:" in started.stdout
        cluster = cluster_tools.Cluster.load(var)
        assert cluster_cli(var, "status").returncode == 0
        store = Store(cluster.database_url)
        store.save_scenario("Kept across restarts", Scenario(), owner_key=new_owner_key())
        store.close()
        # A crash: the replica dies, and its pid file comes to name someone else's process.
        cluster.kill(0)
        (var / "run" / "r0.pid").write_text(f"{stranger.pid}\n")
        assert cluster_cli(var, "status").returncode == 1
        stopped = cluster_cli(var, "stop")
        assert stopped.returncode == 0, stopped.stderr
        assert "nginx" in stopped.stdout and "PostgreSQL" in stopped.stdout
        assert "replica" not in stopped.stdout
        assert stranger.poll() is None, "stop signalled a process it did not start"
        assert not cluster.anything_running()
        assert "nothing was running" in cluster_cli(var, "stop").stdout
        # Started again on the same folder: same secret, same data.
        secret = (var / "cookie-secret").read_text()
        again = cluster_cli(var, "start", "--replicas", "1", "--port", "0")
        assert again.returncode == 0, again.stderr
        assert (var / "cookie-secret").read_text() == secret
        assert "Kept across restarts" in saved_names(cluster_tools.Cluster.load(var).database_url)
    finally:
        cluster_cli(var, "stop")
        stranger.kill()
        stranger.wait()
        shutil.rmtree(var, ignore_errors=True)
