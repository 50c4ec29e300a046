"""Scale-out: the nginx config for N replicas (rendered, checked by nginx -t), and 2 replicas run end to end."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
from browser_support import ROUTE, first_visit_cookie
from hardening_guards import require

from benchmarks.browser_bench import open_checker, open_group, settle, tick
from benchmarks.servers import CHROMIUM, HOST, launch_chromium, nginx_available, replica_set
from checker import load_knowledge

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
