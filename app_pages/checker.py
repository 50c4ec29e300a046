"""Checker page: pick findings, see which NET types and common look-alikes the tables link them to, and why.

State lives in plain session keys (q_present, q_absent, q_functional, q_syndrome, q_age, q_sex, q_history,
q_no_history). Widgets are seeded
from them on every run and copy changes back in callbacks, so ticks survive searching, page switches and
filtering. The picker and the results sit in one fragment: a tick reruns only them, not the page around.
The URL query parameters are read once per session and rewritten whenever the state changes.
Nothing the user picks is logged or stored outside this browser session.
"""

from __future__ import annotations

import streamlit as st

from app_pages import words
from app_pages.common import current_tables, knowledge_key, projector_toggle
from app_pages.results import compute, show_red_flags, show_results
from checker import KnowledgeBase, Query
from checker.markup import Markdown, escaped, md, trusted
from checker.model import AGE_BANDS, GROUPS, QUERY_STATUSES, SEXES, Group, member
from checker.search import matched_name, search_symptoms
from checker.share import parse_params, to_params
from checker.wording import GROUP_NAMES, HORMONE_STATUS_ANSWERS, NOT_GIVEN, SEX_WORDS

SEARCH_HITS = 12  # how many matches the search shows at once, best first


@st.cache_data(show_spinner=False, max_entries=4)
def group_members(tables: str, _kb: KnowledgeBase) -> dict[Group, list[str]]:
    """Symptom ids per body system, in table order (keyed by the tables' file states, see knowledge_key)."""
    members: dict[Group, list[str]] = {group: [] for group in GROUPS}
    for symptom in _kb.symptoms.values():
        members.setdefault(symptom.group, []).append(symptom.id)
    return {group: ids for group, ids in members.items() if ids}


def _label(kb: KnowledgeBase, symptom_id: str) -> str:
    """A finding's label for a plain-text widget (select, multiselect)."""
    return kb.symptoms[symptom_id].label


def _pill_label(kb: KnowledgeBase, symptom_id: str) -> Markdown:
    """A finding's label for a pill, whose text Streamlit renders as Markdown: escaped."""
    return escaped(kb.symptoms[symptom_id].label)


def _load_link_once(kb: KnowledgeBase) -> None:
    """On the first run of a session, restore the form from the URL (dropping anything unknown)."""
    if "q_present" in st.session_state:
        return
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    query, notices = parse_params(raw, kb)
    st.session_state.q_present = list(query.present)
    st.session_state.q_absent = list(query.absent)
    st.session_state.q_functional = query.functional
    st.session_state.q_syndrome = query.syndrome or ""
    st.session_state.q_age = query.age or ""
    st.session_state.q_sex = query.sex or ""
    st.session_state.q_history = list(query.history)
    st.session_state.q_no_history = list(query.no_history)
    st.session_state.link_notices = notices


def _current_query(kb: KnowledgeBase) -> Query:
    ss = st.session_state
    present = [s for s in ss.q_present if s in kb.symptoms]
    absent = [s for s in ss.q_absent if s in kb.symptoms]
    functional = member(ss.q_functional, QUERY_STATUSES) or "unknown"
    syndrome = ss.q_syndrome if ss.q_syndrome in kb.hereditary else None
    items = _history_items(kb)
    return Query(
        present=tuple(present),
        absent=tuple(absent),
        functional=functional,
        syndrome=syndrome,
        age=ss.get("q_age") if ss.get("q_age") in AGE_BANDS else None,
        sex=member(ss.get("q_sex", ""), SEXES),
        history=tuple(h for h in ss.get("q_history", []) if h in items),
        no_history=tuple(h for h in ss.get("q_no_history", []) if h in items),
    )


def _history_items(kb: KnowledgeBase) -> dict[str, str]:
    return {i.id: i.label for i in kb.population.values() if i.kind == "history"}


def _on_context() -> None:
    ss = st.session_state
    ss.q_age = ss.get("ctx_age", "") or ""
    ss.q_sex = ss.get("ctx_sex", "") or ""
    ss.q_history = list(ss.get("ctx_history") or [])
    ss.q_no_history = [h for h in (ss.get("ctx_no_history") or []) if h not in ss.q_history]
    ss.link_notices = []


def _set_present(kb: KnowledgeBase, present: list[str]) -> None:
    ss = st.session_state
    ss.q_present = list(dict.fromkeys(s for s in present if s in kb.symptoms))
    ss.q_absent = [s for s in ss.q_absent if s not in ss.q_present]
    ss.link_notices = []


def _on_group(kb: KnowledgeBase, group: str) -> None:
    ss = st.session_state
    chosen = list(ss.get(f"grp_{group}") or [])
    _set_present(kb, [s for s in ss.q_present if kb.symptoms[s].group != group] + chosen)


