"""Live class, the educator's side of the Presentation page: start a session, then run it from the host link.

Starting a session puts ``?live=CODE&host=TOKEN`` in the address bar: only that link can move the class on, show
the class's answers, reveal the answer and end the session. The projector view shows the join code in large type,
a QR code of the join link and the number of students; the class's answers appear only when the educator shows them.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from app_pages import words
from app_pages.common import case_steps, current_tables, projector_toggle
from app_pages.live_common import (
    POLL_S,
    classroom,
    host_link,
    join_link,
    qr_png,
    store_problem,
    tally_chart,
)
from checker import KnowledgeBase, teaching
from checker.live import LiveError, SessionState
from checker.live import debrief as debriefs
from checker.live.classroom import display_code, initials
from checker.markup import bare_url, code, escaped, join, md, trusted

JOIN_CODE_CSS = """
<style>
.st-key-join_code p { font-size: 3.4rem !important; font-weight: 700; letter-spacing: 0.12em; line-height: 1.1;
  font-family: ui-monospace, monospace; margin: 0; }
.st-key-join_where p { font-size: 1.3rem !important; overflow-wrap: anywhere; }
</style>
"""


def in_host_mode() -> bool:
    return bool(st.query_params.get("host")) and bool(st.query_params.get("live"))


def _start(case_id: str) -> None:
    ss = st.session_state
    mode = "self-paced" if ss.get("live_mode_pick") == "self-paced" else "live"
    hours = int(ss.get("live_window_pick") or 24)
    try:
        code, token = classroom().create(case_id, mode, hours * 3600 if mode == "self-paced" else None)
    except LiveError as error:
        ss.live_start_error = str(error)
        return
    ss.live_start_error = ""
    st.query_params.clear()
    st.query_params["live"] = code
    st.query_params["host"] = token


def start_panel(case_id: str) -> None:
    """On the ordinary Presentation page: run the chosen case as a live class or as self-paced homework."""
    with st.expander(words.HOST_RUN_LIVE, icon=":material/groups:"):
        st.radio(
            words.HOST_HOW,
            ["live", "self-paced"],
            key="live_mode_pick",
            horizontal=True,
            format_func=lambda m: {
                "live": words.HOST_MODE_LIVE,
                "self-paced": words.HOST_MODE_SELF_PACED,
            }[m],
        )
        if st.session_state.get("live_mode_pick") == "self-paced":
            st.selectbox(
                words.HOST_OPEN_FOR,
                list(words.HOST_WINDOWS),
                index=1,
                key="live_window_pick",
                format_func=words.HOST_WINDOWS.__getitem__,
            )
        st.button(
            words.HOST_START,
            key="live_start",
            type="primary",
            icon=":material/play_arrow:",
            on_click=_start,
            args=(case_id,),
        )
        if st.session_state.get("live_start_error"):
            st.error(escaped(st.session_state.live_start_error))
        st.caption(words.HOST_START_CAPTION)


def _leave() -> None:
    st.query_params.clear()
    for key in ("pres_case",):
        st.session_state.pop(key, None)


def _call(action: str, *args: object) -> None:
    code, token = st.query_params.get("live", ""), st.query_params.get("host", "")
    try:
        getattr(classroom(), action)(code, token, *args)
    except LiveError as error:
        st.session_state.live_host_error = str(error)
    else:
        st.session_state.live_host_error = ""


def _join_panel(state: SessionState, large: bool) -> None:
    st.html(JOIN_CODE_CSS)
    link = join_link(state.code)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(words.HOST_JOIN_HOW)
        with st.container(key="join_code"):
            st.markdown(escaped(display_code(state.code)))
        with st.container(key="join_where"):
            st.markdown(code(link.split("?")[0]))
    with right:
        st.image(qr_png(link), width=260 if large else 200, caption=words.HOST_JOIN_LINK)


@st.fragment(run_every=POLL_S)
def _class_panel(kb: KnowledgeBase, code: str, token: str, large: bool) -> None:
    """Joined count, the class's answers at this step (when shown) and the engine's top five; polled (with the
    full run's tables)."""
    room = classroom()
    try:
        state = room.host(code, token)
    except LiveError as error:
        st.warning(escaped(str(error)))
        return
    case = kb.cases[state.case_id]
    joined = room.student_count(state.id)
    names = [initials(n) for n in room.joined_nicknames(state.id)]
    shown_names = " ".join(n for n in names if n)
    st.metric(words.HOST_JOINED, joined)
    if shown_names:
        st.caption(md(words.HOST_LATEST, names=shown_names))
    step = min(state.step, len(case.findings))
    if state.self_paced:
        _self_paced_progress(kb, state, joined)
        return
    if state.step > len(case.findings):
        return
    tally = debriefs.tally(room.answers(state.id, step), step, case.expected)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(md(words.HOST_CLASS_AT_STEP, step=step))
        st.markdown(md(words.HOST_ANSWERED, answered=tally.answered, joined=joined))
        if not state.show_answers:
            st.info(words.HOST_ANSWERS_HIDDEN, icon=":material/visibility_off:")
        elif not tally.answered:
            st.info(words.HOST_NO_ANSWERS, icon=":material/hourglass_empty:")
        else:
            st.altair_chart(
                tally_chart(kb, tally, large),
                width="stretch",
                alt=words.HOST_CHART_ALT.format(step=step, answered=tally.answered),
            )
    with right:
        st.subheader(words.HOST_TOP_FIVE)
        if not step:
            st.info(words.HOST_RANKING_LATER, icon=":material/visibility_off:")
        else:
            result = case_steps(case.id)[step]
            st.markdown(
                join(
                    "\n",
                    (
                        md("{i}. **{name}**: {strength}", i=i, name=t.name, strength=t.strength)
                        for i, t in enumerate(result.top(5), start=1)
                    ),
                )
            )


def _self_paced_progress(kb: KnowledgeBase, state: SessionState, joined: int) -> None:
    case = kb.cases[state.case_id]
    latest = debriefs.latest(classroom().answers(state.id))
    rows = []
    for k in range(len(case.findings) + 1):
        count = sum(1 for (_, s) in latest if s == k)
        rows.append({"step": k, "finding": debriefs.finding_at(kb, case, k) or "(the story)", "students answered": count})
    closes = datetime.fromtimestamp(state.closes_at or 0, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    st.markdown(md(words.HOST_SELF_PACED, closes=closes))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _controls(state: SessionState, answer_step: int, findings: int) -> None:
    step = state.step
    row = st.columns(5)
    row[0].button(
        words.BACK,
        key="live_back",
        icon=":material/arrow_back:",
        disabled=step == 0 or state.self_paced,
        on_click=_call,
        args=("set_step", step - 1),
        width="stretch",
        shortcut="B",
    )
    row[1].button(
        words.NEXT_FINDING,
        key="live_next",
        icon=":material/arrow_forward:",
        type="primary",
        disabled=step >= findings or state.self_paced,
        on_click=_call,
        args=("set_step", step + 1),
        width="stretch",
        shortcut="N",
        help=words.HOST_NEXT_HELP,
    )
    row[2].button(
        words.REVEAL_ANSWER,
        key="live_reveal",
        icon=":material/lightbulb:",
        disabled=step != findings or state.self_paced,
        on_click=_call,
        args=("set_step", answer_step),
        width="stretch",
        shortcut="A",
        help=words.HOST_REVEAL_HELP,
    )
    showing = state.show_answers
    row[3].button(
        words.HOST_HIDE_ANSWERS if showing else words.HOST_SHOW_ANSWERS,
        key="live_show",
        icon=":material/bar_chart:",
        on_click=_call,
        args=("set_show_answers", not showing),
        width="stretch",
        shortcut="S",
        disabled=state.self_paced,
    )
    row[4].button(
        words.HOST_END,
        key="live_end",
        icon=":material/stop_circle:",
        on_click=_call,
        args=("end",),
        width="stretch",
        help=words.HOST_END_HELP,
    )


def _debrief(kb: KnowledgeBase, state: SessionState) -> None:
    case = kb.cases[state.case_id]
    room = classroom()
    answers = room.answers(state.id)
    summary = debriefs.debrief(kb, case, answers, case_steps(case.id))
    st.header(words.HOST_DEBRIEF)
    rows = [
        {
            "step": r.step,
            "finding revealed": r.finding or "(the story)",
            "answered": r.answered,
            "answer first": debriefs.share(r.right_first, r.answered),
            "answer in top three": debriefs.share(r.right_top3, r.answered),
            "tables' rank of the answer": r.engine_rank if r.engine_rank is not None else "not listed",
        }
        for r in summary.steps
    ]
    st.dataframe(teaching.formula_safe(pd.DataFrame(rows)), hide_index=True, width="stretch")
    notes = []
    if summary.wrong:
        notes.append(
            md(
                words.HOST_WRONG_ANSWERS,
                answers=join(", ", (md("{label} ({n})", label=teaching.choice_label(kb, c), n=n) for c, n in summary.wrong[:3])),
            )
        )
    if summary.mind_change:
        m = summary.mind_change
        notes.append(
            md(
                words.HOST_MIND_CHANGE,
                step=m.step,
                finding=m.finding,
                changed=m.changed,
                of=m.of,
            )
        )
    if summary.class_right_from is not None:
        notes.append(md(words.HOST_RIGHT_FROM, step=summary.class_right_from))
    else:
        notes.append(trusted(words.HOST_NEVER_RIGHT))
    st.markdown(join("\n", (md("- {note}", note=n) for n in notes)))
    st.download_button(
        words.HOST_DOWNLOAD_ANSWERS,
        key="dl_live_csv",
        data=debriefs.answers_csv(kb, case, answers, state.created_at),
        file_name=f"live-class-{state.code}.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def _show_answer(kb: KnowledgeBase, state: SessionState) -> None:
    case = kb.cases[state.case_id]
    names = ", ".join(teaching.choice_label(kb, e) for e in case.expected)
    st.success(md(words.HOST_THE_ANSWER, names=names), icon=":material/check_circle:")
    st.subheader(words.TEACHING_POINTS)
    st.markdown(join("\n", (md("- {point}", point=p) for p in case.teaching_points)))


def host_page() -> None:
    """The educator's live view (projector and controls), reached only through the host link."""
    kb = current_tables()
    code, token = st.query_params.get("live", ""), st.query_params.get("host", "")
    try:
        room = classroom()
        state = room.host(code, token)
    except LiveError as error:
        st.error(escaped(str(error)), icon=":material/link_off:")
        st.button(words.BACK_TO_PRESENTATION, on_click=_leave, icon=":material/arrow_back:")
        return
    except Exception as error:  # noqa: BLE001 - a broken store must not take the page down
        store_problem(error)
        return
    if state.ended:
        st.info(words.HOST_ENDED, icon=":material/stop_circle:")
        st.button(words.BACK_TO_PRESENTATION, on_click=_leave, icon=":material/arrow_back:")
        return
    case = kb.cases[state.case_id]
    answer_step = room.answer_step(case.id)
    top = st.columns([3, 1], vertical_alignment="bottom")
    with top[0]:
        st.caption(
            md(
                words.HOST_CAPTION,
                mode=words.HOST_MODE_HOMEWORK if state.self_paced else words.HOST_MODE_IN_CLASS,
                title=case.title,
            )
        )
    with top[1]:
        large = projector_toggle("pres_projector")
    with st.container(key="projector" if large else "presentation"):
        if state.step == 0 or state.self_paced:
            _join_panel(state, large)
        else:  # late arrivals can still join: the code stays on the slide, small
            st.caption(md(words.HOST_LATE_JOIN, url=bare_url(join_link(state.code).split("?")[0]), code=display_code(state.code)))
        _controls(state, answer_step, len(case.findings))
        if st.session_state.get("live_host_error"):
            st.warning(escaped(st.session_state.live_host_error))
        shown = min(state.step, len(case.findings))
        if not state.self_paced:
            st.markdown(
                md(
                    words.STEP_LINE,
                    step=min(state.step, answer_step),
                    last=answer_step,
                    shown=shown,
                    findings=len(case.findings),
                )
            )
            st.markdown(escaped(case.story))
            if shown:
                st.markdown(
                    join(
                        "\n",
                        (
                            md(words.HOST_NEW_FINDING, i=i, label=kb.symptoms[s].label)
                            if i == shown
                            else md("{i}. {label}", i=i, label=kb.symptoms[s].label)
                            for i, s in enumerate(case.findings[:shown], start=1)
                        ),
                    )
                )
        _class_panel(kb, code, token, large)
        if state.step >= answer_step:
            _show_answer(kb, state)
        if state.step >= answer_step or state.self_paced:
            _debrief(kb, state)
    with st.expander(words.HOST_EDUCATOR_LINK, icon=":material/key:"):
        st.code(host_link(state.code, token), language=None, wrap_lines=True)
        st.caption(words.HOST_EDUCATOR_LINK_CAPTION)
    st.caption(words.HOST_KEYS)
