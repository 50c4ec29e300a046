"""Rule tables page: a symptom x type heatmap, two-type comparison, where sources disagree, subtypes under their
parent, the Orphanet rows that were rejected (with the reason), every table browsable and downloadable as CSV,
and the bibliography. Every derived table is cached per loaded tables (st.cache_data), not rebuilt per rerun.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import words
from app_pages.common import current_tables, knowledge_key
from checker import KnowledgeBase, teaching
from checker.markup import escaped, identifier, md
from checker.model import FREQUENCIES, GROUPS
from checker.wording import FREQUENCY_RANGES, GROUP_NAMES, reason_option

SHOWN_FREQUENCIES = [f for f in FREQUENCIES if f != "excluded"] + ["excluded"]
COLOURS = ["#08306b", "#2171b5", "#4292c6", "#9ecae1", "#cbc9e2", "#fc9272"]


def _type_ids(kb: KnowledgeBase) -> list[str]:
    """The tumor types' ids, by name."""
    return sorted(kb.types, key=lambda t: kb.types[t].name)


# Cached per loaded tables (the `tables` key: folder and file states, see knowledge_key; the tables themselves,
# `_kb`, are not hashed): a rerun after a filter change rebuilds no DataFrame.
@st.cache_data(show_spinner=False, max_entries=4)
def _table_frames(tables: str, _kb: KnowledgeBase) -> dict[str, pd.DataFrame]:
    return teaching.table_frames(_kb)


@st.cache_data(show_spinner=False, max_entries=64)
def _heatmap_long(tables: str, groups: tuple[str, ...], types: tuple[str, ...], _kb: KnowledgeBase) -> pd.DataFrame:
    return teaching.heatmap_long(_kb, groups or None, types or None)


@st.cache_data(show_spinner=False, max_entries=64)
def _compare_frame(tables: str, a: str, b: str, _kb: KnowledgeBase) -> pd.DataFrame:
    return teaching.compare_frame(_kb, a, b, limit=15)


@st.cache_data(show_spinner=False, max_entries=4)
def _disagreements(tables: str, _kb: KnowledgeBase) -> pd.DataFrame:
    return teaching.disagreements_frame(_kb)


@st.cache_data(show_spinner=False, max_entries=4)
def _bibliography(tables: str, _kb: KnowledgeBase) -> pd.DataFrame:
    return teaching.bibliography_frame(_kb)


@st.cache_data(show_spinner=False, max_entries=4)
def _subtypes(tables: str, _kb: KnowledgeBase) -> pd.DataFrame:
    rows = [
        {
            "parent group": group.name,
            "subtype": tumor.name,
            "subtype id": tumor.id,
            "site": tumor.site,
            "functional": tumor.functional,
        }
        for group in _kb.type_groups.values()
        for tumor in _kb.types.values()
        if tumor.parent == group.id
    ]
    return pd.DataFrame(rows)


def _heatmap_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown(words.RT_HEATMAP_TEXT)
    type_ids = _type_ids(kb)
    cols = st.columns(2)
    groups = cols[0].multiselect(
        words.RT_GROUPS, list(GROUPS), key="rt_groups", format_func=lambda g: GROUP_NAMES[g], placeholder=words.RT_ALL_GROUPS
    )
    types = cols[1].multiselect(
        words.RT_TYPES, type_ids, key="rt_types", format_func=lambda t: kb.types[t].name, placeholder=words.RT_ALL_TYPES
    )
    long = _heatmap_long(key, tuple(groups), tuple(types), kb)
    if long.empty:
        st.info(words.RT_NO_LINKS)
        return
    chart = (
        alt.Chart(long)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X(
                "tumor type:N",
                title=None,
                sort=[kb.types[t].name for t in (types or type_ids)],
                axis=alt.Axis(labelAngle=-90, labelLimit=150, labelOverlap=False, orient="top"),
            ),
            y=alt.Y(
                "finding:N",
                title=None,
                sort=alt.EncodingSortField("ordinal", op="sum", order="descending"),
                axis=alt.Axis(labelLimit=150, labelOverlap=False),
            ),
            color=alt.Color(
                "frequency:N",
                scale=alt.Scale(domain=SHOWN_FREQUENCIES, range=COLOURS),
                legend=alt.Legend(title=words.RT_FREQUENCY_CLASS, orient="bottom", columns=1),
            ),
            tooltip=["finding", "tumor type", "frequency", "group"],
        )
        .properties(height=20 * long["finding"].nunique())
    )  # a fixed height: a "step" height made Vega warn (fit-y)
    st.altair_chart(chart, width="stretch")
    st.caption(words.RT_SHORT_NAMES)
    legend = "; ".join(f"{f}: {FREQUENCY_RANGES[f]}" for f in FREQUENCIES)
    st.caption(escaped(legend))
    wide = long.pivot_table(index="finding", columns="tumor type", values="frequency", aggfunc="first").fillna("")
    with st.expander(words.RT_GRID_AS_TABLE):
        _grid_with_csv(wide, "rt_heatmap", words.RT_DOWNLOAD_GRID, "heatmap.csv", hide_index=None)


