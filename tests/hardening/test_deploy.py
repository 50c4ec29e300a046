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
from browser_support import ROUTE, drawn, first_visit_cookie, routed_page, routing_keys_by_replica
from hardening_guards import require

from benchmarks.browser_bench import GROUP_PILLS, TICKED_BOX, browser_labels, open_checker, open_group, settle, tick
from benchmarks.servers import (
    CHROMIUM,
    HOST,
    free_port,
    launch_chromium,
    nginx_available,
    reachable_dir,
    replica_set,
    stop_group,
    wait_healthy,
)
from checker import DISCLAIMER, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _render_module():  # type: ignore[no-untyped-def]
    return _module("render_nginx")


def _module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, DEPLOY / f"{name}.py")
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


@pytest.mark.parametrize(
    ("listen", "ports", "run_dir"),
    [
        (8600, [], "/tmp/x"),
        (0, [8601], "/tmp/x"),
        (8600, [70000], "/tmp/x"),
        (8600, [8601], "/tmp/a b"),
        (8600, [8601], "/tmp/x;evil"),
        (8600, [8601], "/tmp/x,y"),
        (8600, [8601], "/tmp/" + "d" * 100),
    ],
    ids=["no-ports", "bad-listen", "bad-port", "space", "semicolon", "comma", "socket-path-too-long"],
)
def test_render_refuses_bad_input(listen: int, ports: list[int], run_dir: str) -> None:
    with pytest.raises(ValueError):
        _render_module().render(listen, ports, run_dir)


def test_nginx_accepts_the_rendered_config(tmp_path: Path) -> None:
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(_render_module().render(18600, [18601, 18602], str(tmp_path)), encoding="utf-8")
    out = subprocess.run(
        ["nginx", "-t", "-c", str(conf), "-e", str(tmp_path / "logs" / "error.log")], capture_output=True, text=True, timeout=30
    )
    assert out.returncode == 0, out.stderr


def test_headers_are_set_in_every_location_and_frame_ancestors_are_checked() -> None:
    render = _render_module()
    text = render.render(8600, [8601], "/tmp/x")
    csp = (
        "add_header Content-Security-Policy \"default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'self'\" always;"
    )
    assert text.count(csp) == 2  # the proxied pages and the busy page
    assert text.count("add_header X-Frame-Options SAMEORIGIN always;") == 2
    embedded = render.render(8600, [8601], "/tmp/x", frame_ancestors="'self' https://lms.example.org", behind_tls=True)
    assert "frame-ancestors 'self' https://lms.example.org\" always;" in embedded
    assert "add_header X-Frame-Options" not in embedded
    for bad in ("*", "http://lms.example.org", "'self'; script-src *", "", 'https://a.b" always; x'):
        with pytest.raises(ValueError, match="frame ancestors must be"):
            render.render(8600, [8601], "/tmp/x", frame_ancestors=bad)


