"""The classroom checks of issue 10 in real Chromium, at phone (390x844), laptop (1280x900) and projector
(1920x1080) sizes: results reachable, nothing cut off, the chart on the projector's first screen,
search as you type, print media, no request to another origin, and a clean console. Screenshots of each
view are kept in tests/browser/artifacts/.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from browser_support import IDLE, drawn, open_expander, pick, screenshot, settle
from playwright.sync_api import Page, expect

from checker import DISCLAIMER, load_knowledge, teaching

pytestmark = pytest.mark.browser

KB = load_knowledge()
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
RESULTS_LINK = "/?symptoms=flushing,diarrhea,wheezing,fainting&absent=weight-loss"
CASE = KB.cases["insulinoma-fasting-spells"]
PAGES = ["/", "/about", "/presentation?case=insulinoma-fasting-spells&step=3", "/quiz", "/rule-tables", "/live"]

STREAMLIT_PROBES = re.compile(r"/_stcore/(health|host-config)$")
"""A page opened at its own path (/presentation) first probes /presentation/_stcore/...: Streamlit's client, not ours."""


def _overflow(page: Page) -> list[int]:
    """[page scroll width, widest element right edge] in CSS pixels (both must fit the viewport)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        let right = 0;
        for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            // scrolling boxes (data grids) may hold wider content inside them
            let inside = false;
            for (let p = el.parentElement; p; p = p.parentElement) {
                const style = getComputedStyle(p);
                if (['auto', 'scroll', 'hidden'].includes(style.overflowX) && p.clientWidth < p.scrollWidth) {
                    inside = true; break;
                }
            }
            if (!inside) right = Math.max(right, box.right);
        }
        return [document.documentElement.scrollWidth, Math.round(right), width];
    }""")


def _fits(page: Page) -> None:
    scroll, right, width = _overflow(page)
    assert scroll <= width + 1 and right <= width + 1, f"cut off: scrollWidth {scroll}, right edge {right}, viewport {width}"


@pytest.fixture()
def watched(app_page: Page, app_url: str):
    """The page, recording requests to other origins and console warnings and errors."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(app_url))
    foreign: list[str] = []
    console: list[str] = []

    def on_request(request) -> None:  # type: ignore[no-untyped-def]
        url = request.url
        if not url.startswith((origin, "data:", "blob:", "about:")):
            foreign.append(url)

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        if message.type in ("warning", "error"):
            where = (message.location or {}).get("url", "")
            console.append(f"{message.type}: {message.text[:300]} ({where})")

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400 and not STREAMLIT_PROBES.search(response.url):
            console.append(f"HTTP {response.status}: {response.url}")

    app_page.on("request", on_request)
    app_page.on("console", on_console)
    app_page.on("response", on_response)
    app_page.foreign = foreign  # type: ignore[attr-defined]
    app_page.console = console  # type: ignore[attr-defined]
    return app_page


def _console_problems(page: Page) -> list[str]:
    """Console warnings and errors, except the browser's note about Streamlit's own 404 probes."""
    return [
        line
        for line in page.console  # type: ignore[attr-defined]
        if not ("Failed to load resource" in line and "404" in line)
    ]


# ------------------------------------------------------------------------------------------------- phone


FOUR_FINDINGS = "/?symptoms=flushing,diarrhea,wheezing,weight-loss"
KEYBOARD = 300
"""Pixels an on-screen keyboard takes from the bottom of a 390x844 phone."""


def _top(page: Page, locator) -> float:  # type: ignore[no-untyped-def]
    """An element's top from the top of the scrolled page (the app scrolls inside its main section)."""
    return locator.evaluate(
        "el => el.getBoundingClientRect().top + (document.querySelector('[data-testid=stMain]')?.scrollTop || 0)"
    )


