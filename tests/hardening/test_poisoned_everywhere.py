"""Every prose field of every table carries HTML, Markdown and every link form (the field list comes from the model:
hostile_inputs.poison_rules), and every page (AppTest), the handouts and the CLI show it as inert text."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hostile_inputs import (
    LINK_FORMS,
    RAW_HTML,
    ROOT,
    TICKED,
    active_markdown,
    app_link_targets,
    app_on_page,
    poison_rules,
    rendered_texts,
    unsafe_html_defects,
)

from checker import KnowledgeBase, Query, load_knowledge, rank
from checker.cli import main as cli
from checker.report import markdown_handout, print_handout

PAYLOAD = f"<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1)) {LINK_FORMS}"
PAGES = (
    "app_pages/checker.py",
    "app_pages/about.py",
    "app_pages/presentation.py",
    "app_pages/quiz.py",
    "app_pages/rule_tables.py",
    "app_pages/live.py",
)


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return poison_rules(ROOT / "rules", tmp_path_factory.mktemp("poisoned") / "rules", PAYLOAD)


@pytest.fixture(scope="module")
def kb(rules: Path) -> KnowledgeBase:
    loaded = load_knowledge(rules)
    assert loaded.types["small-intestine-net"].summary.endswith(PAYLOAD)
    return loaded


@pytest.mark.parametrize("page", PAGES, ids=[Path(p).stem for p in PAGES])
def test_every_page_shows_poisoned_table_text_inert(
    page: str, rules: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on_page(rules, page, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert unsafe_html_defects(at, needles=("onerror", "<img"), allowed_targets=app_link_targets(kb)) == []
    if page in ("app_pages/checker.py", "app_pages/about.py"):  # the payload is shown, as text
        shown = "\n".join(text for _, text, _ in rendered_texts(at))
        assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "\\*\\*bold\\*\\*" in shown


def test_handouts_show_poisoned_table_text_inert(kb: KnowledgeBase) -> None:
    result = rank(kb, Query(present=TICKED, syndrome="men1"))
    for handout in (markdown_handout(kb, result), print_handout(kb, result)):
        assert "onerror=alert(1)" in handout  # the payload is there ...
        assert not RAW_HTML.search(handout)  # ... but never as a tag,
        assert active_markdown(handout, app_link_targets(kb)) == []  # a link, an image or an autolink


def test_the_cli_prints_poisoned_table_text_as_it_is(rules: Path, kb: KnowledgeBase) -> None:
    """The CLI writes plain text and JSON, not Markdown: table text arrives whole (the loader refuses control
    characters, so nothing in it can steer a terminal)."""
    symptoms = [arg for s in TICKED for arg in ("--symptom", s)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli(["rank", *symptoms, "--rules", str(rules), "--format", "json"]) == 0
    assert kb.types["small-intestine-net"].name in [row["name"] for row in json.loads(out.getvalue())["candidates"]]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli(["rank", *symptoms, "--rules", str(rules)]) == 0
    assert PAYLOAD in out.getvalue() and "\x1b" not in out.getvalue()