def test_embedding_in_another_site_makes_the_routing_cookie_cross_site_and_needs_tls() -> None:
    render = _render_module()
    cookie = re.compile(r'default\s+"netc_route=\$request_id; Path=/; HttpOnly; ([^"]*)";')
    plain = render.render(8600, [8601], "/tmp/x")
    assert cookie.search(plain).group(1) == "SameSite=Lax"
    assert re.findall(r"^\s*(listen|ssl_\w+) ", plain, re.M) == ["listen"]
    own_tls = render.render(8600, [8601], "/tmp/x", tls_cert="/etc/c.pem", tls_key="/etc/k.pem")
    assert cookie.search(own_tls).group(1) == "SameSite=Lax; Secure"
    assert "        listen 127.0.0.1:8600 ssl;\n        ssl_certificate /etc/c.pem;\n" in own_tls
    assert "        ssl_certificate_key /etc/k.pem;\n        ssl_protocols TLSv1.2 TLSv1.3;\n" in own_tls
    embedded = render.render(
        8600, [8601], "/tmp/x", frame_ancestors="https://lms.example.org", tls_cert="/etc/c.pem", tls_key="/etc/k.pem"
    )
    assert cookie.search(embedded).group(1) == "SameSite=None; Secure; Partitioned"
    behind = render.render(8600, [8601], "/tmp/x", frame_ancestors="'self' https://lms.example.org", behind_tls=True)
    assert cookie.search(behind).group(1) == "SameSite=None; Secure; Partitioned" and " ssl;" not in behind
    with pytest.raises(ValueError, match=r"^embedding in another site \(https:// frame ancestors\) needs TLS: give "):
        render.render(8600, [8601], "/tmp/x", frame_ancestors="'self' https://lms.example.org")
    with pytest.raises(ValueError, match="^TLS needs both a certificate and a key$"):
        render.render(8600, [8601], "/tmp/x", tls_cert="/etc/c.pem")
    with pytest.raises(ValueError, match="TLS files must not contain"):
        render.render(8600, [8601], "/tmp/x", tls_cert="/etc/c d.pem", tls_key="/etc/k.pem")
    out = subprocess.run(
        [
            sys.executable,
            str(DEPLOY / "render_nginx.py"),
            "--listen",
            "8600",
            "--ports",
            "8601",
            "--run-dir",
            "/tmp/x",
            "--frame-ancestors",
            "https://lms.example.org",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("render_nginx: embedding in another site (https:// frame ancestors) needs TLS")


@pytest.mark.timeout(120)
def test_nginx_answers_a_busy_page_when_no_replica_answers(tmp_path: Path) -> None:
    """No replica listening: nginx's 502 becomes a 503 with the busy page, its notice and the security headers."""
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    with reachable_dir(tmp_path / "run") as run_dir:
        status, headers, body = _busy_page_run(run_dir)
    assert status == 503
    assert "<h1>The NET checker is busy or restarting</h1>" in body
    assert "Educational tool only - not a diagnosis." in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


def _busy_page_run(tmp_path: Path) -> tuple[int, object, str]:
    """nginx with its log scrubber and no replica: one request with a query string; its answer, scrubbed log checked."""
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    listen, dead = free_port(), free_port()
    user = _worker_user()
    conf = tmp_path / "nginx.conf"
    conf.write_text(_render_module().render(listen, [dead], str(tmp_path), user), encoding="utf-8")
    if user:
        shutil.chown(tmp_path / "tmp", user)
    error_log = tmp_path / "logs" / "nginx-error.log"
    scrubber = subprocess.Popen(
        [
            sys.executable,
            str(DEPLOY / "log_scrubber.py"),
            "--socket",
            str(tmp_path / "nginx-log.sock"),
            "--log",
            str(error_log),
            "--user",
            user,
        ],
        start_new_session=True,
    )
    while not (tmp_path / "nginx-log.sock").exists() and scrubber.poll() is None:
        time.sleep(0.05)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx, "-c", str(conf), "-e", str(tmp_path / "logs" / "startup.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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
        deadline = time.monotonic() + 10
        while "connect() failed" not in (error_log.read_text(encoding="utf-8") if error_log.exists() else ""):
            assert time.monotonic() < deadline, "no error line reached the scrubbed error log"
            time.sleep(0.1)
    finally:
        stop_group(proc)
        stop_group(scrubber)
    # The error line names what failed, and where, without the query string (a shared link's findings).
    line = error_log.read_text(encoding="utf-8").splitlines()[0]
    assert re.fullmatch(
        r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[error\] \d+#\d+: \*\d+ connect\(\) failed \(111: Connection refused\) "
        rf'while connecting to upstream, client: 127\.0\.0\.1, server: localhost, request: "GET / HTTP/1\.1", '
        rf'upstream: "http://127\.0\.0\.1:{dead}/", host: "127\.0\.0\.1:{listen}"',
        line,
    ), line
    assert (tmp_path / "logs" / "startup.log").read_text(encoding="utf-8") == ""
    return status, headers, body


def _worker_user() -> str:
    """The user nginx's workers run as, as deploy/run_replicas.sh picks it: www-data under root, else nobody else."""
    if os.geteuid() != 0:
        return ""
    try:
        import pwd

        pwd.getpwnam("www-data")
    except KeyError:
        return ""
    return "www-data"


def test_log_scrubber_removes_query_strings_and_the_syslog_header() -> None:
    scrubber = _module("log_scrubber")
    datagram = (
        b"<187>Dec  7 00:58:21 nginx: 2026/12/07 00:58:21 [error] 20476#20476: *1 connect() failed (111: "
        b'Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET '
        b'/checker?symptoms=flushing&x=1 HTTP/1.1", upstream: "http://127.0.0.1:1/checker?symptoms=flushing", '
        b'host: "127.0.0.1:18777", referrer: "http://x/?symptoms=diarrhea"'
    )
    assert scrubber.scrub(datagram) == (
        "2026/12/07 00:58:21 [error] 20476#20476: *1 connect() failed (111: Connection refused) while connecting to "
        'upstream, client: 127.0.0.1, server: , request: "GET /checker HTTP/1.1", upstream: '
        '"http://127.0.0.1:1/checker", host: "127.0.0.1:18777", referrer: "http://x/"'
    )
    assert scrubber.scrub(b"<11>Dec 17 01:02:03 nginx: a\x1b[31m?x=1\nforged line \xff") == "a [31m forged line \ufffd"
    assert len(scrubber.scrub(b"x" * 70_000)) == 4000


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
                settle(page, page.locator('[class*="st-key-card_"]').first.get_by_text("Why:"))
                with page.expect_download(timeout=60_000) as info:
                    page.get_by_role("button", name="Download results (CSV)").click()
                downloads.append(Path(info.value.path()).read_text(encoding="utf-8"))
                browser_routes += [c["value"] for c in context.cookies() if c["name"] == "netc_route"]
                context.close()
        finally:
            browser.close()
        assert _post_too_large(proxy.url, "/?symptoms=flushing") == 413
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
    # nginx's error lines reach the error log through the supervised scrubber, without their query strings.
    errors = (tmp_path / "run" / "logs" / "nginx-error.log").read_text(encoding="utf-8")
    assert re.search(
        r"\[error\] .*client intended to send too large body: 6000000 bytes, client: 127\.0\.0\.1, "
        r'server: localhost, request: "POST / HTTP/1\.1"',
        errors,
    ), errors[-2000:]
    assert "symptoms" not in errors and "flushing" not in errors


def _post_too_large(url: str, path: str) -> int:
    """The status nginx answers to a request announcing a 6 MB body (over its 5 MB limit); no body is sent."""
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Length", "6000000")
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def _replica_pid(run_dir: Path, port: int) -> int:
    out = subprocess.run(
        [
            str(Path(sys.executable).parent / "supervisorctl"),
            "-c",
            str(run_dir / "supervisord.conf"),
            "pid",
            f"replica:replica-{port}",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
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
            for name, key in (
                ("doomed-1", doomed_keys[0]),
                ("doomed-2", doomed_keys[1]),
                ("spared-1", spared_keys[0]),
                ("spared-2", spared_keys[1]),
            ):
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


CSP_PAGES = (
    "/?symptoms=flushing,diarrhea&functional=functional",
    "/about",
    "/quiz",
    "/rule-tables",
    "/live",
    "/presentation?step=3",
)


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
            page.on(
                "console",
                lambda m: (
                    problems.append(m.text)
                    if m.type in ("error", "warning") and ("Content Security Policy" in m.text or "Refused to" in m.text)
                    else None
                ),
            )
            page.on("pageerror", lambda e: problems.append(str(e)))
            frames: list[int] = []  # messages from the server: a poll of the class panel sends some
            page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(1)))
            for path in CSP_PAGES:
                response = page.goto(proxy.url + path)
                assert response is not None and "frame-ancestors 'self'" in response.headers["content-security-policy"]
                settle(page, page.get_by_text(DISCLAIMER))
                drawn(page)  # charts draw after the run
            page.get_by_text("Run this case as a live class").click()
            page.get_by_role("button", name="Start a live session").click()
            settle(page, page.locator(".st-key-join_code"))
            expect(page.locator('[data-testid="stImage"] img')).to_be_visible()  # the QR code, a data/blob image
            page.locator(".st-key-live_next").get_by_role("button").click()  # (a hidden copy measures its width)
            expect(page.get_by_text("The tables' top five")).to_be_visible()
            settle(page, page.get_by_text("The tables' top five"))
            seen = len(frames)
            deadline = time.monotonic() + 30
            while len(frames) == seen and time.monotonic() < deadline:  # wait for one poll of the class panel
                page.wait_for_timeout(50)
            assert len(frames) > seen, "the class panel did not poll within 30 s"
        finally:
            browser.close()
    assert problems == []
