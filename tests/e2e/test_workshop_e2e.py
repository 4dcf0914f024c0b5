"""A live workshop in Chromium: a facilitator's board and three teams in their own
browser contexts; submissions reach the board without a reload."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from e2e_support import SERVER_PIDS, address, running_app, wait_idle
from playwright.sync_api import Browser, Page, expect


def test_three_teams_submit_and_the_board_updates_live(
    page: Page, browser: Browser, server: str
) -> None:
    page.goto(f"{server}/workshop")
    wait_idle(page)
    page.get_by_role("button", name="Create the room").click()
    wait_idle(page)
    expect(page.get_by_text("Waiting for the first submission")).to_be_visible()
    code = address(page).split("room=")[1].split("&")[0]
    board_url = address(page)
    contexts = []
    try:
        for i, team in enumerate(["Blue", "Green", "Amber"]):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            contexts.append(ctx)
            p = ctx.new_page()
            p.set_default_timeout(20_000)
            p.goto(f"{server}/workshop?room={code}")
            wait_idle(p)
            p.get_by_label("Your team's name").fill(team)
            p.get_by_role("button", name="Join").click()
            wait_idle(p)
            slider = p.locator('.st-key-w-levers-retention_lift input[type="range"]')
            slider.focus()
            for _ in range(i + 1):
                slider.press("ArrowRight")
                p.wait_for_timeout(150)
            wait_idle(p)
            p.get_by_role("button", name="Submit our case").click()
            expect(p.get_by_text("Submitted: version 1")).to_be_visible()
        # The board refreshes itself every 3 s: no reload here.
        assert address(page) == board_url
        metric = '[data-testid="stMetric"]:has-text("Teams that submitted")'
        teams = page.locator(f'{metric} [data-testid="stMetricValue"]')
        expect(teams).to_have_text("3", timeout=15_000)
        expect(page.locator(".st-key-chart-ws-roi .main-svg").first).to_be_visible()
    finally:
        for ctx in contexts:
            ctx.close()


def test_a_join_link_as_the_very_first_request_gets_the_whole_app(
    browser: Browser, tmp_path: Path
) -> None:
    """On a fresh server, Streamlit would run a deep link's page alone (its legacy
    pages/ mode): no navigation, no wide layout. The app turns that off at once."""
    with running_app(tmp_path) as url:
        ctx = browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            p = ctx.new_page()
            p.goto(f"{url}/workshop?room=NOROOM")
            wait_idle(p)
            expect(p.get_by_role("link", name="Dashboard")).to_be_visible()
            expect(p.get_by_text(re.compile("no such room"))).to_be_visible()
            expect(p.get_by_role("button", name="Create the room")).to_be_visible()
        finally:
            ctx.close()


def test_a_killed_server_loses_no_room_or_submission(browser: Browser, tmp_path: Path) -> None:
    """SIGKILL the app mid-workshop, start it again on the same store: the room, the
    facilitator's link and every committed submission are still there."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        with running_app(tmp_path) as url:
            p = ctx.new_page()
            p.set_default_timeout(20_000)
            p.goto(f"{url}/workshop")
            wait_idle(p)
            p.get_by_role("button", name="Create the room").click()
            expect(p.get_by_text("Waiting for the first submission")).to_be_visible()
            board = address(p).split("/workshop", 1)[1]
            code = board.split("room=")[1].split("&")[0]
            team = ctx.new_page()
            team.goto(f"{url}/workshop?room={code}")
            wait_idle(team)
            team.get_by_label("Your team's name").fill("Survivors")
            team.get_by_role("button", name="Join").click()
            wait_idle(team)
            team.get_by_role("button", name="Submit our case").click()
            expect(team.get_by_text("Submitted: version 1")).to_be_visible()
            os.kill(SERVER_PIDS[url], signal.SIGKILL)
        with running_app(tmp_path) as url:
            p = ctx.new_page()
            p.goto(f"{url}/workshop{board}")
            wait_idle(p)
            metric = '[data-testid="stMetric"]:has-text("Teams that submitted")'
            expect(p.locator(f'{metric} [data-testid="stMetricValue"]')).to_have_text("1")
    finally:
        ctx.close()
