"""Presentation page (educators): step through a teaching case one finding at a time on a projector.

The case (an opaque code; older links with the case id still work), step and projector mode live in the URL
(?case=CODE&step=N&projector=1): read once per session, rewritten on every change.
Step 0 shows the story only; step k shows the first k findings; the step after the last finding reveals
the answer and the teaching points.
"""

from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import live_host, words
from app_pages.common import PRESENTATION_KEYS, case_steps, current_tables, projector_toggle, source_line
from checker import KnowledgeBase, teaching
from checker.ids import normal_id
from checker.markup import Markdown, escaped, join, md, trusted
from checker.model import Case
from checker.share import shown as shown_value
from checker.wording import hormone_status_line

# A step in a link: one to four ASCII digits, maybe negative (int() would also take '١٣', '1_0' or ' +3').
STEP_PATTERN = re.compile(r"-?[0-9]{1,4}")


def _max_step(case: Case) -> int:
    """The answer step: one past the last finding."""
    return len(case.findings) + 1


def _read_url_once(kb: KnowledgeBase) -> None:
    """On the first run of a session, take case and step from the URL; bad values leave a visible notice."""
    ss = st.session_state
    if ss.get("pres_case") in kb.cases:
        return
    notices: list[str] = []
    raw_case = st.query_params.get("case")
    case_id = next(iter(kb.cases))
    if raw_case is not None:
        found = teaching.case_from_link(kb, normal_id(raw_case)) if len(raw_case) <= 200 else None
        if found is not None:
            case_id = found
        else:
            notices.append(words.PRES_NO_SUCH_CASE.format(case=shown_value(raw_case, 60)))
    step = 0
    raw_step = st.query_params.get("step")
    if raw_step is not None:
        top = _max_step(kb.cases[case_id])
        if STEP_PATTERN.fullmatch(raw_step.strip()):
            step = int(raw_step.strip())
        else:
            notices.append(words.PRES_STEP_NOT_A_NUMBER.format(step=shown_value(raw_step, 20)))
            step = 0
        if step < 0 or step > top:
            notices.append(words.PRES_STEP_OUTSIDE.format(step=step, top=top))
            step = 0
    ss.pres_case = case_id
    ss.pres_step = step
    ss.pres_notices = notices
    if st.query_params.get("projector") == "1":
        ss.pres_projector = True


def _write_url() -> None:
    ss = st.session_state
    code = teaching.case_code(ss.pres_case)  # opaque: the address bar never names the case or its answer
    if st.query_params.get("case") != code or st.query_params.get("step") != str(ss.pres_step):
        st.query_params["case"] = code
        st.query_params["step"] = str(ss.pres_step)
    projector = "1" if ss.get("pres_projector") else None
    if st.query_params.get("projector") != projector:
        if projector:
            st.query_params["projector"] = projector
        else:
            del st.query_params["projector"]


def _set_step(step: int) -> None:
    st.session_state.pres_step = step
    st.session_state.pres_notices = []


def _on_case() -> None:
    st.session_state.pres_case = st.session_state.pres_case_pick
    _set_step(0)


def _case_label(kb: KnowledgeBase, case_id: str) -> str:
    """A neutral title: never says whether the answer is a NET or a common condition."""
    return words.PRES_CASE_OPTION.format(number=list(kb.cases).index(case_id) + 1, title=kb.cases[case_id].title)


def _type_name(kb: KnowledgeBase, type_id: str) -> str:
    tumor = kb.types[type_id]
    parent = kb.type_groups.get(tumor.parent or "")
    return tumor.name + words.SUBTYPE_OF.format(parent=parent.name) if parent else tumor.name


def _ranking_markdown(kb: KnowledgeBase, result_step: teaching.StepResult, n: int = 5, groups: bool = True) -> Markdown:
    """The top n as a numbered list (a list wraps on a phone where a table is cut off)."""
    lines = []
    for index, item in enumerate(result_step.top(n), start=1):
        name = _type_name(kb, item.type_id) if groups else item.name
        lines.append(
            md(
                words.PRES_RANKING_LINE,
                index=index,
                name=name,
                score=item.score,
                strength=item.strength,
            )
        )
    return join("\n", lines)


# The Okabe-Ito colours that stay apart for colour-blind viewers and on a washed-out projector (its yellow, sky
# blue and black left out): one per line of the top five, in rank order.
LINE_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")


