"""Embedded in a course platform: a page on another site frames the app, served over TLS by 2 replicas behind nginx.

Before, the routing cookie was `SameSite=Lax`, which a cross-site frame never stores: every request of an
embedded session got a fresh routing key, so its downloads went to a replica that did not hold the file (6 of 6
CSV downloads failed with 2 replicas). With FRAME_ANCESTORS naming the course site and TLS on, the cookie is
`SameSite=None; Secure; Partitioned`: the frame keeps it (in the course site's partition, so it works where
third-party cookies are blocked), and its websocket, its downloads and its reconnection after nginx
restarts all reach one replica.
"""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_support import ROUTE
from hardening_guards import require

from benchmarks.browser_bench import TICKED_BOX, browser_labels, open_group, settle, tick
from benchmarks.servers import CHROMIUM, free_port, launch_chromium, nginx_available, replica_set

SESSIONS = 3


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 and localhost (the browser is told to accept it)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@contextmanager
def course_site(port: int, app_url: str, cert: Path, key: Path) -> Iterator[str]:
    """Another site (https://localhost:PORT, cross-site to https://127.0.0.1) whose page frames the app."""
    page = (
        f"<!doctype html><title>Course</title><h1>Week 3: hormone syndromes</h1>"
        f'<iframe id="app" src="{app_url}" width="1200" height="1400"></iframe>'
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def _download(page, frame) -> str:  # type: ignore[no-untyped-def]
    """Click the CSV button in the frame; the file, as the frame itself fetches it, with its HTTP status.

    Headless Chromium starts the download (the request reaches the session's replica, status 200) but then cancels
    it: Streamlit opens a download from inside a frame in a new tab (target=_blank), which this Chromium does not
    finish for a cross-site frame. So the frame fetches the same address again, with the same cookies."""
    with page.expect_download(timeout=60_000) as info:
        frame.get_by_role("button", name="Download results (CSV)").click()
    return frame.evaluate("async url => { const r = await fetch(url); return r.status + ' ' + await r.text(); }", info.value.url)


def _wait_for_closed_streams(access_log: Path, count: int, seconds: float = 15.0) -> None:
    """nginx logs a websocket when it closes: wait (bounded) until `count` of them are in the log."""
    deadline = time.monotonic() + seconds
    while access_log.read_text(encoding="utf-8").count('"GET /_stcore/stream" 101') < count:
        if time.monotonic() > deadline:
            return  # the assertions below say what is missing
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_an_embedded_app_keeps_its_replica_for_downloads_and_reconnects(tmp_path: Path) -> None:
    require(nginx_available(), "nginx (apt-get install -y nginx)")
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    require(shutil.which("openssl") is not None, "openssl (apt-get install -y openssl)")
    from playwright.sync_api import expect, sync_playwright

    group, (first, second) = browser_labels(2)
    cert, key = _self_signed(tmp_path)
    course_port = free_port()
    settings = {"TLS_CERT": str(cert), "TLS_KEY": str(key), "FRAME_ANCESTORS": f"https://localhost:{course_port}"}
    run_dir = tmp_path / "run"
    cookies: list[dict] = []
    downloads: list[str] = []
    with (
        replica_set(2, tmp_path, env=settings) as proxy,
        course_site(course_port, f"{proxy.url}/?embed=true&symptoms=flushing", cert, key) as course,
        sync_playwright() as playwright,
    ):
        assert proxy.url.startswith("https://127.0.0.1:")
        browser = launch_chromium(playwright)
        try:
            sessions = []
            for _ in range(SESSIONS):
                context = browser.new_context(
                    ignore_https_errors=True, accept_downloads=True, viewport={"width": 1280, "height": 1000}
                )
                page = context.new_page()
                page.goto(course)
                frame = page.wait_for_selector("iframe#app").content_frame()
                assert frame is not None
                settle(frame, frame.get_by_role("heading", name="Results"))
                open_group(frame, group)
                tick(frame, first)
                downloads.append(_download(page, frame))
                sessions.append((context, page, frame))
            # nginx restarts: every websocket drops, and each frame reconnects through the new nginx.
            subprocess.run(
                [str(Path(sys.executable).parent / "supervisorctl"), "-c", str(run_dir / "supervisord.conf"), "restart", "nginx"],
                check=True,
                capture_output=True,
                timeout=60,
            )
            for context, page, frame in sessions:
                expect(frame.locator(TICKED_BOX).get_by_text(first, exact=True)).to_be_visible(timeout=60_000)
                tick(frame, second)
                downloads.append(_download(page, frame))
                cookies += [c for c in context.cookies() if c["name"] == "netc_route"]
        finally:
            browser.close()
        _wait_for_closed_streams(run_dir / "logs" / "nginx-access.log", SESSIONS)

    assert len(cookies) == SESSIONS, "a cross-site frame did not keep its routing cookie"
    for cookie in cookies:
        assert (cookie["sameSite"], cookie["secure"], cookie["httpOnly"]) == ("None", True, True)
        assert cookie["partitionKey"] == "https://localhost"  # kept in the course site's partition
    assert len(downloads) == 2 * SESSIONS
    for before, after in zip(downloads[:SESSIONS], downloads[SESSIONS:], strict=True):
        assert before.startswith("200 # notice,") and after.startswith("200 # notice,"), (before[:80], after[:80])
        assert "flushing" in before and "flushing" in after
        assert after != before, "the download after reconnecting does not hold the new finding"
    access = (run_dir / "logs" / "nginx-access.log").read_text(encoding="utf-8")
    entries = [m.groupdict() for line in access.splitlines() if (m := ROUTE.search(line))]
    for cookie in cookies:
        mine = [e for e in entries if e["route"] == cookie["value"]]
        # nginx's fast shutdown drops the first websockets unlogged; the reconnected ones close with the browser.
        streams = [e for e in mine if e["path"] == "/_stcore/stream"]
        configs = [e for e in mine if e["path"] == "/_stcore/host-config"]
        media = [e for e in mine if e["path"].startswith("/media/")]
        assert len(streams) == 1 and len(configs) == 2, "the frame did not reconnect under its routing key"
        assert len(media) == 4 and all(e["status"] == "200" for e in media), media  # 2 downloads, each fetched twice
        assert len({e["upstream"] for e in mine}) == 1, "an embedded session hopped between replicas"
