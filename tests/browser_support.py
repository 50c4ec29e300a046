"""Browser fixtures and helpers shared by every browser test (a pytest plugin, loaded from tests/conftest.py).

One Streamlit server per test module, Debian Chromium via Playwright's sync API (/usr/bin/chromium, not
Playwright's own download). Without Chromium the browser tests are skipped, except under CI=true, where they
fail. Screenshots (asked for, or of a failing test) go to tests/browser/artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.servers import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
"""The app has finished its run."""
STARTUP_SECONDS = 60
EXPECT_TIMEOUT_MS = 20_000


ROUTE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+)" (?P<status>\d+) .* "(?P<upstream>[^"]*)" route=(?P<route>\S+)$')
"""One line of deploy/'s nginx access log: request path, status, the replica that served it, the routing key."""


def first_visit_cookie(url: str) -> str:
    """The routing key (netc_route cookie) nginx gives a first visit to `url`."""
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    routes = [c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("netc_route=")]
    assert len(routes) == 1 and re.fullmatch(r"[0-9a-f]{32}", routes[0]), cookies
    return routes[0]


def routing_keys_by_replica(url: str, access_log: Path, visits: int = 24) -> dict[str, list[str]]:
    """Routing keys nginx hands out on first visits to `url`, grouped by the replica (upstream) each leads to."""
    keys = [first_visit_cookie(url) for _ in range(visits)]
    upstream_of: dict[str, str] = {}
    for _ in range(50):  # nginx writes a line after its answer
        upstream_of = {
            m["route"]: m["upstream"]
            for line in access_log.read_text(encoding="utf-8").splitlines()
            if (m := ROUTE.search(line)) and m["path"] == "/"
        }
        if set(keys) <= set(upstream_of):
            break
        time.sleep(0.1)
    grouped: dict[str, list[str]] = {}
    for key in keys:
        grouped.setdefault(upstream_of[key], []).append(key)
    return grouped


def routed_page(browser, url: str, route: str | None, **options):  # type: ignore[no-untyped-def]
    """A new browser context; behind nginx, pinned to a replica by a routing cookie nginx issued before."""
    context = browser.new_context(**options)
    if route:
        context.add_cookies([{"name": "netc_route", "value": route, "url": url}])
    return context.new_page()


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port; yield its base URL; stop the whole process group after."""
    _require_chromium()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NET_CHECKER_RULES"}
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited early ({proc.returncode}); see {log}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy within {STARTUP_SECONDS}s; see {log}")
            time.sleep(0.3)
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


def pick(page, key: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Choose an option of the selectbox with this widget key (typing filters the long, virtualised list)."""
    from playwright.sync_api import expect

    box = page.locator(f'.st-key-{key} [role="combobox"]')
    expect(box).to_be_visible()
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def open_expander(page, summary, shown) -> None:  # type: ignore[no-untyped-def]
    """Open an expander drawn only when open (on_change="rerun"), then settle on what it shows.

    A click that lands while the previous run is still being applied can be undone by that run's redraw; the
    expander is then closed again, so it is clicked once more. Anything else (it opened but shows nothing) fails.
    """
    from playwright.sync_api import expect

    expect(summary).to_be_visible()
    expect(page.locator(IDLE)).to_be_visible()
    summary.click()
    try:
        expect(shown).to_be_visible(timeout=5_000)
    except AssertionError:
        details = summary.locator("xpath=ancestor::details[1]")
        if details.get_attribute("open") is not None:
            raise
        summary.click()
    settle(page, shown)


def settle(page, shown) -> None:  # type: ignore[no-untyped-def]
    """Wait for something only the new run shows, then for the script to finish."""
    from playwright.sync_api import expect

    expect(shown).to_be_visible()
    expect(page.locator(IDLE)).to_be_visible()


DRAWN_JS = """(frames) => new Promise((resolve, reject) => {
    let last = -1, same = 0, left = 600;
    const tick = () => {
        const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
        const drawn = charts.every((c) => c.querySelector("canvas, svg"));
        const height = document.documentElement.scrollHeight;
        same = drawn && height === last ? same + 1 : 0;
        last = height;
        if (same >= frames) resolve(true);
        else if (--left <= 0) reject(new Error("the page kept changing for 600 frames"));
        else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""


def drawn(page, frames: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Wait until every chart has drawn and the page height has not changed for `frames` animation frames."""
    page.evaluate(DRAWN_JS, frames)


def screenshot(page, name: str, full_page: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """Keep a screenshot as a test artifact (tests/browser/artifacts/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Debian Chromium for the module."""
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def app_page(chromium, app_url: str) -> Iterator[object]:
    """A fresh browser context and page (desktop size) for one test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("app_page") if hasattr(item, "funcargs") else None
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - a screenshot must never hide the real failure
                pass
