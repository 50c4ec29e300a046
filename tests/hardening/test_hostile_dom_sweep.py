"""Every page in Chromium, with hostile text everywhere it can come from: no link or image may point off-site.

The text comes from three places at once: every query parameter each page reads (and one it does not), the URL
path, and every prose field of every table (a custom rules folder, poisoned by `hostile_inputs.poison_rules`),
plus what a person types into the search box. The payload holds every link form Streamlit's Markdown might make
live: `www.` after an underscore, a bare domain, http(s)://, mailto:, a bare e-mail address, Markdown links and
images, an angle autolink, a full-width dot and raw HTML. Each page is opened with every expander and tab opened,
and the rendered DOM is checked for any href or src that leaves the app (other than the tables' own source
links), and the network for any request to another host.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hardening_guards import require
from hostile_inputs import LINK_FORMS, app_link_targets, poison_rules

from benchmarks.browser_bench import NOT_RUNNING, settle
from benchmarks.servers import CHROMIUM, launch_chromium, streamlit_server
from checker import DISCLAIMER, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
P = quote(LINK_FORMS, safe="")
PAGES = (
    f"/?symptoms=flushing,diarrhea,wheezing,{P}&absent={P}&functional={P}&syndrome={P}&age={P}&sex={P}"
    f"&history={P}&nohistory={P}&{P}={P}",
    "/?symptoms=flushing,diarrhea,abdominal-pain,scan-mass-small-intestine&functional=functional&syndrome=men1",
    "/_www.evil-path.example?symptoms=flushing",
    f"/presentation?case={P}&step={P}&live={P}&host={P}",
    "/presentation?step=9",
    f"/quiz?case={P}",
    "/quiz",
    f"/live?code={P}&me={P}",
    "/about",
    "/rule-tables",
)
LINKS = """() => [...document.querySelectorAll('[href],[src],[srcset],[action],[formaction],[poster],[data]')]
  .flatMap(el => ['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data']
    .filter(a => el.hasAttribute(a)).map(a => [el.tagName.toLowerCase(), a, el.getAttribute(a),
      (() => { try { return new URL(el.getAttribute(a), location.href).href } catch (e) { return 'unparsable' } })()]))"""
MAX_OPENED = 80
CLOSED_EXPANDERS = '[data-testid="stExpander"] details:not([open]) > summary'


def _open_everything(page) -> int:  # type: ignore[no-untyped-def]
    """Open every closed expander (each may rerun the page and reveal more) and click every tab."""
    opened = 0
    closed = page.locator(CLOSED_EXPANDERS)
    while opened < MAX_OPENED:
        index = page.evaluate(f"""() => [...document.querySelectorAll('{CLOSED_EXPANDERS}')]
            .findIndex(e => e.checkVisibility() && !e.closest('[inert]'))""")
        if index < 0:
            break
        closed.nth(index).click()
        page.wait_for_selector(NOT_RUNNING)
        opened += 1
    tabs = page.get_by_role("tab")
    for index in range(tabs.count()):
        tabs.nth(index).click()
    page.wait_for_selector(NOT_RUNNING)
    return opened


def _off_site(links: list[list[str]], app_host: str, allowed: frozenset[str]) -> list[str]:
    """Links and sources that leave the app: another host (unless one of the tables' own source URLs), or a
    scheme other than http(s), data: and blob:; and anything naming the payload's hosts."""
    found = []
    for tag, attr, raw, resolved in links:
        parts = urlsplit(resolved)
        if raw == "" or raw.startswith("#"):
            continue  # this page itself (a navigation link), or a heading's anchor on it (its slug spells the text)
        if "evil" in raw.lower() or "evil" in resolved.lower():
            found.append(f"<{tag} {attr}={raw[:120]!r}>")
        elif parts.scheme in ("data", "blob"):
            continue
        elif parts.scheme not in ("http", "https") or (parts.netloc != app_host and resolved not in allowed):
            found.append(f"<{tag} {attr}={raw[:120]!r}> -> {resolved[:120]}")
    return found


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(900)
def test_no_page_links_or_loads_anything_off_site_from_hostile_text(tmp_path: Path) -> None:
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    rules = poison_rules(ROOT / "rules", tmp_path / "rules")
    kb = load_knowledge(rules)
    allowed = app_link_targets(kb)
    defects: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    with (
        streamlit_server(ROOT / "app.py", tmp_path / "server.log", env={"NET_CHECKER_RULES": str(rules)}) as server,
        sync_playwright() as playwright,
    ):
        app_host = urlsplit(server.url).netloc
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            for path in PAGES:
                page.goto(server.url + path, timeout=60_000)
                settle(page, page.get_by_text(DISCLAIMER))
                if path.startswith("/?symptoms=flushing,diarrhea,wheezing"):
                    search = page.get_by_label("Search findings in plain words or medical terms")
                    search.fill(LINK_FORMS[:100])
                    search.press("Enter")
                    page.wait_for_selector(NOT_RUNNING)
                _open_everything(page)
                problems = _off_site(page.evaluate(LINKS), app_host, allowed)
                problems += [f"exception shown: {t[:200]}" for t in page.locator('[data-testid="stException"]').all_inner_texts()]
                if problems:
                    defects[path[:60]] = problems
                shown[path] = page.locator("body").inner_text()
            off_site_requests = [url for url in requests if urlsplit(url).netloc != app_host]
        finally:
            browser.close()
    assert defects == {}, "\n".join(f"{k}: {v}" for k, v in defects.items())
    assert off_site_requests == [] and errors == []
    # The poisoned text was on the pages (as text), so the sweep saw it.
    for path in (PAGES[0], PAGES[1], PAGES[4]):  # (the rule tables page draws its tables on a canvas)
        assert "evil-a.example" in shown[path], f"{path[:60]} shows none of the poisoned table text"
    # An unknown page path runs the main page. Its share link names the path as inert text until the browser's
    # redirect to the main page reaches the server (the next rerun), and the main page's address after it.
    share_links = re.findall(rf"{re.escape(server.url)}/\S*", shown[PAGES[2]])
    assert share_links in (
        [f"{server.url}/_www.evil-path.example?symptoms=flushing"],
        [f"{server.url}/?symptoms=flushing"],
    ), share_links
