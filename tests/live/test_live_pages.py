"""The live class through the app's pages (AppTest): the educator on the Presentation page, students on /live.

Runs on SQLite and on PostgreSQL: the page's store comes from $NET_CHECKER_DB / $NET_CHECKER_DATA as in production.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from live_support import CASE
from pg_support import fresh_database
from streamlit.testing.v1 import AppTest

from checker import DISCLAIMER, teaching
from checker.live import Classroom, database_url, make_engine
from checker.model import KnowledgeBase

APP = Path(__file__).resolve().parents[2] / "app.py"
TEXTS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kb: KnowledgeBase):
    """The store the app will open, and a Classroom on it for the test to look behind the pages."""
    monkeypatch.delenv("NET_CHECKER_RULES", raising=False)
    if request.param == "sqlite":
        monkeypatch.setenv("NET_CHECKER_DATA", str(tmp_path))
        monkeypatch.delenv("NET_CHECKER_DB", raising=False)
    else:
        url = fresh_database(request.getfixturevalue("postgres_url"), f"pages_{uuid.uuid4().hex[:12]}")
        monkeypatch.setenv("NET_CHECKER_DB", url)
    engine = make_engine(database_url())
    yield Classroom(engine, kb)
    engine.dispose()


def text(at: AppTest) -> str:
    return "\n".join(str(el.value) for kind in TEXTS for el in getattr(at, kind))


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page(path)
    for key, value in params.items():
        at.query_params[key] = value
    return ok(at.run())


def educator(case_id: str = CASE, mode: str = "live") -> tuple[AppTest, str, str]:
    """The Presentation page with a case chosen and a session started from its live panel."""
    at = page("app_pages/presentation.py", case=teaching.case_code(case_id))
    if mode != "live":
        at.radio(key="live_mode_pick").set_value(mode)
        ok(at.run())
    ok(at.button(key="live_start").click().run())
    code, token = at.query_params["live"], at.query_params["host"]
    code = code[0] if isinstance(code, list) else code
    token = token[0] if isinstance(token, list) else token
    return at, code, token


def student(code: str, nickname: str = "") -> AppTest:
    at = page("app_pages/live.py", code=code)
    if nickname:
        at.text_input(key="live_nickname").input(nickname)
    return ok(at.button(key="FormSubmitter:live_join-Join").click().run())


def answer(at: AppTest, step: int, lead: str, others: tuple[str, ...] = ()) -> AppTest:
    at.selectbox(key=f"live_lead_{step}").set_value(lead)
    at.multiselect(key=f"live_others_{step}").set_value(list(others))
    return ok(at.button(key=f"live_send_{step}").click().run())


def test_starting_a_session_shows_the_join_code_qr_and_the_host_controls(store: Classroom) -> None:
    at, code, token = educator()
    shown = text(at)
    assert f"{code[:4]} {code[4:]}" in shown
    assert "`http://localhost:8501/live`" in shown
    assert len(at.get("image")) == 1
    assert [b.key for b in at.button if b.key and b.key.startswith("live_")] == [
        "live_back",
        "live_next",
        "live_reveal",
        "live_show",
        "live_end",
    ]
    assert at.metric[0].value == "0"
    assert store.host(code, token).case_id == CASE
    assert at.warning[0].value == DISCLAIMER


def test_a_wrong_host_link_controls_nothing(store: Classroom) -> None:
    code, _ = store.create(CASE)
    at = page("app_pages/presentation.py", live=code, host="guess")
    assert at.error[0].value.startswith("This educator link is not valid")
    assert not [b for b in at.button if b.key == "live_next"]


def test_a_whole_class_through_the_pages(store: Classroom) -> None:
    host, code, token = educator()
    ann = student(code, "Ann Lee")
    bob = student(code.lower())
    assert "you are student 1 (Ann Lee)" in text(ann) and "you are student 2" in text(bob)
    answer(ann, 0, "vipoma")
    answer(ann, 0, "glucagonoma", ("vipoma",))  # changes her mind
    answer(bob, 0, "type-2-diabetes")
    assert "Sent: **Glucagonoma** (then VIPoma)" in text(ann)
    ok(host.run())
    assert host.metric[0].value == "2"
    assert "2 of 2 students have answered." in text(host)
    assert "The class's answers are hidden" in text(host)
    assert not host.get("vega_lite_chart")
    ok(host.button(key="live_show").click().run())
    assert len(host.get("vega_lite_chart")) == 1
    ok(host.button(key="live_next").click().run())
    assert f"Join: http://localhost:8501/live with the code **{code[:4]} {code[4:]}**" in text(host)
    ok(ann.run())
    assert "**New finding:** Unexplained weight loss" in text(ann)
    assert ann.selectbox(key="live_lead_1").value == "glucagonoma"  # starts from her last answer
    assert "No answer sent for this step yet." in text(ann)
    answer(ann, 1, "glucagonoma")
    for _ in range(4):
        ok(host.button(key="live_next").click().run())
    ok(host.button(key="live_reveal").click().run())
    shown = text(host)
    assert "The answer: **Glucagonoma**" in shown
    assert "Debrief" in shown
    table = host.dataframe[-1].value
    assert list(table["answer first"])[:2] == ["1 of 2 (50%)", "1 of 1 (100%)"]
    assert list(table["tables' rank of the answer"]) == [23, 13, 1, 1, 1, 1]
    assert "Most common wrong answers at the last step" not in shown  # step 1: only Ann, and she was right
    csv = host.get("download_button")[0]
    assert csv.proto.label == "Download every answer (CSV, anonymous)"
    rows = store.answers(store.host(code, token).id)
    assert [(a.student, a.step, a.lead) for a in rows] == [
        (1, 0, "vipoma"),
        (1, 0, "glucagonoma"),
        (2, 0, "type-2-diabetes"),
        (1, 1, "glucagonoma"),
    ]
    ok(ann.run())
    assert "The answer: **Glucagonoma**" in text(ann)
    assert "- **Step 0** (the story): Glucagonoma (right); the tables rank the answer 23" in text(ann)
    ok(host.button(key="live_end").click().run())
    assert "This session has ended and its answers are deleted." in text(host)
    ok(bob.run())
    assert "This class has ended. Its answers have been deleted." in text(bob)


def test_a_wrong_code_gets_a_clear_message_and_the_url_stays_inert(store: Classroom) -> None:
    at = page("app_pages/live.py", code="<img src=x onerror=alert(1)>")
    assert at.text_input(key="live_code_input").value == "IMGSRCXONERR"
    ok(at.button(key="FormSubmitter:live_join-Join").click().run())
    assert at.error[0].value.startswith("No class has the code IMGSRCXONERR. Check the code on the projector")
    seat = page("app_pages/live.py", code="ABCDEFG", me="x" * 80)
    assert "The link's seat ('xxxxxxxxxxxx...') is not valid; join again." in text(seat)


def test_a_hostile_nickname_is_inert_and_the_projector_shows_initials_only(store: Classroom) -> None:
    host, code, _ = educator()
    evil = student(code, "<b>x</b> [y](javascript:1)"[:24])
    caption = [c.value for c in evil.caption if "you are student" in c.value][0]
    assert caption.endswith(r"you are student 1 (&lt;b&gt;x&lt;/b&gt; \[y\](javascript\:)")  # escaped: no tag, no link
    ok(host.run())
    assert "Latest: BY" in text(host)
    assert "javascript" not in text(host)


def test_self_paced_homework_lets_each_student_move_on(store: Classroom) -> None:
    host, code, token = educator(mode="self-paced")
    assert store.host(code, token).mode == "self-paced"
    ann = student(code)
    next_button = ann.button(key="live_next_0")
    assert next_button.disabled  # answer first
    answer(ann, 0, "glucagonoma")
    ok(ann.button(key="live_next_0").click().run())
    assert "**New finding:** Unexplained weight loss" in text(ann)
    ok(host.run())
    assert "Self-paced: open until" in text(host)
    assert "Debrief" in text(host)
    progress = host.dataframe[0].value
    assert list(progress["students answered"])[:2] == [1, 0]
