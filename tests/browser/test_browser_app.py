"""The app in real headless Chromium: search and tick, shared links, downloads, notice, accessibility, phone width."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import IDLE, open_expander, settle
from playwright.sync_api import Page, expect

from checker import DISCLAIMER

pytestmark = pytest.mark.browser


def first_card(page: Page):
    """The first ranked card's title (cards are containers keyed card_<type id>)."""
    return page.locator('[class*="st-key-card_"] h3').first


def card_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator('[class*="st-key-card_"] h3').all_inner_texts()]


def ticked_box(page: Page):
    """The 'Ticked findings' box (a multiselect keyed 'ticked')."""
    return page.locator(".st-key-ticked")


def open_checker(page: Page, url: str) -> None:
    page.goto(url)
    settle(page, page.get_by_role("heading", name="NET checker"))


def test_search_as_you_type_tick_and_results(app_page: Page, app_url: str) -> None:
    page = app_page
    open_checker(page, app_url)
    expect(page.get_by_text("Tick at least one finding")).to_be_visible()
    search = page.get_by_label("Search findings in plain words or medical terms")
    search.press_sequentially("sweaty", delay=40)  # no Enter: matches appear after a typing pause
    matches = page.locator(".st-key-search_pick")
    settle(page, matches.get_by_role("button", name=re.compile(r"^Sweating")))
    matches.get_by_role("button", name=re.compile(r"^Sweating")).click()
    settle(page, first_card(page))
    expect(ticked_box(page).get_by_text("Sweating", exact=True)).to_be_visible()
    first = card_titles(page)
    assert len(first) == 3
    # a lay phrase finds a finding; the earlier tick stays visible while searching
    search.fill("")
    search.press_sequentially("low potasium", delay=40)  # a typo
    label = "Low potassium in a blood test"
    settle(page, matches.get_by_role("button", name=re.compile("^" + label)))
    expect(ticked_box(page).get_by_text("Sweating", exact=True)).to_be_visible()
    matches.get_by_role("button", name=re.compile("^" + label)).click()
    settle(page, ticked_box(page).get_by_text(label, exact=True))
    assert card_titles(page) != first
    params = parse_qs(urlsplit(page.url).query)
    assert params["symptoms"] == ["low-potassium,sweating"]
    # a tick can be removed from the ticked box while the search is still open
    ticked_box(page).get_by_role("button", name=re.compile("Sweating")).click()
    expect(page.locator(IDLE)).to_be_visible()
    expect(ticked_box(page).get_by_text("Sweating", exact=True)).to_have_count(0)
    page.wait_for_function("() => new URLSearchParams(location.search).get('symptoms') === 'low-potassium'")


def test_shared_link_reloads_to_the_same_results(app_page: Page, app_url: str) -> None:
    page = app_page
    link = f"{app_url}/?symptoms=flushing,diarrhea,wheezing&absent=weight-loss&functional=functional"
    open_checker(page, link)
    settle(page, first_card(page))
    titles = card_titles(page)
    assert titles[0].startswith("1. Small intestine NET")
    expect(ticked_box(page).get_by_text("Flushing: redness and warmth of the face or neck")).to_be_visible()
    # the address bar keeps a canonical link; opening it afresh gives the same form and results
    canonical = page.url
    assert parse_qs(urlsplit(canonical).query)["symptoms"] == ["diarrhea,flushing,wheezing"]
    page.reload()
    settle(page, first_card(page))
    assert card_titles(page) == titles
    other = page.context.new_page()
    other.goto(canonical)
    settle(other, first_card(other))
    assert card_titles(other) == titles
    expect(other.get_by_label("Yes, hormone symptoms are present")).to_be_checked()
    # "2. Anything ruled out? (optional): 1 ruled out"
    expect(other.locator(".st-key-open_absent summary")).to_have_text(re.compile(r"1 ruled out$"))
    open_expander(
        other,
        other.locator(".st-key-open_absent summary"),
        other.locator(".st-key-absent").get_by_text("Unexplained weight loss"),
    )


def test_bad_link_shows_a_notice_and_runs_no_markup(app_page: Page, app_url: str) -> None:
    page = app_page
    page.goto(f"{app_url}/?symptoms=sweating,%3Cimg%20src%3Dx%20onerror%3D%22window.pwned%3D1%22%3E&syndrome=men9")
    settle(page, page.get_by_text("Ignored unknown hereditary syndrome 'men9'"))
    expect(page.get_by_text("Ignored unknown symptom id").first).to_be_visible()
    expect(first_card(page)).to_be_visible()
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img[src='x']").count() == 0


def test_red_flag_is_shown_above_results(app_page: Page, app_url: str) -> None:
    page = app_page
    open_checker(page, f"{app_url}/?symptoms=fainting")
    flag = page.get_by_text("Red flag: seek medical care.")
    settle(page, flag)
    results = page.get_by_role("heading", name="Results")
    assert flag.bounding_box()["y"] < results.bounding_box()["y"]


def test_download_handout_contains_the_notice(app_page: Page, app_url: str) -> None:
    page = app_page
    open_checker(page, f"{app_url}/?symptoms=flushing,diarrhea")
    button = page.get_by_role("button", name="Download handout (Markdown)")
    settle(page, button)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".md")
    text = open(download.path(), encoding="utf-8").read()
    assert DISCLAIMER in text
    assert "Present: Diarrhea, Flushing" in text
    assert "Rules version" in text
    csv_button = page.get_by_role("button", name="Download results (CSV)")
    with page.expect_download() as info:
        csv_button.click()
    assert DISCLAIMER in open(info.value.path(), encoding="utf-8").read()


def test_notice_on_every_page(app_page: Page, app_url: str) -> None:
    page = app_page
    open_checker(page, app_url)
    links = page.locator(".st-key-nav a")
    expect(links).to_have_count(6)
    hrefs = sorted(set(links.evaluate_all("els => els.map(e => e.href)")))
    assert len(hrefs) == 6, hrefs
    for href in hrefs:
        page.goto(href)
        settle(page, page.get_by_text(DISCLAIMER))
        assert not page.locator('[data-testid="stException"]').count(), href


def _serious(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_accessibility_checker_with_results(app_page: Page, app_url: str) -> None:
    page = app_page
    open_checker(page, f"{app_url}/?symptoms=flushing,diarrhea,low-blood-glucose&syndrome=men1")
    settle(page, first_card(page))
    open_expander(
        page, page.locator('[class*="st-key-details_"] summary').first, page.get_by_text("Sources behind these links").first
    )
    open_expander(page, page.locator('[class*="st-key-src_"] summary').first, page.get_by_text("Orphanet ORPHA:").first)
    page.get_by_text("Skin and face", exact=True).click()
    settle(page, page.locator(".st-key-grp_skin").get_by_role("button", name="Sweating", exact=True))
    assert _serious(page) == []


def test_accessibility_about(app_page: Page, app_url: str) -> None:
    page = app_page
    page.goto(f"{app_url}/about")
    settle(page, page.get_by_role("heading", name="Intended use"))
    page.get_by_text(re.compile(r"^Web pages read")).click()
    assert _serious(page) == []


def test_phone_width_has_no_sideways_scroll(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size({"width": 390, "height": 844})
    open_checker(page, f"{app_url}/?symptoms=flushing,diarrhea,wheezing")
    settle(page, first_card(page))
    overflow = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return [document.documentElement.scrollWidth, main.scrollWidth, main.clientWidth];
    }""")
    assert overflow[0] <= 392 and overflow[1] <= overflow[2] + 2, overflow
