"""Live class, the student's page (/live): join with the code on the projector, answer at each step, see your path.

The code and this phone's seat live in the URL (?code=CODE&me=TOKEN), so a reload keeps the seat. The page asks
the store for the class's step every few seconds; the answer control comes first, so it is on a phone's first screen.
"""

from __future__ import annotations

import secrets

import streamlit as st

from app_pages import words
from app_pages.common import case_steps, current_tables
from app_pages.live_common import POLL_S, classroom, store_problem
from checker import KnowledgeBase, teaching
from checker.live import LiveError, Student
from checker.live import debrief as debriefs
from checker.live.classroom import MAX_NICKNAME, MAX_OTHERS, display_code, normal_code
from checker.markup import Markdown, escaped, join, md, trusted
from checker.share import shown as shown_value

NONE = ""


def _label(kb: KnowledgeBase, choice: str) -> str:
    return words.CHOOSE if choice == NONE else teaching.choice_label(kb, choice)


def _forget_seat() -> None:
    ss = st.session_state
    for key in ("live_code", "live_token"):
        ss.pop(key, None)
    if "me" in st.query_params:
        del st.query_params["me"]


def _join() -> None:
    ss = st.session_state
    code = normal_code(ss.get("live_code_input", ""))
    try:
        token, number = classroom().join(code, ss.get("live_nickname", ""), tab=ss.live_tab)
    except LiveError as error:
        ss.live_join_error = str(error)
        return
    ss.live_join_error = ""
    ss.live_code, ss.live_token = code, token
    st.query_params["code"] = code
    st.query_params["me"] = token


def _join_form() -> None:
    ss = st.session_state
    st.title(words.LIVE_JOIN_TITLE)
    raw = st.query_params.get("code", "")
    if "live_code_input" not in ss:
        ss.live_code_input = normal_code(raw)[:12]
    with st.form("live_join"):
        st.text_input(words.LIVE_CODE, key="live_code_input", max_chars=12, placeholder=words.LIVE_CODE_EXAMPLE)
        st.text_input(
            md(words.LIVE_NICKNAME, n=MAX_NICKNAME),
            key="live_nickname",
            max_chars=MAX_NICKNAME,
            help=words.LIVE_NICKNAME_HELP,
        )
        st.form_submit_button(words.LIVE_JOIN, type="primary", icon=":material/login:", on_click=_join)
    if ss.get("live_join_error"):
        st.error(escaped(ss.live_join_error), icon=":material/error:")
    st.caption(words.LIVE_PRIVACY)


def _send(code: str, token: str, step: int) -> None:
    ss = st.session_state
    lead = ss.get(f"live_lead_{step}") or NONE
    others = ss.get(f"live_others_{step}") or []
    if lead == NONE:
        ss.live_answer_error = words.LIVE_PICK_FIRST
        return
    try:
        classroom().submit(code, token, step, lead, others)
    except LiveError as error:
        ss.live_answer_error = str(error)
        return
    ss.live_answer_error = ""


def _advance(code: str, token: str) -> None:
    try:
        classroom().advance(code, token)
    except LiveError as error:
        st.session_state.live_answer_error = str(error)


def _answer_form(kb: KnowledgeBase, me: Student, step: int, mine: dict[int, debriefs.Answer]) -> None:
    ss = st.session_state
    lead_key, others_key = f"live_lead_{step}", f"live_others_{step}"
    earlier = mine.get(step) or next((mine[k] for k in range(step - 1, -1, -1) if k in mine), None)
    if lead_key not in ss and earlier:  # start from the last answer sent, so changing one pick is one tap
        ss[lead_key] = earlier.lead
        ss[others_key] = list(earlier.others)
    code, token = me.session.code, st.session_state.live_token
    choices = teaching.quiz_choices(kb)
    with st.container(key="live_answer", border=True):
        st.selectbox(
            words.LIVE_LEAD,
            [NONE, *choices],
            key=lead_key,
            format_func=lambda c: _label(kb, c),
            help=words.LIVE_LEAD_HELP,
        )
        st.multiselect(
            md(words.LIVE_OTHERS, n=MAX_OTHERS),
            choices,
            key=others_key,
            format_func=lambda c: _label(kb, c),
            max_selections=MAX_OTHERS,
        )
        st.button(
            words.LIVE_SEND,
            key=f"live_send_{step}",
            type="primary",
            icon=":material/send:",
            on_click=_send,
            args=(code, token, step),
            width="stretch",
        )
        sent = mine.get(step)
        if ss.get("live_answer_error"):
            st.warning(escaped(ss.live_answer_error), icon=":material/warning:")
        elif sent:
            others = ", ".join(teaching.choice_label(kb, o) for o in sent.others)
            extra = md(words.LIVE_THEN, others=others) if others else trusted("")
            moving = words.LIVE_YOU_MOVE_ON if me.session.self_paced else words.LIVE_EDUCATOR_MOVES_ON
            st.success(
                md(
                    words.LIVE_SENT,
                    lead=teaching.choice_label(kb, sent.lead),
                    extra=extra,
                    moving=moving,
                ),
                icon=":material/check:",
            )
        else:
            st.info(words.LIVE_NOT_SENT, icon=":material/pending:")