def test_phone_result_in_two_screens_and_nothing_cut_off(app_page: Page, app_url: str) -> None:
    """Four findings on a phone: the first NET card starts within two screens, the results take at most six, the
    notice is one line that opens, and long finding names wrap instead of being cut off."""
    page = app_page
    page.set_viewport_size(PHONE)
    page.goto(app_url + FOUR_FINDINGS)
    card = page.locator('[class*="st-key-card_"]').first
    settle(page, card)
    screenshot(page, "phone-checker-first-screen")
    assert _top(page, card) < 2 * PHONE["height"], _top(page, card)
    results = page.locator(".st-key-results_column").bounding_box()
    assert results is not None and results["height"] <= 6 * PHONE["height"], results
    # the notice: one line on a phone, the whole text when opened
    expect(page.locator(".st-key-notice_full")).to_be_hidden()
    short = page.locator(".st-key-notice_short summary")
    box = short.bounding_box()
    assert box is not None and box["height"] < 60, box
    short.click()
    expect(page.locator(".st-key-notice_short")).to_contain_text(DISCLAIMER.partition(". ")[2])
    cut = page.evaluate("""() => [...document.querySelectorAll('.st-key-ticked [data-tag] span[title],'
        + ' [data-testid=stButtonGroup] button p')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")
    assert cut == []
    _fits(page)
    # a red flag comes first, on the first screen
    page.goto(app_url + RESULTS_LINK)
    flag = page.get_by_text("Red flag: seek medical care.").first
    settle(page, flag)
    box = flag.bounding_box()
    assert box is not None and box["y"] + 40 < PHONE["height"], box


def test_keyboard_reaches_the_search_box_right_after_the_page_links_with_a_clear_ring(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(LAPTOP)
    page.goto(app_url + "/?symptoms=flushing")
    search = page.get_by_label("Search findings in plain words or medical terms")
    settle(page, search)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops: list[str] = []
    rings: list[str] = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "() => { const e = document.activeElement; return e.getAttribute('aria-label')"
                " || (e.tagName === 'MAIN' ? 'main' : e.innerText.trim().split('\\n').pop()); }"
            )
        )
        rings.append(page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth"))
        if stops[-1] == "Search findings in plain words or medical terms":
            break
    # Streamlit's skip link and its scrolling main area, then the page links, then the search box
    assert stops == [
        "Skip to main content",
        "main",
        "Checker",
        "About",
        "Presentation",
        "Quiz",
        "Live class",
        "Rule tables",
        "Search findings in plain words or medical terms",
    ], stops
    assert rings[2:8] == ["3px"] * 6, rings  # the page links' focus ring is clearly visible


FOCUSED = """() => { const e = document.activeElement; const box = e.closest("[class*='st-key-']");
    return [e.tagName, e.getAttribute('aria-label') || e.innerText.trim(),
            box ? [...box.classList].find(c => c.startsWith('st-key-')) : null]; }"""
"""The focused element: tag, name and the widget key of the box it is in."""


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_focus_stays_on_the_control_used_for_a_tick(app_page: Page, app_url: str, size: dict[str, int]) -> None:
    page = app_page
    page.set_viewport_size(size)
    page.goto(app_url + "/?symptoms=flushing,diarrhea")
    asks = page.locator("[class*='st-key-ask_']").first
    first = asks.locator("button").first  # single-choice pills: radios drawn as buttons
    settle(page, first)
    key = page.evaluate("e => [...e.classList].find(c => c.startsWith('st-key-'))", asks.element_handle())
    names = asks.locator("button").all_inner_texts()
    # an "ask next" pill leaves its list once ticked: focus moves to the next one in the same list
    first.focus()
    page.keyboard.press("Enter")
    finding = re.sub(r" \([a-z ]+\)$", "", names[0])
    settle(page, page.locator(".st-key-ticked").get_by_text(finding, exact=True))
    expect(page.locator("." + key).locator("button", has_text=names[0])).to_have_count(0)
    assert page.evaluate(FOCUSED) == ["BUTTON", names[1], key]
    # a body-system pill stays focused through its tick and untick
    page.locator(".st-key-browse").get_by_role("radio", name="Skin and face", exact=True).click()
    sweating = page.locator(".st-key-grp_skin").get_by_role("button", name="Sweating", exact=True)
    settle(page, sweating)
    sweating.focus()
    page.keyboard.press("Enter")
    settle(page, page.locator(".st-key-ticked").get_by_text("Sweating", exact=True))
    assert page.evaluate(FOCUSED) == ["BUTTON", "Sweating", "st-key-grp_skin"]
    page.keyboard.press("Enter")
    expect(page.locator(".st-key-ticked").get_by_text("Sweating", exact=True)).to_have_count(0)
    expect(page.locator(IDLE)).to_be_visible()
    assert page.evaluate(FOCUSED) == ["BUTTON", "Sweating", "st-key-grp_skin"]


def test_phone_search_stays_in_place_with_matches_above_the_keyboard(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(PHONE)
    page.goto(app_url)
    search = page.get_by_label("Search findings in plain words or medical terms")
    settle(page, search)
    before = search.bounding_box()
    search.fill("hot flushes")
    match = page.locator(".st-key-search_pick").get_by_role("button").first
    settle(page, match)
    box = match.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"] - KEYBOARD, box
    expect(match).to_contain_text("(also called: hot flush)")  # the reason for the match is not cut off
    match.click()
    settle(page, page.locator('[class*="st-key-card_"]').first)
    after = search.bounding_box()
    assert before is not None and after is not None and abs(after["y"] - before["y"]) < 2, (before, after)


@pytest.mark.parametrize("path", PAGES, ids=["checker", "about", "presentation", "quiz", "rule-tables", "live"])
def test_phone_every_page_fits_and_keeps_the_notice(app_page: Page, app_url: str, path: str) -> None:
    page = app_page
    page.set_viewport_size(PHONE)
    page.goto(app_url + path)
    settle(page, page.locator(".st-key-notice_short summary"))
    expect(page.locator(".st-key-notice_short")).to_contain_text(DISCLAIMER.partition(". ")[0])
    drawn(page)
    _fits(page)
    # large type is off by default on a phone
    expect(page.locator(".st-key-projector")).to_have_count(0)
    screenshot(page, "phone-" + (path.strip("/").split("?")[0] or "checker"), full_page=True)


def test_phone_navigation_does_not_cover_the_page(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(PHONE)
    page.goto(app_url)
    settle(page, page.get_by_role("heading", name="NET checker"))
    # no drawer: the page links are a row on the page itself
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    links = page.locator(".st-key-nav a")
    expect(links).to_have_count(6)
    for link in links.all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    links.filter(has_text="About").click()
    settle(page, page.get_by_role("heading", name="Intended use"))
    drawn(page)
    heading = page.get_by_role("heading", name="Intended use")
    box = heading.bounding_box()
    assert box is not None
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('h1, h2, h3')?.textContent || ''",
        [box["x"] + 5, box["y"] + box["height"] / 2],
    )
    assert "Intended use" in on_top, on_top


# ------------------------------------------------------------------------------------------------ laptop


def test_laptop_search_as_you_type_keeps_ticks_and_lists(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(LAPTOP)
    page.goto(app_url + "/?symptoms=sweating")
    settle(page, page.locator('[class*="st-key-card_"]').first)
    search = page.get_by_label("Search findings in plain words or medical terms")
    matches = page.locator(".st-key-search_pick")
    for typed, label in (
        ("tummy ache", KB.symptoms["abdominal-pain"].label),
        ("hot flushes", KB.symptoms["flushing"].label),
        ("shaky when hungry", KB.symptoms["fasting-or-exercise-spells"].label),
        ("flushin", KB.symptoms["flushing"].label),
    ):
        search.fill("")
        search.press_sequentially(typed, delay=30)  # never presses Enter
        expect(matches.get_by_role("button", name=re.compile("^" + re.escape(label))).first).to_be_visible()
        # the ticked finding and the body-system lists stay on screen while searching
        expect(page.locator(".st-key-ticked").get_by_text("Sweating", exact=True)).to_be_visible()
        expect(page.get_by_text("Digestion and belly", exact=True)).to_be_visible()
    expect(page.locator(IDLE)).to_be_visible()
    screenshot(page, "laptop-search")


def test_laptop_compact_results(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(LAPTOP)
    page.goto(app_url + RESULTS_LINK)
    settle(page, page.locator('[class*="st-key-card_"]').first)
    expect(page.locator('[class*="st-key-card_"]')).to_have_count(3)
    lines = page.locator('[class*="st-key-more_"] summary')
    expect(lines).to_have_count(2)
    # a card's details: the bars' labels wrap instead of being cut off, and the bars run biggest first
    open_expander(
        page,
        page.locator('[class*="st-key-details_"] summary').first,
        page.locator('[class*="st-key-card_"] .points .label').first,
    )
    screenshot(page, "laptop-results", full_page=True)
    labels = page.locator('[class*="st-key-card_"] .points .label')
    expect(labels.first).to_be_visible()
    assert labels.count() >= 3
    assert labels.evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length") == 0
    assert not any(t.endswith("\u2026") for t in labels.all_inner_texts())
    values = [abs(float(v)) for v in page.locator('[class*="st-key-card_"]').first.locator(".points .value").all_inner_texts()]
    assert values == sorted(values, reverse=True), values
    lines.first.click()
    settle(page, page.locator('[class*="st-key-more_"]').first.get_by_text("Why it is listed", exact=False))


def test_print_media_is_a_clean_handout(app_page: Page, app_url: str) -> None:
    """Printing the Checker gives the handout alone: at most two A4 pages for four findings, with what was reported,
    the red flag, the leading look-alikes and NET types with one line of why, the cited sources with their
    addresses, the date, the rules version and the notice."""
    page = app_page
    page.set_viewport_size(LAPTOP)
    page.goto(app_url + RESULTS_LINK)
    settle(page, page.locator('[class*="st-key-card_"]').first)
    handout = page.locator(".st-key-print_only_handout")
    expect(handout).to_be_hidden()  # on screen the page is the app
    page.emulate_media(media="print")
    expect(handout).to_be_visible()
    drawn(page)
    screenshot(page, "print-media", full_page=True)
    for hidden in (".st-key-picker", '[class*="st-key-card_"] >> nth=0', ".st-key-dl_handout", ".st-key-finder"):
        expect(page.locator(hidden)).to_be_hidden()
    text = handout.inner_text()
    for piece in (
        DISCLAIMER,
        f"rules version {KB.version}",
        f"Printed {date.today().isoformat()}",
        "What was reported",
        "Red flags: seek medical care",
        "Common conditions first.",
        "Matching NET types.",
        "Sources cited",
        "https://",
    ):
        assert piece in text, piece
    assert re.search(r"^.+: (strong|moderate|weak|none), score [+-]\d+\.\d\. Why: .+ \[\d", text, re.M), text
    lists = handout.locator("ol")  # look-alikes, NET types, sources: one line each
    assert [lists.nth(i).locator("li").count() for i in range(2)] == [3, 5]
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 1 <= pages <= 2, f"the handout prints on {pages} A4 pages"
    page.emulate_media(media="screen")
    expect(handout).to_be_hidden()


# --------------------------------------------------------------------------------------------- projector


def test_projector_presentation_fits_one_screen(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{app_url}/presentation?case={CASE.id}&step=3&projector=1")
    chart = page.locator(".st-key-projector [data-testid='stVegaLiteChart']")
    settle(page, chart)
    drawn(page)
    screenshot(page, "projector-presentation-step3")
    expect(page.get_by_role("heading", name=CASE.title)).to_be_in_viewport()
    for symptom in CASE.findings[:3]:
        expect(page.get_by_text(KB.symptoms[symptom].label).first).to_be_in_viewport()
    expect(page.get_by_role("heading", name="Top five now")).to_be_in_viewport()
    box = chart.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PROJECTOR["height"], box
    # the chart's text is large and dark
    sizes = chart.evaluate("""el => Array.from(el.querySelectorAll('text')).filter(t => t.textContent.trim()).map(t => [
        parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize), t.getAttribute('fill') || ''])""")
    if sizes:  # SVG renderer; a canvas chart has no text nodes
        assert min(size for size, _ in sizes) >= 18, sizes
        assert {fill for _, fill in sizes} <= {"#1a1a1a", ""}, sizes
    _fits(page)


def _largest_slides(count: int = 2) -> list:  # type: ignore[type-arg]
    """The cases whose slides hold the most text: the longest findings lists and answer views."""

    def size(case) -> int:  # type: ignore[no-untyped-def]
        findings = sum(len(KB.symptoms[s].label) for s in case.findings)
        return max(len(case.story) + findings, findings + sum(len(p) for p in case.teaching_points))

    return sorted(KB.cases.values(), key=size, reverse=True)[:count]


@pytest.mark.parametrize("case", _largest_slides(), ids=lambda case: case.id)
def test_projector_slide_fits_one_screen_at_every_step(app_page: Page, app_url: str, case) -> None:  # type: ignore[no-untyped-def]
    """Every step, the answer and teaching points included, fits 1920x1080: the answer replaces the findings."""
    page = app_page
    page.set_viewport_size(PROJECTOR)
    for step in range(len(case.findings) + 2):
        page.goto(f"{app_url}/presentation?case={teaching.case_code(case.id)}&step={step}&projector=1")
        settle(page, page.get_by_role("heading", name=case.title))
        drawn(page)  # the chart draws after the run
        bottom = page.locator(".st-key-projector").evaluate("el => el.getBoundingClientRect().bottom")
        assert bottom <= PROJECTOR["height"], f"{case.id} step {step}: the slide ends at {bottom:.0f} px"
    expect(page.get_by_text("The answer: ")).to_be_in_viewport()
    expect(page.get_by_text(case.teaching_points[-1][:50])).to_be_in_viewport()
    screenshot(page, f"projector-answer-{case.id}")


def test_presentation_keys_work_whatever_has_focus(app_page: Page, app_url: str) -> None:
    """N right after choosing a case (focus in the case list) and after switching projector mode (focus on the
    switch); A before the last finding asks first."""
    page = app_page
    page.set_viewport_size(LAPTOP)
    first, second = list(KB.cases.values())[:2]
    page.goto(f"{app_url}/presentation?case={teaching.case_code(first.id)}&step=2")
    settle(page, page.get_by_role("heading", name=first.title))
    pick(page, "pres_case_pick", f"Case 2: {second.title}")
    settle(page, page.get_by_role("heading", name=second.title))
    page.keyboard.press("n")
    settle(page, page.get_by_text(f"Step 1 of {len(second.findings) + 1}"))
    assert page.locator('.st-key-pres_case_pick [role="combobox"]').input_value() in ("", f"Case 2: {second.title}")
    page.get_by_text("Projector mode").click()
    settle(page, page.locator(".st-key-projector"))
    page.keyboard.press("n")
    settle(page, page.get_by_text(f"Step 2 of {len(second.findings) + 1}"))
    page.keyboard.press("b")
    settle(page, page.get_by_text(f"Step 1 of {len(second.findings) + 1}"))
    page.keyboard.press("a")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"{len(second.findings) - 1} findings are still hidden.")
    dialog.get_by_role("button", name="Reveal the answer").click()
    settle(page, page.get_by_text("The answer: "))
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_projector_step_zero_shows_the_story_only(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{app_url}/presentation?case={CASE.id}&step=0&projector=1")
    settle(page, page.get_by_role("heading", name=CASE.title))
    expect(page.get_by_text(CASE.story[:60])).to_be_in_viewport()
    expect(page.get_by_role("heading", name="Top five now")).to_have_count(0)
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(0)
    screenshot(page, "projector-presentation-step0")


def test_projector_checker_results_on_first_screen(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size(PROJECTOR)
    page.goto(app_url + "/?symptoms=flushing,diarrhea,wheezing")
    settle(page, page.locator('[class*="st-key-card_"]').first)
    page.get_by_text("Projector mode").click()
    settle(page, page.locator(".st-key-projector"))
    page.mouse.wheel(0, -10_000)  # the switch sits at the end of the form; back to the top of the page
    expect(page.get_by_role("heading", name="Results")).to_be_in_viewport()
    screenshot(page, "projector-checker")
    _fits(page)


# ----------------------------------------------------------------------------------- privacy and console


def test_no_foreign_requests_and_a_clean_console(watched: Page, app_url: str) -> None:
    page = watched
    page.set_viewport_size(LAPTOP)
    for path in PAGES:
        page.goto(app_url + path)
        settle(page, page.get_by_text(DISCLAIMER))
        drawn(page)  # the charts draw (and would log) after the run
    page.goto(app_url + RESULTS_LINK)
    settle(page, page.locator('[class*="st-key-card_"]').first)
    page.get_by_text("Rule tables", exact=True).first.click()
    settle(page, page.get_by_role("heading", name="Rule tables"))
    drawn(page)
    assert page.foreign == []  # type: ignore[attr-defined]
    assert _console_problems(page) == []


@pytest.mark.parametrize("path", PAGES[2:], ids=["presentation", "quiz", "rule-tables", "live"])
def test_accessibility_teaching_pages(app_page: Page, app_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = app_page
    page.goto(app_url + path)
    settle(page, page.get_by_text(DISCLAIMER))
    drawn(page)
    response = Axe().run(page).response
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}" for v in response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []
