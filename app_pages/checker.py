"""Checker page: pick findings, see which NET types the tables link them to, and why.

State lives in four plain session keys (q_present, q_absent, q_functional, q_syndrome). Widgets are seeded
from them on every run and copy changes back in callbacks, so ticks survive searching, page switches and
filtering. The URL query parameters are read once per session and rewritten whenever the state changes.
Nothing the user picks is logged or stored outside this browser session.
"""

from __future__ import annotations

import streamlit as st

from app_pages.common import knowledge
from app_pages.results import compute, show_red_flags, show_results
from checker import Query
from checker.model import GROUPS, QUERY_STATUSES
from checker.search import matched_name, search_symptoms
from checker.share import parse_params, to_params
from checker.text import md_escape

kb = knowledge()

FUNCTIONAL_LABELS = {
    "functional": "Yes, hormone symptoms are present",
    "nonfunctional": "No hormone symptoms",
    "unknown": "Not sure",
}


def _load_link_once() -> None:
    """On the first run of a session, restore the form from the URL (dropping anything unknown)."""
    if "q_present" in st.session_state:
        return
    raw = {key: st.query_params.get_all(key) for key in st.query_params}
    query, notices = parse_params(raw, kb)
    st.session_state.q_present = list(query.present)
    st.session_state.q_absent = list(query.absent)
    st.session_state.q_functional = query.functional
    st.session_state.q_syndrome = query.syndrome or ""
    st.session_state.link_notices = notices


def _current_query() -> Query:
    ss = st.session_state
    present = [s for s in ss.q_present if s in kb.symptoms]
    absent = [s for s in ss.q_absent if s in kb.symptoms]
    functional = ss.q_functional if ss.q_functional in QUERY_STATUSES else "unknown"
    syndrome = ss.q_syndrome if ss.q_syndrome in kb.hereditary else None
    return Query(present=tuple(present), absent=tuple(absent), functional=functional, syndrome=syndrome)


def _changed() -> None:
    st.session_state.link_notices = []


def _on_tick(symptom_id: str) -> None:
    ss = st.session_state
    present = [s for s in ss.q_present if s != symptom_id]
    if ss.get(f"present_{symptom_id}"):
        present.append(symptom_id)
        ss.q_absent = [s for s in ss.q_absent if s != symptom_id]
    ss.q_present = present
    _changed()


def _on_absent() -> None:
    ss = st.session_state
    ss.q_absent = list(ss.get("absent", []))
    ss.q_present = [s for s in ss.q_present if s not in ss.q_absent]
    _changed()


def _on_functional() -> None:
    st.session_state.q_functional = st.session_state.get("functional", "unknown")
    _changed()


def _on_syndrome() -> None:
    st.session_state.q_syndrome = st.session_state.get("syndrome", "") or ""
    _changed()


def _clear_all() -> None:
    ss = st.session_state
    ss.q_present, ss.q_absent, ss.q_functional, ss.q_syndrome = [], [], "unknown", ""
    ss.search = ""
    _changed()


def _checkbox(symptom_id: str, note: str | None = None) -> None:
    symptom = kb.symptoms[symptom_id]
    key = f"present_{symptom_id}"
    st.session_state[key] = symptom_id in st.session_state.q_present
    label = md_escape(symptom.label)
    st.checkbox(label, key=key, on_change=_on_tick, args=(symptom_id,),
                help=f"Also called: {md_escape(note)}" if note else None)


def _picker() -> None:
    ss = st.session_state
    st.header("Findings", anchor="findings")
    st.subheader("1\\. What is present?")
    st.text_input("Search findings in plain words or medical terms", key="search", max_chars=100,
                  placeholder="for example: sweaty, red face, hyperhidrosis")
    ticked = sorted(kb.symptoms[s].label for s in ss.q_present if s in kb.symptoms)
    st.caption("Ticked: " + md_escape("; ".join(ticked)) if ticked else "Nothing ticked yet.")
    search = (ss.get("search") or "").strip()
    if search:
        found = search_symptoms(kb, search)
        if found:
            st.caption(f"{len(found)} finding{'s match' if len(found) != 1 else ' matches'} your search. "
                       "Clear the search box to browse by body system.")
            for symptom_id in found:
                _checkbox(symptom_id, matched_name(kb.symptoms[symptom_id], search))
        else:
            st.info("No finding matches that search. Try another word, or clear the box to browse by body system.")
    else:
        st.caption("Browse by body system, or search above.")
        for group, group_label in GROUPS.items():
            members = [s for s in kb.symptoms.values() if s.group == group]
            if not members:
                continue
            with st.expander(group_label):
                for symptom in members:
                    _checkbox(symptom.id)

    st.subheader("2\\. Anything ruled out? (optional)")
    ss.absent = [s for s in ss.q_absent if s in kb.symptoms]
    st.multiselect("Findings known to be absent", options=list(kb.symptoms), key="absent", on_change=_on_absent,
                   format_func=lambda s: kb.symptoms[s].label, placeholder="Choose findings that are not there")

    st.subheader("3\\. Hormone symptoms")
    ss.functional = ss.q_functional if ss.q_functional in QUERY_STATUSES else "unknown"
    st.radio("Are there symptoms of a hormone excess?", options=list(QUERY_STATUSES), key="functional",
             format_func=FUNCTIONAL_LABELS.get, on_change=_on_functional)
    st.caption("Functional tumors release hormones that cause symptoms such as flushing or low blood sugar; "
               "nonfunctional ones do not and are often found because of their size or by chance.")

    st.subheader("4\\. Hereditary syndrome (optional)")
    ss.syndrome = ss.q_syndrome if ss.q_syndrome in kb.hereditary else ""
    st.selectbox("Known inherited condition in the person or family", options=["", *kb.hereditary], key="syndrome",
                 format_func=lambda h: kb.hereditary[h].name if h else "None known", on_change=_on_syndrome)

    st.button("Clear all", key="clear", on_click=_clear_all, icon=":material/restart_alt:")


def _sync_url(query: Query) -> None:
    """Keep the address bar a shareable link to what is on screen."""
    wanted = to_params(query)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in wanted.items()}:
        st.query_params.from_dict(wanted)


_load_link_once()
query = _current_query()
result = compute(kb, query)
st.title("NET checker")
st.markdown("Tick the findings that are present. The results show how published sources link them to "
            "neuroendocrine tumor (NET) types, and which common conditions share them. "
            "[Jump to results](#results)")

with st.container():
    show_red_flags(result)
with st.container():
    for notice in st.session_state.get("link_notices", []):
        st.warning(md_escape(notice), icon=":material/link_off:")

form_column, results_column = st.columns([5, 7], gap="large")
with form_column, st.container(key="picker"):
    _picker()
with results_column:
    show_results(kb, result)
_sync_url(query)
