"""The dashboard journey with the keyboard only (WCAG 2.1.1, 2.4.7): a preset, three
sliders, a view, "Data behind this chart" and the scenario download, reached with
Tab and worked with the arrows, Enter and Space; the KPIs change, and wherever the
focus is, it can be seen. No mouse, no ``focus()`` from the test."""

from __future__ import annotations

from e2e_support import wait_idle
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from roi_core import evaluate
from roi_ui import formatting as fmt
from roi_ui.presets import load_presets

NPV = '[data-testid="stMetric"]:has-text("NPV") [data-testid="stMetricValue"]'

#: What has the focus, as a person would name it: the label of the control around it
#: and the focused element's own text.
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.closest('[data-testid="stSlider"], [data-testid="stSelectbox"], '
    + '[data-testid="stButtonGroup"], [data-testid="stExpander"], '
    + '[data-testid="stDownloadButton"], [data-testid="stPlotlyChart"]');
  return {within: box ? box.getAttribute('data-testid') : null,
          label: box ? (box.querySelector('[data-testid="stWidgetLabel"]') || box).innerText : '',
          text: (el.innerText || el.getAttribute('aria-label') || el.getAttribute('data-title')
         || '').trim(),
          range: el.getAttribute('type') === 'range'};
}
"""

#: The focus can be seen: the focused element matches :focus-visible and it, or the
#: part drawn around it (a slider's thumb, a button's frame), has an outline or a ring.
FOCUS_SHOWN = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || !el.matches(':focus-visible')) return false;
  for (let e = el; e; e = e.parentElement) {  // not faded out (a chart's tool bar)
    const cs = getComputedStyle(e);
    if (parseFloat(cs.opacity) < 0.5 || cs.visibility === 'hidden') return false;
  }
  for (let e = el, i = 0; e && i < 4; e = e.parentElement, i++) {
    const cs = getComputedStyle(e);
    if ((cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) ||
        (cs.boxShadow && cs.boxShadow !== 'none')) return true;
  }
  return false;
}
"""


def tab_to(page: Page, within: str, label: str = "", text: str = "", *, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until the focus is on the control ``within``
    (a test id) whose label holds ``label`` and whose focused element holds the text
    ``text``; the focus must be visible at every stop on the way."""
    for _ in range(120):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = page.evaluate(FOCUSED)
        if now is None:
            continue
        try:  # a control may fade in as it takes the focus (a heading's link)
            page.wait_for_function(FOCUS_SHOWN, timeout=2_000)
        except PlaywrightTimeoutError:
            lost = page.evaluate("document.activeElement === document.body")
            raise AssertionError(f"focus not visible on {now} (lost: {lost})") from None
        if (
            now["within"] == within
            and label in now["label"]
            and text in now["text"]
            and (now["range"] or within != "stSlider")  # the slider, not its help icon
        ):
            return
    raise AssertionError(f"Tab never reached {within} {label!r} {text!r}")


def npv(page: Page) -> str:
    return page.locator(NPV).first.inner_text().strip()


def test_the_dashboard_journey_with_the_keyboard_only(page: Page, server: str) -> None:
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector(".st-key-chart-npv_waterfall .main-svg")
    telecom = load_presets()["telecom"]

    # A preset: the picker opened with the arrow key, narrowed by typing, chosen with Enter.
    tab_to(page, "stSelectbox", "Start from an industry preset")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option", name=telecom.name)).to_be_visible()
    page.keyboard.type("Telecom")
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    wait_idle(page)
    expected = fmt.money_compact(evaluate(telecom.scenario).summary.npv, "USD")
    expect(page.locator(NPV).first).to_have_text(expected)

    # Three sliders, each moved with the arrows; the NPV changes every time.
    for label, key in (
        ("Retention lift (%)", "ArrowRight"),
        ("Social deflection (%)", "ArrowRight"),
        ("Self-service deflection (%)", "ArrowLeft"),
    ):
        before = npv(page)
        tab_to(page, "stSlider", label)
        for _ in range(10):
            page.keyboard.press(key)
        wait_idle(page)
        expect(page.locator(NPV).first).not_to_have_text(before)

    # A view below the charts, picked with the keyboard.
    tab_to(page, "stButtonGroup", "", "Year by year")
    for _ in range(8):
        if page.evaluate(FOCUSED)["text"].startswith("Monthly benefits"):
            break
        page.keyboard.press("ArrowRight")
    else:
        tab_to(page, "stButtonGroup", "", "Monthly benefits")
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-chart-monthly_flows .main-svg").first).to_be_visible()
    wait_idle(page)
    page.wait_for_timeout(700)  # the chart drawn and laid out (it redraws its tool bar)

    # The chart's tool bar (shown on hover only) shows itself to the keyboard too.
    tab_to(page, "stPlotlyChart", "", "Download plot")

    # The table behind that chart, opened with Enter.
    tab_to(page, "stExpander", "Data behind this chart")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.locator(".st-key-data-monthly_flows [data-testid='stDataFrame']")).to_be_visible()

    # The scenario downloaded as JSON, from the "Save, load and share" view (back up).
    tab_to(page, "stButtonGroup", "", "Monthly benefits", back=True)
    for _ in range(8):
        if page.evaluate(FOCUSED)["text"].startswith("Save, load"):
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    # The view replaces the chart; Tab before that would land on a chart about to go.
    expect(page.locator(".st-key-chart-monthly_flows")).to_have_count(0)
    saving = page.locator('[data-testid="stDownloadButton"]', has_text="Download scenario")
    expect(saving).to_be_visible()
    wait_idle(page)
    tab_to(page, "stDownloadButton", "", "Download scenario")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = download.value.path().read_text(encoding="utf-8")
    assert '"retention_lift"' in saved
