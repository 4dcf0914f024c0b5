"""A ``streamlit run`` of an app on a free loopback port, for the benchmarks."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def streamlit_app(app: Path, *extra: str) -> Iterator[tuple[int, int]]:
    """``(port, pid)`` of the running server; stopped on exit. Bounded wait for health.

    This repository's ``app.py`` starts as ``make run`` starts it (``python -m
    roi_ui.serve``, which loads the app before the server); any other app with
    ``streamlit run``."""
    port = free_port()
    shipped = app.resolve() == ROOT / "app.py"
    launch = ["-m", "roi_ui.serve"] if shipped else ["-m", "streamlit", "run", str(app)]
    cmd = [
        sys.executable, *launch, "--server.headless", "true",
        "--server.address", HOST, "--server.port", str(port),
        "--browser.gatherUsageStats", "false", *extra,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=app.parent, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=20)
