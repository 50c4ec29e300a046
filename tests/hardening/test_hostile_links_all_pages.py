"""Every query parameter of every page, with links, images and autolinks as values: nothing becomes active.

Before issue 11 only the Checker page was fuzzed, with a detector that saw only `](javascript:` and `![..](`.
Here each page is opened through app.py with one hostile value in one parameter (its own parameters, plus one it
does not know), and the page must raise nothing, keep the notice, and render no link, image or autolink except
the app's own (checked by hostile_inputs.active_markdown on every Markdown text, label and help).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_inputs import app_link_targets, unsafe_html_defects
from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KB = load_knowledge(ROOT / "rules")
ALLOWED = app_link_targets(KB)

PAGES: dict[str, tuple[str, ...]] = {
    "app_pages/checker.py": ("symptoms", "absent", "functional", "syndrome"),
    "app_pages/presentation.py": ("case", "step", "live", "host"),
    "app_pages/quiz.py": ("case",),
    "app_pages/live.py": ("code", "me"),
    "app_pages/about.py": (),
    "app_pages/rule_tables.py": (),
}
"""Each page and the query parameters it reads; every page also gets one parameter it does not know."""
UNKNOWN_PARAM = "utm_source"
COMPANIONS: dict[tuple[str, str], dict[str, str]] = {
    ("app_pages/live.py", "me"): {"code": "ABCDEFG"},
    ("app_pages/presentation.py", "host"): {"live": "ABCDEFG"},
    ("app_pages/presentation.py", "step"): {"case": next(iter(KB.cases))},
}
"""Parameters a parameter is read only beside (a seat only with a class code): set to plain values with it."""

PAYLOADS = {
    "phishing-link": "[Log in again to continue](http://evil.example/login)",
    "tracking-image": "![](http://evil.example/pixel.png)",
    "short-image": "')![](//e.x/p)",
    "www-autolink": "www.evil-login.example",
    "underscore-www": "_www.evil-login.example",
    "long-underscore-www": "_www.evil-login.example" + "x" * 80,  # past the length checks (the live seat, 64)
    "https-autolink": "https://evil.example/login",
    "email-autolink": "phish@evil.example",
    "angle-autolink": "<https://evil.example>",
    "html": "<img src=x onerror=alert(1)>",
    "reference": "[x]: https://evil.example",
}

CASES = [(page, param, name) for page, params in PAGES.items() for param in (*params, UNKNOWN_PARAM) for name in PAYLOADS]

pytestmark = pytest.mark.slow  # every page x every parameter x every payload in AppTest: about 20 s


@pytest.fixture(scope="module")
def warm() -> None:
    """Load the tables once (st.cache_resource) so each case measures only its page."""
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("page", "param", "payload"), CASES, ids=[f"{Path(p).stem}-{k}-{n}" for p, k, n in CASES])
def test_hostile_value_renders_no_active_markdown(
    page: str, param: str, payload: str, warm: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NET_CHECKER_RULES", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page != "app_pages/checker.py":
        at.run()  # AppTest resolves custom url_paths only after a first run
        for key in list(at.query_params):
            del at.query_params[key]
    value = PAYLOADS[payload]
    for key, plain in COMPANIONS.get((page, param), {}).items():
        at.query_params[key] = plain
    at.query_params[param] = value
    if page != "app_pages/checker.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.warning and at.warning[0].value == DISCLAIMER
    defects = unsafe_html_defects(at, needles=(value,), allowed_targets=ALLOWED)
    assert not defects, defects


@pytest.mark.parametrize(
    "step",
    ["\u0663", "1_0", " +3", "\uff13", "3.0", "0x3"],
    ids=["arabic-indic", "underscore", "plus", "fullwidth", "float", "hex"],
)
def test_presentation_step_takes_ascii_digits_only(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """int() accepted '\u0663' (Arabic-Indic three) and '1_0'; a step is now one to four ASCII digits."""
    monkeypatch.delenv("NET_CHECKER_RULES", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    for key in list(at.query_params):
        del at.query_params[key]
    case = next(iter(KB.cases))
    at.query_params["case"] = case
    at.query_params["step"] = step
    at.switch_page("app_pages/presentation.py").run()
    assert not at.exception
    notices = [w.value for w in at.warning if w.value != DISCLAIMER]
    assert any("is not a number" in n for n in notices), notices
    assert at.session_state["pres_step"] == 0
