"""Live class sessions: an educator's case, students' answers at each step, and the limits that keep a room safe.

No accounts: the educator holds a secret host token, each student a secret student token (only their SHA-256
hashes are stored). A short join code names the session. Every user-facing failure is a LiveError whose message
can be shown as is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from checker.live.store import answers, join_failures, sessions, students
from checker.model import KnowledgeBase

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Upper-case letters and digits without the look-alikes 0/O, 1/I/L: easy to read off a projector and type."""
CODE_LENGTH = 7
"""31**7 = 27.5 billion codes; with the failed-join limits below a guess has no practical chance."""
MAX_STUDENTS = 500
MAX_SUBMISSIONS_PER_STEP = 20
"""A student may send (or change) an answer this many times per step."""
MAX_NICKNAME = 24
MAX_OTHERS = 2
"""Besides the leading diagnosis, up to two more."""
LIFETIME_S = 24 * 3600
"""A session and its answers are deleted this long after it starts (a self-paced one: after its window closes)."""
MAX_WINDOW_S = 14 * 24 * 3600
FAILED_JOINS_PER_TAB = 5
FAILED_JOINS_TAB_WINDOW_S = 600
FAILED_JOINS_PER_MINUTE = 120
"""Across the whole server: beyond this, wrong codes are refused for the rest of the minute without a lookup."""
SessionMode = Literal["live", "self-paced"]
MODES: tuple[SessionMode, ...] = get_args(SessionMode)
PURGE_EVERY_S = 300
"""Expired sessions are deleted at most this long after they expire (they are refused at once)."""
_last_purge: dict[str, float] = {}
"""Per store (engine URL): when this process last deleted expired sessions."""


class LiveError(Exception):
    """A failure a user caused or can fix; the message is a complete sentence meant for them."""


@dataclass(frozen=True)
class SessionState:
    id: int
    code: str
    case_id: str
    mode: SessionMode
    step: int
    show_answers: bool
    ended: bool
    revision: int
    created_at: float
    step_at: float
    expires_at: float
    opens_at: float | None
    closes_at: float | None

    @property
    def self_paced(self) -> bool:
        return self.mode == "self-paced"


@dataclass(frozen=True)
class Student:
    id: int
    number: int
    nickname: str
    step: int
    session: SessionState


@dataclass(frozen=True)
class Answer:
    """One submission: a student's leading diagnosis and up to two more at one step."""

    student: int
    step: int
    lead: str
    others: tuple[str, ...]
    at: float


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_code(raw: str) -> str:
    """A typed code as stored: upper case, with spaces, dashes and anything else not a letter or digit dropped."""
    return "".join(ch for ch in str(raw)[:40].upper() if ch.isascii() and ch.isalnum())


def display_code(code: str) -> str:
    """The code as shown on the projector: two groups that are easy to read aloud."""
    return f"{code[:4]} {code[4:]}" if len(code) > 4 else code


