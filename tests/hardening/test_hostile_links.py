"""Hostile shared links: parse_params never raises, says what it dropped, and the app shows that safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_inputs import (
    MARKDOWN_ACTIVE,
    RAW_HTML,
    active_markdown,
    app_link_targets,
    hostile_links,
    streamlit_params,
    unsafe_html_defects,
)
from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER, load_knowledge, rank
from checker.share import MAX_NOTICES, parse_params

ROOT = Path(__file__).resolve().parents[2]
KB = load_knowledge()
LINKS = hostile_links(KB)
APP_SAMPLE = [link for link in LINKS if link.drops_input][::12][:20]
NOTICE_MAX_CHARS = 400


def _notice_defects(notices: list[str]) -> list[str]:
    defects = []
    if len(notices) > MAX_NOTICES + 1:
        defects.append(f"{len(notices)} notices")
    for notice in notices:
        if not isinstance(notice, str) or not notice.strip():
            defects.append(f"empty or non-text notice {notice!r}")
        elif len(notice) > NOTICE_MAX_CHARS:
            defects.append(f"notice of {len(notice)} characters")
        elif RAW_HTML.search(notice) or MARKDOWN_ACTIVE.search(notice) or any(ord(c) < 32 for c in notice):
            defects.append(f"notice repeats raw input: {notice[:120]!r}")
    return defects


def test_there_are_enough_hostile_links() -> None:
    assert len(LINKS) >= 500
    assert len({link.id for link in LINKS}) == len(LINKS)
    assert len(APP_SAMPLE) == 20


def test_parse_params_survives_every_hostile_link() -> None:
    failures: list[str] = []
    for link in LINKS:
        try:
            query, notices = parse_params(streamlit_params(link.query_string), KB)
            rank(KB, query)  # whatever survives parsing must be a valid query
        except Exception as exc:  # noqa: BLE001 - any exception is the failure being looked for
            failures.append(f"{link.id}: {type(exc).__name__}: {exc}"[:200])
            continue
        if link.drops_input and not notices:
            failures.append(f"{link.id}: input was dropped without a notice: {link.query_string[:100]!r}")
        failures += [f"{link.id}: {defect}" for defect in _notice_defects(notices)]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize(
    "mapping",
    [
        None,
        "symptoms=flushing",
        b"x",
        42,
        [("symptoms", "flushing"), ("bad",)],
        {1: "x"},
        {"symptoms": None},
        {"symptoms": 5},
        {"symptoms": [b"\xff\xfe", None, 3.5, ["nested"]]},
        {"symptoms": object()},
        {"symptoms": ["fatigue"] * 1000},
        {f"k{i}": "v" for i in range(1000)},
    ],
    ids=[
        "none",
        "string",
        "bytes",
        "int",
        "bad-pair",
        "int-key",
        "none-value",
        "int-value",
        "odd-values",
        "object-value",
        "thousand-values",
        "thousand-keys",
    ],
)
def test_parse_params_tolerates_odd_mappings(mapping: object) -> None:
    query, notices = parse_params(mapping, KB)
    rank(KB, query)
    assert not _notice_defects(notices)


def test_clean_links_give_no_notice() -> None:
    for link in LINKS:
        if link.id in ("empty", "valid-only", "embed", "upper-case-key", "blank-symptoms"):
            assert parse_params(streamlit_params(link.query_string), KB)[1] == [], link.id


# ------------------------------------------------------------------ the app, through AppTest


def _link_notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value != DISCLAIMER]


@pytest.fixture()
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("NET_CHECKER_RULES", raising=False)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.mark.parametrize("link", APP_SAMPLE, ids=[link.id for link in APP_SAMPLE])
def test_app_shows_a_notice_and_no_raw_input_for_hostile_links(app: AppTest, link) -> None:  # type: ignore[no-untyped-def]
    params = streamlit_params(link.query_string)
    for key, values in params.items():
        app.query_params[key] = values
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert _link_notices(app), f"no notice for {link.query_string[:80]!r}"
    needles = tuple(v for values in params.values() for v in values if len(v) > 3) + tuple(k for k in params if len(k) > 3)
    assert not unsafe_html_defects(app, needles, app_link_targets(KB))


def test_app_code_marks_no_markdown_as_unsafe_html() -> None:
    """The only raw-HTML paths allowed are st.html calls with constant CSS; no unsafe_allow_html anywhere."""
    sources = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sources
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "unsafe_allow_html=True" in line.replace(" ", "")
    ]
    assert not offenders, offenders


def test_unsafe_html_detector_catches_raw_markup() -> None:
    """The checks above can fail: raw tags, active links and input inside raw HTML are all reported."""
    at = AppTest.from_string(
        "import streamlit as st\n"
        "st.html('<b>constant</b>')\n"
        "st.markdown('<script>alert(1)</script>')\n"
        "st.markdown('<i>evil-input</i>', unsafe_allow_html=True)\n"
        "st.checkbox('[a](javascript:alert(1))', help='![t](https://example.invalid/p.png)')\n"
        "st.html('<p>&lt;img src=x onerror=alert(1)&gt; is shown as text</p>')\n"
        "st.html('<span title=\"evil-input\">x</span>')\n"
    )
    at.run()
    defects = unsafe_html_defects(at, needles=("<i>evil-input</i>", "evil-input", "onerror"))
    assert len(defects) == 6, defects
    assert sum("unescaped" in d for d in defects) == 1 and sum("attribute" in d for d in defects) == 1
    assert sum("active link" in d for d in defects) == 2 and sum("active image" in d for d in defects) == 1


@pytest.mark.parametrize(
    ("markdown", "kind"),
    [
        ("[Log in again](https://evil.example/login)", "link"),
        ("[x](#results)", "link"),
        ("[Jump to results](https://evil.example)", "link"),
        ("![](http://host/pixel.png)", "image"),
        ("see www.evil-login.example", "www autolink"),
        ("https://evil.example/login", "scheme autolink"),
        ("mailto:x@evil.example", "mailto autolink"),
        ("write to phish@evil.example", "e-mail autolink"),
        ("<https://evil.example>", "angle autolink"),
        ("[x]: https://evil.example", "link reference"),
        (r"www\.evil.example", "www autolink"),
        (r"https\://evil.example", "scheme autolink"),
        (r"phish\@evil.example", "e-mail autolink"),
    ],
    ids=[
        "link",
        "own-label-wrong-target",
        "own-target-wrong-label",
        "image",
        "www",
        "https",
        "mailto",
        "email",
        "angle",
        "reference",
        "escaped-www-still-links",
        "escaped-scheme-still-links",
        "escaped-email-still-links",
    ],
)
def test_active_markdown_detector_flags_every_link_kind(markdown: str, kind: str) -> None:
    found = active_markdown(markdown, frozenset({"https://evil.example/ok"}))
    assert any(item.startswith(kind) for item in found), found


@pytest.mark.parametrize(
    "text",
    [
        "[Jump to results](#results)",
        r"\[Log in\](ht\u2060tps\://evil.example)",
        "www\u2060\\.evil.example",
        "https\u2060\\://evil.example",
        "phish\\@\u2060evil.example",
        "Flushing (face) and www-ish words: 3.5 points",
        "Run `python -m checker validate` or see `https://x.example`",
    ],
    ids=["own-link", "escaped-link", "joined-www", "joined-scheme", "joined-email", "plain", "code-span"],
)
def test_active_markdown_detector_passes_inert_text(text: str) -> None:
    assert active_markdown(text, frozenset({"#results"})) == []
