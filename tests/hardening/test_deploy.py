"""Scale-out: the nginx config for N replicas (rendered, checked by nginx -t), and 2 replicas run end to end."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest
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
    assert upstream and "ip_hash;" in upstream.group(1)
    assert re.findall(r"server (\S+) ", upstream.group(1)) == [f"{HOST}:8601", f"{HOST}:8602", f"{HOST}:8603"]
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert re.findall(r"^\s*listen\s+(\S+);", text, re.M) == [f"{HOST}:8600"]
    assert "$request_uri" not in text and '"$request"' not in text, "logs must not hold query strings"


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


@pytest.mark.slow
@pytest.mark.browser
def test_two_replicas_behind_nginx_serve_the_checker(tmp_path: Path) -> None:
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    kb = load_knowledge()
    label = kb.symptoms["weight-loss"].label
    with replica_set(2, tmp_path) as proxy, sync_playwright() as playwright:
        # replica_set has already seen each replica's own port (8601..) answer /_stcore/health
        browser = launch_chromium(playwright)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            open_checker(page, proxy.url, "symptoms=flushing")
            open_group(page, "Whole body")
            tick(page, label)
            settle(page, page.get_by_text("Why it is listed").first)
        finally:
            browser.close()
        group = proxy.proc.pid
    assert proxy.proc.poll() is not None, "the replica set is still running"
    leftover = subprocess.run(["ps", "-o", "pid=", "-g", str(group)], capture_output=True, text=True).stdout.split()
    assert not leftover, f"processes left in the group: {leftover}"
    access = (tmp_path / "run" / "logs" / "nginx-access.log").read_text(encoding="utf-8")
    assert "GET /_stcore/stream" in access or "GET /" in access
    assert "symptoms" not in access and "flushing" not in access
