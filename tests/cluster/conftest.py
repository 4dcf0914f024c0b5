"""Browser fixtures for the cluster tests. The browser (Debian's headless Chromium
through Playwright, never `playwright install`) and the cluster itself are the
``browser`` and ``cluster`` fixtures of tests/conftest.py.

``cluster_page(replica=None, name=...)`` opens a page in a fresh browser context (its
own cookies: a new browser as far as nginx knows); ``replica=i`` pins the context to
replica i with the sticky cookie, as if it had been there before.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = Path(os.environ.get("ROI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 roi-cluster-test/{name}"


ClusterPage = Callable[..., Page]


@pytest.fixture
def cluster_page(browser: Browser, cluster: Any) -> Iterator[ClusterPage]:
    """Opens pages in fresh browser contexts (closed after the test); the user agent ends
    in ``roi-cluster-test/<name>`` so nginx's access log tells the contexts apart."""
    contexts: list[BrowserContext] = []

    def open_page(replica: int | None = None, name: str = "x") -> Page:
        context = browser.new_context(
            viewport={"width": 1440, "height": 1000}, user_agent=USER_AGENT.format(name=name)
        )
        contexts.append(context)
        if replica is not None:
            context.add_cookies([cluster.cookie(replica)])  # type: ignore[list-item]
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
