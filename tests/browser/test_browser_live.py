"""A whole live class in one Chromium: the educator at 1920x1080 and three students at 390x844 (phones).

Join, answer, change an answer, next step, show the class's answers, reveal, debrief and CSV; axe on the student
page. Runs once on one server with SQLite, and once on two replicas behind nginx sharing a throwaway PostgreSQL.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

import pytest
from browser_support import IDLE, ROUTE, pick, routed_page, routing_keys_by_replica, settle
from pg_support import fresh_database
from playwright.sync_api import Browser, Page, expect

from benchmarks.servers import nginx_available, replica_set
from checker import DISCLAIMER, load_knowledge, teaching

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KB = load_knowledge()
CASE = KB.cases["glucagonoma-migrating-rash"]
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
POLL_WAIT_MS = 10_000
"""Phones and the projector poll every 2 s; a change must show within this (with CI's noisy neighbours)."""


def start_class(browser: Browser, base: str, route: str | None = None) -> tuple[Page, str]:
    educator = routed_page(browser, base, route, viewport=PROJECTOR, accept_downloads=True)
    educator.goto(f"{base}/presentation?case={teaching.case_code(CASE.id)}")
    settle(educator, educator.get_by_role("heading", name=CASE.title))
    educator.get_by_text("Run this case as a live class").click()
    educator.get_by_role("button", name="Start a live session").click()
    code_box = educator.locator(".st-key-join_code")
    settle(educator, code_box)
    code = code_box.inner_text().replace(" ", "").strip()
    assert re.fullmatch(r"[A-Z2-9]{7}", code), code
    expect(educator.get_by_text("Join link")).to_be_visible()  # the QR code's caption
    expect(educator.locator('[data-testid="stImage"] img')).to_have_count(1)
    assert "host=" in educator.url and "live=" + code in educator.url
    return educator, code


def join(browser: Browser, base: str, code: str, nickname: str, route: str | None = None) -> Page:
    phone = routed_page(browser, base, route, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{base}/live")
    settle(phone, phone.get_by_role("heading", name="Join a live class"))
    phone.get_by_label("Class code (on the projector)").fill(code.lower())
    phone.get_by_label(re.compile("^Nickname")).fill(nickname)
    phone.get_by_role("button", name="Join").click()
    settle(phone, phone.get_by_text(re.compile("you are student")))
    return phone


def send(phone: Page, step: int, lead: str) -> None:
    pick(phone, f"live_lead_{step}", lead)
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"Sent: {lead}")


def serious_accessibility_problems(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']}" for v in response["violations"] if v.get("impact") in ("serious", "critical")
    ]


def run_class(browser: Browser, base: str, routes: tuple[str | None, ...] = (None,) * 4) -> None:
    educator, code = start_class(browser, base, routes[0])
    names = ("Ann Lee", "Bo", "<b>Cy</b>")
    phones = [join(browser, base, code, name, route) for name, route in zip(names, routes[1:], strict=True)]
    expect(educator.get_by_test_id("stMetricValue")).to_have_text("3", timeout=POLL_WAIT_MS)
    expect(educator.get_by_text("Latest: B B AL")).to_be_visible()
    # the answer control is on a phone's first screen
    box = phones[0].locator(".st-key-live_answer").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    send(phones[0], 0, "VIPoma")
    send(phones[0], 0, "Glucagonoma")  # changes her mind
    send(phones[1], 0, "Common condition: Type 2 diabetes")
    send(phones[2], 0, "Glucagonoma")
    expect(educator.get_by_text("3 of 3 students have answered.")).to_be_visible(timeout=POLL_WAIT_MS)
    expect(educator.get_by_text("The class's answers are hidden")).to_be_visible()
    expect(educator.locator('[data-testid="stVegaLiteChart"]')).to_have_count(0)
    educator.get_by_role("button", name="Show the class's answers").click()
    expect(educator.locator('[data-testid="stVegaLiteChart"][aria-label*="3 students"]')).to_be_visible()
    educator.get_by_role("button", name="Next finding").click()
    for phone in phones:
        expect(phone.get_by_text("New finding: Unexplained weight loss")).to_be_visible(timeout=POLL_WAIT_MS)
    send(phones[1], 1, "Glucagonoma")
    assert serious_accessibility_problems(phones[1]) == []  # the answer form, with an answer sent
    for step in range(2, len(CASE.findings) + 1):
        # each click waits for the previous step's run to finish (a click during a redraw can be lost) and then
        # for its own step, so 'Reveal the answer' is enabled once the last finding is shown
        expect(educator.locator(IDLE)).to_be_visible()
        educator.get_by_role("button", name="Next finding").click()
        settle(educator, educator.get_by_text(f"findings revealed: {step} of {len(CASE.findings)}"))
    educator.get_by_role("button", name="Reveal the answer").click()
    settle(educator, educator.get_by_role("heading", name="Debrief"))
    expect(educator.get_by_text("The answer: Glucagonoma")).to_be_visible()
    with educator.expect_download(timeout=60_000) as info:
        educator.get_by_role("button", name="Download every answer (CSV, anonymous)").click()
    lines = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# notice,") and lines[2].startswith("step,finding_revealed,student,")
    rows = [line.split(",") for line in lines[3:]]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("0", "1", "VIPoma"),
        ("0", "1", "Glucagonoma"),
        ("0", "2", "Common condition: Type 2 diabetes"),
        ("0", "3", "Glucagonoma"),
        ("1", "2", "Glucagonoma"),
    ]
    assert "Ann" not in "\n".join(lines) and "Cy" not in "\n".join(lines)
    for phone in phones:
        expect(phone.get_by_text("The answer: Glucagonoma")).to_be_visible(timeout=POLL_WAIT_MS)
        expect(phone.get_by_role("heading", name="Your path")).to_be_visible()
        expect(phone.locator(".st-key-notice_short")).to_contain_text(DISCLAIMER.partition(". ")[0])  # one line
    expect(phones[2].get_by_text("Step 0 (the story): Glucagonoma (right)")).to_be_visible()
    assert serious_accessibility_problems(phones[0]) == []  # the path after the reveal
    educator.get_by_role("button", name="End and delete").click()
    for phone in phones:
        expect(phone.get_by_text("This class has ended. Its answers have been deleted.")).to_be_visible(timeout=POLL_WAIT_MS)
    for tab in (educator, *phones):
        tab.context.close()  # closes the websockets (nginx logs one when it closes)


