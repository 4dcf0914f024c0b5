"""Accessibility (WCAG 2.2 AA) in Chromium: axe-core on every page, in the light and
dark themes, at 1440 px and on a 390 px phone, plus presenter mode, a workshop
room's board, team view and projector view, every tab of the risk page (with
ranges, so its charts are drawn) and every evidence source on its sample: no
serious or critical violation, and every chart with its text alternative.

axe-core comes from the npm registry at the version ``tests/a11y/package-lock.json``
pins (``make a11y``, part of ``make test``); without it the test skips, loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import address, wait_idle
from playwright.sync_api import Browser, Page, expect

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
#: The WCAG 2.0, 2.1 and 2.2 A and AA rules.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = ["", "risk", "compare", "evidence", "workshop", "methodology", "?present=1"]
WIDTHS = [1440, 390]
THEMES = ["light", "dark"]

pytestmark = pytest.mark.skipif(
    not AXE.exists(), reason="axe-core is not installed: run `make a11y` (needs npm)"
)

RUN_AXE = """
async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                     resultTypes: ['violations']});
  return r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' :: ' +
                                               (n.failureSummary || '').split('\\n')[1])}));
}
"""


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.2 A/AA violations on the page as it is."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, TAGS)
    return found


def report(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']})")
        lines += [f"    {node}" for node in v["nodes"]]
    return "\n".join(lines)


CHART_LABELS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .map(e => [e.getAttribute('role'), e.getAttribute('aria-label')])
"""


def unlabelled_charts(page: Page) -> list[str]:
    """Charts a screen reader would meet without a one-sentence summary with a figure."""
    labels: list[list[str | None]] = page.evaluate(CHART_LABELS)
    return [
        f"role={role!r} aria-label={label!r}"
        for role, label in labels
        if role != "figure" or not label or not any(c.isdigit() for c in label)
    ]


def audit(page: Page, where: str) -> list[str]:
    """What is wrong with the page as it is now, each line saying ``where``: serious or
    critical violations, and charts without a text alternative."""
    failures = []
    if found := violations(page):
        failures.append(f"{where}:\n{report(found)}")
    if unlabelled := unlabelled_charts(page):
        failures.append(f"{where}: charts without a text alternative: {unlabelled}")
    return failures


def settled(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    page.wait_for_timeout(700)  # charts drawn, transitions over


@pytest.fixture(scope="module")
def room(browser: Browser, server: str) -> Iterator[dict[str, str]]:
    """A workshop room: the facilitator's board, a team's view and the projector's."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        board = ctx.new_page()
        board.set_default_timeout(20_000)
        board.goto(f"{server}/workshop")
        wait_idle(board)
        board.get_by_role("button", name="Create the room").click()
        wait_idle(board)
        board.get_by_text("Waiting for the first submission").wait_for()
        code = address(board).split("room=")[1].split("&")[0]
        projector = board.get_by_role("link", name="Open the projector view")
        links = {"board": address(board), "projector": str(projector.get_attribute("href"))}
        team = ctx.new_page()
        team.set_default_timeout(20_000)
        team.goto(f"{server}/workshop?room={code}")
        wait_idle(team)
        team.get_by_label("Your team's name").fill("Blue")
        team.get_by_role("button", name="Join").click()
        wait_idle(team)
        team.get_by_role("button", name="Submit our case").wait_for()
        links["team"] = address(team)
        yield links
    finally:
        ctx.close()


def _page(browser: Browser, theme: str, width: int) -> Page:
    ctx = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme="dark" if theme == "dark" else "light",
    )
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_has_no_serious_violation(
    browser: Browser, server: str, theme: str, width: int
) -> None:
    page = _page(browser, theme, width)
    failures = []
    try:
        for path in PAGES:
            settled(page, f"{server}/{path}")
            failures += audit(page, f"/{path} ({theme}, {width} px)")
    finally:
        page.context.close()
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_workshop_views_have_no_serious_violation(
    browser: Browser, room: dict[str, str], theme: str, width: int
) -> None:
    page = _page(browser, theme, width)
    failures = []
    try:
        for view, url in room.items():
            settled(page, url)
            failures += audit(page, f"workshop {view} ({theme}, {width} px)")
    finally:
        page.context.close()
    assert not failures, "\n\n".join(failures)


#: The risk page's tabs beyond the first, each with its chart or table drawn.
RISK_TABS = ["Tornado", "Monte Carlo", "Break-even", "Two-way table", "Risk adjustment"]


@pytest.mark.parametrize("theme", THEMES)
def test_every_risk_tab_has_no_serious_violation(browser: Browser, server: str, theme: str) -> None:
    """Each tab with ranges set (so the tornado and Monte Carlo draw their charts)."""
    page = _page(browser, theme, 1440)
    failures = []
    try:
        settled(page, f"{server}/risk")
        page.get_by_role("button", name="±25 % on every lever").click()
        wait_idle(page)
        for tab in RISK_TABS:
            page.get_by_role("tab", name=tab).click()
            wait_idle(page)
            page.wait_for_timeout(700)
            failures += audit(page, f"/risk, {tab} ({theme})")
    finally:
        page.context.close()
    assert not failures, "\n\n".join(failures)


#: Each evidence source and its uploader's label (the region that shows it is drawn).
EVIDENCE_SOURCES = {
    "Control group": "Customer table (CSV or XLSX): one row per customer",
    "Contact centre": "Contact-centre export (CSV or XLSX): one row per contact",
    "Social mentions": "Social-mentions export (CSV or XLSX): one row per public post about "
    "the brand",
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", THEMES)
def test_every_evidence_source_with_its_sample_has_no_serious_violation(
    browser: Browser, server: str, theme: str, width: int
) -> None:
    """Each source on its sample: the metrics, warnings, charts and Apply drawn."""
    page = _page(browser, theme, width)
    failures = []
    try:
        settled(page, f"{server}/evidence")
        for source, uploader in EVIDENCE_SOURCES.items():
            page.get_by_role("radio", name=source).click()
            expect(page.get_by_role("radio", name=source)).to_be_checked()
            # the source's own controls have come with the rerun (not the last source's)
            expect(page.get_by_role("region", name=uploader)).to_be_visible()
            wait_idle(page)
            page.get_by_text("Use the sample", exact=True).click()
            expect(page.get_by_role("switch", name="Use the sample")).to_be_checked()
            wait_idle(page)
            expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
            page.wait_for_timeout(700)
            failures += audit(page, f"/evidence, {source} ({theme}, {width} px)")
    finally:
        page.context.close()
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_in_indonesian_has_no_serious_violation(
    browser: Browser, server: str, width: int
) -> None:
    """The same, in Bahasa Indonesia (longer words, other labels, ``<html lang="id">``)."""
    page = _page(browser, "light", width)
    failures = []
    try:
        for path in PAGES:
            settled(page, f"{server}/{path}{'&' if '?' in path else '?'}lang=id")
            assert page.evaluate("document.documentElement.lang") == "id"
            failures += audit(page, f"/{path} (lang=id, {width} px)")
    finally:
        page.context.close()
    assert not failures, "\n\n".join(failures)