def _case_so_far(kb: KnowledgeBase, me: Student, step: int) -> None:
    case = kb.cases[me.session.case_id]
    shown = min(step, len(case.findings))
    if shown:
        st.markdown(md(words.LIVE_NEW_FINDING, label=kb.symptoms[case.findings[shown - 1]].label))
    with st.expander(words.LIVE_CASE_SO_FAR, expanded=shown == 0):
        st.markdown(md("**{title}**\n\n{story}", title=case.title, story=case.story))
        if shown:
            st.markdown(
                join(
                    "\n",
                    (md("{i}. {label}", i=i, label=kb.symptoms[s].label) for i, s in enumerate(case.findings[:shown], start=1)),
                )
            )


def _reveal(kb: KnowledgeBase, me: Student, mine: dict[int, debriefs.Answer]) -> None:
    case = kb.cases[me.session.case_id]
    answer = ", ".join(teaching.choice_label(kb, e) for e in case.expected)
    st.success(md(words.LIVE_THE_ANSWER, answer=answer), icon=":material/lightbulb:")
    st.subheader(words.LIVE_PATH)
    lines = []
    for row in debriefs.path(kb, case, mine, case_steps(case.id)):
        where = (
            trusted(words.LIVE_THE_STORY) if row.step == 0 else md(words.LIVE_FINDING_STEP, step=row.step, finding=row.finding)
        )
        mark: Markdown
        if row.lead is None:
            mark = trusted(words.LIVE_NO_ANSWER)
        else:
            verdict = words.LIVE_RIGHT if row.right_first else words.LIVE_IN_THREE if row.right_top3 else ""
            mark = md("{lead}{verdict}", lead=teaching.choice_label(kb, row.lead), verdict=verdict)
        engine = md(words.LIVE_ENGINE_RANK, rank=row.engine_rank) if row.engine_rank else trusted("")
        lines.append(md(words.LIVE_PATH_LINE, step=row.step, where=where, mark=mark, engine=engine))
    st.markdown(join("\n", lines))
    st.subheader(words.TEACHING_POINTS)
    st.markdown(join("\n", (md("- {point}", point=p) for p in case.teaching_points)))


@st.fragment(run_every=POLL_S)
def _seat(kb: KnowledgeBase, code: str, token: str) -> None:
    """Everything a joined student sees; re-read from the store every POLL_S seconds (with the full run's tables)."""
    try:
        room = classroom()
        me = room.student(code, token)
        mine = room.answers_of(me)
    except LiveError as error:
        st.warning(escaped(str(error)), icon=":material/link_off:")
        st.button(words.LIVE_JOIN_A_CLASS, on_click=_forget_seat, icon=":material/login:")
        return
    step = room.current_step(me)
    if st.session_state.get("live_seen_step") != step:
        st.session_state.live_seen_step = step
        st.session_state.live_answer_error = ""
    case = kb.cases[me.session.case_id]
    answer_step = room.answer_step(case.id)
    who = md(" ({nickname})", nickname=me.nickname) if me.nickname else trusted("")
    st.caption(md(words.LIVE_SEAT, code=display_code(me.session.code), number=me.number, who=who))
    if step >= answer_step:
        _reveal(kb, me, mine)
        return
    st.markdown(md(words.LIVE_STEP, step=step, last=answer_step - 1, story=words.LIVE_STORY_ONLY if step == 0 else ""))
    _answer_form(kb, me, step, mine)
    if me.session.self_paced:
        label = words.NEXT_FINDING if step < len(case.findings) else words.LIVE_SEE_ANSWER
        st.button(
            label,
            key=f"live_next_{step}",
            icon=":material/arrow_forward:",
            on_click=_advance,
            args=(code, token),
            width="stretch",
            disabled=step not in mine,
            help=words.LIVE_NEXT_HELP,
        )
    _case_so_far(kb, me, step)


def main() -> None:
    ss = st.session_state
    ss.setdefault("live_tab", secrets.token_hex(8))  # this tab's key for the failed-join limit; never stored raw
    try:
        classroom()
    except Exception as error:  # noqa: BLE001 - a broken store must not take the page down
        store_problem(error)
        return
    if "live_token" not in ss and st.query_params.get("me") and st.query_params.get("code"):
        raw_code, raw_token = st.query_params.get("code", ""), st.query_params.get("me", "")
        if len(raw_token) <= 64:
            ss.live_code, ss.live_token = normal_code(raw_code), raw_token
        else:
            st.warning(escaped(words.LIVE_BAD_SEAT.format(seat=shown_value(raw_token, 12))), icon=":material/link_off:")
    if ss.get("live_token"):
        _seat(current_tables(), ss.live_code, ss.live_token)
    else:
        _join_form()


main()
