"""Quiz page (students): read a case, commit a guess (and an optional differential), then see the answer and
where each finding pointed, with sources. The running tally lives only in this browser session.
"""

from __future__ import annotations

import random

import streamlit as st

from app_pages import words
from app_pages.common import PROJECTOR_CSS, current_tables, source_line
from checker import KnowledgeBase, teaching
from checker.markup import escaped, join, md
from checker.model import Case
from checker.report import context_items
from checker.share import shown as shown_value
from checker.wording import HORMONE_STATUS_TOLD

RANDOM = ""


def _init(kb: KnowledgeBase) -> None:
    ss = st.session_state
    if ss.get("quiz_case") not in kb.cases:
        ss.quiz_case = random.choice(list(kb.cases))
        ss.quiz_grade = None
        raw = st.query_params.get("case")  # an educator can send one case to everyone: ?case=CODE
        if raw is not None:
            found = teaching.case_from_link(kb, raw) if len(raw) <= 200 else None
            if found is None:
                ss.quiz_notice = words.QUIZ_NO_SUCH_CASE.format(case=shown_value(raw, 60))
            else:
                ss.quiz_case = found
                ss.quiz_pick_value = found
    ss.setdefault("quiz_grade", None)
    ss.setdefault("quiz_tally", {"answered": 0, "correct": 0, "points": 0})
    ss.setdefault("quiz_pick_value", RANDOM)


def _start(case_id: str) -> None:
    """Show a new case: forget the last answer and clear the form."""
    ss = st.session_state
    ss.quiz_case = case_id
    ss.quiz_grade = None
    ss.quiz_form_error = ""
    for key in ("quiz_guess", "quiz_diff"):
        ss.pop(key, None)


def _on_pick(kb: KnowledgeBase) -> None:
    ss = st.session_state
    ss.quiz_pick_value = ss.quiz_pick
    if ss.quiz_pick:
        _start(ss.quiz_pick)
    else:
        _start(random.choice(list(kb.cases)))


def _another(kb: KnowledgeBase) -> None:
    """A random case other than the current one (and no longer a chosen one)."""
    ss = st.session_state
    others = [c for c in kb.cases if c != ss.quiz_case] or list(kb.cases)
    ss.quiz_pick_value = RANDOM
    _start(random.choice(others))


def _submit(kb: KnowledgeBase) -> None:
    ss = st.session_state
    guess = ss.get("quiz_guess") or ""
    if not guess:
        ss.quiz_form_error = words.QUIZ_PICK_FIRST
        return
    ss.quiz_form_error = ""
    result = teaching.grade(kb, kb.cases[ss.quiz_case], guess, ss.get("quiz_diff") or [])
    ss.quiz_grade = result
    tally = ss.quiz_tally
    tally["answered"] += 1
    tally["correct"] += int(result.correct)
    tally["points"] += result.points


def _case_label(kb: KnowledgeBase, case_id: str) -> str:
    return words.QUIZ_RANDOM_CASE if case_id == RANDOM else kb.cases[case_id].title


def _choice_label(kb: KnowledgeBase, choice_id: str) -> str:
    return words.CHOOSE if choice_id == RANDOM else teaching.choice_label(kb, choice_id)


def _show_case(kb: KnowledgeBase, case: Case) -> None:
    st.subheader(escaped(case.title))
    st.markdown(escaped(case.story))
    st.markdown(md(words.QUIZ_FINDINGS, lines=join("\n", (md("- {label}", label=kb.symptoms[s].label) for s in case.findings))))
    who = ", ".join(
        part for part in (words.QUIZ_AGE.format(age=case.age) if case.age is not None else "", case.sex or "") if part
    )
    extra = [words.QUIZ_PATIENT.format(who=who) if who else "", HORMONE_STATUS_TOLD[case.functional]]
    if case.history:
        extra.append(words.QUIZ_HISTORY.format(items=context_items(kb, case.history)))
    if case.no_history:
        extra.append(words.QUIZ_NO_HISTORY.format(items=context_items(kb, case.no_history)))
    if case.absent:
        extra.append(words.QUIZ_RULED_OUT.format(names=", ".join(kb.symptoms[s].label for s in case.absent)))
    if case.syndrome:
        extra.append(words.QUIZ_FAMILY_SYNDROME.format(name=kb.hereditary[case.syndrome].name))
    st.markdown(join(" ", (escaped(e) for e in extra if e)))


