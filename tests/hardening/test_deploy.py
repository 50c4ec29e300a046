"""Scale-out: the nginx config for N replicas (rendered, checked by nginx -t), and 2 replicas run end to end."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_support import ROUTE, first_visit_cookie, routed_page, routing_keys_by_replica
from hardening_guards import require

from benchmarks.browser_bench import GROUP_PILLS, TICKED_BOX, browser_labels, open_checker, open_group, settle, tick
from benchmarks.servers import (
    CHROMIUM,
    HOST,
    free_port,
    launch_chromium,
    nginx_available,
    replica_set,
    stop_group,
    wait_healthy,
)
from checker import DISCLAIMER, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _render_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("render_nginx", DEPLOY / "render_nginx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rendered_config_is_sticky_websocket_ready_and_loopback_only(tmp_path: Path) -> None:
    text = _render_module().render(8600, [8601, 8602, 8603], str(tmp_path))
    assert "@" not in re.sub(r"#.*", "", text), "a placeholder was left unrendered"
    upstream = re.search(r"upstream net_checker \{(.*?)\}", text, re.S)
    assert upstream and "hash $netc_route_key consistent;" in upstream.group(1)
    assert "ip_hash" not in re.sub(r"#.*", "", text)
    assert "add_header Set-Cookie $netc_set_cookie always;" in text
    assert '"netc_route=$request_id; Path=/; HttpOnly; SameSite=Lax"' in text
    assert re.findall(r"server (\S+) ", upstream.group(1)) == [f"{HOST}:8601", f"{HOST}:8602", f"{HOST}:8603"]
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert re.findall(r"^\s*listen\s+(\S+);", text, re.M) == [f"{HOST}:8600"]
    assert "$request_uri" not in text and '"$request"' not in text, "logs must not hold query strings"


def test_rendered_config_holds_a_class_and_shuts_what_it_should(tmp_path: Path) -> None:
    text = _render_module().render(8600, [8601, 8602], str(tmp_path))
    assert "worker_processes auto;" in text and re.search(r"worker_connections (\d+);", text).group(1) == "8192"
    assert "limit_conn per_address 1000;" in text and "limit_conn_status 503;" in text
    assert re.search(r"location = /_stcore/metrics \{\s*return 404;", text)
    for header in ("X-Content-Type-Options nosniff", "Referrer-Policy no-referrer"):
        assert f"add_header {header} always;" in text
    assert "proxy_read_timeout 1h;" in text and " 1d;" not in text
    assert "client_max_body_size 5m;" in text
    assert "--server.maxMessageSize 5" in (ROOT / "deploy" / "run_replicas.sh").read_text(encoding="utf-8")


@pytest.mark.parametrize(("listen", "ports", "run_dir"), [
    (8600, [], "/tmp/x"), (0, [8601], "/tmp/x"), (8600, [70000], "/tmp/x"), (8600, [8601], "/tmp/a b"),
    (8600, [8601], "/tmp/x;evil"),
], ids=["no-ports", "bad-listen", "bad-port", "space", "semicolon"])
def test_render_refuses_bad_input(listen: int, ports: list[int], run_dir: str) -> None:
    with pytest.raises(ValueError):
        _render_module().render(listen, ports, run_dir)


def test_nginx_accepts_the_rendered_config(tmp_path: Path) -> None:
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(_render_module().render(18600, [18601, 18602], str(tmp_path)), encoding="utf-8")
    out = subprocess.run(["nginx", "-t", "-c", str(conf), "-e", str(tmp_path / "logs" / "error.log")],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr


def test_headers_are_set_in_every_location_and_frame_ancestors_are_checked() -> None:
    render = _render_module()
    text = render.render(8600, [8601], "/tmp/x")
    csp = ('add_header Content-Security-Policy "default-src \'self\'; script-src \'self\' \'unsafe-inline\'; '
           "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
           "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
           'frame-ancestors \'self\'" always;')
    assert text.count(csp) == 2  # the proxied pages and the busy page
    assert text.count("add_header X-Frame-Options SAMEORIGIN always;") == 2
    embedded = render.render(8600, [8601], "/tmp/x", frame_ancestors="'self' https://lms.example.org")
    assert "frame-ancestors 'self' https://lms.example.org\" always;" in embedded
    assert "add_header X-Frame-Options" not in embedded
    for bad in ("*", "http://lms.example.org", "'self'; script-src *", "", "https://a.b\" always; x"):
        with pytest.raises(ValueError, match="frame ancestors must be"):
            render.render(8600, [8601], "/tmp/x", frame_ancestors=bad)


@pytest.mark.timeout(120)
def test_nginx_answers_a_busy_page_when_no_replica_answers(tmp_path: Path) -> None:
    """No replica listening: nginx's 502 becomes a 503 with the busy page, its notice and the security headers."""
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    listen, dead = free_port(), free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(_render_module().render(listen, [dead], str(tmp_path)), encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-c", str(conf), "-e", str(tmp_path / "logs" / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://{HOST}:{listen}/?symptoms=flushing", timeout=5)
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        stop_group(proc)
    assert status == 503
    assert "<h1>The NET checker is busy or restarting</h1>" in body
    assert "Educational tool only - not a diagnosis." in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("arg", ["0", "33", "two", "-1"])
