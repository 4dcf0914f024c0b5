"""The risk page in headless Chromium: ranges, then Monte Carlo's histogram."""

from __future__ import annotations

import re

from e2e_support import address, wait_idle
from playwright.sync_api import Page, expect


def test_monte_carlo_runs_in_the_browser_and_draws_its_histogram(page: Page, server: str) -> None:
    page.goto(server)
    wait_idle(page)
    page.get_by_role("link", name="Risk and decisions").click()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("every lever")).click()
    wait_idle(page)
    expect(page.get_by_text("12 uncertainty ranges")).to_be_visible()  # not the price premium at 0
    page.get_by_role("tab", name="Monte Carlo").click()
    wait_idle(page)
    chart = page.locator(".st-key-chart-monte_carlo .main-svg").first
    expect(chart).to_be_visible()
    expect(page.locator(".st-key-chart-monte_carlo")).to_contain_text("NPV across the draws")
    bars = page.locator(".st-key-chart-monte_carlo g.point")
    assert bars.count() >= 10  # a real histogram, not an empty frame
    expect(page.get_by_text("10,000 draws, seed 42")).to_be_visible()
    # The ranges travel in the share link.
    assert "ranges=" in address(page)