@pytest.mark.timeout(600)
def test_a_live_class_on_one_server_with_sqlite(chromium: Browser, app_url: str) -> None:
    run_class(chromium, app_url)


@pytest.mark.timeout(900)
def test_a_live_class_on_two_replicas_behind_nginx_with_postgresql(
    chromium: Browser, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not nginx_available():
        message = "nginx not found (apt-get install -y nginx)"
        pytest.fail(message) if os.environ.get("CI") == "true" else pytest.skip(message)
    monkeypatch.setenv("NET_CHECKER_DB", fresh_database(postgres_url, f"browser_{uuid.uuid4().hex[:12]}"))
    log = tmp_path / "run" / "logs" / "nginx-access.log"
    with replica_set(2, tmp_path) as proxy:
        # routing keys nginx hands out, sorted by the replica they lead to: the educator on one replica, the
        # students on the other (and one beside the educator), so the class must go through the shared store
        by_upstream = routing_keys_by_replica(proxy.url, log)
        assert len(by_upstream) == 2, by_upstream
        a, b = by_upstream.values()
        run_class(chromium, proxy.url, (a[0], b[0], b[1], a[1]))
        streams: set[tuple[str, str]] = set()
        for _ in range(100):  # nginx logs a websocket when it closes
            access = log.read_text(encoding="utf-8")
            streams = {
                (m["route"], m["upstream"])
                for line in access.splitlines()
                if (m := ROUTE.search(line)) and m["path"] == "/_stcore/stream"
            }
            if {route for route, _ in streams} >= {a[0], b[0], b[1], a[1]}:
                break
            time.sleep(0.1)
    assert {route for route, _ in streams} >= {a[0], b[0], b[1], a[1]}
    assert len({upstream for _, upstream in streams}) == 2
    assert "host=" not in access and "code=" not in access and "me=" not in access
