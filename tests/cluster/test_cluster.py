"""The app as deployed: two replicas behind nginx on one PostgreSQL (deploy/cluster.py,
what `make cluster` runs), walked in headless Chromium. Browsers spread over the
replicas and keep theirs; the WebSocket, uploads and saved scenarios go through the
proxy; a replica killed with SIGKILL leaves the rest serving, and nginx routes around
it until it is back."""

from __future__ import annotations

import re
import secrets
import time
import urllib.error
from pathlib import Path
from typing import Any

import pytest
from e2e_support import wait_idle
from playwright.sync_api import Locator, Page, expect

from roi_core import Scenario

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

NPV = '[data-testid="stMetric"]:has-text("NPV") [data-testid="stMetricValue"]'
SAVE_TAB = "Save, load and share"
FETCH_HEALTH = "await fetch('/_stcore/health', {cache: 'no-store'})"


# --- helpers ----------------------------------------------------------------------------------


def open_app(page: Page, cluster: Any) -> int:
    """Open the app through nginx; the replica that served the page."""
    response = page.goto(cluster.url)
    assert response is not None and response.ok
    wait_idle(page)
    return int(cluster.replica_of(response.header_value("x-replica") or ""))


def replica_behind(page: Page, cluster: Any) -> int:
    """Which replica the page's requests go to now (its cookies, as its WebSocket's)."""
    header = page.evaluate(f"async () => ({FETCH_HEALTH}).headers.get('x-replica')")
    return int(cluster.replica_of(header or ""))


def sticky_cookie(page: Page, cluster: Any) -> str | None:
    for cookie in page.context.cookies(cluster.url):
        if cookie["name"] == "roi_replica":
            return cookie["value"]
    return None


def slider(page: Page, label: str) -> tuple[Locator, Locator]:
    box = page.locator('[data-testid="stSlider"]', has_text=label).first
    return box.locator('input[type="range"]'), box.get_by_test_id("stSliderThumbValue")


def move_a_lever(page: Page) -> None:
    """One slider step: the value and the NPV change (a rerun over the WebSocket)."""
    handle, shown = slider(page, "Retention lift (%)")
    value, npv = shown.inner_text(), page.locator(NPV).first.inner_text()
    handle.focus()
    handle.press("ArrowRight")
    wait_idle(page)
    expect(shown).not_to_have_text(value)
    expect(page.locator(NPV).first).not_to_have_text(npv)


def save_scenario(page: Page, name: str) -> None:
    page.get_by_role("radio", name=SAVE_TAB).click()
    wait_idle(page)
    page.get_by_label("Save as").fill(name)
    page.get_by_role("button", name="Save", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(f"^{re.escape(name)} .*\\(yours\\)"))).to_be_visible()


def expect_listed(page: Page, name: str) -> None:
    page.get_by_role("radio", name=SAVE_TAB).click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(f"^{re.escape(name)}[ ,]")).first).to_be_visible()