def test_run_replicas_refuses_a_bad_count(arg: str) -> None:
    out = subprocess.run(["bash", str(DEPLOY / "run_replicas.sh"), arg], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "usage" in out.stderr


FIRST_VISITS = 40
BROWSERS = 4


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_clients_from_one_address_spread_over_replicas_and_keep_their_sessions(tmp_path: Path) -> None:
    """Every client here comes from 127.0.0.1, as a classroom behind one public address does. With ip_hash they
    all went to one replica; with the routing cookie, first visits spread, and each browser keeps its replica
    for its websocket and its download."""
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    kb = load_knowledge()
    label = kb.symptoms["weight-loss"].label
    downloads: list[str] = []
    browser_routes: list[str] = []
    with replica_set(2, tmp_path) as proxy, sync_playwright() as playwright:
        # replica_set has already seen each replica's own port (8601..) answer /_stcore/health
        first_visits = {first_visit_cookie(proxy.url) for _ in range(FIRST_VISITS)}
        browser = launch_chromium(playwright)
        try:
            for _ in range(BROWSERS):
                context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
                page = context.new_page()
                open_checker(page, proxy.url, "symptoms=flushing")
                open_group(page, "Whole body")
                tick(page, label)
                settle(page, page.get_by_text("Why it is listed").first)
                with page.expect_download(timeout=60_000) as info:
                    page.get_by_role("button", name="Download results (CSV)").click()
                downloads.append(Path(info.value.path()).read_text(encoding="utf-8"))
                browser_routes += [c["value"] for c in context.cookies() if c["name"] == "netc_route"]
                context.close()
        finally:
            browser.close()
        group = proxy.proc.pid
    assert proxy.proc.poll() is not None, "the replica set is still running"
    leftover = subprocess.run(["ps", "-o", "pid=", "-g", str(group)], capture_output=True, text=True).stdout.split()
    assert not leftover, f"processes left in the group: {leftover}"

    assert len(first_visits) == FIRST_VISITS, "every first visit gets its own routing key"
    assert len(browser_routes) == BROWSERS and len(set(browser_routes)) == BROWSERS
    for text in downloads:
        assert text.startswith("# notice,") and "weight-loss" in text and "flushing" in text
    access = (tmp_path / "run" / "logs" / "nginx-access.log").read_text(encoding="utf-8")
    entries = [m.groupdict() for line in access.splitlines() if (m := ROUTE.search(line))]
    assert entries and len(entries) == len(access.splitlines())
    first_upstreams = {e["upstream"] for e in entries if e["route"] in first_visits and e["path"] == "/"}
    assert len(first_upstreams) == 2, f"{FIRST_VISITS} first visits from one address all went to {first_upstreams}"
    for route in browser_routes:
        mine = [e for e in entries if e["route"] == route]
        assert any(e["path"] == "/_stcore/stream" for e in mine), "no websocket through the proxy"
        assert any(e["path"].startswith("/media/") and e["status"] == "200" for e in mine), "no download"
        upstreams = {e["upstream"] for e in mine if e["path"] == "/_stcore/stream" or e["path"].startswith("/media/")}
        assert len(upstreams) == 1, f"browser {route[:6]} hopped between replicas: {upstreams}"
    assert "symptoms" not in access and "flushing" not in access and "weight-loss" not in access


def _replica_pid(run_dir: Path, port: int) -> int:
    out = subprocess.run([str(Path(sys.executable).parent / "supervisorctl"), "-c", str(run_dir / "supervisord.conf"),
                          "pid", f"replica:replica-{port}"], capture_output=True, text=True, timeout=30)
    return int(out.stdout.strip())


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_a_replica_that_dies_is_restarted_and_the_class_carries_on(tmp_path: Path) -> None:
    """Four browsers, two on each replica; one replica is killed (SIGKILL). The browsers on the other replica carry on
    at once; supervisord restarts the dead one; its browsers reconnect and find their findings again (from the link)."""
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    kb = load_knowledge()
    flushing = kb.symptoms["flushing"].label
    group, (first, second, third) = browser_labels(3)
    run_dir = tmp_path / "run"
    with replica_set(2, tmp_path) as proxy, sync_playwright() as playwright:
        by_upstream = routing_keys_by_replica(proxy.url, run_dir / "logs" / "nginx-access.log")
        assert len(by_upstream) == 2, by_upstream
        (doomed_upstream, doomed_keys), (_, spared_keys) = sorted(by_upstream.items())
        doomed_port = int(doomed_upstream.rsplit(":", 1)[1])
        browser = launch_chromium(playwright)
        try:
            pages = {}
            for name, key in (("doomed-1", doomed_keys[0]), ("doomed-2", doomed_keys[1]),
                              ("spared-1", spared_keys[0]), ("spared-2", spared_keys[1])):
                page = routed_page(browser, proxy.url, key, viewport={"width": 1280, "height": 900})
                open_checker(page, proxy.url, "symptoms=flushing")
                open_group(page, group)
                tick(page, first)
                pages[name] = page
            old_pid = _replica_pid(run_dir, doomed_port)
            os.kill(old_pid, signal.SIGKILL)
            for name in ("spared-1", "spared-2"):  # the other replica serves on as if nothing happened
                tick(pages[name], second)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    new_pid = _replica_pid(run_dir, doomed_port)
                except ValueError:
                    new_pid = 0
                if new_pid and new_pid != old_pid:
                    break
                time.sleep(0.5)
            assert new_pid and new_pid != old_pid, "supervisord did not restart the killed replica"
            wait_healthy(f"http://{HOST}:{doomed_port}", proxy.proc)
            for name in ("doomed-1", "doomed-2"):  # reconnected, with the link's findings, and usable
                page = pages[name]
                box = page.locator(TICKED_BOX)
                expect(box.get_by_text(first, exact=True)).to_be_visible(timeout=60_000)
                expect(box.get_by_text(flushing, exact=True)).to_be_visible()
                if not page.locator(GROUP_PILLS).is_visible():  # the open group may have stayed open
                    open_group(page, group)
                tick(page, third)
        finally:
            browser.close()
    log = (run_dir / "logs" / "supervisord.log").read_text(encoding="utf-8")
    assert f"exited: replica-{doomed_port} (terminated by SIGKILL" in log
    assert log.count(f"spawned: 'replica-{doomed_port}'") == 2


CSP_PAGES = ("/?symptoms=flushing,diarrhea&functional=functional", "/about", "/quiz", "/rule-tables", "/live",
             "/presentation?step=3")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_every_page_works_under_the_proxys_content_security_policy(tmp_path: Path) -> None:
    """Through nginx, every page (charts, the live class's QR code and chart included) draws with no CSP violation
    and no page error in the console."""
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    with replica_set(1, tmp_path) as proxy, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
                    and ("Content Security Policy" in m.text or "Refused to" in m.text) else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            for path in CSP_PAGES:
                response = page.goto(proxy.url + path)
                assert response is not None and "frame-ancestors 'self'" in response.headers["content-security-policy"]
                settle(page, page.get_by_text(DISCLAIMER))
                page.wait_for_timeout(1000)  # charts draw after the run
            page.get_by_text("Run this case as a live class").click()
            page.get_by_role("button", name="Start a live session").click()
            settle(page, page.locator(".st-key-join_code"))
            expect(page.locator('[data-testid="stImage"] img')).to_be_visible()  # the QR code, a data/blob image
            page.locator(".st-key-live_next").get_by_role("button").click()  # (a hidden copy measures its width)
            expect(page.get_by_text("The tables' top five")).to_be_visible()
            page.wait_for_timeout(2500)  # one poll of the class panel
        finally:
            browser.close()
    assert problems == []
