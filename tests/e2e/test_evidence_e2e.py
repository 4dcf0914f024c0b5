"""The Evidence page in headless Chromium: the contact-centre and social-mentions
exports, from the sample or a file with its own column names, applied to the scenario
and undone, as a person picks, reads and clicks them."""

from __future__ import annotations

import re
from pathlib import Path

from e2e_support import wait_idle
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect

from roi_core import Scenario
from roi_core.contacts import estimate_baseline, read_contacts, synthetic_contacts
from roi_core.mentions import estimate_advocacy, read_mentions
from roi_ui import formatting as fmt
from roi_ui import resources
from roi_ui.widgets.evidence import CONTACTS_SAMPLE, MENTIONS_SAMPLE, SAMPLE_LAUNCH

HOSTILE = "**bold** <b>x</b>"


def open_evidence(page: Page, server: str) -> None:
    """The app's front page, then Evidence through the navigation."""
    page.goto(server)
    wait_idle(page)
    page.get_by_role("link", name="Evidence").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()


#: Each source's file uploader, as it is labelled: on screen once the source shows.
UPLOADERS = {
    "Control group": "Customer table (CSV or XLSX): one row per customer",
    "Contact centre": "Contact-centre export (CSV or XLSX): one row per contact",
    "Social mentions": "Social-mentions export (CSV or XLSX): one row per public post about "
    "the brand",
}


def pick(page: Page, source: str) -> None:
    """``source`` in the "Evidence from" control, once the page shows it (the radio is
    checked at once; the source's own controls come with the rerun)."""
    page.get_by_role("radio", name=source).click()
    wait_idle(page)
    expect(page.get_by_role("radio", name=source)).to_be_checked()
    expect(page.get_by_role("region", name=UPLOADERS[source])).to_be_visible()
    wait_idle(page)


def use_sample(page: Page) -> None:
    page.get_by_text("Use the sample", exact=True).click()  # its label, as a person does
    wait_idle(page)
    expect(page.get_by_role("switch", name="Use the sample")).to_be_checked()


def metric(page: Page, label: str) -> Locator:
    """The value of the metric labelled ``label``."""
    named = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=named).get_by_test_id("stMetricValue")


def upload(page: Page, name: str, content: bytes) -> None:
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": content}
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[payload]
    )
    wait_idle(page)


