"""Rule tables page: a symptom x type heatmap, two-type comparison, where sources disagree, subtypes under their
parent, the Orphanet rows that were rejected (with the reason), every table browsable and downloadable as CSV,
and the bibliography. Every derived table is cached per loaded tables (st.cache_data), not rebuilt per rerun.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import current_tables, knowledge_key
from checker import KnowledgeBase, teaching
from checker.markup import escaped, identifier, md
from checker.model import FREQUENCIES, FREQUENCY_RANGES, GROUPS

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
    st.markdown(
        "How typical each finding is of each type, from the frequency class of its link "
        "(darker = more typical; blank = no link in the tables)."
    )
    type_ids = _type_ids(kb)
    cols = st.columns(2)
    groups = cols[0].multiselect(
        "Body system groups", list(GROUPS), key="rt_groups", format_func=lambda g: GROUPS[g], placeholder="All groups"
    )
    types = cols[1].multiselect(
        "Tumor types", type_ids, key="rt_types", format_func=lambda t: kb.types[t].name, placeholder="All types"
    )
    long = _heatmap_long(key, tuple(groups), tuple(types), kb)
    if long.empty:
        st.info("No links for this selection.")
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
                legend=alt.Legend(title="Frequency class", orient="bottom", columns=1),
            ),
            tooltip=["finding", "tumor type", "frequency", "group"],
        )
        .properties(height=20 * long["finding"].nunique())
    )  # a fixed height: a "step" height made Vega warn (fit-y)
    st.altair_chart(chart, width="stretch")
    st.caption(
        "Long names are shortened on the chart to fit small screens; hover a cell, or open the table below, for the full names."
    )
    legend = "; ".join(f"{f}: {FREQUENCY_RANGES[f]}" for f in FREQUENCIES)
    st.caption(escaped(legend))
    wide = long.pivot_table(index="finding", columns="tumor type", values="frequency", aggfunc="first").fillna("")
    with st.expander("The same grid as a table"):
        _grid_with_csv(wide, "rt_heatmap", "Download this grid (CSV)", "heatmap.csv", hide_index=None)


def _compare_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown("The findings whose typicality differs most between two types: the ones that best tell them apart.")
    type_ids = _type_ids(kb)
    cols = st.columns(2)
    a = cols[0].selectbox(
        "First type",
        type_ids,
        key="rt_cmp_a",
        format_func=lambda t: kb.types[t].name,
        index=type_ids.index("insulinoma") if "insulinoma" in type_ids else 0,
    )
    b = cols[1].selectbox(
        "Second type",
        type_ids,
        key="rt_cmp_b",
        format_func=lambda t: kb.types[t].name,
        index=type_ids.index("gastrinoma") if "gastrinoma" in type_ids else 1,
    )
    if a == b:
        st.info("Pick two different types.")
        return
    frame = _compare_frame(key, a, b, kb)
    _grid_with_csv(
        frame,
        "rt_cmp",
        "Download this comparison (CSV)",
        f"compare-{a}-{b}.csv",
        column_config={"sources": st.column_config.TextColumn(width="large")},
    )


def _disagreement_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown(
        "Links whose frequency comes from Orphanet annotation rows, where the wording of a seed or page "
        "source suggests a different class. A difference is not an error in itself: a page may speak of a "
        "whole group of tumors, or of one stage of the disease, where the Orphanet row counts one disease."
    )
    frame = _disagreements(key, kb)
    st.caption(md("{n} disagreements.", n=len(frame)))
    _grid_with_csv(frame, "rt_disagree", "Download (CSV)", "source-disagreements.csv")


def _browse_tab(kb: KnowledgeBase, key: str) -> None:
    frames = _table_frames(key, kb)
    name = st.selectbox("Table", list(frames), key="rt_table")
    frame = frames[name]
    st.caption(
        md("{n} rows from rules/{name}.yaml, rules version {version}.", n=len(frame), name=identifier(name), version=kb.version)
    )
    _grid_with_csv(frame, "rt_browse", md("Download {name} (CSV)", name=identifier(name)), f"{name}.csv")


def _bibliography_tab(kb: KnowledgeBase, key: str) -> None:
    frame = _bibliography(key, kb)
    st.markdown("Every document the tables cite, with how many source notes cite it.")
    _grid_with_csv(
        frame,
        "rt_biblio",
        "Download the bibliography (CSV)",
        "bibliography.csv",
        column_config={"url": st.column_config.LinkColumn("url")},
    )


def _subtypes_tab(kb: KnowledgeBase, key: str) -> None:
    st.markdown(
        "Some tumors are split into subtypes that the checker ranks separately, because their findings "
        "differ (for example the four pituitary NETs). Each subtype names its parent group."
    )
    for group in kb.type_groups.values():
        members = [t.name for t in kb.types.values() if t.parent == group.id]
        st.markdown(
            md(
                "**{name}** ({n} subtypes): {members}  \n{summary}",
                name=group.name,
                n=len(members),
                members="; ".join(members),
                summary=group.summary,
            )
        )
    frame = _subtypes(key, kb)
    _grid_with_csv(frame, "rt_subtypes", "Download subtypes (CSV)", "subtypes.csv")


def _rejected_tab(kb: KnowledgeBase, key: str) -> None:
    frame = _table_frames(key, kb)["rejected_annotations"]
    st.markdown(
        "Orphanet annotation rows for the tumors' ORPHA codes that the tables do **not** use as symptom "
        "links, each with the reason: a feature of an associated syndrome rather than of the tumor, a "
        "feature of a sibling entity under a shared code, or a term too broad to teach from. They are kept "
        "here so that anyone can check the decision."
    )
    if frame.empty:
        st.info("No rejected rows.")
        return
    counts = frame["reason"].value_counts()
    st.caption(md("{n} rejected rows: {counts}", n=len(frame), counts="; ".join(f"{r}: {n}" for r, n in counts.items())))
    reasons = st.multiselect("Reason", list(counts.index), key="rt_rejected_reason", placeholder="All reasons")
    shown = frame[frame["reason"].isin(reasons)] if reasons else frame
    _grid_with_csv(
        shown,
        "rt_rejected",
        "Download rejected rows (CSV)",
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
    st.title("Rule tables")
    st.caption(
        md("Rules version {version}; HPO/Orphanet release {release}.", version=kb.version, release=kb.snapshot.hpo_release)
    )
    tabs = st.tabs(
        [
            "Heatmap",
            "Compare two types",
            "Where sources disagree",
            "Subtypes",
            "Rejected Orphanet rows",
            "Browse tables",
            "Bibliography",
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