def _on_hits(kb: KnowledgeBase) -> None:
    ss = st.session_state
    hits = set(ss.get("search_hit_ids", []))
    chosen = list(ss.get("search_pick") or [])
    _set_present(kb, [s for s in ss.q_present if s not in hits] + chosen)


def _on_ticked(kb: KnowledgeBase) -> None:
    _set_present(kb, list(st.session_state.get("ticked") or []))


def _on_absent() -> None:
    ss = st.session_state
    ss.q_absent = list(ss.get("absent", []))
    ss.q_present = [s for s in ss.q_present if s not in ss.q_absent]
    ss.link_notices = []


def _on_functional() -> None:
    st.session_state.q_functional = st.session_state.get("functional", "unknown")
    st.session_state.link_notices = []


def _on_syndrome() -> None:
    st.session_state.q_syndrome = st.session_state.get("syndrome", "") or ""
    st.session_state.link_notices = []


def _clear_all() -> None:
    ss = st.session_state
    ss.q_present, ss.q_absent, ss.q_functional, ss.q_syndrome = [], [], "unknown", ""
    ss.q_age, ss.q_sex, ss.q_history, ss.q_no_history = "", "", [], []
    ss.search = ""
    ss.link_notices = []


def _search(kb: KnowledgeBase) -> None:
    """Search as you type: matches appear after a short pause, as pills that tick and untick."""
    ss = st.session_state
    st.text_input(
        words.CHECKER_SEARCH,
        key="search",
        max_chars=100,
        live="200ms",
        placeholder=words.CHECKER_SEARCH_EXAMPLES,
    )
    typed = (ss.get("search") or "").strip()
    if not typed:
        ss.search_hit_ids = []
        return
    hits = search_symptoms(kb, typed, limit=SEARCH_HITS)
    ss.search_hit_ids = hits
    if not hits:
        st.info(words.CHECKER_NO_MATCH)
        return
    ss.search_pick = [s for s in hits if s in ss.q_present]

    def shown(symptom_id: str) -> Markdown:
        also = matched_name(kb.symptoms[symptom_id], typed)
        return escaped(
            words.CHECKER_ALSO_CALLED.format(label=_label(kb, symptom_id), also=also) if also else _label(kb, symptom_id)
        )

    st.pills(
        md(words.CHECKER_MATCHES, typed=typed),
        hits,
        selection_mode="multi",
        key="search_pick",
        format_func=shown,
        on_change=_on_hits,
        args=(kb,),
    )


def _finder(kb: KnowledgeBase) -> None:
    """Step 1 above the results (on a phone too): the search box and the ticked findings stay where they are
    when results appear or change below them."""
    ss = st.session_state
    st.subheader(words.CHECKER_STEP_PRESENT, anchor=False)  # no "link to heading" stop before the search box
    _search(kb)
    ss.ticked = [s for s in ss.q_present if s in kb.symptoms]
    # Only the ticked findings are options: a list of every finding made each tick redraw far slower (the search
    # box above adds findings).
    st.multiselect(
        words.CHECKER_TICKED,
        list(ss.ticked),
        key="ticked",
        format_func=lambda s: _label(kb, s),
        on_change=_on_ticked,
        args=(kb,),
        placeholder=words.CHECKER_NOTHING_TICKED,
    )


def _picker(kb: KnowledgeBase) -> None:
    """Browsing by body system and steps 2-5, beside the results (below them on a phone).

    Only the chosen body system's findings, and steps 2 and 5 only while open, are drawn: every element drawn
    slows each tick in the browser.
    """
    ss = st.session_state
    members = group_members(knowledge_key(), kb)
    group = st.pills(
        words.CHECKER_BROWSE, list(members), key="browse", selection_mode="single", format_func=lambda g: GROUP_NAMES.get(g, g)
    )
    if group in members:
        key = f"grp_{group}"
        ss[key] = [s for s in members[group] if s in ss.q_present]
        st.pills(
            md(words.CHECKER_GROUP_PILLS, group=GROUP_NAMES.get(group, group)),
            members[group],
            selection_mode="multi",
            key=key,
            format_func=lambda s: _pill_label(kb, s),
            on_change=_on_group,
            args=(kb, group),
        )

    ruled_out = [s for s in ss.q_absent if s in kb.symptoms]
    count = md(words.CHECKER_RULED_OUT_COUNT, n=len(ruled_out)) if ruled_out else trusted("")
    absent_box = st.expander(md(words.CHECKER_STEP_ABSENT, count=count), key="open_absent", on_change="rerun")
    with absent_box:
        if absent_box.open:
            ss.absent = ruled_out
            st.multiselect(
                words.CHECKER_ABSENT,
                options=list(kb.symptoms),
                key="absent",
                on_change=_on_absent,
                format_func=lambda s: _label(kb, s),
                placeholder=words.CHECKER_ABSENT_PLACEHOLDER,
            )

    st.subheader(words.CHECKER_STEP_HORMONES)
    ss.functional = ss.q_functional if ss.q_functional in QUERY_STATUSES else "unknown"
    st.radio(
        words.CHECKER_HORMONES,
        options=list(QUERY_STATUSES),
        key="functional",
        format_func=HORMONE_STATUS_ANSWERS.get,
        on_change=_on_functional,
    )
    st.caption(words.CHECKER_HORMONES_CAPTION)

    st.subheader(words.CHECKER_STEP_HEREDITARY)
    ss.syndrome = ss.q_syndrome if ss.q_syndrome in kb.hereditary else ""
    st.selectbox(
        words.CHECKER_HEREDITARY,
        options=["", *kb.hereditary],
        key="syndrome",
        format_func=lambda h: kb.hereditary[h].name if h else words.CHECKER_NONE_KNOWN,
        on_change=_on_syndrome,
    )

    _context_inputs(kb)
    st.button(words.CHECKER_CLEAR, key="clear", on_click=_clear_all, icon=":material/restart_alt:")
    projector_toggle("checker_projector")  # at the end of the form: on a phone the results come first


