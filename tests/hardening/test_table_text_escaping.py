"""Text from the rule tables is shown as text: HTML and Markdown in names, summaries and labels stay inert.

A copy of the shipped rules gets HTML and Markdown in a type's name and summary, a symptom label, a
mimic, a red flag and a hereditary syndrome; the app is pointed at it with NET_CHECKER_RULES and every page
is run in AppTest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_inputs import ROOT, TICKED, app_link_targets, app_on_page, rendered_texts, unsafe_html_defects
from streamlit.testing.v1 import AppTest

from checker import Query, load_knowledge, rank
from checker.report import markdown_handout

PAYLOAD = "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))"
TELL = "*x* <b>y</b> [l](http://e.x)"
"""Markdown and HTML in a look-alike's `tell_apart` (shown in the Checker's expander and in the handout)."""
PAGES = (
    "app_pages/checker.py",
    "app_pages/rule_tables.py",
    "app_pages/presentation.py",
    "app_pages/quiz.py",
    "app_pages/about.py",
)


def _poison(folder: Path) -> None:
    edits = {
        "types.yaml": [
            ("name: Small intestine NET (midgut carcinoid)", f"name: 'Small intestine NET {PAYLOAD}'"),
            ("  summary: A slow-growing NET", f"  summary: {PAYLOAD} A slow-growing NET"),
        ],
        "mimics.yaml": [
            ("name: Menopause and perimenopause (hot flashes)", f"name: 'Menopause {PAYLOAD}'"),
            ("tell_apart: Menopausal hot flashes", f"tell_apart: Menopausal {TELL} hot flashes"),
        ],
        "hereditary.yaml": [("name: Multiple endocrine neoplasia type 1 (MEN1)", f"name: 'MEN1 {PAYLOAD}'")],
    }
    for name, pairs in edits.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    _replace_field(folder / "symptoms.yaml", "flushing", "label", f"Flushing {PAYLOAD}")
    _replace_field(folder / "red_flags.yaml", "fainting", "message", f"Fainting {PAYLOAD}")


def _replace_field(path: Path, row_id: str, field: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"- id: {row_id}")
    for index in range(start + 1, len(lines)):
        if lines[index].startswith(f"  {field}:"):
            lines[index] = f"  {field}: '{value}'"
            break
    else:
        raise AssertionError(f"{path.name}: no {field} in row {row_id}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("poisoned") / "rules"
    shutil.copytree(ROOT / "rules", folder)
    _poison(folder)
    kb = load_knowledge(folder)
    assert PAYLOAD in kb.types["small-intestine-net"].name
    assert TELL in kb.mimics["menopause"].tell_apart
    return folder


@pytest.mark.parametrize("page", PAGES, ids=[Path(p).stem for p in PAGES])
def test_table_text_is_not_rendered_as_html_or_markdown(page: str, poisoned_rules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on_page(poisoned_rules, page, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert not [w for w in at.warning if "problem" in w.value.lower() and "rule table" in w.value.lower()]
    defects = unsafe_html_defects(
        at, needles=(PAYLOAD, "onerror"), allowed_targets=app_link_targets(load_knowledge(poisoned_rules))
    )
    assert not defects, defects
    if page == PAGES[0]:
        shown = "\n".join(text for _, text, _ in rendered_texts(at))
        assert "&lt;img src=x onerror=alert(1)&gt;" in shown, "the poisoned type name was not shown at all"
        assert "\\*\\*bold\\*\\*" in shown


def test_tell_apart_is_escaped_in_the_open_expander_and_the_handout(
    poisoned_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look-alikes' "How to tell them apart from a NET" text (drawn only when its expander is open) and the
    handout's look-alike lines show `tell_apart` as written: emphasis, tags and links escaped."""
    monkeypatch.setenv("NET_CHECKER_RULES", str(poisoned_rules))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["symptoms"] = ",".join(TICKED)
    at.session_state["tell_apart"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [text for _, text, _ in rendered_texts(at) if "Menopausal" in text]
    assert len(shown) == 1 and "(how common:" in shown[0], shown
    assert "Menopausal \\*x\\* &lt;b&gt;y&lt;/b&gt; \\[l\\](http\u2060\\://e.x) hot flashes" in shown[0], shown
    assert not unsafe_html_defects(at, needles=(TELL,))
    kb = load_knowledge(poisoned_rules)
    handout = markdown_handout(kb, rank(kb, Query(present=TICKED)))
    assert "Menopausal \\*x\\* &lt;b&gt;y&lt;/b&gt; \\[l\\](http\u2060://e.x) hot flashes" in handout
    assert TELL not in handout
