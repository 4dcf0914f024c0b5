"""Calibration in headless Chromium: a real export with its own column names."""

from __future__ import annotations

import re

from e2e_support import wait_idle
from playwright.sync_api import Page, expect

CSV = (
    "Segment,Tenure Months,Lost\n"
    + "".join(f"engaged,{m},{int(m < 6)}\n" for m in range(1, 41))
    + "".join(f"control,{m},{int(m < 12)}\n" for m in range(1, 41))
    + "vip,3,1\n"
)


def test_upload_map_columns_and_see_the_lift(page: Page, server: str) -> None:
    page.goto(server)
    wait_idle(page)
    page.get_by_role("link", name="Evidence").click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "crm.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    wait_idle(page)
    expect(
        page.get_by_text(re.compile("no column for group, months_observed, churned"))
    ).to_be_visible()
    for field, column in (("group", "Segment"), ("months_observed", "Tenure Months"),
                          ("churned", "Lost")):  # fmt: skip
        page.get_by_role("combobox", name=re.compile(f"^{field}")).click()
        page.get_by_role("option", name=column, exact=True).click()
        wait_idle(page)
    # engaged: 5 churns over 820 customer-months; control: 11 over 820 -> lift 1 - 5/11
    expect(page.locator('[data-testid="stMetric"]:has-text("Retention lift") '
                        '[data-testid="stMetricValue"]')).to_have_text("54.5%")  # fmt: skip
    expect(page.get_by_text("1 of 81 rows left out")).to_be_visible()


def test_a_semicolon_export_with_decimal_commas_is_read(page: Page, server: str) -> None:
    """European exports separate with ";" and write 12,5: read as they are."""
    rows = [("engaged", f"{m},5", int(m < 6)) for m in range(1, 41)]
    rows += [("control", f"{m},5", int(m < 12)) for m in range(1, 41)]
    text = "group;months_observed;churned\n" + "".join(f"{g};{m};{c}\n" for g, m, c in rows)
    page.goto(server)
    wait_idle(page)
    page.get_by_role("link", name="Evidence").click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    wait_idle(page)
    # engaged: 5 churns over 40 x 1.5 + 820 = 840 customer-months; control: 11 over 840
    expect(page.locator('[data-testid="stMetric"]:has-text("Retention lift") '
                        '[data-testid="stMetricValue"]')).to_have_text("54.5%")  # fmt: skip
    expect(page.get_by_text(re.compile("not a readable"))).to_have_count(0)


def test_a_million_row_export_uploads_and_is_estimated(page: Page, server: str) -> None:
    """Issue 13: the uploader said 50 MB while the server refused 5 MB with a bare
    "AxiosError 413". A 1,000,000-row CSV (the README's benchmark size, ~20 MB) now
    uploads, is read (once) and estimated."""
    from roi_core.calibration import calibrate, synthetic_customers
    from roi_core.customer_table import read_table
    from roi_ui import formatting as fmt

    big = synthetic_customers(engaged=250_000, control=750_000, seed=3)
    payload = "\n".join(
        ["group,months_observed,churned"]
        + [f"{'engaged' if e else 'control'},{m:.2f},{int(c)}"
           for e, m, c in zip(big.engaged, big.months_observed, big.churned, strict=True)]
    ).encode()  # fmt: skip
    assert len(payload) > 5 * 2**20  # above the old server limit
    expected = calibrate(read_table(payload, "big.csv").table).retention_lift.estimate
    page.goto(server)
    wait_idle(page)
    page.get_by_role("link", name="Evidence").click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": payload}]
    )
    lift = page.locator(
        '[data-testid="stMetric"]:has-text("Retention lift") [data-testid="stMetricValue"]'
    )
    expect(lift).to_have_text(fmt.percent(expected), timeout=60_000)
    expect(page.get_by_text("413")).to_have_count(0)
    customers = page.locator(
        '[data-testid="stMetric"]:has-text("Customers") [data-testid="stMetricValue"]'
    )
    expect(customers).to_have_text([fmt.count(250_000), fmt.count(750_000)])


def test_an_old_calibrate_link_opens_evidence_with_its_scenario(page: Page, server: str) -> None:
    """Links and bookmarks made before the page was renamed still work."""
    page.goto(f"{server}/calibrate?levers.retention_lift=0.3")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/evidence\?.*levers\.retention_lift=0\.3"))
    expect(page.get_by_role("radio", name="Control group")).to_be_checked()
    expect(page.get_by_text("Page not found")).to_have_count(0)
