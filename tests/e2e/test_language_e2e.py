"""Bahasa Indonesia in a real browser: the switch, the link that keeps it (reload,
another page, a fresh browser), the page's language for screen readers, numbers in
the Indonesian way, and back to English."""

from __future__ import annotations

import re

from e2e_support import wait_idle
from playwright.sync_api import Browser, Page, expect

from roi_core import Scenario, evaluate, i18n
from roi_ui import formatting as fmt

NPV = '[data-testid="stMetric"]:has-text("NPV") [data-testid="stMetricValue"]'


def _id(text: str) -> str:
    with i18n.language("id"):
        return i18n.gettext(text)


def test_switch_to_indonesian_and_the_link_keeps_it(
    page: Page, browser: Browser, server: str
) -> None:
    page.goto(server)
    wait_idle(page)
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    npv = evaluate(Scenario()).summary.npv
    expect(page.locator(NPV).first).to_have_text(fmt.money_compact(npv, "USD"))

    page.get_by_role("radio", name="Bahasa Indonesia").click()
    wait_idle(page)
    expect(page.get_by_role("link", name=_id("Dashboard"))).to_be_visible()
    expect(
        page.get_by_role("heading", name=_id("What is social customer service worth?"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]lang=id\b"))
    assert page.evaluate("document.documentElement.lang") == "id"
    with i18n.language("id"):
        shown = fmt.money_compact(npv, "USD")  # US$867,2 rb
    assert "," in shown
    expect(page.locator(NPV).first).to_have_text(shown)

    # A reload keeps it; so does another page (the link carries lang=id).
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("link", name=_id("Dashboard"))).to_be_visible()
    page.get_by_role("link", name=_id("Risk and decisions")).click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/risk\?(.*&)?lang=id\b"))
    expect(page.get_by_role("link", name=_id("Methodology"))).to_be_visible()

    # The link, opened in a fresh browser, opens in Indonesian.
    fresh = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        other = fresh.new_page()
        other.goto(page.url)
        wait_idle(other)
        assert other.evaluate("document.documentElement.lang") == "id"
        expect(other.get_by_role("radio", name="Bahasa Indonesia")).to_be_checked()
        expect(other.get_by_role("link", name=_id("Methodology"))).to_be_attached()
    finally:
        fresh.close()

    # And back to English.
    page.get_by_role("radio", name="English").click()
    wait_idle(page)
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"lang="))
    assert page.evaluate("document.documentElement.lang") == "en"


def test_switching_language_right_after_typing_keeps_what_was_typed(
    page: Page, server: str
) -> None:
    """A name typed and, without Enter, the language switched: the name is kept (the
    field commits as it loses the focus) and shown under the Indonesian label."""
    page.goto(server)
    wait_idle(page)
    page.get_by_role("radio", name="Present").click()
    wait_idle(page)
    page.get_by_label("Prospect", exact=True).fill("Acme Mobile")
    page.get_by_role("radio", name="Bahasa Indonesia").click()
    wait_idle(page)
    expect(page.get_by_role("link", name=_id("Dashboard"))).to_be_visible()
    expect(page.get_by_label(_id("Prospect"), exact=True)).to_have_value("Acme Mobile")


def test_the_scenario_name_and_a_callbacks_message_follow_the_language(
    page: Page, server: str
) -> None:
    """The default scenario name is the product's text: shown in the language on
    screen, and switched with it; a name someone typed stays as typed. A message
    a button's callback writes (it runs before the page sets its language) is in
    the language on screen."""
    page.goto(server + "/?lang=id")
    wait_idle(page)
    page.get_by_role("radio", name=_id("Save, load and share")).click()
    wait_idle(page)
    name = page.get_by_label(_id("Scenario name"), exact=True)
    expect(name).to_have_value(_id("Untitled scenario"))

    page.get_by_role("button", name=_id("Save"), exact=True).click()
    wait_idle(page)
    saved = _id("Saved as {name}.").format(name=repr(_id("Untitled scenario")))
    expect(page.get_by_text(saved)).to_be_visible()

    page.get_by_role("link", name=_id("Compare")).click()
    wait_idle(page)
    page.get_by_role("button", name=_id("Add this file")).click()  # no file chosen
    wait_idle(page)
    expect(page.get_by_text(_id("Choose a scenario file first."))).to_be_visible()
    page.get_by_role("link", name=_id("Dashboard")).click()
    wait_idle(page)

    page.get_by_role("radio", name="English").click()
    wait_idle(page)
    expect(page.get_by_label("Scenario name", exact=True)).to_have_value("Untitled scenario")

    page.get_by_label("Scenario name", exact=True).fill("Kasus Acme")
    page.get_by_label("Scenario name", exact=True).press("Enter")
    wait_idle(page)
    page.get_by_role("radio", name="Bahasa Indonesia").click()
    wait_idle(page)
    expect(page.get_by_label(_id("Scenario name"), exact=True)).to_have_value("Kasus Acme")
