"""Helpers shared by the e2e tests."""

from __future__ import annotations

from playwright.sync_api import Page


def wait_idle(pg: Page) -> None:
    """Until the script finished and nothing is still a skeleton."""
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
