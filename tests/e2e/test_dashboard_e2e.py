"""The dashboard in real headless Chromium: what a user does and sees."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from e2e_support import address, wait_idle
from playwright.sync_api import Page, expect

from roi_core import Scenario, evaluate, with_values
from roi_ui import formatting as fmt

NPV = '[data-testid="stMetric"]:has-text("NPV") [data-testid="stMetricValue"]'
RETENTION = ".st-key-w-levers-retention_lift"


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.wait_for_selector(".st-key-chart-npv_waterfall .main-svg")


def npv_text(page: Page) -> str:
    return page.locator(NPV).first.inner_text().strip()


def move_retention(page: Page, presses: int) -> None:
    handle = page.locator(f'{RETENTION} input[type="range"]')
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
        page.wait_for_timeout(120)
    wait_idle(page)


def test_load_move_a_slider_and_see_kpi_and_chart_update(page: Page, server: str) -> None:
    open_app(page, server)
    assert npv_text(page) == fmt.money_compact(evaluate(Scenario()).summary.npv, "USD")
    waterfall_before = page.locator(".st-key-chart-npv_waterfall").inner_text()
    move_retention(page, 5)  # 10.0 % -> 10.5 %
    expected = evaluate(with_values(Scenario(), {"levers.retention_lift": 0.105})).summary
    expect(page.locator(NPV).first).to_have_text(fmt.money_compact(expected.npv, "USD"))
    expect(page.locator(f"{RETENTION} [data-testid='stSliderThumbValue']")).to_have_text("10.5%")
    assert page.locator(".st-key-chart-npv_waterfall").inner_text() != waterfall_before
    # The address bar is the share link of what is on screen.
    query = parse_qs(urlparse(address(page)).query)
    assert query["levers.retention_lift"] == ["0.105"]


def test_share_link_round_trip(page: Page, server: str) -> None:
    open_app(page, server)
    move_retention(page, 20)  # 12 %
    expect(page.locator(f"{RETENTION} [data-testid='stSliderThumbValue']")).to_have_text("12.0%")
    link, npv = address(page), npv_text(page)
    other = page.context.browser.new_context(viewport={"width": 1440, "height": 1000})  # type: ignore[union-attr]
    try:
        fresh = other.new_page()
        open_app(fresh, link)
        assert npv_text(fresh) == npv
        expect(fresh.locator(f"{RETENTION} [data-testid='stSliderThumbValue']")).to_have_text(
            "12.0%"
        )
    finally:
        other.close()


def test_bad_link_parameter_is_named_and_the_rest_loads(page: Page, server: str) -> None:
    open_app(page, f"{server}/?levers.save_rate=lots&levers.retention_lift=0.2")
    expect(page.get_by_text(re.compile(r"levers\.save_rate: is not a number"))).to_be_visible()
    expected = evaluate(with_values(Scenario(), {"levers.retention_lift": 0.2})).summary
    assert npv_text(page) == fmt.money_compact(expected.npv, "USD")


def _open_io_tab(page: Page) -> None:
    page.get_by_role("radio", name="Save, load and share").click()
    wait_idle(page)
    page.wait_for_selector('[data-testid="stFileUploader"]')


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (json.dumps({"levers": {"save_rate": 3}}).encode(),
         r"levers\.save_rate: Input should be less than"),
        (b'{"costs": {"setup": 1e300}}', r"costs\.setup: Input should be less than or equal to"),
        (b'{"name": "\\ud800"}', r"name: must be valid text"),
        (b"\x89PNG not a scenario", r"not valid JSON"),
    ],
    ids=["out-of-range", "1e300", "lone-surrogate", "not-json"],
)  # fmt: skip
def test_uploading_a_bad_file_names_the_field_and_keeps_the_work(
    page: Page, server: str, content: bytes, said: str
) -> None:
    open_app(page, server)
    move_retention(page, 10)  # the user's work: 11 %
    npv = npv_text(page)
    _open_io_tab(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": content}]
    )
    expect(page.get_by_text(re.compile(said)).first).to_be_visible()
    expect(page.get_by_text("bad.json was not loaded")).to_be_visible()
    wait_idle(page)
    assert npv_text(page) == npv
    expect(page.locator(f"{RETENTION} [data-testid='stSliderThumbValue']")).to_have_text("11.0%")
    assert "retention_lift=0.11" in address(page)  # the address bar still holds the work


def test_uploading_a_good_file_replaces_the_scenario(page: Page, server: str) -> None:
    open_app(page, server)
    _open_io_tab(page)
    good = Scenario.model_validate({"levers": {"save_rate": 0.4}, "business": {"currency": "EUR"}})
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "good.json", "mimeType": "application/json",
                "buffer": good.model_dump_json().encode()}]
    )  # fmt: skip
    expect(page.locator(NPV).first).to_have_text(
        fmt.money_compact(evaluate(good).summary.npv, "EUR")
    )


def test_leave_behind_reports_download(page: Page, server: str, tmp_path: Path) -> None:
    open_app(page, f"{server}/?name=Acme%20pitch&levers.save_rate=0.3")
    _open_io_tab(page)
    expected = fmt.money(evaluate(with_values(Scenario(), {"levers.save_rate": 0.3})).summary.npv,
                         "USD")  # fmt: skip
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("HTML")).click()
    path = tmp_path / "report.html"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "Acme pitch" in text
    assert expected in text
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Excel")).click()
    xlsx = tmp_path / "report.xlsx"
    info.value.save_as(xlsx)
    assert xlsx.read_bytes()[:2] == b"PK"  # a zip container, as XLSX is