def _show_form(kb: KnowledgeBase) -> None:
    choices = teaching.quiz_choices(kb)
    with st.form("quiz_form"):
        st.selectbox(words.QUIZ_FIRST_CHOICE, [RANDOM, *choices], key="quiz_guess", format_func=lambda c: _choice_label(kb, c))
        st.multiselect(
            words.QUIZ_DIFFERENTIAL,
            choices,
            key="quiz_diff",
            format_func=lambda c: _choice_label(kb, c),
            max_selections=teaching.MAX_DIFFERENTIAL,
        )
        st.form_submit_button(words.QUIZ_COMMIT, type="primary", on_click=_submit, args=(kb,), icon=":material/send:")
    if st.session_state.get("quiz_form_error"):
        st.warning(st.session_state.quiz_form_error)


def _show_feedback(kb: KnowledgeBase, case: Case, result: teaching.QuizGrade) -> None:
    picks = ", ".join(teaching.choice_label(kb, d) for d in result.differential) or "none"
    st.markdown(md(words.QUIZ_COMMITTED, guess=teaching.choice_label(kb, result.guess), picks=picks))
    box = {"correct": st.success, "in-differential": st.info, "missed": st.error}[result.verdict]
    box(md(words.QUIZ_VERDICT, message=result.message, points=result.points), icon=words.VERDICT_ICONS[result.verdict])
    if result.engine_rank is not None:
        st.caption(md(words.QUIZ_ENGINE_RANK, rank=result.engine_rank, types=len(kb.types)))
    else:
        mimic = kb.mimics[case.expected[0]]
        st.markdown(md(words.QUIZ_TELLING_APART, text=mimic.tell_apart))
    st.subheader(words.TEACHING_POINTS)
    st.markdown(join("\n", (md("- {point}", point=p) for p in case.teaching_points)))
    st.subheader(words.QUIZ_WHERE_POINTED)
    for pointer in result.pointers:
        with st.expander(escaped(pointer.label), expanded=False):
            if pointer.supports:
                for support in pointer.supports:
                    st.markdown(
                        md(
                            words.QUIZ_SUPPORT,
                            name=support.name,
                            frequency=support.frequency,
                            points=support.points,
                        )
                    )
                    st.markdown(join("\n", (md("- {line}", line=source_line(kb, n)) for n in support.notes)))
            else:
                st.markdown(words.QUIZ_NO_TYPE)
            if pointer.mimics:
                st.caption(md(words.QUIZ_SHARED_MIMICS, names=", ".join(pointer.mimics)))
    with st.expander(words.SOURCES_FOR_CASE):
        st.markdown(join("\n", (md("- {line}", line=source_line(kb, n)) for n in case.sources)))


def _show_tally() -> None:
    tally = st.session_state.quiz_tally
    st.subheader(words.QUIZ_TALLY)
    cols = st.columns(3)
    cols[0].metric(words.QUIZ_ANSWERED, tally["answered"])
    cols[1].metric(words.QUIZ_FIRST_RIGHT, tally["correct"])
    cols[2].metric(words.QUIZ_POINTS, tally["points"])
    st.caption(md(words.QUIZ_TALLY_CAPTION, correct=teaching.POINTS_CORRECT, in_differential=teaching.POINTS_IN_DIFFERENTIAL))


def main() -> None:
    kb = current_tables()
    _init(kb)
    ss = st.session_state
    st.title(words.QUIZ_TITLE)  # one line on a phone, so the case is on the first screen
    st.caption(words.QUIZ_CAPTION)
    if ss.get("quiz_notice"):
        st.warning(escaped(ss.quiz_notice), icon=":material/link_off:")
    # The case comes first (on a phone's first screen); choosing another case and the tally come after it.
    large = bool(ss.get("quiz_projector"))
    if large:
        st.html(PROJECTOR_CSS)
    case = kb.cases[ss.quiz_case]
    with st.container(key="projector" if large else "quiz"):
        _show_case(kb, case)
        result = ss.quiz_grade
        if result is None or result.case_id != case.id:
            _show_form(kb)
        else:
            _show_feedback(kb, case, result)
    bar = st.columns([3, 1, 1], vertical_alignment="bottom")
    with bar[0]:
        ss.quiz_pick = ss.quiz_pick_value
        st.selectbox(
            words.CASE,
            [RANDOM, *kb.cases],
            key="quiz_pick",
            format_func=lambda c: _case_label(kb, c),
            on_change=_on_pick,
            args=(kb,),
        )
    with bar[1]:
        st.button(
            words.QUIZ_ANOTHER, key="quiz_another", icon=":material/shuffle:", on_click=_another, args=(kb,), width="stretch"
        )
    with bar[2]:
        st.toggle(words.PROJECTOR_MODE, key="quiz_projector", help=words.QUIZ_PROJECTOR_HELP)
    _show_tally()


main()