def _trajectory_chart(frame: pd.DataFrame, large: bool) -> alt.Chart:
    """Lines of the top five's scores per step, in rank order, each its own colour and dash, dark text, and a
    one-column legend below with the whole names."""
    long = frame.reset_index().melt(id_vars="step", var_name="tumor type", value_name="score")
    size = 20 if large else 14
    dark = "#1a1a1a"
    # Whole names in the legend, wrapped onto lines that fit the column (a phone's too): "|" marks a line break.
    wrapped = {name: "|".join(textwrap.wrap(name, 60 if large else 30)) for name in frame.columns}
    long["line"] = long["tumor type"].map(wrapped)
    names = list(wrapped.values())
    legend = alt.Legend(
        orient="bottom", columns=1, labelLimit=0, title=None, symbolStrokeWidth=3, labelExpr="split(datum.label, '|')"
    )
    return (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=3 if large else 2)
        .encode(
            x=alt.X("step:O", title=words.PRES_AXIS_STEP, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("score:Q", title=words.PRES_AXIS_SCORE),
            color=alt.Color(
                "line:N", sort=names, legend=legend, scale=alt.Scale(domain=names, range=list(LINE_COLORS[: len(names)]))
            ),
            tooltip=["tumor type", "step", alt.Tooltip("score:Q", format=".1f")],
        )
        .properties(height=400 if large else 420)
        .configure_axis(
            labelFontSize=size,
            titleFontSize=size,
            labelColor=dark,
            titleColor=dark,
            gridColor="#d0d0d0",
        )
        .configure_legend(labelFontSize=size, symbolSize=size * 8, labelColor=dark)
    )


def _show_answer(kb: KnowledgeBase, case: Case, final: teaching.StepResult, large: bool = False) -> None:
    if not large:
        st.header(words.PRES_ANSWER_TITLE)
    lead = trusted(words.PRES_ANSWER_LEAD) if large else trusted("")  # on the projector the box is the heading
    if case.kind == "net":
        names = ", ".join(kb.types[e].name for e in case.expected)
        place = final.position(case.expected[0])
        st.success(
            md(
                words.PRES_ANSWER_NET,
                lead=lead,
                names=names,
                place=place,
                types=len(kb.types),
            ),
            icon=":material/check_circle:",
        )
    else:
        mimic = kb.mimics[case.expected[0]]
        st.success(md(words.PRES_ANSWER_MIMIC, lead=lead, name=mimic.name), icon=":material/check_circle:")
        if not large:
            st.markdown(escaped(mimic.tell_apart))
    st.subheader(words.TEACHING_POINTS)
    st.markdown(join("\n", (md("- {point}", point=p) for p in case.teaching_points)))
    if not large:
        _sources(kb, case)


def _sources(kb: KnowledgeBase, case: Case) -> None:
    with st.expander(words.SOURCES_FOR_CASE):
        st.markdown(join("\n", (md("- {line}", line=source_line(kb, n)) for n in case.sources)))


def _ask_answer(answer_step: int) -> None:
    """Answer before every finding is out: ask first (the class may still be guessing)."""
    st.session_state.pres_confirm = answer_step


def _close_confirmation(step: int | None = None) -> None:
    st.session_state.pres_confirm = None
    if step is not None:
        _set_step(step)


@st.dialog(words.PRES_CONFIRM_TITLE, on_dismiss=_close_confirmation)
def _confirm_answer(hidden: int, answer_step: int) -> None:
    """Open while `pres_confirm` is set; either button (or closing it) clears that and reruns the whole page."""
    st.write(md(words.PRES_CONFIRM_TEXT, hidden=hidden, verb="s are" if hidden != 1 else " is"))
    left, right = st.columns(2)
    reveal = left.button(
        words.REVEAL_ANSWER,
        type="primary",
        icon=":material/lightbulb:",
        width="stretch",
        on_click=_close_confirmation,
        args=(answer_step,),
    )
    keep = right.button(words.PRES_KEEP_GOING, width="stretch", on_click=_close_confirmation)
    if reveal or keep:
        st.rerun()


def _buttons(step: int, case: Case, answer_step: int) -> None:
    buttons = st.columns(4)
    buttons[0].button(
        words.BACK,
        key="pres_back",
        icon=":material/arrow_back:",
        disabled=step == 0,
        on_click=_set_step,
        args=(step - 1,),
        width="stretch",
        shortcut="B",
    )
    buttons[1].button(
        words.NEXT_FINDING,
        key="pres_next",
        icon=":material/arrow_forward:",
        type="primary",
        disabled=step >= len(case.findings),
        on_click=_set_step,
        args=(step + 1,),
        width="stretch",
        shortcut="N",
        help=words.PRES_NEXT_HELP,
    )
    early = step < len(case.findings)
    buttons[2].button(
        words.PRES_ANSWER,
        key="pres_answer",
        icon=":material/lightbulb:",
        disabled=step == answer_step,
        on_click=_ask_answer if early else _set_step,
        args=(answer_step,),
        width="stretch",
        shortcut="A",
        help=words.PRES_ANSWER_HELP,
    )
    buttons[3].button(
        words.PRES_START_OVER,
        key="pres_restart",
        icon=":material/restart_alt:",
        disabled=step == 0,
        on_click=_set_step,
        args=(0,),
        width="stretch",
    )


