"""The teaching pages in real headless Chromium: stepping through a presentation (URL and chart follow each
step, a reload restores it) and one quiz round (commit, feedback, tally, another case).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import pick, settle
from playwright.sync_api import Page, expect

from checker import DISCLAIMER, load_knowledge, teaching

pytestmark = pytest.mark.browser

KB = load_knowledge()
CASE = KB.cases["insulinoma-fasting-spells"]
QUIZ_CASE = KB.cases["vipoma-watery-diarrhea"]


def url_params(page: Page) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}


def chart(page: Page, steps: int):
    return page.locator(f'[data-testid="stVegaLiteChart"][aria-label$="over {steps} steps"]')


def step_caption(page: Page, step: int, case=CASE):
    return page.get_by_text(f"Step {step} of {len(case.findings) + 1}")


def test_presentation_steps_update_url_and_chart(app_page: Page, app_url: str) -> None:
    page = app_page
    page.goto(f"{app_url}/presentation?case={CASE.id}&step=0")
    settle(page, page.get_by_role("heading", name=CASE.title))
    expect(page.get_by_text(DISCLAIMER)).to_be_visible()
    expect(page.get_by_text("The ranking and the chart appear with the first finding")).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(0)
    for step in (1, 2, 3):
        page.get_by_role("button", name="Next finding").click()
        settle(page, step_caption(page, step))
        expect(chart(page, step + 1)).to_be_visible()
        expect(page.get_by_text(f"{KB.symptoms[CASE.findings[step - 1]].label} (new)")).to_be_visible()
        assert url_params(page) == {"case": teaching.case_code(CASE.id), "step": str(step)}
    page.keyboard.press("n")
    settle(page, step_caption(page, 4))
    assert url_params(page)["step"] == "4"
    # a fresh load of the shared link restores the same case and step
    page.goto(page.url)
    settle(page, step_caption(page, 4))
    expect(page.get_by_role("heading", name=CASE.title)).to_be_visible()
    while url_params(page)["step"] != str(len(CASE.findings)):
        current = int(url_params(page)["step"])
        page.get_by_role("button", name="Next finding").click()
        settle(page, step_caption(page, current + 1))
    expect(page.get_by_role("heading", name="Teaching points")).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"^Answer")).click()
    settle(page, page.get_by_role("heading", name="Teaching points"))
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Insulinoma")
    assert url_params(page)["step"] == str(len(CASE.findings) + 1)


def test_presentation_bad_link_shows_a_notice(app_page: Page, app_url: str) -> None:
    page = app_page
    page.goto(f"{app_url}/presentation?case=not-a-case&step=banana")
    settle(page, page.get_by_text("does not exist"))
    expect(page.get_by_text("is not a number")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_quiz_round(app_page: Page, app_url: str) -> None:
    page = app_page
    page.goto(f"{app_url}/quiz")
    settle(page, page.get_by_role("heading", name="Quiz", exact=True))
    expect(page.get_by_text(DISCLAIMER)).to_be_visible()
    pick(page, "quiz_pick", QUIZ_CASE.title)
    settle(page, page.get_by_role("heading", name=QUIZ_CASE.title))
    expect(page.get_by_text(QUIZ_CASE.teaching_points[0])).to_have_count(0)
    pick(page, "quiz_guess", "VIPoma")
    page.get_by_role("button", name="Commit my answer").click()
    settle(page, page.get_by_text("Correct: VIPoma."))
    expect(page.get_by_role("heading", name="Where each finding pointed")).to_be_visible()
    expect(page.get_by_text(QUIZ_CASE.teaching_points[0])).to_be_visible()
    answered = page.locator('[data-testid="stMetric"]').filter(has_text="Cases answered")
    expect(answered.locator('[data-testid="stMetricValue"]')).to_have_text("1")
    page.get_by_role("button", name="Another case").click()
    settle(page, page.get_by_role("button", name="Commit my answer"))
    expect(answered.locator('[data-testid="stMetricValue"]')).to_have_text("1")
    expect(page.get_by_text("Correct: VIPoma.")).to_have_count(0)


def test_quiz_shows_the_case_on_a_phones_first_screen(app_page: Page, app_url: str) -> None:
    page = app_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/quiz?case={teaching.case_code(QUIZ_CASE.id)}")
    heading = page.get_by_role("heading", name=QUIZ_CASE.title)
    settle(page, heading)
    from browser_support import screenshot

    screenshot(page, "phone-quiz-first-screen")
    box = heading.bounding_box()
    assert box is not None and box["y"] + box["height"] < 844, box
