"""About page: intended use, how the scoring works, the bibliography with licences and versions, error reports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import knowledge
from checker.evidence import FLOOR
from checker.explain import worked_example
from checker.model import FREQUENCIES, FREQUENCY_MIDPOINTS, FREQUENCY_RANGES
from checker.notice import BASE_RATE_NOTE, STRENGTH_NOTE
from checker.text import md_escape, md_link

kb = knowledge()

st.title("About this checker")

st.header("Intended use")
st.markdown(
    "This is a **teaching tool**. It shows how symptoms and test findings are linked to neuroendocrine tumor "
    "(NET) types in published sources, so that students and curious readers can see why a presentation points "
    "one way or another.\n\n"
    "- It is **not a medical device** and has not been assessed as one.\n"
    "- It must **not** be used for diagnosis, for triage (deciding how urgent something is), or to make or change "
    "treatment decisions.\n"
    "- It cannot tell whether anyone has a tumor. Most people with these symptoms have a common, non-cancerous "
    "condition.\n"
    "- If you are worried about a symptom, talk to a doctor or other qualified health professional; in an "
    "emergency, call your local emergency number.\n"
    "- Nothing you tick is stored or logged by the app. Your choices live only in your browser session and in the "
    "page address (so a link can be shared); usage statistics are switched off."
)

st.header("How the scoring works")
st.markdown(
    "The checker ranks **NET types and common look-alike conditions together, with one model**: likelihood "
    "ratios, the tool taught in evidence-based medicine. Every number comes from the tables by the formulas "
    "below; nothing is hand-tuned per finding.\n\n"
    "1. **How often a finding occurs in a condition**, P(finding | condition), is the middle of its frequency "
    "class (table below). A finding the tables do not link to a condition gets a floor of "
    f"{FLOOR:g} (1%).\n"
    "2. **A finding you tick** adds log2 of its likelihood ratio: P(finding | this condition) divided by the "
    "average P(finding | each other condition), NET types and look-alikes alike. So **each point doubles the "
    "odds** against the average alternative: +3 points means about 8x more likely, -3 points 8x less likely.\n"
    "3. **A finding you rule out** adds log2((1 - P(this)) / (1 - average P(others))): negative for conditions "
    "that usually have it.\n"
    "4. **Hormone symptoms present or absent** is a likelihood ratio too, over the NET types: P(hormone "
    "syndrome | type) is the class of how many people with the type present with its hormone syndrome. When "
    "you report hormone symptoms, links read their class *among people with the syndrome* where the tables give "
    "one.\n"
    "5. **An inherited syndrome** adds log2(share of this type's patients who have the syndrome / the average "
    "share among the other NET types).\n"
    "6. **Look-alikes start with their prevalence** as prior odds against a rare NET: very common +10.0, "
    "common +6.6, uncommon +3.3 points (10x per step). That is why the common conditions come first.\n\n"
    "**Labels** follow the points: **strong** from 6.64 points (100x) with at least two findings pointing to it, "
    "**moderate** from 3.32 points (10x), **weak** when anything points to it, **none** otherwise. A NET type is "
    "never *strong* when a common condition explains the findings at least as well (its card says which one), "
    "non-specific findings (tiredness, nausea, weight loss...) alone never give more than *weak*, and labels "
    "never rise as the score falls."
)
st.info(md_escape(STRENGTH_NOTE), icon=":material/info:")

weights = pd.DataFrame([{
    "Frequency class": freq,
    "Meaning": FREQUENCY_RANGES[freq],
    "P(finding | condition)": f"{FREQUENCY_MIDPOINTS[freq]:g}",
} for freq in FREQUENCIES] + [{"Frequency class": "(not linked)", "Meaning": "the tables do not link them",
                               "P(finding | condition)": f"{FLOOR:g}"}])
st.table(weights.set_index("Frequency class"))

example = worked_example(kb)
if example is not None:
    st.markdown("**Worked example from the current tables** (redo it with a calculator):\n\n" + md_escape(example))
st.markdown(
    "Alongside the ranking the checker shows **red flags** (findings that need prompt medical care, shown above "
    "the results whenever they are ticked) and **common conditions** that share the findings. "
    + md_escape(BASE_RATE_NOTE)
)

st.header("Sources, licences and data versions")
annotation = [s for s in kb.sources.values() if s.kind in ("annotation", "ontology")]
st.markdown(
    f"- Rules version: **{md_escape(kb.version)}**\n"
    f"- HPO / Orphanet release: **{md_escape(kb.snapshot.hpo_release)}**\n"
    "- Orphanet data (rare-disease frequency annotations) are used under the Creative Commons Attribution 4.0 "
    "licence (CC BY 4.0); source: Orphanet, INSERM.\n"
    "- Human Phenotype Ontology (HPO) terms and annotations are used under the HPO terms of use "
    "([hpo.jax.org/license](https://hpo.jax.org/license)).\n"
    "- Web pages and seed documents are quoted briefly, with a link, as the source of each statement."
)
for source in annotation:
    st.markdown(f"- **{md_escape(source.title)}** ({md_escape(source.publisher)}), release "
                f"{md_escape(source.version)}; licence: {md_escape(source.licence or 'see publisher')}. "
                + (md_link("Download address", source.url) if source.url else ""))

KIND_TITLES = {"seed": "Seed documents", "page": "Web pages read"}
for kind, title in KIND_TITLES.items():
    sources = [s for s in kb.sources.values() if s.kind == kind]
    if not sources:
        continue
    with st.expander(f"{title} ({len(sources)})"):
        lines = []
        for s in sources:
            name = s.title if not s.title.startswith("(no title") else (s.note or s.title)
            bits = [f"**{md_escape(name)}**"]
            if s.publisher:
                bits.append(md_escape(s.publisher))
            if s.dates:
                bits.append(md_escape(s.dates))
            if s.version:
                bits.append(f"version {md_escape(s.version)}")
            if s.licence:
                bits.append(f"licence: {md_escape(s.licence)}")
            if s.date_read:
                bits.append(f"read {md_escape(s.date_read)}")
            line = "- " + ". ".join(bits)
            if s.url:
                line += ". " + md_link("Link", s.url)
            lines.append(line)
        st.markdown("\n".join(lines))

st.header("Found an error in the tables?")
st.markdown(
    "Every statement comes from a row in the rule tables (`rules/*.yaml`), and every row names its source.\n\n"
    "1. Find the row: each result card's *Sources behind these links* names the document and excerpt.\n"
    "2. Edit the row in `rules/*.yaml` (for example the frequency of a link in `rules/links.yaml`), citing "
    "the source that supports the change.\n"
    "3. Run `python -m checker validate`; it lists any problem as `file:line: field: message`.\n"
    "4. Open an issue (or a pull request) in the project's repository describing the error and the source. "
    "If you cannot edit the tables, an issue with the type, the finding and a link to the source is enough."
)