def _context_inputs(kb: KnowledgeBase) -> None:
    """Step 5: age band, sex and history, which some look-alikes depend on (dumping needs stomach surgery)."""
    ss = st.session_state
    given = sum(map(bool, (ss.get("q_age"), ss.get("q_sex")))) + len(ss.get("q_history", [])) + len(ss.get("q_no_history", []))
    count = md(words.CHECKER_GIVEN_COUNT, given=given) if given else trusted("")
    box = st.expander(md(words.CHECKER_STEP_CONTEXT, count=count), key="open_context", on_change="rerun")
    with box:
        if box.open:
            _context_widgets(kb)


def _context_widgets(kb: KnowledgeBase) -> None:
    ss = st.session_state
    bands = {i.id: i.label for i in kb.population.values() if i.kind == "age"}
    ss.ctx_age = ss.get("q_age") if ss.get("q_age") in bands else ""
    ss.ctx_sex = ss.get("q_sex") if ss.get("q_sex") in SEXES else ""
    items = _history_items(kb)
    ss.ctx_history = [h for h in ss.get("q_history", []) if h in items]
    ss.ctx_no_history = [h for h in ss.get("q_no_history", []) if h in items]
    age_column, sex_column = st.columns(2)
    age_column.selectbox(
        words.CHECKER_AGE,
        options=["", *bands],
        key="ctx_age",
        format_func=lambda a: bands.get(a, NOT_GIVEN),
        on_change=_on_context,
    )
    sex_column.selectbox(
        words.CHECKER_SEX,
        options=["", *SEXES],
        key="ctx_sex",
        format_func=lambda x: SEX_WORDS.get(x, NOT_GIVEN),
        on_change=_on_context,
    )
    st.multiselect(
        words.CHECKER_HISTORY,
        options=list(items),
        key="ctx_history",
        format_func=lambda h: items[h],
        on_change=_on_context,
        placeholder=words.CHECKER_HISTORY_PLACEHOLDER,
    )
    st.multiselect(
        words.CHECKER_NO_HISTORY,
        options=list(items),
        key="ctx_no_history",
        format_func=lambda h: items[h],
        on_change=_on_context,
        placeholder=words.CHECKER_NO_HISTORY_PLACEHOLDER,
    )
    st.caption(words.CHECKER_CONTEXT_CAPTION)


def _sync_url(query: Query) -> None:
    """Keep the address bar a shareable link to what is on screen."""
    wanted = to_params(query)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in wanted.items()}:
        st.query_params.from_dict(wanted)


@st.fragment
def checker_body(kb: KnowledgeBase) -> None:
    """Everything a tick changes: red flags, the summary, the picker and the results (rerun alone on a tick, with
    the tables of the full run: a fragment rerun calls it with the same arguments)."""
    with st.container(key="projector" if st.session_state.get("checker_projector") else "checker"):
        _body(kb)


def _body(kb: KnowledgeBase) -> None:
    query = _current_query(kb)
    result = compute(kb, query)
    show_red_flags(result)
    for notice in st.session_state.get("link_notices", []):
        st.warning(escaped(notice), icon=":material/link_off:")
    with st.container(key="finder"):
        _finder(kb)
    st.caption(words.CHECKER_RESULTS_CAPTION)
    results_column, form_column = st.columns([7, 5], gap="large")
    with results_column, st.container(key="results_column"):
        show_results(kb, result)
    with form_column, st.container(key="picker"):
        _picker(kb)
    _sync_url(query)


def main() -> None:
    kb = current_tables()
    _load_link_once(kb)
    st.title(words.CHECKER_TITLE, anchor=False)
    checker_body(kb)


main()