def log_lines(path: Path, pattern: str, *, timeout: float = 10) -> list[str]:
    """Lines of an nginx log matching ``pattern`` (nginx writes a WebSocket's line when
    it closes: wait for it)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in path.read_text().splitlines() if re.search(pattern, line)]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def answered_by(cluster: Any, deploy: Any, headers: dict[str, str] | None = None) -> str:
    """The X-Replica header of a request without cookies (a new browser)."""
    response = deploy.http_get(f"{cluster.url}/_stcore/health", headers=headers)
    return str(response.headers["X-Replica"])


# --- spreading, stickiness, shared state -------------------------------------------------------


def test_browsers_spread_over_the_replicas_and_everything_goes_through_the_proxy(
    cluster: Any, cluster_page: Any, tmp_path: Path
) -> None:
    pages = {"A": cluster_page(name="A"), "B": cluster_page(name="B")}
    sockets: dict[str, list[str]] = {name: [] for name in pages}
    for name, page in pages.items():
        page.on("websocket", lambda ws, name=name: sockets[name].append(ws.url))
    served = {name: open_app(page, cluster) for name, page in pages.items()}
    assert sorted(served.values()) == [0, 1], served  # one new browser on each replica
    for name, page in pages.items():
        i = served[name]
        assert sticky_cookie(page, cluster) == cluster.replica_names[i]
        assert replica_behind(page, cluster) == i
        move_a_lever(page)  # a rerun: over the WebSocket, through nginx
        assert sockets[name] == [f"ws://127.0.0.1:{cluster.port}/_stcore/stream"]
    # Saved on one replica, listed on the other: the state lives in PostgreSQL.
    a, b = pages["A"], pages["B"]
    name = f"Shared pitch {secrets.token_hex(3)}"
    save_scenario(a, name)
    move_a_lever(b)  # B's next run reads the list
    expect_listed(b, name)
    expect(b.get_by_text(re.compile(f"^{re.escape(name)} .*\\(yours\\)"))).to_have_count(0)
    # An upload: PUT through nginx to B's replica, with Streamlit's XSRF token.
    path = tmp_path / "from-file.json"
    path.write_text(Scenario(name="Uploaded through nginx").model_dump_json())
    uploader = b.get_by_test_id("stFileUploader").filter(has_text="Load a scenario (JSON)")
    uploader.locator('input[type="file"]').set_input_files(path)
    wait_idle(b)
    expect(b.get_by_role("textbox", name="Scenario name")).to_have_value("Uploaded through nginx")
    for page in pages.values():
        page.context.close()
    # nginx's own account: each browser's requests, WebSocket included, went to its replica.
    log = cluster.nginx_access_log
    for name, i in served.items():
        stream = log_lines(log, rf'"GET /_stcore/stream HTTP/1.1" 101 .*cluster-test/{name}"$')
        assert stream, f"no WebSocket of {name} in nginx's access log"
        mine = log_lines(log, rf"cluster-test/{name}\"$")
        assert all(f"upstream={cluster.replicas[i].address} " in line for line in mine), mine
    upload = log_lines(log, r'"PUT /_stcore/upload_file/.* 20\d .*cluster-test/B"$')
    assert upload, "the upload did not pass (XSRF or size)"


def test_a_header_or_the_cookie_picks_the_replica_and_new_browsers_alternate(
    cluster: Any, deploy: Any
) -> None:
    addresses = [r.address for r in cluster.replicas]
    for i, name in enumerate(cluster.replica_names):
        assert answered_by(cluster, deploy, {"X-Roi-Replica": name}) == addresses[i]
        assert answered_by(cluster, deploy, {"Cookie": f"roi_replica={name}"}) == addresses[i]
    # The header wins over the cookie; an unknown name is a new browser.
    pinned = {"X-Roi-Replica": "r1", "Cookie": "roi_replica=r0"}
    assert answered_by(cluster, deploy, pinned) == addresses[1]
    fresh = {answered_by(cluster, deploy, {"Cookie": "roi_replica=r9"}) for _ in range(4)}
    assert fresh == set(addresses)
    # Every answer names its replica in the sticky cookie; /healthz: is any replica up.
    response = deploy.http_get(f"{cluster.url}/healthz")
    assert response.body == b"ok"
    served = cluster.replica_names[cluster.replica_of(response.headers["X-Replica"])]
    cookie = f"roi_replica={served}; Path=/; HttpOnly; SameSite=Lax"
    assert cookie in response.headers.get_all("Set-Cookie")
    # Past Streamlit's upload limit (server.maxUploadSize), nginx refuses before a
    # replica reads it.
    too_big = (deploy.max_upload_mb() + 2) << 20
    request = deploy.urllib.request.Request(
        f"{cluster.url}/_stcore/upload_file/x/y", data=b"0" * too_big, method="PUT"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        deploy.urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413
    refused.value.close()


# --- a replica dies -------------------------------------------------------------------------


def test_a_replica_killed_with_sigkill_leaves_the_cluster_serving(
    cluster: Any, cluster_page: Any, deploy: Any
) -> None:
    on_dead, on_live = cluster_page(replica=0, name="dead"), cluster_page(replica=1, name="live")
    name = f"Before the crash {secrets.token_hex(3)}"
    assert open_app(on_dead, cluster) == 0
    save_scenario(on_dead, name)
    move_a_lever(on_dead)
    npv = on_dead.locator(NPV).first.inner_text()
    assert open_app(on_live, cluster) == 1
    dead, live = cluster.replicas[0].address, cluster.replicas[1].address

    cluster.kill(0)

    move_a_lever(on_live)  # the other browser goes on as if nothing happened
    # New browsers all land on the survivor; nginx took the dead one out of the rotation.
    answers = [answered_by(cluster, deploy) for _ in range(4)]
    assert all(a.endswith(live) for a in answers), answers
    assert answers[-1] == live  # no more attempts on the dead one
    disabled = log_lines(cluster.nginx_error_log, "upstream server temporarily disabled")
    assert any(dead in line for line in disabled), disabled
    newcomer = cluster_page(name="newcomer")
    assert open_app(newcomer, cluster) == 1
    expect_listed(newcomer, name)  # committed before the crash, still there
    # The browser whose replica died reconnects to the survivor, for good, with the
    # scenario it had (it is in the page's link), and works on.
    on_dead.wait_for_function(f"async () => ({FETCH_HEALTH}).ok", timeout=30_000)
    assert replica_behind(on_dead, cluster) == 1
    assert sticky_cookie(on_dead, cluster) == "r1"
    wait_idle(on_dead)
    expect(on_dead.locator(NPV).first).to_have_text(npv)
    move_a_lever(on_dead)


def test_a_restarted_replica_takes_its_pinned_browsers_back(cluster: Any, deploy: Any) -> None:
    old = cluster.kill(0)
    failover = answered_by(cluster, deploy, {"X-Roi-Replica": "r0"})
    assert failover.endswith(cluster.replicas[1].address)  # r0's browsers go on meanwhile
    cluster.restart(0)
    assert cluster.pid(0) not in (None, old)
    deadline = time.monotonic() + deploy.FAIL_TIMEOUT_S + 5  # nginx tries r0 again after it
    while answered_by(cluster, deploy, {"X-Roi-Replica": "r0"}) != cluster.replicas[0].address:
        assert time.monotonic() < deadline, "nginx did not take r0 back"
        time.sleep(0.25)