def _story(kb: KnowledgeBase, case: Case, step: int, shown: int, answer_step: int, large: bool = False) -> None:
    st.title(escaped(case.title))
    if not (large and step == answer_step):  # on the projector the answer takes the story's room at the end
        st.markdown(escaped(case.story))
    context = [hormone_status_line(case.functional)]
    if case.syndrome:
        context.append(words.PRES_FAMILY_SYNDROME.format(name=kb.hereditary[case.syndrome].name))
    if case.absent:
        context.append(words.PRES_RULED_OUT.format(names=", ".join(kb.symptoms[s].label for s in case.absent)))
    st.caption(join(" · ", (escaped(c) for c in context)))
    _buttons(step, case, answer_step)
    st.markdown(
        md(
            words.STEP_LINE,
            step=step,
            last=answer_step,
            shown=shown,
            findings=len(case.findings),
        )
    )
    if step == answer_step and large:
        # The answer takes the findings' place on the slide: the findings shrink to one line.
        st.markdown(
            md(words.PRES_FINDINGS_LINE, labels=join(" · ", (escaped(kb.symptoms[s].label) for s in case.findings[:shown])))
        )
        return
    if shown:
        items = []
        for index, symptom_id in enumerate(case.findings[:shown], start=1):
            label = kb.symptoms[symptom_id].label
            items.append(
                md(words.PRES_NEW_FINDING, index=index, label=label)
                if index == shown
                else md("{index}. {label}", index=index, label=label)
            )
        st.markdown(join("\n", items))
    else:
        st.markdown(words.PRES_NO_FINDING_YET)


def _ranking(kb: KnowledgeBase, results: list[teaching.StepResult], shown: int, large: bool) -> None:
    if not shown:
        # Before any finding the types differ only by how common they are: a ranking of ties teaches nothing.
        st.info(words.PRES_RANKING_LATER, icon=":material/visibility_off:")
        return
    current = results[shown]
    st.subheader(words.PRES_TOP_FIVE)
    # On the projector the subtype's parent group is left out so that the list and the chart fit one screen.
    st.markdown(_ranking_markdown(kb, current, groups=not large))
    frame = teaching.trajectory_frame(kb, results, upto=shown, ids=[item.type_id for item in current.top(5)])
    st.altair_chart(
        _trajectory_chart(frame, large),
        width="stretch",
        alt=words.PRES_CHART_ALT.format(steps=len(frame)),
    )
    if current.result.mimics:
        names = ", ".join(m.mimic.name for m in current.result.mimics[:3])
        st.caption(md(words.PRES_SHARED_MIMICS, names=names))


def _keys_anywhere() -> None:
    st.html(PRESENTATION_KEYS, unsafe_allow_javascript=True)


def main() -> None:
    if live_host.in_host_mode():
        live_host.host_page()
        return
    kb = current_tables()
    _read_url_once(kb)
    ss = st.session_state
    top_bar = st.columns([3, 1], vertical_alignment="bottom")
    with top_bar[0]:
        ss.pres_case_pick = ss.pres_case
        st.selectbox(
            words.CASE, list(kb.cases), key="pres_case_pick", format_func=lambda c: _case_label(kb, c), on_change=_on_case
        )
    with top_bar[1]:
        large = projector_toggle("pres_projector")
    for notice in ss.get("pres_notices", []):
        st.warning(escaped(notice), icon=":material/link_off:")

    case = kb.cases[ss.pres_case]
    answer_step = _max_step(case)
    step = min(max(int(ss.pres_step), 0), answer_step)
    ss.pres_step = step
    _write_url()
    results = case_steps(case.id)
    shown = min(step, len(case.findings))

    with st.container(key="projector" if large else "presentation"):
        if large:
            # One screen at 1920x1080 at every step: the case and its findings (or, at the end, the answer and the
            # teaching points in their place) on the left, the ranking and the chart on the right.
            left, right = st.columns([5, 6], gap="large")
            with left:
                _story(kb, case, step, shown, answer_step, large)
                if step == answer_step:
                    _show_answer(kb, case, results[-1], large)
            with right:
                _ranking(kb, results, shown, large)
        else:
            _story(kb, case, step, shown, answer_step)
            _ranking(kb, results, shown, large)
            if step == answer_step:
                _show_answer(kb, case, results[-1])
    if large and step == answer_step:  # below the slide: what does not fit on it
        if case.kind != "net":
            with st.expander(words.PRES_TELL_APART):
                st.markdown(escaped(kb.mimics[case.expected[0]].tell_apart))
        _sources(kb, case)
    if ss.get("pres_confirm") == answer_step and step < answer_step:
        _confirm_answer(len(case.findings) - shown, answer_step)
    _keys_anywhere()
    st.caption(words.PRES_KEYS)
    live_host.start_panel(case.id)


main()
