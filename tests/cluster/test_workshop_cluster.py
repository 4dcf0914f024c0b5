"""A workshop room across two replicas behind nginx on one PostgreSQL: the facilitator
on one replica, the teams on the other; the teams' replica is killed with SIGKILL
mid-room; nothing committed is lost, and each team comes back through its team link
(nginx fails it over to the surviving replica)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from e2e_support import wait_for_address, wait_idle
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

TEAMS = '[data-testid="stMetric"]:has-text("Teams that submitted") [data-testid="stMetricValue"]'


def _submit(page: Page, presses: int, version: int) -> None:
    box = page.locator('[data-testid="stSlider"]', has_text="Retention lift (%)").first
    handle = box.locator('input[type="range"]')
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
        page.wait_for_timeout(120)
    wait_idle(page)
    page.get_by_role("button", name="Submit our case").click()
    expect(page.get_by_text(f"Submitted: version {version}")).to_be_visible()


def test_a_room_survives_the_teams_replica_dying(cluster: Any, cluster_page: Any) -> None:
    facilitator = cluster_page(replica=0, name="facilitator")
    facilitator.goto(f"{cluster.url}/workshop")
    wait_idle(facilitator)
    facilitator.get_by_label("Room name").fill("Conference hall")
    facilitator.get_by_role("button", name="Create the room").click()
    wait_idle(facilitator)
    code = parse_qs(urlparse(wait_for_address(facilitator, "token=")).query)["room"][0]
    teams: dict[str, tuple[Page, str]] = {}
    for i, name in enumerate(("North", "South", "East")):
        page = cluster_page(replica=1, name=name)
        page.goto(f"{cluster.url}/workshop?room={code}")
        wait_idle(page)
        page.get_by_label("Your team's name").fill(name)
        page.get_by_role("button", name="Join").click()
        wait_idle(page)
        teams[name] = (page, wait_for_address(page, "team="))
        _submit(page, i + 1, 1)
    expect(facilitator.locator(TEAMS)).to_have_text("3", timeout=15_000)  # across replicas

    cluster.kill(1)  # the teams' replica: SIGKILL, mid-room

    for i, (name, (page, link)) in enumerate(teams.items()):
        page.goto(link)  # the team link, as a participant reloads
        wait_idle(page)
        expect(page.get_by_text(f"Team: {name}", exact=True)).to_be_visible()
        value = page.locator('[data-testid="stSlider"]', has_text="Retention lift (%)").first
        # Its last submission: 10.0 % moved i + 1 steps of 0.1.
        expect(value.get_by_test_id("stSliderThumbValue")).to_have_text(f"10.{i + 1}%")
        _submit(page, 1, 2)  # the same team, its second version
    # The facilitator's board (on the surviving replica) has every team, every version.
    expect(facilitator.locator(TEAMS)).to_have_text("3", timeout=15_000)
    from roi_store import Store

    store = Store(cluster.database_url)
    try:
        subs = store.submissions(code)
        assert sorted((s.team, s.version) for s in subs) == [
            ("East", 2), ("North", 2), ("South", 2)
        ]  # fmt: skip
    finally:
        store.close()