def choose(page: Page, label: str, option: str) -> None:
    """``option`` in the selectbox labelled ``label``."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def social_deflection(page: Page) -> Locator:
    """The dashboard's "Social deflection" slider's value, as it reads."""
    slider = page.get_by_test_id("stSlider").filter(has_text="Social deflection")
    return slider.get_by_test_id("stSliderThumbValue")


def test_contact_sample_apply_leave_come_back_and_undo(page: Page, server: str) -> None:
    sample = read_contacts(resources.read_bytes(CONTACTS_SAMPLE), "contacts.csv")
    expected = estimate_baseline(sample.export, SAMPLE_LAUNCH)
    before = fmt.percent(Scenario().levers.social_deflection)
    open_evidence(page, server)
    pick(page, "Contact centre")
    use_sample(page)
    expect(metric(page, "Fewer assisted contacts after the launch")).to_have_text(
        fmt.percent(expected.shift.estimate)
    )
    expect(metric(page, "Assisted contacts a month")).to_have_text(
        fmt.count(expected.baseline.monthly_assisted_contacts)
    )
    # The numbers behind the chart: a table and its CSV.
    page.get_by_text("Data behind this chart").click()
    wait_idle(page)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Download CSV"))).to_be_visible()

    page.get_by_role("button", name=re.compile("Apply to the scenario")).click()
    wait_idle(page)
    expect(
        page.get_by_text(re.compile(r"^Applied from contacts\.csv: .*Social deflection \d"))
    ).to_be_visible()
    undo = page.get_by_role("button", name=re.compile("Undo the baseline from contacts.csv"))
    expect(undo).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    wait_idle(page)
    expect(social_deflection(page)).to_have_text(fmt.percent(expected.shift.estimate))
    page.get_by_role("link", name="Evidence").click()
    wait_idle(page)
    # The page is as it was left: the source, the sample, and the way back.
    expect(page.get_by_role("radio", name="Contact centre")).to_be_checked()
    expect(page.get_by_role("switch", name="Use the sample")).to_be_checked()
    expect(metric(page, "Fewer assisted contacts after the launch")).to_have_text(
        fmt.percent(expected.shift.estimate)
    )
    expect(undo).to_be_visible()

    undo.click()
    wait_idle(page)
    expect(undo).to_have_count(0)
    page.get_by_role("link", name="Dashboard").click()
    wait_idle(page)
    expect(social_deflection(page)).to_have_text(before)


def _export(tmp_path: Path) -> tuple[Path, int, str]:
    """A synthetic export with its own column names and one channel ("Fax") no
    default knows; the file, its Fax rows and its launch month."""
    s = synthetic_contacts(seed=3, assisted_per_month=300, self_service_per_month=50)
    lines = ["Date,Medium,Minutes,Client"]
    fax = 0
    for i, (at, channel, minutes, customer) in enumerate(
        zip(s.created_at, s.channel, s.handle_minutes, s.customer_id, strict=True)
    ):
        if i % 97 == 0:
            channel, fax = "Fax", fax + 1
        stamp = str(at.astype("datetime64[s]")).replace("T", " ")
        lines.append(f"{stamp},{channel},{minutes:.1f},C{customer:05d}")
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, fax, s.launch


def test_an_export_with_its_own_column_names_is_mapped(
    page: Page, server: str, tmp_path: Path
) -> None:
    path, fax, launch = _export(tmp_path)
    data = path.read_bytes()
    name = f"{HOSTILE}.csv"
    mapping: dict[str, str | None] = {
        "created_at": "Date",
        "channel": "Medium",
        "handle_minutes": None,
        "customer_id": None,
    }
    expected = estimate_baseline(read_contacts(data, name, mapping).export, launch)
    open_evidence(page, server)
    pick(page, "Contact centre")
    upload(page, name, data)
    # The file's name is quoted as typed, not read as Markdown or HTML.
    said = page.get_by_text(re.compile("no column for created_at, channel"))
    expect(said).to_be_visible()
    expect(said).to_contain_text(f"{HOSTILE}.csv: no column for created_at, channel")
    expect(page.get_by_test_id("stMain").locator("b, strong")).to_have_count(0)
    expect(metric(page, "Assisted contacts a month")).to_have_count(0)

    choose(page, "created_at (required)", "Date")
    choose(page, "channel (required)", "Medium")
    channels = page.get_by_test_id("stExpander").filter(has_text="Channels (1 not mapped)")
    expect(channels).to_be_visible()
    # Fax is no known channel: its rows are left out until the user says what it is.
    expect(channels.get_by_role("combobox", name=f"Fax ({fmt.count(fax)} rows)")).to_have_value(
        "Leave out"
    )
    expect(page.get_by_text(re.compile("no column for"))).to_have_count(0)
    # Two years of months: the launch defaults to the middle one, the true launch.
    expect(page.get_by_role("combobox", name="Social care launched in")).to_have_value(launch)
    expect(metric(page, "Assisted contacts a month")).to_have_text(
        fmt.count(expected.baseline.monthly_assisted_contacts)
    )
    expect(metric(page, "Fewer assisted contacts after the launch")).to_have_text(
        fmt.percent(expected.shift.estimate)
    )


def test_a_channel_name_from_the_file_is_plain_text(page: Page, server: str) -> None:
    """A channel called ``**bold** <b>x</b>`` reads as typed wherever the page names
    it (the rows left out, the channel's class), never as Markdown or HTML."""
    rows = "".join(
        f"2024-{m:02d}-{d:02d} 10:00:00,{channel}\n"
        for m in range(1, 13)
        for d in range(1, 20)
        for channel in ("Phone", "Email")
    )
    rows += "".join(f"2024-{m:02d}-20 10:00:00,{HOSTILE}\n" for m in range(1, 13))
    open_evidence(page, server)
    pick(page, "Contact centre")
    upload(page, "channels.csv", ("created_at,channel\n" + rows).encode())
    expect(metric(page, "Assisted contacts a month")).to_have_text(fmt.count(19 * 2))
    page.get_by_text("12 of 468 rows left out").click()
    wait_idle(page)
    expect(
        page.get_by_text(f"12 rows left out, channel not mapped to a class ('{HOSTILE}')")
    ).to_be_visible()
    channels = page.get_by_test_id("stExpander").filter(has_text="Channels (1 not mapped)")
    expect(channels).to_be_visible()
    # What a person reads: the label as typed, nothing bold.
    label = channels.get_by_test_id("stWidgetLabel").filter(has_text="(12 rows)")
    expect(label).to_have_text(f"{HOSTILE} (12 rows)")
    expect(page.get_by_test_id("stMain").locator("b, strong")).to_have_count(0)


def test_mentions_sample_is_applied(page: Page, server: str) -> None:
    sample = read_mentions(resources.read_bytes(MENTIONS_SAMPLE), "mentions.csv")
    expected = estimate_advocacy(sample.export)
    open_evidence(page, server)
    pick(page, "Social mentions")
    use_sample(page)
    expect(metric(page, "Advocate share")).to_have_text(
        fmt.percent(expected.advocate_share.estimate)
    )
    page.get_by_role("button", name=re.compile("Apply to the scenario")).click()
    wait_idle(page)
    expect(
        page.get_by_text(re.compile(r"^Applied from mentions\.csv: Advocate share \d"))
    ).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile("Undo the advocacy from mentions.csv"))
    ).to_be_visible()


def test_phone_width_has_no_sideways_scroll(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{server}/evidence")
        wait_idle(page)
        pick(page, "Contact centre")
        use_sample(page)
        expect(metric(page, "Fewer assisted contacts after the launch")).to_be_visible()
        page.wait_for_selector(".js-plotly-plot .main-svg")
        wait_idle(page)
        width: int = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"the page is {width} px wide in a 390 px screen"
    finally:
        context.close()


def test_apply_clicked_right_after_typing_the_hourly_cost_uses_it(page: Page, server: str) -> None:
    """The hourly cost typed and, without leaving the box, Apply clicked: the costs per
    contact it gives are what is applied."""
    sample = read_contacts(resources.read_bytes(CONTACTS_SAMPLE), "contacts.csv")
    expected = estimate_baseline(sample.export, SAMPLE_LAUNCH, 30.0).baseline
    assert expected.cost_per_assisted_contact is not None
    open_evidence(page, server)
    pick(page, "Contact centre")
    use_sample(page)
    expect(metric(page, "Cost per assisted contact")).to_have_text("n/a")
    page.get_by_role("spinbutton", name="Loaded agent cost per hour (optional)").fill("30")
    page.get_by_role("button", name=re.compile("Apply to the scenario")).click()
    wait_idle(page)
    said = fmt.money(round(expected.cost_per_assisted_contact, 4), "USD")
    expect(
        page.get_by_text(re.compile(rf"Cost per assisted contact {re.escape(said)}"))
    ).to_be_visible()
