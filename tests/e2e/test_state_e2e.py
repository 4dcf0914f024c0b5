"""One state model, walked in Chromium: a value set in a control group that is
closed afterwards survives page switches (value, KPIs and link), and a preset link
opens as that preset, citing its sources. Elements are found by what a person
sees: labels, roles, texts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from e2e_support import wait_for_address, wait_idle
from playwright.sync_api import Browser, Locator, Page, expect

from roi_core import Scenario, evaluate, with_values
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

NPV = '[data-testid="stMetric"]:has-text("NPV") [data-testid="stMetricValue"]'


def slider(page: Page, label: str) -> tuple[Locator, Locator]:
    """A slider found by its label: its (hidden) range input and the value it shows."""
    box = page.locator('[data-testid="stSlider"]', has_text=label)
    return box.locator('input[type="range"]'), box.get_by_test_id("stSliderThumbValue")


def go(page: Page, link: str) -> None:
    page.get_by_role("link", name=link).click()
    wait_idle(page)


def test_an_edit_in_a_closed_group_survives_two_page_switches(page: Page, server: str) -> None:
    page.goto(server)
    wait_idle(page)
    page.get_by_role("button", name="Program costs", exact=True).click()  # open the group
    wait_idle(page)
    handle, shown = slider(page, "Setup (USD)")
    handle.focus()
    for _ in range(4):  # 80,000 -> 84,000 in steps of 1,000
        handle.press("ArrowRight")
        page.wait_for_timeout(150)
    wait_idle(page)
    expect(shown).to_have_text("$84000")
    expected = evaluate(with_values(Scenario(), {"costs.setup": 84_000}))
    page.get_by_role("button", name="Program costs", exact=True).click()  # close it again
    wait_idle(page)
    go(page, "Risk and decisions")
    go(page, "Compare")
    go(page, "Dashboard")
    expect(page.locator(NPV).first).to_have_text(fmt.money_compact(expected.summary.npv, "USD"))
    assert parse_qs(urlparse(wait_for_address(page, "costs.setup=")).query)["costs.setup"] == [
        "84000"
    ]
    page.get_by_role("button", name="Program costs", exact=True).click()
    wait_idle(page)
    expect(slider(page, "Setup (USD)")[1]).to_have_text("$84000")


def test_a_preset_link_opens_as_that_preset_with_its_sources(
    page: Page, server: str, browser: Browser
) -> None:
    telecom = load_presets()["telecom"]
    # Made in the app: pick the preset, move a lever; the address bar is the link.
    page.goto(server)
    wait_idle(page)
    page.get_by_role("combobox", name="Start from an industry preset").click()
    page.get_by_role("option", name=telecom.name).click()
    wait_idle(page)
    handle, _ = slider(page, "Save rate (%)")
    handle.focus()
    handle.press("ArrowRight")
    wait_idle(page)
    link = wait_for_address(page, "levers.save_rate=")
    query = parse_qs(urlparse(link).query)
    assert query["preset"] == ["telecom"]
    assert set(query) == {"preset", "levers.save_rate"}  # only what changed
    npv = page.locator(NPV).first.inner_text()
    # Opened in a fresh browser: the same case, as the telecom preset.
    other = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        fresh = other.new_page()
        fresh.goto(link)
        wait_idle(fresh)
        expect(fresh.locator(NPV).first).to_have_text(npv)
        expect(fresh.get_by_role("combobox", name="Start from an industry preset")).to_have_value(
            telecom.name
        )
        fresh.get_by_role("radio", name="Assumptions and sources").click()
        wait_idle(fresh)
        table = fresh.get_by_test_id("stDataFrame")
        expect(table).to_be_visible()
        csv = _download_text(fresh, "Download CSV")
        source = telecom.source("service.cost_per_assisted_contact")
        assert source is not None
        assert source.note in csv  # an unchanged value still cites the preset's source
        save_rate_row = next(line for line in csv.splitlines() if "levers.save_rate" in line)
        assert "set by the user" in save_rate_row
    finally:
        other.close()


def _download_text(page: Page, label: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).last.click()
    path = info.value.path()
    assert path is not None
    return path.read_text(encoding="utf-8")


def test_presenting_and_back_keeps_every_control_and_the_prospect(page: Page, server: str) -> None:
    """Widgets absent while presenting come back with the session's values, not their
    defaults (a browser rebuilds them from their defaults: the two must agree)."""
    page.goto(server)
    wait_idle(page)
    handle, shown = slider(page, "Retention lift (%)")
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
        page.wait_for_timeout(120)
    wait_idle(page)
    expect(shown).to_have_text("10.5%")
    page.get_by_role("radio", name="Present").click()
    wait_idle(page)
    prospect = page.get_by_label("Prospect", exact=True)
    prospect.fill("Acme Mobile")
    page.get_by_role("button", name="Start presenting").click()  # right after typing
    wait_idle(page)
    expect(page.get_by_role("heading", name="Acme Mobile")).to_be_visible()
    page.get_by_role("button", name="Exit presenter mode").click()
    wait_idle(page)
    expect(slider(page, "Retention lift (%)")[1]).to_have_text("10.5%")
    expect(page.get_by_label("Prospect", exact=True)).to_have_value("Acme Mobile")
    assert "levers.retention_lift=0.105" in wait_for_address(page, "levers.retention_lift=")
