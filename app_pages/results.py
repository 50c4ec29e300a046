"""The Checker page's results: red flags first, ranked type cards, the rest as a table, mimics, export."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app_pages.common import source_line
from checker import Candidate, KnowledgeBase, Query, Result, rank
from checker.engine import MimicCandidate
from checker.model import PREVALENCES
from checker.notice import BASE_RATE_NOTE, STRENGTH_NOTE
from checker.report import markdown_handout, results_csv
from checker.share import share_link
from checker.teaching import formula_safe
from checker.text import md_escape
from checker.wording import STRENGTH_EXPLANATIONS, explained_by_text, sentence

TOP = 5
STRENGTH_LABELS = {"strong": "Strong match", "moderate": "Moderate match", "weak": "Weak match", "none": "No match"}
STRENGTH_COLOURS = {"strong": "blue", "moderate": "violet", "weak": "gray", "none": "gray"}
SHORT_KIND = {"functional": "Hormone status", "syndrome": "Hereditary syndrome", "prior": "How common it is"}


def compute(kb: KnowledgeBase, query: Query) -> Result | None:
    """The ranking for a query, or None while nothing has been reported that could rank the types."""
    if not (query.present or query.syndrome):
        return None
    return rank(kb, query)


def show_red_flags(result: Result | None) -> None:
    """One prominent error box per triggered red flag, telling the user to seek care."""
    if result is None:
        return
    for hit in result.red_flags:
        st.error(f"**Red flag: seek medical care.** {md_escape(hit.flag.message)}", icon=":material/emergency:")


def show_results(kb: KnowledgeBase, result: Result | None) -> None:
    st.header("Results", anchor="results")
    if result is None:
        st.info("Tick at least one finding (or choose a hereditary syndrome) to see which NET types the "
                "sources link it to.", icon=":material/checklist:")
        return
    if result.red_flags:
        st.caption("Red flags are shown at the top of the page.")
    st.caption(md_escape(STRENGTH_NOTE))
    _mimics(kb, result)
    st.subheader("NET types")
    for index, cand in enumerate(result.candidates[:TOP], start=1):
        _card(kb, index, cand)
    _rest_table(kb, result)
    _export(kb, result)


def _card(kb: KnowledgeBase, index: int, cand: Candidate) -> None:
    tumor = cand.type
    with st.container(border=True, key=f"card_{tumor.id}"):
        st.subheader(f"{index}\\. {md_escape(tumor.name)}")
        if tumor.parent and tumor.parent in kb.type_groups:
            st.caption(f"A subtype of {md_escape(kb.type_groups[tumor.parent].name)}")
        st.markdown(f":{STRENGTH_COLOURS[cand.strength]}-badge[{STRENGTH_LABELS[cand.strength]}] "
                    f"{md_escape(STRENGTH_EXPLANATIONS[cand.strength])}")
        if cand.explained_by and cand.explained_by in kb.mimics:
            st.info(md_escape(explained_by_text(cand, kb.mimics[cand.explained_by].name)), icon=":material/pets:")
        st.caption(f"Site: {md_escape(tumor.site)}. Score {cand.score:+.1f}: the sum of the points below (each point "
                   "doubles the odds against the average alternative); not a probability.")
        if cand.contributions:
            _contribution_chart(kb, cand)
        if cand.matched or cand.modifiers:
            lines = [_contribution_line(c) for c in (*cand.matched, *cand.modifiers)]
            st.markdown("**Why it is listed**\n\n" + "\n".join(lines))
        if cand.against:
            st.markdown("**Findings against**\n\n" + "\n".join(_contribution_line(c) for c in cand.against))
        if cand.expected_not_reported:
            asks = [f"{md_escape(e.label)} ({e.frequency})" for e in cand.expected_not_reported[:6]]
            st.markdown("**What to ask next** (common in this type, not reported): " + "; ".join(asks))
        hormones = ", ".join(tumor.hormones) or "none typical"
        syndromes = [kb.hormone_syndromes[s].name for s in tumor.syndromes if s in kb.hormone_syndromes]
        inherited = [h.name for h in kb.hereditary.values() if tumor.id in h.raised_ids]
        facts = [f"**Hormones:** {md_escape(hormones)}"]
        if syndromes:
            facts.append(f"**Hormone syndrome:** {md_escape('; '.join(syndromes))}")
        if inherited:
            facts.append(f"**Hereditary links:** {md_escape('; '.join(inherited))}")
        tests = [kb.education[t].title for t in tumor.tests if t in kb.education]
        treatments = [kb.education[t].title for t in tumor.treatments if t in kb.education]
        if tests:
            facts.append(f"**Tests:** {md_escape('; '.join(tests))}")
        if treatments:
            facts.append(f"**Treatments:** {md_escape('; '.join(treatments))}")
        st.markdown("  \n".join(facts))
        with st.expander("Sources behind these links"):
            st.markdown(_sources_markdown(kb, cand))


def _chart_label(c) -> str:
    if c.kind in SHORT_KIND:
        return SHORT_KIND[c.kind]
    return c.label


def _contribution_chart(kb: KnowledgeBase, cand: Candidate | MimicCandidate) -> None:
    """A small horizontal bar chart: one bar per labelled amount, blue for, red against, biggest first."""
    rows: dict[str, float] = {}
    for c in sorted(cand.contributions, key=lambda c: -abs(c.points)):
        label = _chart_label(c)
        while label in rows:
            label += " "
        rows[label] = c.points
    values = [{"Finding": label, "Points": points, "Direction": "for" if points >= 0 else "against"}
              for label, points in rows.items()]
    st.vega_lite_chart(spec={**_CHART_SPEC, "data": {"values": values}}, width="stretch")


_CHART_SPEC: dict = {
    "title": {"text": "Points per finding", "anchor": "start", "fontSize": 13},
    "mark": "bar",
    "height": {"step": 24},
    "encoding": {
        "y": {"field": "Finding", "type": "nominal", "sort": None, "title": None,
              "axis": {"labelLimit": 320, "labelOverlap": False, "labelFontSize": 12}},
        "x": {"field": "Points", "type": "quantitative", "title": None},
        "color": {"field": "Direction", "type": "nominal", "legend": None,
                  "scale": {"domain": ["for", "against"], "range": ["#1f6fb4", "#c0392b"]}},
        "tooltip": [{"field": "Finding", "type": "nominal"},
                    {"field": "Points", "type": "quantitative", "format": "+.2f"}],
    },
}
"""A plain Vega-Lite spec (no Altair): building and validating an Altair chart per card dominated each rerun."""


def _contribution_line(c) -> str:
    return f"- {c.points:+.2f} {md_escape(sentence(c))}"


def _sources_markdown(kb: KnowledgeBase, cand: Candidate | MimicCandidate) -> str:
    blocks = []
    for c in cand.contributions:
        if not c.sources:
            continue
        lines = [f"**{md_escape(_chart_label(c).strip())}** ({c.points:+.1f})"]
        lines += [f"- {source_line(kb, note)}" for note in c.sources]
        blocks.append("\n".join(lines))
    expected = [e for e in cand.expected_not_reported[:6] if e.sources]
    for e in expected:
        lines = [f"**{md_escape(e.label)}** (not reported; {e.frequency})"]
        lines += [f"- {source_line(kb, note)}" for note in e.sources]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) or "No source notes for these points."


def _rest_table(kb: KnowledgeBase, result: Result) -> None:
    rest = result.candidates[TOP:]
    if not rest:
        return
    st.subheader("Other NET types")
    frame = pd.DataFrame([{
        "Rank": index,
        "Type": cand.type.name,
        "Site": cand.type.site,
        "Strength": STRENGTH_LABELS[cand.strength],
        "Score": round(cand.score, 1),
        "Matching findings": ", ".join(c.label for c in cand.matched) or "-",
    } for index, cand in enumerate(rest, start=TOP + 1)])
    st.dataframe(formula_safe(frame), hide_index=True, width="stretch", key="rest_table")


def _mimics(kb: KnowledgeBase, result: Result) -> None:
    """The common conditions that explain the findings, best first, before any NET type."""
    st.subheader("Common conditions first")
    st.info(md_escape(BASE_RATE_NOTE), icon=":material/pets:")
    if not result.mimics:
        st.caption("No common look-alike in the tables shares these findings.")
        return
    for index, item in enumerate(result.mimics, start=1):
        shared = ", ".join(kb.symptoms[s].label for s in item.shared)
        prevalence = f"{item.mimic.prevalence} ({PREVALENCES[item.mimic.prevalence]})"
        with st.expander(f"{index}\\. {md_escape(item.mimic.name)}: {STRENGTH_LABELS[item.strength].lower()}, "
                         f"score {item.score:+.1f}", expanded=index == 1):
            st.markdown(f"**Shares:** {md_escape(shared)}  \n**How common:** {md_escape(prevalence)}")
            st.markdown(f"**Tell apart:** {md_escape(item.mimic.tell_apart)}")
            st.markdown("\n".join(_contribution_line(c) for c in sorted(item.contributions, key=lambda c: -abs(c.points))))


def _export(kb: KnowledgeBase, result: Result) -> None:
    st.subheader("Save, print or share")
    today = date.today().isoformat()
    # Callables: the files are built only when a button is clicked, not on every rerun.
    st.download_button("Download handout (Markdown)", lambda: markdown_handout(kb, result), key="dl_handout",
                       file_name=f"net-checker-handout-{today}.md", mime="text/markdown", on_click="ignore",
                       icon=":material/description:")
    st.download_button("Download results (CSV)", lambda: results_csv(kb, result), key="dl_csv",
                       file_name=f"net-checker-results-{today}.csv", mime="text/csv", on_click="ignore",
                       icon=":material/table:")
    link = share_link(st.context.url, result.query)
    st.markdown("**Shareable link** (the address bar holds the same link; it contains only the choices above):")
    st.code(link, language=None, wrap_lines=True)
    st.caption("To print, use your browser's Print command; the form, sidebar and buttons are left out.")
