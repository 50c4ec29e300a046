"""The live-class store and its rules, on SQLite and on a real PostgreSQL (every test runs on both)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from live_support import CASE, START, Clock

from checker.live import Classroom, LiveError, make_engine
from checker.live import classroom as live
from checker.live.store import SCHEMA_VERSION, database_url, schema_version


def _join(room: Classroom, code: str, n: int) -> list[str]:
    return [room.join(code, f"Student {i}", tab=f"tab{i}")[0] for i in range(n)]


def test_create_gives_an_unambiguous_code_and_a_secret_host_token(room: Classroom) -> None:
    code, token = room.create(CASE)
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{7}", code)
    assert len(token) >= 32
    state = room.host(code, token)
    assert (state.case_id, state.mode, state.step, state.show_answers, state.ended) == (CASE, "live", 0, False, False)
    assert state.expires_at - state.created_at == 24 * 3600
    with pytest.raises(LiveError, match="^This educator link is not valid"):
        room.host(code, token + "x")
    with pytest.raises(LiveError, match="^There is no such case.$"):
        room.create("no-such-case")


def test_the_host_token_is_stored_only_as_a_hash(room: Classroom) -> None:
    code, token = room.create(CASE)
    student, _ = room.join(code, "Ann", tab="t")
    with room.engine.connect() as conn:
        dumped = repr(conn.execute(sa.text("SELECT * FROM live_sessions")).all())
        dumped += repr(conn.execute(sa.text("SELECT * FROM live_students")).all())
    assert token not in dumped and student not in dumped


def test_students_join_in_order_and_a_typed_code_is_forgiving(room: Classroom) -> None:
    code, _ = room.create(CASE)
    _, first = room.join(code, "  Ann \t Lee  ", tab="a")
    token, second = room.join(f" {code[:4].lower()}-{code[4:]} ", "", tab="b")
    assert (first, second) == (1, 2)
    me = room.student(code, token)
    assert (me.number, me.nickname, me.step) == (2, "", 0)
    assert room.student_count(me.session.id) == 2
    assert room.joined_nicknames(me.session.id) == ["Ann Lee"]


def test_nicknames_are_cut_to_24_printable_characters_and_projected_as_initials() -> None:
    assert live.clean_nickname("a\x00b\u202ec" + "x" * 40) == "a b c" + "x" * 19
    assert len(live.clean_nickname("y" * 100)) == 24
    assert live.initials("ann lee") == "AL"
    assert live.initials("<b>bold</b> =1+1") == "B"
    assert live.initials("42 !!") == ""
    assert live.initials("Zoë ßtraße Ola") == "ZS"


def test_wrong_ended_and_expired_codes_get_their_own_message(room: Classroom, clock: Clock) -> None:
    with pytest.raises(LiveError, match="^No class has the code ZZZZZZZ. Check the code on the projector"):
        room.join("zzzzzzz", tab="t")
    with pytest.raises(LiveError, match="^Type the class code shown on the projector.$"):
        room.join("  --  ", tab="t2")
    code, token = room.create(CASE)
    room.end(code, token)
    with pytest.raises(LiveError, match="^This class has ended. Its answers have been deleted.$"):
        room.join(code, tab="t3")
    code, token = room.create(CASE)
    with room.engine.begin() as conn:  # expired a moment ago; the next purge is up to five minutes away
        conn.execute(sa.text("UPDATE live_sessions SET expires_at = :t WHERE code = :c"), {"t": START + 10, "c": code})
    clock.advance(60)
    with pytest.raises(LiveError, match="^This class has expired. Its answers have been deleted.$"):
        room.join(code, tab="t4")
    clock.advance(live.PURGE_EVERY_S)
    with pytest.raises(LiveError, match=f"^No class has the code {code}. .* codes are deleted a day after the class.$"):
        room.join(code, tab="t5")


def test_failed_joins_are_limited_per_tab_then_for_the_server(
    room: Classroom, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _ = room.create(CASE)
    for _ in range(5):
        with pytest.raises(LiveError, match="^No class has the code"):
            room.join("AAAAAAA", tab="guesser")
    with pytest.raises(LiveError, match="^Too many wrong codes from this page"):
        room.join(code, tab="guesser")  # even the right code, until the window passes
    assert room.join(code, tab="honest")[1] == 1
    clock.advance(601)
    assert room.join(code, tab="guesser")[1] == 2
    monkeypatch.setattr(live, "FAILED_JOINS_PER_MINUTE", 3)
    for tab in ("x1", "x2", "x3"):
        with pytest.raises(LiveError, match="^No class has the code"):
            room.join("AAAAAAA", tab=tab)
    with pytest.raises(LiveError, match="^Too many wrong codes were tried in the last minute"):
        room.join("AAAAAAA", tab="x4")


def test_a_class_is_bounded(room: Classroom, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "MAX_STUDENTS", 3)
    code, _ = room.create(CASE)
    _join(room, code, 3)
    with pytest.raises(LiveError, match=r"^This class is full \(3 students\).$"):
        room.join(code, tab="late")


def test_answers_change_until_the_educator_moves_on(room: Classroom, clock: Clock) -> None:
    code, token = room.create(CASE)
    ann, bob = _join(room, code, 2)
    room.submit(code, ann, 0, "vipoma", ["glucagonoma", "vipoma", ""])
    clock.advance(5)
    room.submit(code, ann, 0, "glucagonoma", ["type-2-diabetes"])
    room.submit(code, bob, 0, "type-2-diabetes")
    room.set_step(code, token, 1)
    with pytest.raises(LiveError, match="^The case has moved on: that answer was for an earlier step"):
        room.submit(code, bob, 0, "glucagonoma")
    state = room.host(code, token)
    assert [(a.student, a.step, a.lead, a.others, a.at - START) for a in room.answers(state.id)] == [
        (1, 0, "vipoma", ("glucagonoma",), 0.0),
        (1, 0, "glucagonoma", ("type-2-diabetes",), 5.0),
        (2, 0, "type-2-diabetes", (), 5.0),
    ]
    assert {k: a.lead for k, a in room.my_answers(code, ann).items()} == {0: "glucagonoma"}


def test_answers_are_checked_against_the_list_and_bounded(room: Classroom, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = room.create(CASE)
    (ann,) = _join(room, code, 1)
    with pytest.raises(LiveError, match="^Pick your leading diagnosis from the list.$"):
        room.submit(code, ann, 0, "<script>")
    with pytest.raises(LiveError, match="^Pick at most 2 more diagnoses from the list.$"):
        room.submit(code, ann, 0, "vipoma", ["glucagonoma", "insulinoma", "gastrinoma"])
    with pytest.raises(LiveError, match="^Pick at most 2 more diagnoses from the list.$"):
        room.submit(code, ann, 0, "vipoma", ["=HYPERLINK()"])
    monkeypatch.setattr(live, "MAX_SUBMISSIONS_PER_STEP", 2)
    room.submit(code, ann, 0, "vipoma")
    room.submit(code, ann, 0, "glucagonoma")
    with pytest.raises(LiveError, match="^You have changed this answer 2 times; the last one stands.$"):
        room.submit(code, ann, 0, "insulinoma")


def test_only_the_host_token_moves_the_class(room: Classroom) -> None:
    code, token = room.create(CASE)
    (ann,) = _join(room, code, 1)
    for action, args in (("set_step", (1,)), ("set_show_answers", (True,)), ("end", ())):
        with pytest.raises(LiveError, match="^This educator link is not valid"):
            getattr(room, action)(code, ann, *args)
    with pytest.raises(LiveError, match="^Step 7 is outside 0-6 for this case.$"):
        room.set_step(code, token, 7)
    assert room.set_step(code, token, 6).step == 6
    with pytest.raises(LiveError, match="^The answer has been revealed: answers are closed.$"):
        room.submit(code, ann, 6, "glucagonoma")
    state = room.set_show_answers(code, token, True)
    assert (state.show_answers, state.revision) == (True, 2)
    with pytest.raises(LiveError, match="^The educator moves this class on.$"):
        room.advance(code, ann)


def test_one_student_cannot_touch_another_students_answers(room: Classroom) -> None:
    code, _ = room.create(CASE)
    other_code, _ = room.create(CASE)
    ann, bob = _join(room, code, 2)
    room.submit(code, ann, 0, "glucagonoma")
    room.submit(code, bob, 0, "vipoma")
    with pytest.raises(LiveError, match="^This phone is not in the class yet"):
        room.submit(other_code, ann, 0, "insulinoma")  # a seat belongs to one class
    assert room.my_answers(code, ann)[0].lead == "glucagonoma"
    assert room.my_answers(code, bob)[0].lead == "vipoma"


def test_ending_deletes_students_and_answers_at_once(room: Classroom) -> None:
    code, token = room.create(CASE)
    (ann,) = _join(room, code, 1)
    room.submit(code, ann, 0, "glucagonoma")
    state = room.end(code, token)
    assert state.ended
    assert room.answers(state.id) == [] and room.student_count(state.id) == 0
    with pytest.raises(LiveError, match="^This class has ended."):
        room.student(code, ann)


def test_expired_sessions_are_purged_with_their_answers(room: Classroom, clock: Clock) -> None:
    old, _ = room.create(CASE)
    (ann,) = _join(room, old, 1)
    room.submit(old, ann, 0, "glucagonoma")
    clock.advance(12 * 3600)
    young, _ = room.create(CASE)
    clock.advance(12 * 3600 + 1)
    assert room.purge() == 1
    with room.engine.connect() as conn:
        counts = [
            conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("live_sessions", "live_students", "live_answers")
        ]
    assert counts == [1, 0, 0]
    assert room.session(young).code == young
    assert room.purge() == 0  # nothing more has expired


def test_self_paced_students_move_alone_inside_the_window(room: Classroom, clock: Clock) -> None:
    code, token = room.create(CASE, "self-paced", window_s=3600)
    state = room.host(code, token)
    assert (state.opens_at, state.closes_at, state.expires_at) == (START, START + 3600, START + 3600 + 24 * 3600)
    ann, bob = _join(room, code, 2)
    room.submit(code, ann, 0, "type-2-diabetes")
    assert room.advance(code, ann) == 1
    room.submit(code, ann, 1, "glucagonoma")
    room.submit(code, bob, 0, "vipoma")
    with pytest.raises(LiveError, match="^The case has moved on"):
        room.submit(code, bob, 1, "vipoma")
    with pytest.raises(LiveError, match="^In a self-paced session each student moves on by themselves.$"):
        room.set_step(code, token, 1)
    for _ in range(9):
        room.advance(code, ann)
    assert room.student(code, ann).step == 6  # stops at the answer
    clock.advance(3601)
    with pytest.raises(LiveError, match="^This self-paced case has closed: answers are no longer taken.$"):
        room.submit(code, bob, 0, "glucagonoma")
    with pytest.raises(LiveError, match="^This self-paced case has closed"):
        room.join(code, tab="late")
    with pytest.raises(LiveError, match="^A self-paced window lasts from one minute to 14 days.$"):
        room.create(CASE, "self-paced", window_s=30)


def test_the_schema_is_versioned_and_migrating_twice_changes_nothing(store_url: str) -> None:
    engine = make_engine(store_url)
    make_engine(store_url).dispose()
    with engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION] == [1]
        tables = set(sa.inspect(conn).get_table_names())
    assert {"live_sessions", "live_students", "live_answers", "live_join_failures"} <= tables
    engine.dispose()


def test_a_newer_schema_is_refused(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.update(schema_version).values(version=99))
    with pytest.raises(RuntimeError, match="schema version 99; this code knows up to 1"):
        make_engine(url)


def test_the_store_url_comes_from_the_environment(tmp_path) -> None:
    assert database_url({}) == "sqlite:///data/live.sqlite3"
    assert database_url({"NET_CHECKER_DATA": "/srv/x"}) == "sqlite:////srv/x/live.sqlite3"
    assert database_url({"NET_CHECKER_DB": "postgresql://u@h/db", "NET_CHECKER_DATA": "/srv/x"}) == "postgresql://u@h/db"
    with pytest.raises(ValueError, match="NET_CHECKER_DB must be a postgresql:// URL"):
        make_engine("mysql://u@h/db")


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def test_visits_purge_expired_sessions_every_five_minutes(room: Classroom, clock: Clock) -> None:
    old, _ = room.create(CASE)
    young, young_token = room.create(CASE)
    room.host(young, young_token)  # a visit right after a purge does not purge again
    with room.engine.begin() as conn:
        conn.execute(sa.text("UPDATE live_sessions SET expires_at = :t WHERE code = :c"), {"t": START + 10, "c": old})
    clock.advance(60)
    room.session(young)
    assert _session_count(room) == 2  # expired but not yet deleted (and refused: see the test above)
    clock.advance(live.PURGE_EVERY_S)
    room.session(young)
    assert _session_count(room) == 1


def _session_count(room: Classroom) -> int:
    with room.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM live_sessions")).scalar() or 0)
