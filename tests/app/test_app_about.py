"""AppTest: every page shows the notice; the About page has its sections, versions and bibliography."""

from __future__ import annotations

import re

import pytest
from app_helpers import ROOT, plain, run, walk
from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER, load_knowledge

KB = load_knowledge(ROOT / "rules")
# The pages listed in checker_app/main.py's pages() (teaching pages appended there are covered too).
PAGE_FILES = re.findall(r"st\.Page\(\s*HOME / \"([^\"]+\.py)\"", (ROOT / "checker_app" / "main.py").read_text(encoding="utf-8"))


def test_pages_are_found() -> None:
    assert PAGE_FILES[0] == "app_pages/checker.py"
    assert "app_pages/about.py" in PAGE_FILES


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_shows_the_notice_first(app: AppTest, page: str) -> None:
    run(app)
    app.switch_page(page)
    run(app)
    elements = list(walk(app.main))
    # the row of page links comes first, then the notice before any of the page's own content
    assert (type(elements[0]).__name__, elements[0].key) == ("Block", "nav")
    links = {id(el) for el in walk(elements[0])}
    first = next(el for el in elements[1:] if id(el) not in links)
    # in full on wider screens; a phone shows the short one (first sentence, opening to the rest)
    assert (type(first).__name__, first.key) == ("Block", "notice_full")
    assert [(type(e).__name__, e.value) for e in walk(first) if type(e).__name__ != "Block"] == [("Warning", DISCLAIMER)]
    short = next(el for el in elements if getattr(el, "key", None) == "notice_short")
    body = next(e.proto.body for e in walk(short) if "<details" in str(getattr(getattr(e, "proto", None), "body", "")))
    head, _, rest = DISCLAIMER.partition(". ")
    assert f"<summary>{head}. <span>Read the notice</span></summary><p>{rest}</p>" in body


def test_about_page_content(app: AppTest) -> None:
    run(app)
    app.switch_page("app_pages/about.py")
    run(app)
    headers = [h.value for h in app.header]
    assert headers == [
        "Intended use",
        "How the scoring works",
        "Sources, licences and data versions",
        "Found an error in the tables?",
    ]
    body = plain("\n".join(m.value for m in app.markdown))
    assert "not a medical device" in body
    assert "diagnosis" in body and "triage" in body
    assert KB.version in body
    assert KB.snapshot.hpo_release in body
    assert "CC BY 4.0" in body
    assert "HPO terms of use" in body
    assert "python -m checker validate" in body
    assert "rules/*.yaml" in body
    expanders = [e.label for e in app.expander]
    assert any(label.startswith("Web pages read") for label in expanders)
    n_pages = sum(1 for s in KB.sources.values() if s.kind == "page")
    assert f"Web pages read ({n_pages})" in expanders
    assert len(app.table) == 2  # frequency classes and background classes, with the P each one stands for
    assert "likelihood ratio" in body and "each point doubles the odds" in body
    assert "Worked example from the current tables" in body and "Points = log2(" in body
