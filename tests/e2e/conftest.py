"""End-to-end fixtures: the real app (``python -m roi_ui.serve``, as ``make run`` starts
it) on 127.0.0.1, and a page in a fresh context of the session's browser (Debian's
headless Chromium, the ``browser`` fixture of tests/conftest.py; never `playwright
install`)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from e2e_support import running_app
from playwright.sync_api import Browser, Page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app's base URL for the whole session (stopped after it)."""
    with running_app(tmp_path_factory.mktemp("store")) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
