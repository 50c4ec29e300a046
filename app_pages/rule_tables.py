"""Rule tables page: a symptom x type heatmap, two-type comparison, where sources disagree, every table
browsable and downloadable as CSV, and the bibliography.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from app_pages.common import knowledge
from checker import teaching
from checker.model import FREQUENCIES, FREQUENCY_RANGES, GROUPS
from checker.text import md_escape

kb = knowledge()
TYPE_IDS = sorted(kb.types, key=lambda t: kb.types[t].name)
SHOWN_FREQUENCIES = [f for f in FREQUENCIES if f != "excluded"] + ["excluded"]
COLOURS = ["#08306b", "#2171b5", "#4292c6", "#9ecae1", "#cbc9e2", "#fc9272"]


def _type_name(type_id: str) -> str:
    return kb.types[type_id].name


def _heatmap_tab() -> None:
    st.markdown("How typical each finding is of each type, from the frequency class of its link "
                "(darker = more typical; blank = no link in the tables).")
    cols = st.columns(2)
    groups = cols[0].multiselect("Body system groups", list(GROUPS), key="rt_groups", format_func=GROUPS.get,
                                 placeholder="All groups")
    types = cols[1].multiselect("Tumor types", TYPE_IDS, key="rt_types", format_func=_type_name,
                                placeholder="All types")
    long = teaching.heatmap_long(kb, groups or None, types or None)
    if long.empty:
        st.info("No links for this selection.")
        return
    chart = alt.Chart(long).mark_rect(stroke="white").encode(
        x=alt.X("tumor type:N", title=None, sort=[_type_name(t) for t in (types or TYPE_IDS)],
                axis=alt.Axis(labelAngle=-40, labelLimit=260, labelOverlap=False, orient="top")),
        y=alt.Y("finding:N", title=None, sort=alt.EncodingSortField("ordinal", op="sum", order="descending"),
                axis=alt.Axis(labelLimit=360, labelOverlap=False)),
        color=alt.Color("frequency:N", scale=alt.Scale(domain=SHOWN_FREQUENCIES, range=COLOURS),
                        legend=alt.Legend(title="Frequency class", orient="bottom")),
        tooltip=["finding", "tumor type", "frequency", "group"],
    ).properties(height=alt.Step(20))
    st.altair_chart(chart, width="stretch")
    legend = "; ".join(f"{f}: {FREQUENCY_RANGES[f]}" for f in FREQUENCIES)
    st.caption(md_escape(legend))
    wide = long.pivot_table(index="finding", columns="tumor type", values="frequency", aggfunc="first").fillna("")
    with st.expander("The same grid as a table"):
        st.dataframe(teaching.formula_safe(wide), key="rt_heatmap_table")
        st.download_button("Download this grid (CSV)", teaching.frame_csv(wide), file_name="heatmap.csv", mime="text/csv",
                           key="rt_heatmap_csv", icon=":material/download:")


def _compare_tab() -> None:
    st.markdown("The findings whose typicality differs most between two types: the ones that best tell them apart.")
    cols = st.columns(2)
    a = cols[0].selectbox("First type", TYPE_IDS, key="rt_cmp_a", format_func=_type_name,
                          index=TYPE_IDS.index("insulinoma") if "insulinoma" in TYPE_IDS else 0)
    b = cols[1].selectbox("Second type", TYPE_IDS, key="rt_cmp_b", format_func=_type_name,
                          index=TYPE_IDS.index("gastrinoma") if "gastrinoma" in TYPE_IDS else 1)
    if a == b:
        st.info("Pick two different types.")
        return
    frame = teaching.compare_frame(kb, a, b, limit=15)
    st.dataframe(teaching.formula_safe(frame), hide_index=True, key="rt_cmp_table",
                 column_config={"sources": st.column_config.TextColumn(width="large")})
    st.download_button("Download this comparison (CSV)", teaching.frame_csv(frame), file_name=f"compare-{a}-{b}.csv",
                       mime="text/csv", key="rt_cmp_csv", icon=":material/download:")


def _disagreement_tab() -> None:
    st.markdown("Links whose frequency comes from Orphanet annotation rows, where the wording of a seed or page "
                "source suggests a different class. A difference is not an error in itself: a page may speak of a "
                "whole group of tumors, or of one stage of the disease, where the Orphanet row counts one disease.")
    frame = teaching.disagreements_frame(kb)
    st.caption(f"{len(frame)} disagreements.")
    st.dataframe(teaching.formula_safe(frame), hide_index=True, key="rt_disagree_table")
    st.download_button("Download (CSV)", teaching.frame_csv(frame), file_name="source-disagreements.csv",
                       mime="text/csv", key="rt_disagree_csv", icon=":material/download:")


def _browse_tab() -> None:
    frames = teaching.table_frames(kb)
    name = st.selectbox("Table", list(frames), key="rt_table")
    frame = frames[name]
    st.caption(f"{len(frame)} rows from rules/{name}.yaml, rules version {md_escape(kb.version)}.")
    st.dataframe(teaching.formula_safe(frame), hide_index=True, key="rt_browse_table")
    st.download_button(f"Download {name} (CSV)", teaching.frame_csv(frame), file_name=f"{name}.csv", mime="text/csv",
                       key="rt_browse_csv", icon=":material/download:")


def _bibliography_tab() -> None:
    frame = teaching.bibliography_frame(kb)
    st.markdown("Every document the tables cite, with how many source notes cite it.")
    st.dataframe(teaching.formula_safe(frame), hide_index=True, key="rt_biblio_table",
                 column_config={"url": st.column_config.LinkColumn("url")})
    st.download_button("Download the bibliography (CSV)", teaching.frame_csv(frame), file_name="bibliography.csv",
                       mime="text/csv", key="rt_biblio_csv", icon=":material/download:")


def main() -> None:
    st.title("Rule tables")
    st.caption(f"Rules version {md_escape(kb.version)}; HPO/Orphanet release {md_escape(kb.snapshot.hpo_release)}.")
    tabs = st.tabs(["Heatmap", "Compare two types", "Where sources disagree", "Browse tables", "Bibliography"])
    with tabs[0]:
        _heatmap_tab()
    with tabs[1]:
        _compare_tab()
    with tabs[2]:
        _disagreement_tab()
    with tabs[3]:
        _browse_tab()
    with tabs[4]:
        _bibliography_tab()


main()
