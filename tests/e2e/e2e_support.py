"""Helpers shared by the e2e tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

if TYPE_CHECKING:
    from roi_store import Store

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SERVER_PIDS: dict[str, int] = {}
#: Each running server's database URL, by the server's URL.
SERVER_DBS: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_app(store_dir: Path, port: int | None = None) -> Iterator[str]:
    """The app as ``make run`` starts it (``python -m roi_ui.serve``: ``app.py``,
    loaded before the server) on a loopback port with its own store; its URL.
    The server's pid is in ``SERVER_PIDS[url]`` (for tests that kill it)."""
    port = port or _free_port()
    db = f"sqlite:///{store_dir / 'roi.sqlite3'}"
    env = os.environ | {"ROI_DATABASE_URL": db}
    cmd = [
        sys.executable, "-m", "roi_ui.serve",
        "--server.headless", "true", "--server.address", HOST, "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, env=env)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"streamlit did not start: {log.read().decode()[-2000:]}")
                time.sleep(0.2)
        SERVER_PIDS[url] = proc.pid
        SERVER_DBS[url] = db
        yield url
    finally:
        SERVER_PIDS.pop(url, None)
        SERVER_DBS.pop(url, None)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def wait_idle(pg: Page) -> None:
    """Until the script finished and nothing is still a skeleton."""
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")


def address(pg: Page) -> str:
    """The address bar as the page sees it. Playwright's ``page.url`` can lag behind
    ``history.replaceState``, which is how Streamlit updates query parameters."""
    href: str = pg.evaluate("location.href")
    return href


def wait_for_address(pg: Page, part: str, timeout: float = 20_000) -> str:
    """The address bar once it holds ``part`` (Streamlit writes query parameters
    after the script run that changed them)."""
    pg.wait_for_function("p => location.href.includes(p)", arg=part, timeout=timeout)
    return address(pg)


def store_of(url: str) -> Store:
    """The store the server at ``url`` uses (the same database, opened here)."""
    from roi_store import Store

    return Store(SERVER_DBS[url])