def clean_nickname(raw: str) -> str:
    """A nickname as stored: printable characters only, spaces collapsed, at most MAX_NICKNAME characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(raw)[:200])
    return " ".join(text.split())[:MAX_NICKNAME]


def initials(nickname: str) -> str:
    """At most two initials (letters only): all the projector ever shows of a nickname."""
    firsts = (next((ch for ch in word if ch.isalpha()), "") for word in nickname.split())
    return "".join(firsts).upper()[:2]


class Classroom:
    """Every live-class operation on one store (SQLite or PostgreSQL) for one set of rule tables."""

    def __init__(self, engine: Engine, kb: KnowledgeBase, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.kb = kb
        self.clock = clock
        self.choices = frozenset(kb.types) | frozenset(kb.mimics)

    # ------------------------------------------------------------------ educator

    def answer_step(self, case_id: str) -> int:
        """The reveal step: one past the case's last finding (as on the Presentation page)."""
        return len(self.kb.cases[case_id].findings) + 1

    def create(self, case_id: str, mode: str = "live", window_s: float | None = None) -> tuple[str, str]:
        """Start a session for a case; returns (join code, host token). A self-paced one stays open window_s."""
        if case_id not in self.kb.cases:
            raise LiveError("There is no such case.")
        if mode not in MODES:
            raise LiveError(f"A session is 'live' or 'self-paced', not {mode!r}.")
        now = self.clock()
        opens_at = closes_at = None
        expires_at = now + LIFETIME_S
        if mode == "self-paced":
            window = float(window_s or LIFETIME_S)
            if not 60 <= window <= MAX_WINDOW_S:
                raise LiveError("A self-paced window lasts from one minute to 14 days.")
            opens_at, closes_at = now, now + window
            expires_at = closes_at + LIFETIME_S
        token = secrets.token_urlsafe(24)
        _last_purge[str(self.engine.url)] = now
        self.purge()
        for _ in range(10):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        sa.insert(sessions).values(
                            code=code,
                            host_hash=_hash(token),
                            case_id=case_id,
                            mode=mode,
                            step=0,
                            show_answers=False,
                            ended=False,
                            revision=0,
                            created_at=now,
                            step_at=now,
                            expires_at=expires_at,
                            opens_at=opens_at,
                            closes_at=closes_at,
                        )
                    )
                return code, token
            except IntegrityError:
                continue
        raise RuntimeError("could not draw an unused join code")

    def host(self, code: str, token: str) -> SessionState:
        """The session if `token` is its host token; else a LiveError (the same for a wrong code or token)."""
        self.purge_now_and_then()
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.code == normal_code(code))).mappings().first()
        if row is None or not hmac.compare_digest(row["host_hash"], _hash(str(token))):
            raise LiveError("This educator link is not valid: the class does not exist, has expired, or the link was cut short.")
        state = _state(row)
        if state.expires_at < self.clock():
            raise LiveError("This class has expired; its answers have been deleted.")
        return state

    def set_step(self, code: str, token: str, step: int) -> SessionState:
        state = self._open_for_host(code, token)
        if state.self_paced:
            raise LiveError("In a self-paced session each student moves on by themselves.")
        top = self.answer_step(state.case_id)
        if not 0 <= step <= top:
            raise LiveError(f"Step {step} is outside 0-{top} for this case.")
        return self._update(state, step=step, step_at=self.clock())

    def set_show_answers(self, code: str, token: str, on: bool) -> SessionState:
        return self._update(self._open_for_host(code, token), show_answers=bool(on))

    def end(self, code: str, token: str) -> SessionState:
        """End a session now: its students and answers are deleted; the code then says the class has ended."""
        state = self.host(code, token)
        with self.engine.begin() as conn:
            conn.execute(sa.delete(answers).where(answers.c.session_id == state.id))
            conn.execute(sa.delete(students).where(students.c.session_id == state.id))
            conn.execute(
                sa.update(sessions).where(sessions.c.id == state.id).values(ended=True, revision=sessions.c.revision + 1)
            )
        return self.host(code, token)

    def student_count(self, session_id: int) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(students).where(students.c.session_id == session_id)).scalar()
                or 0
            )

    def joined_nicknames(self, session_id: int, limit: int = 40) -> list[str]:
        """The latest nicknames (for initials on the projector), newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(students.c.nickname)
                .where(students.c.session_id == session_id)
                .order_by(students.c.number.desc())
                .limit(limit)
            ).scalars()
            return [r for r in rows if r]

    def answers(self, session_id: int, step: int | None = None, student_id: int | None = None) -> list[Answer]:
        """Every submission (or one step's, or one student's), oldest first."""
        query = (
            sa.select(students.c.number, answers.c.step, answers.c.lead, answers.c.second, answers.c.third, answers.c.answered_at)
            .join(students, students.c.id == answers.c.student_id)
            .where(answers.c.session_id == session_id)
        )
        if step is not None:
            query = query.where(answers.c.step == step)
        if student_id is not None:
            query = query.where(answers.c.student_id == student_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(answers.c.answered_at, answers.c.id)).all()
        return [Answer(r[0], r[1], r[2], tuple(x for x in (r[3], r[4]) if x), r[5]) for r in rows]

    # ------------------------------------------------------------------ students

    def session(self, code: str) -> SessionState:
        """The session a student's code names, or a LiveError saying clearly why not."""
        self.purge_now_and_then()
        code = normal_code(code)
        if not code:
            raise LiveError("Type the class code shown on the projector.")
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.code == code)).mappings().first()
        if row is None:
            raise LiveError(
                f"No class has the code {code[:12]}. Check the code on the projector; codes are deleted a day after the class."
            )
        state = _state(row)
        if state.ended:
            raise LiveError("This class has ended. Its answers have been deleted.")
        if state.expires_at < self.clock():
            raise LiveError("This class has expired. Its answers have been deleted.")
        return state

    def join(self, code: str, nickname: str = "", tab: str = "") -> tuple[str, int]:
        """Join a session: returns (student token, student number). Failed codes count against the tab and server."""
        now = self.clock()
        self._check_join_rate(tab, now)
        try:
            state = self.session(code)
        except LiveError:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(join_failures).values(client_hash=_hash(f"tab:{tab}"), at=now))
            raise
        self._check_window(state, now)
        token = secrets.token_urlsafe(18)
        for _ in range(20):
            try:
                with self.engine.begin() as conn:
                    count, top = conn.execute(
                        sa.select(sa.func.count(), sa.func.max(students.c.number)).where(students.c.session_id == state.id)
                    ).one()
                    if count >= MAX_STUDENTS:
                        raise LiveError(f"This class is full ({MAX_STUDENTS} students).")
                    number = int(top or 0) + 1
                    conn.execute(
                        sa.insert(students).values(
                            session_id=state.id,
                            number=number,
                            token_hash=_hash(token),
                            nickname=clean_nickname(nickname) or None,
                            step=0,
                            joined_at=now,
                        )
                    )
                return token, number
            except IntegrityError:
                continue  # another student took the same number at the same moment
        raise LiveError("Too many students are joining at once; try again in a moment.")

    def student(self, code: str, token: str) -> Student:
        state = self.session(code)
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    sa.select(students).where(students.c.token_hash == _hash(str(token)), students.c.session_id == state.id)
                )
                .mappings()
                .first()
            )
        if row is None:
            raise LiveError("This phone is not in the class yet (or the class was restarted): join again.")
        return Student(row["id"], row["number"], row["nickname"] or "", row["step"], state)

    def current_step(self, student: Student) -> int:
        return student.step if student.session.self_paced else student.session.step

    def submit(self, code: str, token: str, step: int, lead: str, others: Sequence[str] = ()) -> Answer:
        """Record a student's answer for the step they saw; refused once the step has moved on."""
        me = self.student(code, token)
        state = me.session
        now = self.clock()
        self._check_window(state, now)
        current = self.current_step(me)
        if step != current:
            raise LiveError("The case has moved on: that answer was for an earlier step and was not sent.")
        if current >= self.answer_step(state.case_id):
            raise LiveError("The answer has been revealed: answers are closed.")
        if lead not in self.choices:
            raise LiveError("Pick your leading diagnosis from the list.")
        picks = tuple(dict.fromkeys(o for o in others if o and o != lead))
        if len(picks) > MAX_OTHERS or any(o not in self.choices for o in picks):
            raise LiveError(f"Pick at most {MAX_OTHERS} more diagnoses from the list.")
        with self.engine.begin() as conn:
            sent = (
                conn.execute(
                    sa.select(sa.func.count()).select_from(answers).where(answers.c.student_id == me.id, answers.c.step == step)
                ).scalar()
                or 0
            )
            if sent >= MAX_SUBMISSIONS_PER_STEP:
                raise LiveError(f"You have changed this answer {MAX_SUBMISSIONS_PER_STEP} times; the last one stands.")
            conn.execute(
                sa.insert(answers).values(
                    session_id=state.id,
                    student_id=me.id,
                    step=step,
                    lead=lead,
                    second=picks[0] if picks else None,
                    third=picks[1] if len(picks) > 1 else None,
                    answered_at=now,
                )
            )
        return Answer(me.number, step, lead, picks, now)

    def my_answers(self, code: str, token: str) -> dict[int, Answer]:
        """A student's latest answer at each step."""
        return self.answers_of(self.student(code, token))

    def answers_of(self, me: Student) -> dict[int, Answer]:
        """A student's latest answer at each step."""
        return {item.step: item for item in self.answers(me.session.id, student_id=me.id)}

    def advance(self, code: str, token: str) -> int:
        """Self-paced: the student reveals their next finding (or the answer after the last); returns the step."""
        me = self.student(code, token)
        if not me.session.self_paced:
            raise LiveError("The educator moves this class on.")
        self._check_window(me.session, self.clock())
        step = min(me.step + 1, self.answer_step(me.session.case_id))
        with self.engine.begin() as conn:
            conn.execute(sa.update(students).where(students.c.id == me.id).values(step=step))
        return step

    # ------------------------------------------------------------------ housekeeping

    def purge_now_and_then(self) -> None:
        """Purge when this process has not done so for PURGE_EVERY_S (every page visit calls this)."""
        key = str(self.engine.url)
        now = self.clock()
        if now - _last_purge.get(key, -PURGE_EVERY_S) >= PURGE_EVERY_S:
            _last_purge[key] = now
            self.purge()

    def purge(self) -> int:
        """Delete expired sessions with their students and answers, and old failed-join records."""
        now = self.clock()
        with self.engine.begin() as conn:
            expired = sa.select(sessions.c.id).where(sessions.c.expires_at < now)
            conn.execute(sa.delete(answers).where(answers.c.session_id.in_(expired)))
            conn.execute(sa.delete(students).where(students.c.session_id.in_(expired)))
            gone = conn.execute(sa.delete(sessions).where(sessions.c.expires_at < now)).rowcount
            conn.execute(sa.delete(join_failures).where(join_failures.c.at < now - FAILED_JOINS_TAB_WINDOW_S))
        return int(gone or 0)

    def _check_join_rate(self, tab: str, now: float) -> None:
        with self.engine.connect() as conn:
            mine = _count(
                conn,
                sa.and_(
                    join_failures.c.client_hash == _hash(f"tab:{tab}"), join_failures.c.at >= now - FAILED_JOINS_TAB_WINDOW_S
                ),
            )
            everyone = _count(conn, join_failures.c.at >= now - 60)
        if mine >= FAILED_JOINS_PER_TAB:
            raise LiveError("Too many wrong codes from this page: wait ten minutes, then check the code on the projector.")
        if everyone >= FAILED_JOINS_PER_MINUTE:
            raise LiveError("Too many wrong codes were tried in the last minute: wait a minute and try again.")

    def _check_window(self, state: SessionState, now: float) -> None:
        if state.opens_at is not None and now < state.opens_at:
            raise LiveError("This self-paced case has not opened yet.")
        if state.closes_at is not None and now > state.closes_at:
            raise LiveError("This self-paced case has closed: answers are no longer taken.")

    def _open_for_host(self, code: str, token: str) -> SessionState:
        state = self.host(code, token)
        if state.ended:
            raise LiveError("This class has ended.")
        return state

    def _update(self, state: SessionState, **values: object) -> SessionState:
        with self.engine.begin() as conn:
            conn.execute(sa.update(sessions).where(sessions.c.id == state.id).values(revision=sessions.c.revision + 1, **values))
            row = conn.execute(sa.select(sessions).where(sessions.c.id == state.id)).mappings().one()
        return _state(row)


def _count(conn: Connection, condition: sa.ColumnElement[bool]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(join_failures).where(condition)).scalar() or 0)


def _state(row: sa.RowMapping) -> SessionState:
    return SessionState(
        id=row["id"],
        code=row["code"],
        case_id=row["case_id"],
        mode=row["mode"],
        step=row["step"],
        show_answers=bool(row["show_answers"]),
        ended=bool(row["ended"]),
        revision=row["revision"],
        created_at=row["created_at"],
        step_at=row["step_at"],
        expires_at=row["expires_at"],
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
    )