def _compare_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown(words.RT_COMPARE_TEXT)
    type_ids = _type_ids(kb)
    cols = st.columns(2)
    a = cols[0].selectbox(
        words.RT_FIRST_TYPE,
        type_ids,
        key="rt_cmp_a",
        format_func=lambda t: kb.types[t].name,
        index=type_ids.index("insulinoma") if "insulinoma" in type_ids else 0,
    )
    b = cols[1].selectbox(
        words.RT_SECOND_TYPE,
        type_ids,
        key="rt_cmp_b",
        format_func=lambda t: kb.types[t].name,
        index=type_ids.index("gastrinoma") if "gastrinoma" in type_ids else 1,
    )
    if a == b:
        st.info(words.RT_PICK_TWO)
        return
    frame = _compare_frame(key, a, b, kb)
    _grid_with_csv(
        frame,
        "rt_cmp",
        words.RT_DOWNLOAD_COMPARISON,
        f"compare-{a}-{b}.csv",
        column_config={"sources": st.column_config.TextColumn(width="large")},
    )


def _disagreement_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown(words.RT_DISAGREE_TEXT)
    frame = _disagreements(key, kb)
    st.caption(md(words.RT_DISAGREE_COUNT, n=len(frame)))
    _grid_with_csv(frame, "rt_disagree", words.RT_DOWNLOAD_DISAGREEMENTS, "source-disagreements.csv")


def _browse_tab(kb: KnowledgeBase, key: str) -> None:
    frames = _table_frames(key, kb)
    name = st.selectbox(words.RT_TABLE, list(frames), key="rt_table")
    frame = frames[name]
    st.caption(md(words.RT_TABLE_ROWS, n=len(frame), name=identifier(name), version=kb.version))
    _grid_with_csv(frame, "rt_browse", md(words.RT_DOWNLOAD_TABLE, name=identifier(name)), f"{name}.csv")


def _bibliography_tab(kb: KnowledgeBase, key: str) -> None:
    frame = _bibliography(key, kb)
    st.markdown(words.RT_BIBLIOGRAPHY_TEXT)
    _grid_with_csv(
        frame,
        "rt_biblio",
        words.RT_DOWNLOAD_BIBLIOGRAPHY,
        "bibliography.csv",
        column_config={"url": st.column_config.LinkColumn("url")},
    )


def _subtypes_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown(words.RT_SUBTYPES_TEXT)
    for group in kb.type_groups.values():
        members = [t.name for t in kb.types.values() if t.parent == group.id]
        st.markdown(
            md(
                words.RT_SUBTYPE_GROUP,
                name=group.name,
                n=len(members),
                members="; ".join(members),
                summary=group.summary,
            )
        )
    frame = _subtypes(key, kb)
    _grid_with_csv(frame, "rt_subtypes", words.RT_DOWNLOAD_SUBTYPES, "subtypes.csv")


def _rejected_tab(kb: KnowledgeBase, key: str) -> None:
    frame = _table_frames(key, kb)["rejected_annotations"]
    st.markdown(words.RT_REJECTED_TEXT)
    if frame.empty:
        st.info(words.RT_NO_REJECTED)
        return
    counts = frame["reason"].value_counts()
    st.caption(md(words.RT_REJECTED_COUNT, n=len(frame), counts="; ".join(f"{r}: {n}" for r, n in counts.items())))
    reasons = st.multiselect(
        words.RT_REASON,
        list(counts.index),
        key="rt_rejected_reason",
        placeholder=words.RT_ALL_REASONS,
        format_func=reason_option,
    )
    shown = frame[frame["reason"].isin(reasons)] if reasons else frame
    _grid_with_csv(
        shown,
        "rt_rejected",
        words.RT_DOWNLOAD_REJECTED,
        "rejected-rows.csv",
        column_config={"note": st.column_config.TextColumn(width="large")},
    )


def _grid_with_csv(
    frame: pd.DataFrame,
    key: str,
    label: str,
    file_name: str,
    hide_index: bool | None = True,
    column_config: dict[str, Any] | None = None,
) -> None:
    """A data grid and its CSV download (both formula-safe); widget keys ``{key}_table`` and ``{key}_csv``."""
    st.dataframe(teaching.formula_safe(frame), hide_index=hide_index, key=f"{key}_table", column_config=column_config)
    st.download_button(
        label, teaching.frame_csv(frame), file_name=file_name, mime="text/csv", key=f"{key}_csv", icon=":material/download:"
    )


def main() -> None:
    kb, key = current_tables(), knowledge_key()
    st.title(words.RT_TITLE)
    st.caption(md(words.RT_VERSIONS, version=kb.version, release=kb.snapshot.hpo_release))
    tabs = st.tabs(
        [
            words.RT_TAB_HEATMAP,
            words.RT_TAB_COMPARE,
            words.RT_TAB_DISAGREE,
            words.RT_TAB_SUBTYPES,
            words.RT_TAB_REJECTED,
            words.RT_TAB_BROWSE,
            words.RT_TAB_BIBLIOGRAPHY,
        ]
    )
    with tabs[0]:
        _heatmap_tab(kb, key)
    with tabs[1]:
        _compare_tab(kb, key)
    with tabs[2]:
        _disagreement_tab(kb, key)
    with tabs[3]:
        _subtypes_tab(kb, key)
    with tabs[4]:
        _rejected_tab(kb, key)
    with tabs[5]:
        _browse_tab(kb, key)
    with tabs[6]:
        _bibliography_tab(kb, key)


main()
