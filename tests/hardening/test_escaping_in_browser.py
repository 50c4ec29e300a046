"""md_escape in real Chromium: the Markdown Streamlit renders from escaped text holds no link, image or autolink,
and shows the text as written. This checks the escaping rules against Streamlit's own Markdown renderer (GFM
autolinks included), which AppTest cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening_guards import require

from benchmarks.browser_bench import settle
from benchmarks.servers import CHROMIUM, launch_chromium, streamlit_server
from checker.text import md_escape

PAYLOADS = [
    "[Log in again to continue](http://evil.example/login)",
    "![](http://evil.example/pixel.png)",
    "www.evil-login.example",
    "WWW.evil.example/path",
    "https://evil.example/login",
    "http://evil.example",
    "phish@evil.example",
    "mailto:phish@evil.example",
    "xmpp:phish@evil.example",
    "<https://evil.example>",
    "[ref]: https://evil.example",
    "[ref]",
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    ":red[alarm] :material/warning:",
    "**bold** _em_ `code` $x^2$",
    "# heading",
    "1. item",
    "- item",
    "> quote",
    "a|b\n-|-",
    "Flushing: (face) 3.5 [x]",
]

APP = """
import streamlit as st
from checker.text import md_escape
PAYLOADS = {payloads!r}
with st.container(key="escaped"):
    for text in PAYLOADS:
        st.markdown(md_escape(text))
        st.caption(md_escape(text))
        st.warning(md_escape(text))
st.markdown("done-marker")
"""


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_escaped_markdown_renders_as_inert_text(tmp_path: Path) -> None:
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    app = tmp_path / "escape_app.py"
    app.write_text(APP.format(payloads=PAYLOADS), encoding="utf-8")
    with streamlit_server(app, tmp_path / "server.log") as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server.url, timeout=60_000)
            settle(page, page.get_by_text("done-marker"))
            box = page.locator(".st-key-escaped")
            links = box.locator("a").evaluate_all("els => els.map(e => e.outerHTML)")
            images = box.locator("img").evaluate_all("els => els.map(e => e.outerHTML)")
            html = box.locator("em, strong, code, h1, ol, ul, blockquote, table, .katex").evaluate_all(
                "els => els.map(e => e.outerHTML.slice(0, 80))"
            )
            shown = box.inner_text().replace("\u2060", "")
        finally:
            browser.close()
    assert links == [] and images == [], (links, images)
    assert html == [], html
    assert not [url for url in requests if "evil.example" in url]
    for text in PAYLOADS:
        for line in text.splitlines():
            assert line in shown, f"{line!r} is not shown as written"
    assert md_escape("x") == "x"
