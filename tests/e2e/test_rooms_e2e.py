"""Workshop rooms at conference scale, in Chromium: a team's secret link survives a
reload, a taken name is refused, the projector view carries no secret and no
control, exports are read when clicked and never run a team's name as a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from e2e_support import wait_for_address, wait_idle
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, Page, expect

TEAMS = '[data-testid="stMetric"]:has-text("Teams that submitted") [data-testid="stMetricValue"]'


def create_room(page: Page, server: str, name: str = "Q3 offsite") -> tuple[str, str]:
    """A new room from the workshop page; ``(code, facilitator board link)``."""
    page.goto(f"{server}/workshop")
    wait_idle(page)
    page.get_by_label("Room name").fill(name)
    page.get_by_role("button", name="Create the room").click()
    wait_idle(page)
    board = wait_for_address(page, "token=")
    return parse_qs(urlparse(board).query)["room"][0], board


def join(context: BrowserContext, server: str, code: str, team: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{server}/workshop?room={code}")
    wait_idle(page)
    page.get_by_label("Your team's name").fill(team)
    page.get_by_role("button", name="Join").click()
    wait_idle(page)
    return page


def move_and_submit(page: Page, presses: int, version: int) -> None:
    slider = page.locator('[data-testid="stSlider"]', has_text="Retention lift (%)").first
    handle = slider.locator('input[type="range"]')
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
        page.wait_for_timeout(120)
    wait_idle(page)
    page.get_by_role("button", name="Submit our case").click()
    expect(page.get_by_text(f"Submitted: version {version}")).to_be_visible()


def test_a_team_reload_keeps_its_identity_and_last_submission(
    page: Page, browser: Browser, server: str
) -> None:
    code, _ = create_room(page, server)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        team = join(ctx, server, code, "Blue")
        link = wait_for_address(team, "team=")
        secret = parse_qs(urlparse(link).query)["team"][0]
        assert len(secret) >= 20  # a secret, not the team's name
        move_and_submit(team, 5, 1)  # 10.0 % -> 10.5 %
        team.reload()  # a phone that locked, a replica that restarted: a new session
        wait_idle(team)
        expect(team.get_by_text("Team: Blue", exact=True)).to_be_visible()
        expect(team.get_by_label("Your team's name")).to_have_count(0)  # no join form again
        value = team.locator('[data-testid="stSlider"]', has_text="Retention lift (%)").first
        expect(value.get_by_test_id("stSliderThumbValue")).to_have_text("10.5%")
        team.get_by_role("button", name="Submit our case").click()
        expect(team.get_by_text("Submitted: version 2")).to_be_visible()  # the same team
        # The link in a fresh browser rejoins the same team too.
        other = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            again = other.new_page()
            again.goto(link)
            wait_idle(again)
            expect(again.get_by_text("Team: Blue", exact=True)).to_be_visible()
        finally:
            other.close()
    finally:
        ctx.close()


def test_a_second_team_with_a_taken_name_is_refused(
    page: Page, browser: Browser, server: str
) -> None:
    code, _ = create_room(page, server)
    first = browser.new_context(viewport={"width": 1280, "height": 900})
    second = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        join(first, server, code, "Blue team")
        impostor = join(second, server, code, "  blue   TEAM ")  # case and spaces differ
        expect(impostor.get_by_text(re.compile("is taken in this room"))).to_be_visible()
        expect(impostor.get_by_text(re.compile("open your team link"))).to_be_visible()
        expect(impostor.get_by_role("button", name="Submit our case")).to_have_count(0)
        assert "team=" not in impostor.evaluate("location.href")
    finally:
        first.close()
        second.close()


def test_the_projector_view_has_no_control_and_no_secret(
    page: Page, browser: Browser, server: str
) -> None:
    code, board = create_room(page, server)
    token = parse_qs(urlparse(board).query)["token"][0]
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Open the projector view").click()
    screen = opened.value
    wait_idle(screen)
    url = screen.evaluate("location.href")
    assert "token=" not in url and "view=" in url
    expect(screen.get_by_text(f"Room code: {code}")).to_be_visible()
    expect(screen.get_by_text("Waiting for the first submission")).to_be_visible()
    for control in ("Lock the room", "Unlock the room", "Copy facilitator link",
                    "Export and close", "Show team names", "Create the room"):  # fmt: skip
        expect(screen.get_by_text(control)).to_have_count(0)
    assert token not in screen.content()
    expect(screen.get_by_role("link", name="Dashboard")).to_have_count(0)  # no way off it
    # The facilitator's own link is only in its copy control.
    page.get_by_role("button", name="Copy facilitator link").click()
    expect(page.get_by_text(board.split("/workshop", 1)[1], exact=False)).to_be_visible()
    # The board's projector link works in a fresh browser too (no session needed).
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        fresh = other.new_page()
        fresh.goto(url)
        wait_idle(fresh)
        expect(fresh.get_by_text(f"Room code: {code}")).to_be_visible()
        expect(fresh.get_by_role("button", name="Lock the room")).to_have_count(0)
    finally:
        other.close()


def test_an_export_right_after_a_submission_holds_it_and_names_are_text(
    page: Page, browser: Browser, server: str, tmp_path: Path
) -> None:
    code, _ = create_room(page, server)
    page.get_by_text("Export and close").click()
    wait_idle(page)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        names = ['=HYPERLINK("http://evil.example","x")', "+1 team", "@team"]
        for i, name in enumerate(names):
            move_and_submit(join(ctx, server, code, name), i + 1, 1)
        # No reload of the board: the export is read from the store at the click.
        with page.expect_download() as info:
            page.get_by_role("button", name="All submissions (CSV)").click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path() or "").read_text("utf-8"))))
        assert sorted(r["team"] for r in rows) == sorted("'" + n for n in names)
        assert all(r["submitted_at"].endswith("+00:00") for r in rows)
        assert all(float(r["roi_percent"]) > 1 for r in rows)  # a percentage, not 0.92
        with page.expect_download() as info:
            page.get_by_role("button", name="All submissions (XLSX)").click()
        sheet = load_workbook(io.BytesIO(Path(info.value.path() or "").read_bytes())).active
        assert sheet is not None
        cells = [row[0] for row in sheet.iter_rows(min_row=2)]
        assert sorted(c.value for c in cells) == sorted(names)  # as typed…
        assert {c.data_type for c in cells} == {"s"}  # …and text, never a formula
    finally:
        ctx.close()


def test_teams_see_at_once_that_the_room_is_locked(
    page: Page, browser: Browser, server: str
) -> None:
    code, _ = create_room(page, server)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        team = join(ctx, server, code, "Late")
        page.get_by_role("button", name="Lock the room").click()
        page.get_by_role("button", name="Yes, lock it").click()  # it asks first
        wait_idle(page)
        expect(page.get_by_role("button", name="Unlock the room")).to_be_visible()
        # No reload on the team's side: it says so within a few seconds.
        expect(team.get_by_text(re.compile("The room is locked"))).to_be_visible(timeout=10_000)
        team.get_by_role("button", name="Submit our case").click()
        expect(team.get_by_text(re.compile("locked by the facilitator"))).to_be_visible()
    finally:
        ctx.close()
